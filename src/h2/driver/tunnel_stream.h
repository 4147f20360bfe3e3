// An RFC 8441 extended-CONNECT stream as a byte Stream: what WebSocket-over-h2 stands on. Reads and writes
// are flow-controlled per stream (data is consumed only as the reader takes it), so a slow tunnel never
// stalls the connection's other streams.
#pragma once

#include <deque>
#include <memory>

#include "h2/driver/connection.h"
#include "net/signal.h"
#include "net/stream.h"

namespace wraith::h2 {

class TunnelStream final : public net::Stream, private StreamListener {
 public:
  // Sends the extended CONNECT (method CONNECT + :protocol) and waits for a 2xx. Fails with
  // ErrorKind::protocol when the peer did not send SETTINGS_ENABLE_CONNECT_PROTOCOL=1.
  static asio::awaitable<Result<std::unique_ptr<TunnelStream>>> open(std::shared_ptr<Connection> connection,
                                                                     RequestHead head,
                                                                     std::chrono::milliseconds timeout);
  ~TunnelStream() override;

  asio::any_io_executor get_executor() override { return connection_->stream().get_executor(); }
  asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> buffer) override;
  asio::awaitable<Result<void>> write_all(std::span<const std::uint8_t> data) override;
  // Half-close our side (END_STREAM); reads continue until the peer ends.
  void shutdown_write();
  void close() override;
  int status() const { return status_; }
  const std::vector<hpack::HeaderField>& response_headers() const { return headers_; }

 private:
  explicit TunnelStream(std::shared_ptr<Connection> connection);
  void on_headers(uint16_t status, std::span<const hpack::HeaderField> headers) override;
  void on_data(std::span<const uint8_t> data, bool end_stream) override;
  void on_complete() override;
  void on_error(const Error& error) override;
  void on_writable() override { signal_.notify(); }

  std::shared_ptr<Connection> connection_;
  net::Signal signal_;
  std::uint64_t id_ = 0;
  int status_ = 0;
  std::vector<hpack::HeaderField> headers_;
  std::deque<std::uint8_t> inbound_;  // bounded by our stream window: nothing is consumed until read
  bool peer_ended_ = false;
  bool ended_ = false;  // on_complete / on_error seen: the session forgot the stream
  bool write_closed_ = false;
  std::optional<Error> error_;
};

}  // namespace wraith::h2
