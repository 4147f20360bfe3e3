#include "tls/layered_tls_stream.h"
#include "tls/ssl_outcome.h"

#include <cstring>

#include <asio/this_coro.hpp>
#include <openssl/err.h>

#include "net/asio_compat.h"
#include "net/deadline.h"
#include "tls/client_context.h"

namespace wraith::tls {

namespace {

// One full TLS record (16 KiB + overhead) fits in the input with room to read ahead; the output holds a
// few records so large writes go down in big pieces.
constexpr std::size_t kInputCapacity = 32 * 1024;
constexpr std::size_t kOutputCapacity = 64 * 1024;

}  // namespace

const BIO_METHOD* LayeredTlsStream::bio_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "wraith layered stream");
    BIO_meth_set_read(m, &LayeredTlsStream::bio_read);
    BIO_meth_set_write(m, &LayeredTlsStream::bio_write);
    BIO_meth_set_ctrl(m, &LayeredTlsStream::bio_ctrl);
    return m;
  }();
  return method;
}

int LayeredTlsStream::bio_read(BIO* bio, char* out, int len) {
  auto* self = static_cast<LayeredTlsStream*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  std::size_t available = self->in_end_ - self->in_begin_;
  if (available == 0) {
    if (self->in_eof_) return 0;
    BIO_set_retry_read(bio);
    return -1;
  }
  std::size_t n = std::min(available, static_cast<std::size_t>(len));
  std::memcpy(out, self->in_.data() + self->in_begin_, n);
  self->in_begin_ += n;
  if (self->in_begin_ == self->in_end_) self->in_begin_ = self->in_end_ = 0;
  return static_cast<int>(n);
}

int LayeredTlsStream::bio_write(BIO* bio, const char* in, int len) {
  auto* self = static_cast<LayeredTlsStream*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  if (self->write_error_) return -1;
  std::size_t room = kOutputCapacity - self->out_.size();
  if (room == 0) {
    BIO_set_retry_write(bio);
    return -1;
  }
  std::size_t n = std::min(room, static_cast<std::size_t>(len));
  self->out_.insert(self->out_.end(), in, in + n);
  return static_cast<int>(n);
}

long LayeredTlsStream::bio_ctrl(BIO*, int cmd, long, void*) {
  // BoringSSL flushes after each flight; the coroutines do the real flushing.
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

LayeredTlsStream::LayeredTlsStream(std::unique_ptr<net::Stream> lower, bssl::UniquePtr<SSL> ssl)
    : lower_(std::move(lower)), ssl_(std::move(ssl)), in_(kInputCapacity), flush_done_(lower_->get_executor()) {
  out_.reserve(kOutputCapacity);
  sending_.reserve(kOutputCapacity);
  flush_done_.expires_at(asio::steady_timer::time_point::max());
  BIO* bio = BIO_new(bio_method());
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl_.get(), bio, bio);  // the SSL owns the (single) reference
  SSL_set_mode(ssl_.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

LayeredTlsStream::~LayeredTlsStream() { close(); }

asio::awaitable<Result<void>> LayeredTlsStream::flush() {
  while (flushing_) {
    (void)co_await flush_done_.async_wait(net::use_tuple);
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      co_return Error(ErrorKind::cancelled, "TLS write cancelled", "tls");
  }
  if (write_error_) co_return *write_error_;
  if (out_.empty()) co_return Result<void>{};
  flushing_ = true;
  // Released on every exit, unwinding included, so waiters never hang.
  struct Release {
    LayeredTlsStream* self;
    ~Release() {
      self->flushing_ = false;
      self->flush_done_.cancel();
    }
  } release{this};
  while (!out_.empty()) {
    sending_.swap(out_);
    auto sent = co_await lower_->write_all(sending_);
    sending_.clear();
    if (!sent) {
      write_error_ = sent.error();
      co_return sent.take_error();
    }
  }
  co_return Result<void>{};
}

asio::awaitable<Result<void>> LayeredTlsStream::flush_if_idle() {
  if (flushing_ || out_.empty()) co_return Result<void>{};
  co_return co_await flush();
}

asio::awaitable<Result<void>> LayeredTlsStream::fill() {
  if (reading_) co_return Error(ErrorKind::protocol, "two concurrent reads on one TLS stream", "tls");
  if (in_eof_) co_return Result<void>{};
  if (in_end_ == in_.size()) {  // only a partial record at the end: move it to the front
    std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
    in_end_ -= in_begin_;
    in_begin_ = 0;
  }
  reading_ = true;
  auto n = co_await lower_->read_some(std::span(in_.data() + in_end_, in_.size() - in_end_));
  reading_ = false;
  if (!n) co_return n.take_error();
  if (*n == 0)
    in_eof_ = true;
  else
    in_end_ += *n;
  co_return Result<void>{};
}

asio::awaitable<Result<void>> LayeredTlsStream::handshake(std::chrono::milliseconds timeout, const std::string& host) {
  auto run = [this, &host]() -> asio::awaitable<Result<void>> {
    for (;;) {
      if (closed_) co_return Error(ErrorKind::closed, "TLS stream closed during the handshake", "tls");
      clear_stale_errors();
      int ret = SSL_do_handshake(ssl_.get());
      if (ret == 1) co_return co_await flush();  // the client's Finished may still be in the buffer
      int err = SSL_get_error(ssl_.get(), ret);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        if (auto sent = co_await flush(); !sent) co_return sent.take_error();
        if (err == SSL_ERROR_WANT_READ) {
          if (in_eof_) co_return Error(ErrorKind::closed, "connection closed during TLS handshake with " + host, "tls");
          if (auto got = co_await fill(); !got) co_return got.take_error();
        }
        continue;
      }
      co_return handshake_error(ssl_.get(), ret, host);
    }
  };
  auto result = co_await with_handshake_deadline(run(), timeout, host);
  co_return result;
}

asio::awaitable<Result<std::size_t>> LayeredTlsStream::read_some(std::span<std::uint8_t> buffer) {
  if (closed_) co_return Error(ErrorKind::closed, "read on a closed TLS stream", "tls");
  if (auto end = deferred_end_.take()) co_return std::move(*end);
  // As TlsStream: every record already in the input goes up in one call; the lower stream is read only while
  // there is nothing to return.
  std::size_t got = 0;
  for (;;) {
    const int err = read_available(ssl_.get(), buffer, got);
    if (err == SSL_ERROR_NONE) {
      if (auto sent = co_await flush_if_idle(); !sent) co_return sent.take_error();
      co_return got;
    }
    if (err == SSL_ERROR_WANT_READ) {
      if (auto sent = co_await flush_if_idle(); !sent) co_return sent.take_error();
      if (got > 0) co_return got;
      if (auto got_more = co_await fill(); !got_more) co_return got_more.take_error();
    } else if (err == SSL_ERROR_WANT_WRITE) {
      if (got > 0) co_return got;  // the next call flushes
      if (auto sent = co_await flush(); !sent) co_return sent.take_error();
    } else {
      co_return deferred_end_.finish(err, got);
    }
    if (closed_) co_return Error(ErrorKind::closed, "read on a closed TLS stream", "tls");
  }
}

asio::awaitable<Result<void>> LayeredTlsStream::write_all(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    if (closed_) co_return Error(ErrorKind::closed, "write on a closed TLS stream", "tls");
    if (write_error_) co_return *write_error_;
    clear_stale_errors();
    int ret = SSL_write(ssl_.get(), data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 30)));
    if (ret > 0) {
      data = data.subspan(static_cast<std::size_t>(ret));
      continue;
    }
    int err = SSL_get_error(ssl_.get(), ret);
    if (err == SSL_ERROR_WANT_WRITE) {
      if (auto sent = co_await flush(); !sent) co_return sent.take_error();
      continue;
    }
    if (err == SSL_ERROR_WANT_READ)  // renegotiation, which TLS 1.3 and our contexts do not do
      co_return Error(ErrorKind::tls, "TLS write needs a read (renegotiation is not supported)", "tls");
    co_return Error(ErrorKind::closed, "TLS write failed (peer closed?)", "tls");
  }
  co_return co_await flush();
}

void LayeredTlsStream::close() {
  if (closed_) return;
  closed_ = true;
  flush_done_.cancel();
  lower_->close();
}

std::string LayeredTlsStream::alpn() const {
  const std::uint8_t* data = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl_.get(), &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

}  // namespace wraith::tls
