#include "h2/driver/tunnel_stream.h"


namespace wraith::h2 {

TunnelStream::TunnelStream(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection)), signal_(connection_->stream().get_executor()) {}

TunnelStream::~TunnelStream() { close(); }

asio::awaitable<Result<std::unique_ptr<TunnelStream>>> TunnelStream::open(std::shared_ptr<Connection> connection,
                                                                          RequestHead head,
                                                                          std::chrono::milliseconds timeout) {
  std::unique_ptr<TunnelStream> tunnel(new TunnelStream(connection));
  head.method = "CONNECT";
  tunnel->id_ = connection->session().submit(std::move(head), false, tunnel.get());
  connection->flush();
  if (tunnel->id_ == 0) {
    tunnel->ended_ = true;
    co_return tunnel->error_ ? *tunnel->error_ : Error(ErrorKind::refused, "tunnel not accepted", "h2");
  }
  while (tunnel->status_ == 0 && !tunnel->ended_) {
    bool woke = co_await tunnel->signal_.wait_for(timeout);
    if (!woke && tunnel->status_ == 0 && !tunnel->ended_) {
      Error e(ErrorKind::timeout, "no answer to extended CONNECT", "h2");
      e.phase = TimeoutPhase::first_byte;
      co_return e;
    }
  }
  if (tunnel->error_) co_return *tunnel->error_;
  if (tunnel->status_ < 200 || tunnel->status_ >= 300)
    co_return Error(ErrorKind::protocol, "extended CONNECT refused with status " + std::to_string(tunnel->status_), "h2");
  co_return std::move(tunnel);
}

void TunnelStream::on_headers(uint16_t status, std::span<const hpack::HeaderField> headers) {
  status_ = status;
  headers_.assign(headers.begin(), headers.end());
  signal_.notify();
}

void TunnelStream::on_data(std::span<const uint8_t> data, bool end_stream) {
  inbound_.insert(inbound_.end(), data.begin(), data.end());
  if (end_stream) peer_ended_ = true;
  signal_.notify();
}

void TunnelStream::on_complete() {
  ended_ = true;
  peer_ended_ = true;
  signal_.notify();
}

void TunnelStream::on_error(const Error& error) {
  if (!error_) error_ = error;
  ended_ = true;
  signal_.notify();
}

asio::awaitable<Result<std::size_t>> TunnelStream::read_some(std::span<std::uint8_t> buffer) {
  while (inbound_.empty()) {
    if (error_) co_return *error_;
    if (peer_ended_) co_return std::size_t{0};
    co_await signal_.wait();
  }
  std::size_t n = std::min(buffer.size(), inbound_.size());
  std::copy_n(inbound_.begin(), n, buffer.begin());
  inbound_.erase(inbound_.begin(), inbound_.begin() + static_cast<std::ptrdiff_t>(n));
  // The window reopens only as the reader takes data: backpressure per tunnel.
  if (!ended_) {
    connection_->session().consume(id_, n);
    connection_->flush();
  }
  co_return n;
}

asio::awaitable<Result<void>> TunnelStream::write_all(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    if (error_) co_return *error_;
    if (ended_ || write_closed_) co_return Error(ErrorKind::closed, "tunnel is closed for writing", "h2");
    std::size_t accepted = connection_->session().send_data(id_, data, false);
    connection_->flush();
    data = data.subspan(accepted);
    if (!data.empty()) co_await signal_.wait();
  }
  co_return Result<void>{};
}

void TunnelStream::shutdown_write() {
  if (write_closed_ || ended_) return;
  write_closed_ = true;
  connection_->session().send_data(id_, {}, true);
  connection_->flush();
}

void TunnelStream::close() {
  if (ended_) return;
  ended_ = true;
  connection_->session().cancel(id_);  // RST_STREAM(CANCEL); our listener hears on_error(cancelled) once
  connection_->flush();
}

}  // namespace wraith::h2
