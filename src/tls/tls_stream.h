// TLS over a TCP socket, as a Stream. A small BIO of our own reads the socket ahead of BoringSSL (one recv()
// for many records instead of two read()s per record; the ciphertext is copied once more, in memory) and
// writes with send(MSG_NOSIGNAL); asio only tells us when the socket is ready.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include <asio/ip/tcp.hpp>
#include <openssl/ssl.h>

#include "net/stream.h"

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

  SSL* native() { return ssl_.get(); }
  bool session_reused() const { return SSL_session_reused(ssl_.get()); }

 private:
  static constexpr std::size_t kReadAhead = 64 * 1024;
  static const BIO_METHOD* bio_method();
  static int bio_read(BIO* bio, char* out, int len);
  static int bio_write(BIO* bio, const char* in, int len);

  // Waits until the socket is ready for what BoringSSL asked for; false on error/cancel.
  asio::awaitable<bool> wait_for(int ssl_error);

  asio::ip::tcp::socket socket_;
  bssl::UniquePtr<SSL> ssl_;
  bool closed_ = false;
  // Ciphertext read from the socket ahead of BoringSSL: in_[in_begin_, in_end_).
  std::vector<std::uint8_t> in_;
  std::size_t in_begin_ = 0;
  std::size_t in_end_ = 0;
  // An end of stream or error met after read_some already had bytes: reported by the next call.
  std::optional<Result<std::size_t>> deferred_end_;
};

}  // namespace wraith::tls
