// What both TLS streams (on a socket, over another Stream) decide the same way once BoringSSL has
// answered: error text, the end of a read, the handshake deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <asio/awaitable.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/deadline.h"
#include "wraith/error.h"

namespace wraith::tls {

// Drains BoringSSL's error queue into one line ("" when empty).
std::string tls_error_queue();

// SSL_read failed with `err` (not WANT_READ/WANT_WRITE): a clean or tolerated end is EOF (0) — a peer
// that closes without close_notify is common and browsers accept it — anything else a typed error.
Result<std::size_t> read_end(int err);

// ERR_clear_error before an SSL call, so SSL_get_error sees only that call's errors; a no-op (no walk over
// the error slots) when the queue is already empty, as it is before nearly every call.
inline void clear_stale_errors() {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

// The plaintext side of read_some, shared by both streams: takes every record BoringSSL can decrypt from what
// it already holds into buffer[got...], and returns the SSL_get_error code that stopped it (SSL_ERROR_NONE
// when the buffer is full).
int read_available(SSL* ssl, std::span<std::uint8_t> buffer, std::size_t& got);

// An end (EOF or error) met after read_some already had bytes: those go up first, the end with the next call.
class DeferredEnd {
 public:
  std::optional<Result<std::size_t>> take() {
    auto end = std::move(end_);
    end_.reset();
    return end;
  }
  // The read stopped with `err` (not WANT_*): the result to return now, holding the end back if got > 0.
  Result<std::size_t> finish(int err, std::size_t got) {
    Result<std::size_t> end = read_end(err);  // reads the error queue now, while it is this error's
    if (got == 0) return end;
    end_.emplace(std::move(end));
    return got;
  }

 private:
  std::optional<Result<std::size_t>> end_;
};

// Runs a handshake loop under the TLS deadline (ErrorKind::timeout, phase tls).
inline asio::awaitable<Result<void>> with_handshake_deadline(asio::awaitable<Result<void>> handshake,
                                                             std::chrono::milliseconds timeout, const std::string& host) {
  auto outcome = co_await net::with_deadline(std::move(handshake), timeout);
  if (!outcome) {
    Error e(ErrorKind::timeout, "TLS handshake with " + host, "tls");
    e.phase = TimeoutPhase::tls;
    co_return e;
  }
  co_return std::move(*outcome);
}

}  // namespace wraith::tls
