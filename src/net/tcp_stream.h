// Plain TCP as a Stream (http://, h2c, and the first hop to a proxy).
#pragma once

#include <asio/ip/tcp.hpp>

#include "net/low_water.h"
#include "net/stream.h"

namespace wraith::net {

class TcpStream final : public Stream {
 public:
  explicit TcpStream(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
  asio::any_io_executor get_executor() override { return socket_.get_executor(); }
  asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> buffer) override;
  asio::awaitable<Result<void>> write_all(std::span<const std::uint8_t> data) override;
  void close() override;
  void expect(std::size_t bytes) override { low_water_.set(socket_, bytes); }
  asio::ip::tcp::socket& socket() { return socket_; }

 private:
  asio::ip::tcp::socket socket_;
  ReceiveLowWater low_water_;
};

// Maps a socket error to wraith's kinds (EOF is not an error: read_some returns 0).
Error socket_error(const asio::error_code& ec, const char* what);

}  // namespace wraith::net
