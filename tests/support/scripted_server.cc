#include "scripted_server.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

#include "net/asio_compat.h"

namespace wraith::test_support {

ScriptedServer::ScriptedServer(Handler handler)
    : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), handler_(std::move(handler)) {
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, [this]() -> asio::awaitable<void> {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(net::use_tuple);
      if (ec) co_return;
      int index = accepted_++;
      asio::co_spawn(io_, handler_(std::move(socket), index), asio::detached);
    }
  }, asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

ScriptedServer::~ScriptedServer() {
  io_.stop();
  thread_.join();
}

}  // namespace wraith::test_support
