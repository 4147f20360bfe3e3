#include "tls/tls_stream.h"

#include <signal.h>

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
// Room for several full records (16 KiB + overhead each): one recv per burst of the peer's output.
constexpr std::size_t kInboxCapacity = 64 * 1024;

void ignore_default_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);
  });
}
}  // namespace

TlsStream::TlsStream(tcp::socket socket, bssl::UniquePtr<SSL> ssl)
    : socket_(std::move(socket)), ssl_(std::move(ssl)), inbox_(std::make_unique_for_overwrite<std::uint8_t[]>(kInboxCapacity)) {
  ignore_default_sigpipe();
  socket_.non_blocking(true);
  BIO* rbio = BIO_new(inbox_method());
  BIO_set_data(rbio, this);
  BIO_set_init(rbio, 1);
  BIO* wbio = BIO_new_socket(socket_.native_handle(), BIO_NOCLOSE);
  SSL_set_bio(ssl_.get(), rbio, wbio);
  SSL_set_mode(ssl_.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

const BIO_METHOD* TlsStream::inbox_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "wraith tls inbox");
    BIO_meth_set_read(m, &TlsStream::inbox_read);
    BIO_meth_set_ctrl(m, &TlsStream::inbox_ctrl);
    return m;
  }();
  return method;
}

int TlsStream::inbox_read(BIO* bio, char* out, int len) {
  auto* self = static_cast<TlsStream*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  std::size_t available = self->inbox_end_ - self->inbox_begin_;
  if (available == 0) {
    if (self->inbox_error_) return -1;
    if (self->inbox_eof_) return 0;
    BIO_set_retry_read(bio);
    return -1;
  }
  std::size_t n = std::min<std::size_t>(available, static_cast<std::size_t>(len));
  std::memcpy(out, self->inbox_.get() + self->inbox_begin_, n);
  self->inbox_begin_ += n;
  if (self->inbox_begin_ == self->inbox_end_) self->inbox_begin_ = self->inbox_end_ = 0;
  return static_cast<int>(n);
}

long TlsStream::inbox_ctrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

TlsStream::~TlsStream() { close(); }

asio::awaitable<bool> TlsStream::wait_for(int ssl_error) {
  if (closed_) co_return false;
  if (ssl_error == SSL_ERROR_WANT_WRITE) {
    auto [ec] = co_await socket_.async_wait(tcp::socket::wait_write, net::use_tuple);
    co_return !ec && !closed_;
  }
  // BoringSSL wants bytes the inbox does not hold: make room at the end and receive. async_read_some (not
  // async_wait) lets asio try the recv at once and keeps the socket's epoll registration as it is.
  compact_inbox();
  const std::size_t room = kInboxCapacity - inbox_end_;
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(inbox_.get() + inbox_end_, room), net::use_tuple);
  if (closed_ || ec == asio::error::operation_aborted) co_return false;
  note_received(n, room, ec);
  co_return true;  // BoringSSL reads the outcome (bytes, EOF or failure) through the inbox
}

void TlsStream::compact_inbox() {
  if (inbox_begin_ == 0) return;
  std::memmove(inbox_.get(), inbox_.get() + inbox_begin_, inbox_end_ - inbox_begin_);
  inbox_end_ -= inbox_begin_;
  inbox_begin_ = 0;
}

void TlsStream::note_received(std::size_t n, std::size_t room, const asio::error_code& ec) {
  inbox_end_ += n;
  more_waiting_ = !ec && n == room;  // a full inbox: the socket likely holds more
  if (ec == asio::error::eof) inbox_eof_ = true;
  else if (ec) inbox_error_ = true;
}

bool TlsStream::refill_now() {
  if (!more_waiting_ || closed_ || inbox_eof_ || inbox_error_) return false;
  compact_inbox();
  const std::size_t room = kInboxCapacity - inbox_end_;
  asio::error_code ec;
  const std::size_t n = socket_.receive(asio::buffer(inbox_.get() + inbox_end_, room), 0, ec);  // never blocks
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    more_waiting_ = false;
    return false;
  }
  note_received(n, room, ec);
  return true;
}

asio::awaitable<Result<void>> TlsStream::handshake(std::chrono::milliseconds timeout, const std::string& host) {
  auto run = [this, &host]() -> asio::awaitable<Result<void>> {
    for (;;) {
      clear_stale_errors();
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
  if (auto end = deferred_end_.take()) co_return std::move(*end);
  // SSL_read yields at most one record (<= 16 KiB); records already received are taken too, up to the
  // caller's buffer, so one resume carries many records and fewer frames straddle two reads. It waits only
  // while it has nothing to return.
  std::size_t got = 0;
  for (;;) {
    const int err = read_available(ssl_.get(), buffer, got);
    if (err == SSL_ERROR_NONE) co_return got;
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (got > 0 && !(err == SSL_ERROR_WANT_READ && refill_now())) co_return got;
      if (got == 0 && !co_await wait_for(err)) co_return Error(ErrorKind::cancelled, "TLS read cancelled", "tls");
      if (closed_) {
        if (got > 0) co_return got;
        co_return Error(ErrorKind::closed, "read on a closed TLS stream", "tls");
      }
      continue;
    }
    co_return deferred_end_.finish(err, got);
  }
}

asio::awaitable<Result<void>> TlsStream::write_all(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    if (closed_) co_return Error(ErrorKind::closed, "write on a closed TLS stream", "tls");
    clear_stale_errors();
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

void TlsStream::expect(std::size_t bytes) {
  const std::size_t buffered = inbox_end_ - inbox_begin_;
  low_water_.set(socket_, bytes > buffered ? bytes - buffered : 0);
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
