// TLS over any net::Stream, for the origin's TLS inside an HTTPS proxy's TLS (and other tunnels that are
// not a bare socket). BoringSSL reads and writes two ciphertext buffers through a small custom BIO;
// coroutines move the ciphertext between those buffers and the lower stream. Where the lower stream is a
// plain socket, use TlsStream instead: it has no extra hop.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <asio/steady_timer.hpp>
#include <openssl/ssl.h>

#include "net/stream.h"
#include "tls/ssl_outcome.h"

namespace wraith::tls {

class LayeredTlsStream final : public net::Stream {
 public:
  // ssl comes from ClientContext::new_ssl (or a server context); this stream owns the lower one.
  LayeredTlsStream(std::unique_ptr<net::Stream> lower, bssl::UniquePtr<SSL> ssl);
  ~LayeredTlsStream() override;
  LayeredTlsStream(const LayeredTlsStream&) = delete;
  LayeredTlsStream& operator=(const LayeredTlsStream&) = delete;

  // Client or server handshake (the SSL's state decides). host is for error text. Errors as TlsStream's:
  // certificate, tls, closed, timeout (phase tls).
  asio::awaitable<Result<void>> handshake(std::chrono::milliseconds timeout, const std::string& host);

  asio::any_io_executor get_executor() override { return lower_->get_executor(); }
  // One reader and one writer may run at once (as with TlsStream); ciphertext BoringSSL produces while
  // reading (alerts, KeyUpdate replies) shares the writer's path, in order.
  asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> buffer) override;
  asio::awaitable<Result<void>> write_all(std::span<const std::uint8_t> data) override;
  void close() override;
  std::string alpn() const override;

  SSL* native() { return ssl_.get(); }
  bool session_reused() const { return SSL_session_reused(ssl_.get()); }
  net::Stream& lower() { return *lower_; }

 private:
  static int bio_read(BIO* bio, char* out, int len);
  static int bio_write(BIO* bio, const char* in, int len);
  static long bio_ctrl(BIO* bio, int cmd, long larg, void* parg);
  static const BIO_METHOD* bio_method();

  // Sends every pending ciphertext byte; one flusher at a time, later callers wait for it.
  asio::awaitable<Result<void>> flush();
  // flush() unless another flush is already under way (that one carries our bytes too).
  asio::awaitable<Result<void>> flush_if_idle();
  // Reads more ciphertext from the lower stream; EOF is recorded for the BIO, not an error.
  asio::awaitable<Result<void>> fill();

  std::unique_ptr<net::Stream> lower_;
  bssl::UniquePtr<SSL> ssl_;
  // Ciphertext from the lower stream not yet taken by BoringSSL: in_[in_begin_, in_end_).
  std::vector<std::uint8_t> in_;
  std::size_t in_begin_ = 0;
  std::size_t in_end_ = 0;
  bool in_eof_ = false;
  bool reading_ = false;
  // Ciphertext from BoringSSL: out_ fills while sending_ is on its way down.
  std::vector<std::uint8_t> out_;
  std::vector<std::uint8_t> sending_;
  bool flushing_ = false;
  std::optional<Error> write_error_;
  asio::steady_timer flush_done_;  // never expires; cancel() wakes whoever waits for a flush
  bool closed_ = false;
  // An end of stream or error met after read_some already had bytes: reported by the next call.
  DeferredEnd deferred_end_;
};

}  // namespace wraith::tls
