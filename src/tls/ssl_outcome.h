// What both TLS streams (on a socket, over another Stream) decide the same way once BoringSSL has
// answered: error text, the end of a read, the handshake deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <asio/awaitable.hpp>
#include <openssl/ssl.h>

#include "net/deadline.h"
#include "wraith/error.h"

namespace wraith::tls {

// Drains BoringSSL's error queue into one line ("" when empty).
std::string tls_error_queue();

// SSL_read failed with `err` (not WANT_READ/WANT_WRITE): a clean or tolerated end is EOF (0) — a peer
// that closes without close_notify is common and browsers accept it — anything else a typed error.
Result<std::size_t> read_end(int err);

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
