#include "test_peers.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/this_coro.hpp>

#include "net/asio_compat.h"
#include "net/tcp_stream.h"
#include "tls/tls_stream.h"

namespace wraith::proxy_test {

using tcp = asio::ip::tcp;

ScriptedServer::ScriptedServer(Handler handler)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), handler_(std::move(handler)) {
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, [this]() -> asio::awaitable<void> {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(net::use_tuple);
      if (ec) co_return;
      asio::co_spawn(io_, handler_(std::move(socket)), asio::detached);
    }
  }, asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

ScriptedServer::~ScriptedServer() {
  io_.stop();
  thread_.join();
}

void Recorder::add(std::string item) {
  {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(item));
  }
  changed_.notify_all();
}

std::vector<std::string> Recorder::items() {
  std::lock_guard lock(mutex_);
  return items_;
}

bool Recorder::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return items_.size() >= n; });
}

asio::awaitable<std::string> read_until(net::Stream& stream, std::string_view delimiter, std::size_t max) {
  std::string out;
  std::uint8_t byte[1];
  while (out.size() < max && (out.size() < delimiter.size() || out.compare(out.size() - delimiter.size(), delimiter.size(), delimiter) != 0)) {
    auto n = co_await stream.read_some(byte);
    if (!n || *n == 0) break;
    out += static_cast<char>(byte[0]);
  }
  co_return out;
}

asio::awaitable<std::string> read_n(net::Stream& stream, std::size_t n) {
  std::string out(n, '\0');
  std::size_t have = 0;
  while (have < n) {
    auto got = co_await stream.read_some(std::span(reinterpret_cast<std::uint8_t*>(out.data()) + have, n - have));
    if (!got || *got == 0) break;
    have += *got;
  }
  out.resize(have);
  co_return out;
}

asio::awaitable<bool> write_text(net::Stream& stream, std::string_view text) {
  auto r = co_await stream.write_all(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  co_return r.ok();
}

namespace {

asio::awaitable<void> pump(net::Stream& from, net::Stream& to) {
  std::vector<std::uint8_t> buffer(16384);
  for (;;) {
    auto n = co_await from.read_some(buffer);
    if (!n || *n == 0) break;
    if (!co_await to.write_all(std::span(buffer.data(), *n))) break;
  }
  from.close();
  to.close();
}

}  // namespace

asio::awaitable<void> relay(net::Stream& a, net::Stream& b) {
  using namespace asio::experimental::awaitable_operators;
  co_await (pump(a, b) && pump(b, a));
}

asio::awaitable<std::unique_ptr<net::Stream>> connect_origin(std::uint16_t port) {
  tcp::socket socket(co_await asio::this_coro::executor);
  auto [ec] = co_await socket.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), net::use_tuple);
  if (ec) co_return nullptr;
  co_return std::make_unique<net::TcpStream>(std::move(socket));
}

std::unique_ptr<ScriptedServer> socks4a_proxy(Recorder& requests) {
  return std::make_unique<ScriptedServer>([&requests](tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream client(std::move(socket));
    std::string request = co_await read_n(client, 8);
    if (request.size() < 8) co_return;
    std::string user = co_await read_until(client, std::string_view("\0", 1), 256);
    request += user;
    bool has_name = request[4] == 0 && request[5] == 0 && request[6] == 0 && request[7] != 0;
    if (has_name) {
      std::string name = co_await read_until(client, std::string_view("\0", 1), 256);
      request += name;
    }
    requests.add(request);
    std::uint16_t port = static_cast<std::uint16_t>((static_cast<std::uint8_t>(request[2]) << 8) | static_cast<std::uint8_t>(request[3]));
    auto origin = co_await connect_origin(port);
    std::string reply("\x00\x5a\x00\x00\x00\x00\x00\x00", 8);
    if (!origin) reply[1] = 91;
    if (!co_await write_text(client, reply) || !origin) co_return;
    co_await relay(client, *origin);
  });
}

std::unique_ptr<ScriptedServer> https_proxy(std::shared_ptr<tls::ServerContext> context, Recorder& heads) {
  return std::make_unique<ScriptedServer>([context, &heads](tcp::socket socket) -> asio::awaitable<void> {
    tls::TlsStream client(std::move(socket), context->new_ssl());
    const std::string peer = "proxy client";  // named: GCC 12 and temporaries in co_await expressions
    if (!co_await client.handshake(std::chrono::seconds(10), peer)) co_return;
    std::string head = co_await read_until(client, "\r\n\r\n");
    heads.add(head);
    // "CONNECT host:port HTTP/1.1": the port is after the last ':' of the target.
    auto target_end = head.find(' ', 8);
    auto colon = head.rfind(':', target_end);
    if (head.rfind("CONNECT ", 0) != 0 || target_end == std::string::npos || colon == std::string::npos) co_return;
    auto port = static_cast<std::uint16_t>(std::stoi(head.substr(colon + 1, target_end - colon - 1)));
    auto origin = co_await connect_origin(port);
    if (!origin) {
      (void)co_await write_text(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      co_return;
    }
    if (!co_await write_text(client, "HTTP/1.1 200 Connection established\r\n\r\n")) co_return;
    co_await relay(client, *origin);
  });
}

}  // namespace wraith::proxy_test
