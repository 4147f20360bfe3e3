// Loopback peers for the proxy tests: a scripted TCP server (each connection runs a coroutine on the
// server's own thread), byte-exact helpers for writing such scripts, and small real proxies (SOCKS4a,
// an HTTPS proxy) that relay to the origin.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "net/stream.h"
#include "tls/server_context.h"

namespace wraith::proxy_test {

class ScriptedServer {
 public:
  using Handler = std::function<asio::awaitable<void>(asio::ip::tcp::socket)>;
  explicit ScriptedServer(Handler handler);
  ~ScriptedServer();
  std::uint16_t port() const { return port_; }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// Thread-safe list of things a peer saw (request bytes, CONNECT heads), for the test thread to check.
class Recorder {
 public:
  void add(std::string item);
  std::vector<std::string> items();
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> items_;
};

// Script helpers: exact reads (byte by byte where the length is not known), so nothing is over-read.
asio::awaitable<std::string> read_until(net::Stream& stream, std::string_view delimiter, std::size_t max = 65536);
asio::awaitable<std::string> read_n(net::Stream& stream, std::size_t n);
asio::awaitable<bool> write_text(net::Stream& stream, std::string_view text);
// Copies both ways until either side ends, then closes both.
asio::awaitable<void> relay(net::Stream& a, net::Stream& b);
// Connects to 127.0.0.1:port (the only origin the tests use); nullptr on failure.
asio::awaitable<std::unique_ptr<net::Stream>> connect_origin(std::uint16_t port);

// A SOCKS4a proxy: records each raw request, connects to 127.0.0.1 at the requested port, replies 90.
std::unique_ptr<ScriptedServer> socks4a_proxy(Recorder& requests);

// An HTTPS proxy: TLS (context from `tls`), records each CONNECT head, connects to 127.0.0.1 at the port
// named in the CONNECT target, replies 200 and relays.
std::unique_ptr<ScriptedServer> https_proxy(std::shared_ptr<tls::ServerContext> tls, Recorder& heads);

}  // namespace wraith::proxy_test
