#include "tls_server.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

#include "net/asio_compat.h"
#include "tls/tls_stream.h"

namespace wraith::test_support {

using tcp = asio::ip::tcp;

LoopbackTlsServer::LoopbackTlsServer(tls::ServerOptions options, std::string http_body)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), http_body_(std::move(http_body)) {
  auto context = tls::ServerContext::create(std::move(options));
  if (!context) throw std::runtime_error(context.error().describe());
  context_ = *context;
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, [this]() -> asio::awaitable<void> {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(net::use_tuple);
      if (ec) co_return;
      asio::co_spawn(io_, [this, socket = std::move(socket)]() mutable -> asio::awaitable<void> {
        auto record = std::make_shared<AcceptedConnection>();
        auto ssl = context_->new_ssl([record](std::span<const std::uint8_t> hello) {
          record->client_hello.assign(hello.begin(), hello.end());
        });
        tls::TlsStream stream(std::move(socket), std::move(ssl));
        auto hs = co_await stream.handshake(std::chrono::seconds(10), "test client");
        record->handshake_ok = hs.ok();
        if (hs.ok()) {
          record->alpn = stream.alpn();
          record->group = SSL_get_group_id(stream.native());
          record->session_reused = stream.session_reused();
          record->alps_negotiated = SSL_has_application_settings(stream.native());
        }
        if (hs.ok() && !http_body_.empty()) {
          std::string request;
          std::uint8_t buf[4096];
          while (request.find("\r\n\r\n") == std::string::npos) {
            auto n = co_await stream.read_some(buf);
            if (!n || *n == 0) break;
            request.append(reinterpret_cast<char*>(buf), *n);
          }
          std::string response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(http_body_.size()) +
                                 "\r\nConnection: close\r\n\r\n" + http_body_;
          (void)co_await stream.write_all(std::span(reinterpret_cast<const std::uint8_t*>(response.data()), response.size()));
        }
        {
          std::lock_guard lock(mutex_);
          connections_.push_back(*record);
        }
        stream.close();
      }, asio::detached);
    }
  }, asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

LoopbackTlsServer::~LoopbackTlsServer() {
  io_.stop();
  thread_.join();
}

std::vector<AcceptedConnection> LoopbackTlsServer::connections() {
  std::lock_guard lock(mutex_);
  return connections_;
}

bool LoopbackTlsServer::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      if (connections_.size() >= n) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace wraith::test_support
