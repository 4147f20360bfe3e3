// HTTP CONNECT against scripted proxies: the request is Chrome's, every kind of bad reply is a typed
// error, and bytes after the 2xx head are never lost.
#include <gtest/gtest.h>

#include "proxy/http_connect.h"
#include "net/tcp_stream.h"
#include "run_helpers.h"
#include "test_peers.h"

using namespace wraith;
using namespace wraith::proxy_test;
using tcp = asio::ip::tcp;

namespace {

// Reads the CONNECT head, records it, writes `reply` (in pieces of `piece` bytes), then waits for EOF.
std::unique_ptr<ScriptedServer> replying_proxy(std::string reply, Recorder& heads, std::size_t piece = 0,
                                               bool close_after_head = false) {
  return std::make_unique<ScriptedServer>([reply, piece, close_after_head, &heads](tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream client(std::move(socket));
    std::string head = co_await read_until(client, "\r\n\r\n");
    heads.add(head);
    if (close_after_head) co_return;
    std::size_t step = piece ? piece : reply.size();
    for (std::size_t at = 0; at < reply.size(); at += step)
      if (!co_await write_text(client, std::string_view(reply).substr(at, step))) co_return;
    (void)co_await read_until(client, "\x01never", 1 << 20);  // hold the connection until the client closes
  });
}

Result<TunnelInfo> tunnel(const ProxyConfig& config, const std::string& host, std::uint16_t port,
                          proxy::TunnelOptions options = {}) {
  return open_tunnel_info(config, host, port, options);
}

}  // namespace

TEST(HttpConnect, RequestIsWhatChromeSends) {
  Recorder heads;
  auto server = replying_proxy("HTTP/1.1 200 Connection established\r\n\r\n", heads);
  // RFC 7617 section 2's example credentials, with its base64.
  auto config = proxy_at("http://Aladdin:open%20sesame@", server->port());
  proxy::TunnelOptions options;
  options.user_agent = "Mozilla/5.0 (X11; Linux x86_64) wraith-test";
  auto result = tunnel(config, "origin.test", 443, options);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_TRUE(result->is_socket);
  ASSERT_TRUE(heads.wait_for(1));
  EXPECT_EQ(heads.items()[0],
            "CONNECT origin.test:443 HTTP/1.1\r\n"
            "Host: origin.test:443\r\n"
            "Proxy-Connection: keep-alive\r\n"
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64) wraith-test\r\n"
            "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
            "\r\n");
}

TEST(HttpConnect, NoCredentialsNoAuthorizationAndIpv6TargetsBracketed) {
  Recorder heads;
  auto server = replying_proxy("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n", heads);
  auto result = tunnel(proxy_at("http://", server->port()), "::1", 8443);
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_TRUE(heads.wait_for(1));
  EXPECT_EQ(heads.items()[0], "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\nProxy-Connection: keep-alive\r\n\r\n");
}

TEST(HttpConnect, ProxyAuthenticationRequired) {
  Recorder heads;
  auto server = replying_proxy("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n"
                               "Content-Length: 0\r\n\r\n", heads);
  auto anonymous = tunnel(proxy_at("http://", server->port()), "origin.test", 443);
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().kind, ErrorKind::proxy);
  EXPECT_EQ(anonymous.error().peer_code, 407u);
  EXPECT_NE(anonymous.error().message.find("proxy authentication required"), std::string::npos) << anonymous.error().message;
  EXPECT_NE(anonymous.error().message.find("no proxy credentials"), std::string::npos) << anonymous.error().message;

  auto wrong = tunnel(proxy_at("http://u:wrong@", server->port()), "origin.test", 443);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::proxy);
  EXPECT_NE(wrong.error().message.find("rejected the credentials"), std::string::npos) << wrong.error().message;
  EXPECT_EQ(wrong.error().message.find("wrong"), std::string::npos) << "password leaked: " << wrong.error().message;
}

TEST(HttpConnect, OtherStatusesNameTheStatus) {
  Recorder heads;
  auto server = replying_proxy("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad", heads);
  auto result = tunnel(proxy_at("http://", server->port()), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy);
  EXPECT_EQ(result.error().peer_code, 502u);
  EXPECT_NE(result.error().message.find("502 Bad Gateway"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("origin.test:443"), std::string::npos) << result.error().message;
}

TEST(HttpConnect, GarbageReplyIsAProxyError) {
  Recorder heads;
  auto server = replying_proxy("SSH-2.0-OpenSSH_9.2p1\r\n\r\n", heads);
  auto result = tunnel(proxy_at("http://", server->port()), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy);
  EXPECT_NE(result.error().message.find("malformed"), std::string::npos) << result.error().message;
}

TEST(HttpConnect, OversizedReplyHeadIsAProxyError) {
  Recorder heads;
  auto server = replying_proxy("HTTP/1.1 200 OK\r\nX-Filler: " + std::string(20000, 'a') + "\r\n\r\n", heads);
  auto result = tunnel(proxy_at("http://", server->port()), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy) << result.error().describe();
}

TEST(HttpConnect, CloseBeforeReplyIsAProxyError) {
  Recorder heads;
  auto server = replying_proxy("", heads, 0, /*close_after_head=*/true);
  auto result = tunnel(proxy_at("http://", server->port()), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy);
  EXPECT_NE(result.error().message.find("closed the connection"), std::string::npos) << result.error().message;
  // A reply cut off in the middle of its head too.
  auto half = replying_proxy("HTTP/1.1 200 OK\r\nServer: x", heads, 0);
  // (the proxy holds the connection: make it close by giving the client a short deadline instead)
  proxy::TunnelOptions options;
  options.handshake_timeout = std::chrono::milliseconds(300);
  auto cut = tunnel(proxy_at("http://", half->port()), "origin.test", 443, options);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().kind, ErrorKind::timeout);
}

TEST(HttpConnect, SilentProxyTimesOut) {
  Recorder heads;
  auto server = replying_proxy("", heads);
  proxy::TunnelOptions options;
  options.handshake_timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto result = tunnel(proxy_at("http://", server->port()), "origin.test", 443, options);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::timeout);
  EXPECT_EQ(result.error().phase, TimeoutPhase::connect);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_GE(took, std::chrono::milliseconds(250));
}

TEST(HttpConnect, ReplyInOneBytePiecesWithInformationalHead) {
  Recorder heads;
  auto server = replying_proxy("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 Connection established\r\nVia: 1.1 p\r\n\r\n",
                               heads, 1);
  auto result = tunnel(proxy_at("http://", server->port()), "origin.test", 443);
  EXPECT_TRUE(result) << result.error().describe();
}

TEST(HttpConnect, BytesAfterTheHeadBelongToTheTunnel) {
  Recorder heads;
  const std::string reply = "HTTP/1.1 200 Connection established\r\n\r\nEARLY";
  auto server = replying_proxy(reply, heads);
  auto config = proxy_at("http://", server->port());
  // The handshake itself hands them back...
  auto rest = run_client<Result<std::vector<std::uint8_t>>>([&]() -> asio::awaitable<Result<std::vector<std::uint8_t>>> {
    // Arguments named: GCC 12 mishandles non-trivial temporaries inside co_await expressions.
    const std::string loopback = "127.0.0.1", origin = "origin.test";
    const net::ConnectOptions connect_options;
    const proxy::HttpConnectOptions connect_request_options;
    auto socket = co_await net::connect_tcp(loopback, server->port(), connect_options);
    if (!socket) co_return socket.take_error();
    net::TcpStream stream(std::move(*socket));
    co_return co_await proxy::http_connect(stream, origin, 443, config, connect_request_options);
  });
  ASSERT_TRUE(rest) << rest.error().describe();
  EXPECT_EQ(std::string(rest->begin(), rest->end()), "EARLY");
  // ...open_tunnel refuses them by default (the client speaks first on every protocol we tunnel)...
  auto refused = tunnel(config, "origin.test", 443);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::proxy);
  EXPECT_NE(refused.error().message.find("5 bytes"), std::string::npos) << refused.error().message;
  // ...and passes them on when asked to.
  proxy::TunnelOptions options;
  options.allow_early_bytes = true;
  auto kept = tunnel(config, "origin.test", 443, options);
  ASSERT_TRUE(kept) << kept.error().describe();
  EXPECT_EQ(std::string(kept->early_bytes.begin(), kept->early_bytes.end()), "EARLY");
}

TEST(HttpConnect, HeaderInjectionIsRefused) {
  auto config = ProxyConfig::parse("http://127.0.0.1:1");
  ASSERT_TRUE(config);
  auto bad_host = proxy::connect_request("evil\r\nX-Injected: 1", 443, *config, "");
  ASSERT_FALSE(bad_host);
  EXPECT_TRUE(bad_host.error().kind == ErrorKind::invalid_argument || bad_host.error().kind == ErrorKind::invalid_header)
      << bad_host.error().describe();
  auto bad_ua = proxy::connect_request("origin.test", 443, *config, "UA\r\nX-Injected: 1");
  ASSERT_FALSE(bad_ua);
  EXPECT_EQ(bad_ua.error().kind, ErrorKind::invalid_header);
}

TEST(HttpConnect, UnreachableProxyIsAConnectError) {
  // A port nothing listens on: bind one, then close it.
  std::uint16_t port;
  {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = acceptor.local_endpoint().port();
  }
  auto result = tunnel(proxy_at("http://", port), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::connect);
  EXPECT_NE(result.error().message.find("proxy http://127.0.0.1"), std::string::npos) << result.error().message;
}
