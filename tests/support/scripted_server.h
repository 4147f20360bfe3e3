// A loopback TCP server whose every connection runs a test-provided coroutine: for scripted peers that
// misbehave on purpose (GOAWAY mid-flight, stalls, silence).
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace wraith::test_support {

class ScriptedServer {
 public:
  // The handler gets the accepted socket and the connection's index (0, 1, ...).
  using Handler = std::function<asio::awaitable<void>(asio::ip::tcp::socket, int index)>;
  explicit ScriptedServer(Handler handler);
  ~ScriptedServer();
  std::uint16_t port() const { return port_; }
  int connections() const { return accepted_.load(); }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  std::uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace wraith::test_support
