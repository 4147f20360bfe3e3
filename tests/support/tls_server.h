// A loopback TLS server for tests: accepts connections on 127.0.0.1, records each raw ClientHello,
// completes the handshake and (optionally) answers one HTTP/1.1 request per connection.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "tls/server_context.h"

namespace wraith::test_support {

struct AcceptedConnection {
  std::vector<std::uint8_t> client_hello;
  bool handshake_ok = false;
  std::string alpn;
  std::uint16_t group = 0;
  bool session_reused = false;
  bool alps_negotiated = false;
};

class LoopbackTlsServer {
 public:
  // http_body: when non-empty the server reads one request head and answers 200 with this body.
  explicit LoopbackTlsServer(tls::ServerOptions options, std::string http_body = {});
  ~LoopbackTlsServer();
  std::uint16_t port() const { return port_; }
  const std::string& certificate_pem() const { return context_->certificate_pem(); }
  std::vector<AcceptedConnection> connections();
  // Waits until n connections finished their handshake attempt (or the timeout passed).
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<tls::ServerContext> context_;
  std::string http_body_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<AcceptedConnection> connections_;
  std::thread thread_;
};

}  // namespace wraith::test_support
