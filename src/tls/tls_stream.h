// TLS over a TCP socket, as a Stream. BoringSSL writes the socket itself; reads go through an inbox: one
// large recv (asio's speculative read, no epoll re-arm) holds many records, which BoringSSL then takes from
// memory instead of issuing a 5-byte and a body-sized read(2) per record.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <asio/ip/tcp.hpp>
#include <openssl/ssl.h>

#include "net/low_water.h"
#include "net/stream.h"
#include "tls/ssl_outcome.h"

namespace wraith::tls {

class TlsStream final : public net::Stream {
 public:
  TlsStream(asio::ip::tcp::socket socket, bssl::UniquePtr<SSL> ssl);
  ~TlsStream() override;

  // Client or server handshake (the SSL's connect/accept state decides). host is for error text.
  asio::awaitable<Result<void>> handshake(std::chrono::milliseconds timeout, const std::string& host);

  asio::any_io_executor get_executor() override { return socket_.get_executor(); }
  // Returns every record already readable, up to buffer.size(); waits only when none is.
  asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> buffer) override;
  asio::awaitable<Result<void>> write_all(std::span<const std::uint8_t> data) override;
  void close() override;
  std::string alpn() const override;
  // What the inbox already holds is not waited for again.
  void expect(std::size_t bytes) override;

  SSL* native() { return ssl_.get(); }
  bool session_reused() const { return SSL_session_reused(ssl_.get()); }

 private:
  // Refills the inbox (WANT_READ) or waits for the socket to be writable (WANT_WRITE); false on error/cancel.
  asio::awaitable<bool> wait_for(int ssl_error);
  static const BIO_METHOD* inbox_method();
  static int inbox_read(BIO* bio, char* out, int len);
  static long inbox_ctrl(BIO* bio, int cmd, long num, void* ptr);
  void compact_inbox();
  void note_received(std::size_t n, std::size_t room, const asio::error_code& ec);
  // A non-blocking recv when the last one filled the inbox; true when it added bytes (or an end).
  bool refill_now();

  asio::ip::tcp::socket socket_;
  net::ReceiveLowWater low_water_;
  bssl::UniquePtr<SSL> ssl_;
  std::unique_ptr<std::uint8_t[]> inbox_;  // received, not yet decrypted: [inbox_begin_, inbox_end_)
  std::size_t inbox_begin_ = 0, inbox_end_ = 0;
  bool inbox_eof_ = false;    // the peer closed; BoringSSL sees EOF once the inbox is empty
  bool inbox_error_ = false;  // the socket failed
  bool more_waiting_ = false;  // the last recv filled the inbox
  bool closed_ = false;
  // An end of stream or error met after read_some already had bytes: reported by the next call.
  DeferredEnd deferred_end_;
};

}  // namespace wraith::tls
