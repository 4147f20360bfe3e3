#include "net/tcp_stream.h"

#include "net/asio_compat.h"
#include <asio/error.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

namespace wraith::net {

Error socket_error(const asio::error_code& ec, const char* what) {
  ErrorKind kind = ErrorKind::io;
  if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe || ec == asio::error::eof)
    kind = ErrorKind::closed;
  else if (ec == asio::error::operation_aborted)
    kind = ErrorKind::cancelled;
  return Error(kind, std::string(what) + ": " + ec.message(), "net");
}

asio::awaitable<Result<std::size_t>> TcpStream::read_some(std::span<std::uint8_t> buffer) {
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                                                  use_tuple);
  if (ec == asio::error::eof) co_return std::size_t{0};
  if (ec) co_return socket_error(ec, "read");
  co_return n;
}

asio::awaitable<Result<void>> TcpStream::write_all(std::span<const std::uint8_t> data) {
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(data.data(), data.size()),
                                            use_tuple);
  if (ec) co_return socket_error(ec, "write");
  co_return Result<void>{};
}

void TcpStream::close() {
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace wraith::net
