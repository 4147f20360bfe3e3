#include "tls/tls_stream.h"

#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <mutex>

#include "net/asio_compat.h"
#include <asio/use_awaitable.hpp>
#include <openssl/err.h>

#include "net/deadline.h"
#include "tls/client_context.h"
#include "tls/ssl_outcome.h"

namespace wraith::tls {

using tcp = asio::ip::tcp;

namespace {
// BoringSSL writes the socket with write(2), which raises SIGPIPE when the peer has gone. A process that
// has not chosen a SIGPIPE disposition gets it ignored (as libcurl does); one that has chosen keeps it.
void ignore_default_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);
  });
}
}  // namespace

TlsStream::TlsStream(tcp::socket socket, bssl::UniquePtr<SSL> ssl) : socket_(std::move(socket)), ssl_(std::move(ssl)) {
  ignore_default_sigpipe();
  socket_.non_blocking(true);
  in_.resize(kReadAhead);
  BIO* bio = BIO_new(bio_method());
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl_.get(), bio, bio);  // the SSL owns the (single) reference
  SSL_set_mode(ssl_.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

TlsStream::~TlsStream() { close(); }

const BIO_METHOD* TlsStream::bio_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "wraith socket read-ahead");
    BIO_meth_set_read(m, &TlsStream::bio_read);
    BIO_meth_set_write(m, &TlsStream::bio_write);
    BIO_meth_set_ctrl(m, [](BIO*, int cmd, long, void*) -> long { return cmd == BIO_CTRL_FLUSH ? 1 : 0; });
    return m;
  }();
  return method;
}

// BoringSSL asks for each record's 5-byte header, then its body, as two reads; one recv() of up to kReadAhead
// bytes serves many of them (the ciphertext is copied once more, in memory, instead of two syscalls a record).
int TlsStream::bio_read(BIO* bio, char* out, int len) {
  auto* self = static_cast<TlsStream*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  if (self->in_begin_ == self->in_end_) {
    self->in_begin_ = self->in_end_ = 0;
    ssize_t n;
    do {
      n = ::recv(self->socket_.native_handle(), self->in_.data(), self->in_.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_read(bio);
      return -1;
    }
    self->in_end_ = static_cast<std::size_t>(n);
  }
  const std::size_t take = std::min(self->in_end_ - self->in_begin_, static_cast<std::size_t>(len));
  std::memcpy(out, self->in_.data() + self->in_begin_, take);
  self->in_begin_ += take;
  return static_cast<int>(take);
}

int TlsStream::bio_write(BIO* bio, const char* in, int len) {
  auto* self = static_cast<TlsStream*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  ssize_t n;
  do {
    n = ::send(self->socket_.native_handle(), in, static_cast<std::size_t>(len), MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_write(bio);
    return -1;
  }
  return static_cast<int>(n);
}

asio::awaitable<bool> TlsStream::wait_for(int ssl_error) {
  if (closed_) co_return false;
  auto kind = ssl_error == SSL_ERROR_WANT_WRITE ? tcp::socket::wait_write : tcp::socket::wait_read;
  auto [ec] = co_await socket_.async_wait(kind, net::use_tuple);
  co_return !ec && !closed_;
}

asio::awaitable<Result<void>> TlsStream::handshake(std::chrono::milliseconds timeout, const std::string& host) {
  auto run = [this, &host]() -> asio::awaitable<Result<void>> {
    for (;;) {
      ERR_clear_error();
      int ret = SSL_do_handshake(ssl_.get());
      if (ret == 1) co_return Result<void>{};
      int err = SSL_get_error(ssl_.get(), ret);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        if (!co_await wait_for(err)) co_return Error(ErrorKind::closed, "socket closed during TLS handshake", "tls");
        continue;
      }
      co_return handshake_error(ssl_.get(), ret, host);
    }
  };
  auto result = co_await with_handshake_deadline(run(), timeout, host);
  co_return result;
}

asio::awaitable<Result<std::size_t>> TlsStream::read_some(std::span<std::uint8_t> buffer) {
  if (closed_) co_return Error(ErrorKind::closed, "read on a closed TLS stream", "tls");
  if (deferred_end_) {
    Result<std::size_t> end = std::move(*deferred_end_);
    deferred_end_.reset();
    co_return end;
  }
  // SSL_read yields at most one record (<= 16 KiB); records already in the socket are taken too, up to the
  // caller's buffer, so one resume carries many records and fewer frames straddle two reads. It waits only
  // while it has nothing to return.
  const std::size_t cap = std::min<std::size_t>(buffer.size(), std::size_t{1} << 30);
  std::size_t got = 0;
  for (;;) {
    if (closed_) {
      if (got > 0) co_return got;
      co_return Error(ErrorKind::closed, "read on a closed TLS stream", "tls");
    }
    ERR_clear_error();
    int ret = SSL_read(ssl_.get(), buffer.data() + got, static_cast<int>(cap - got));
    if (ret > 0) {
      got += static_cast<std::size_t>(ret);
      if (got == cap) co_return got;
      continue;
    }
    int err = SSL_get_error(ssl_.get(), ret);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (got > 0) co_return got;
      if (!co_await wait_for(err)) co_return Error(ErrorKind::cancelled, "TLS read cancelled", "tls");
      continue;
    }
    Result<std::size_t> end = read_end(err);  // reads the error queue now, while it is this error's
    if (got == 0) co_return end;
    deferred_end_.emplace(std::move(end));  // the bytes before the end go up first
    co_return got;
  }
}

asio::awaitable<Result<void>> TlsStream::write_all(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    if (closed_) co_return Error(ErrorKind::closed, "write on a closed TLS stream", "tls");
    ERR_clear_error();
    int ret = SSL_write(ssl_.get(), data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 30)));
    if (ret > 0) {
      data = data.subspan(static_cast<std::size_t>(ret));
      continue;
    }
    int err = SSL_get_error(ssl_.get(), ret);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!co_await wait_for(err)) co_return Error(ErrorKind::cancelled, "TLS write cancelled", "tls");
      continue;
    }
    co_return Error(ErrorKind::closed, "TLS write failed (peer closed?)", "tls");
  }
  co_return Result<void>{};
}

void TlsStream::close() {
  if (closed_) return;
  closed_ = true;
  asio::error_code ignored;
  socket_.cancel(ignored);
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

std::string TlsStream::alpn() const {
  const std::uint8_t* data = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl_.get(), &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

}  // namespace wraith::tls
