// LayeredTlsStream on its own (over a plain TcpStream, so only the BIO plumbing differs from TlsStream):
// verification, timeouts, EOF and resumption behave as TlsStream's do.
#include <gtest/gtest.h>

#include "net/connect.h"
#include "net/tcp_stream.h"
#include "run_helpers.h"
#include "test_peers.h"
#include "tls/layered_tls_stream.h"
#include "tls_server.h"
#include "wraith/profile.h"

using namespace wraith;
using namespace wraith::proxy_test;

namespace {

struct Outcome {
  Result<void> handshake;
  Result<std::string> response = std::string();
  bool reused = false;
  std::string alpn;
};

// Handshakes over a TcpStream to 127.0.0.1:port; with `request`, sends it and reads until EOF.
Outcome layered_exchange(tls::ClientContext& context, std::uint16_t port, std::chrono::milliseconds timeout,
                         const std::string& request = {}) {
  return run_client<Outcome>([&]() -> asio::awaitable<Outcome> {
    const std::string host = "127.0.0.1";
    const net::ConnectOptions connect_options;
    Outcome out;
    auto socket = co_await net::connect_tcp(host, port, connect_options);
    if (!socket) {
      out.handshake = socket.take_error();
      co_return out;
    }
    auto ssl = context.new_ssl(host, port);
    if (!ssl) {
      out.handshake = ssl.take_error();
      co_return out;
    }
    tls::LayeredTlsStream stream(std::make_unique<net::TcpStream>(std::move(*socket)), std::move(*ssl));
    // (results go through named locals: GCC 12 mishandles co_await inside braced initialisers)
    auto handshake = co_await stream.handshake(timeout, host);
    out.handshake = handshake;
    if (!out.handshake) co_return out;
    out.reused = stream.session_reused();
    out.alpn = stream.alpn();
    if (request.empty()) co_return out;
    auto sent = co_await stream.write_all(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
    if (!sent) {
      out.response = sent.take_error();
      co_return out;
    }
    std::string response;
    std::uint8_t buf[2048];
    for (;;) {
      auto n = co_await stream.read_some(buf);
      if (!n) {
        out.response = n.take_error();
        co_return out;
      }
      if (*n == 0) break;  // the server closes after its response: a clean EOF is 0, not an error
      response.append(reinterpret_cast<char*>(buf), *n);
    }
    out.response = response;
    co_return out;
  });
}

std::shared_ptr<tls::ClientContext> chromium_context(tls::VerifyOptions verify) {
  auto profile = builtin_profile("chromium156");
  EXPECT_TRUE(profile);
  auto context = tls::ClientContext::create(profile->tls, profile->name, verify);
  EXPECT_TRUE(context) << context.error().describe();
  return *context;
}

}  // namespace

TEST(LayeredTls, ExchangeEofAndResumption) {
  test_support::LoopbackTlsServer server(tls::ServerOptions{}, "layered body");
  auto context = chromium_context({.insecure = true});
  auto first = layered_exchange(*context, server.port(), std::chrono::seconds(10), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(first.handshake) << first.handshake.error().describe();
  ASSERT_TRUE(first.response) << first.response.error().describe();
  EXPECT_NE(first.response->find("layered body"), std::string::npos);
  EXPECT_EQ(first.alpn, "h2");
  EXPECT_FALSE(first.reused);
  // The NewSessionTicket travelled through the BIO into the context's cache: the next handshake resumes.
  auto second = layered_exchange(*context, server.port(), std::chrono::seconds(10), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(second.handshake) << second.handshake.error().describe();
  EXPECT_TRUE(second.reused);
  ASSERT_TRUE(server.wait_for(2));
  EXPECT_TRUE(server.connections()[1].session_reused);
}

TEST(LayeredTls, UntrustedCertificateIsACertificateError) {
  test_support::LoopbackTlsServer server(tls::ServerOptions{}, "x");  // self-signed
  auto context = chromium_context({});
  auto out = layered_exchange(*context, server.port(), std::chrono::seconds(10));
  ASSERT_FALSE(out.handshake);
  EXPECT_EQ(out.handshake.error().kind, ErrorKind::certificate) << out.handshake.error().describe();
}

TEST(LayeredTls, SilentPeerTimesOut) {
  auto silent = std::make_unique<ScriptedServer>([](asio::ip::tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream peer(std::move(socket));
    (void)co_await read_until(peer, "\x01never", 1 << 20);
  });
  auto context = chromium_context({.insecure = true});
  auto out = layered_exchange(*context, silent->port(), std::chrono::milliseconds(300));
  ASSERT_FALSE(out.handshake);
  EXPECT_EQ(out.handshake.error().kind, ErrorKind::timeout);
  EXPECT_EQ(out.handshake.error().phase, TimeoutPhase::tls);
}

TEST(LayeredTls, PeerClosingMidHandshakeIsClosed) {
  auto rude = std::make_unique<ScriptedServer>([](asio::ip::tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream peer(std::move(socket));
    (void)co_await read_n(peer, 5);  // a record header, then hang up
    peer.close();
  });
  auto context = chromium_context({.insecure = true});
  auto out = layered_exchange(*context, rude->port(), std::chrono::seconds(5));
  ASSERT_FALSE(out.handshake);
  EXPECT_TRUE(out.handshake.error().kind == ErrorKind::closed || out.handshake.error().kind == ErrorKind::tls)
      << out.handshake.error().describe();
}

TEST(LayeredTls, GarbageFromPeerIsATlsError) {
  auto garbage = std::make_unique<ScriptedServer>([](asio::ip::tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream peer(std::move(socket));
    (void)co_await read_n(peer, 5);
    (void)co_await write_text(peer, "HTTP/1.1 400 Bad Request\r\n\r\n");
    (void)co_await read_until(peer, "\x01never", 1 << 20);
  });
  auto context = chromium_context({.insecure = true});
  auto out = layered_exchange(*context, garbage->port(), std::chrono::seconds(5));
  ASSERT_FALSE(out.handshake);
  EXPECT_EQ(out.handshake.error().kind, ErrorKind::tls) << out.handshake.error().describe();
}
