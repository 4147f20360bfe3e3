// Through every proxy kind, against real proxies from Debian (tinyproxy, dante) and the test's own
// (SOCKS4a, an HTTPS proxy): the tunnel works end to end (verified TLS to the origin, a response read)
// and the ClientHello the origin captures matches, field by field, the one it captures from a direct
// connection: a proxy never changes the origin's fingerprint.
#include <cstdio>
#include <fstream>

#include <asio/experimental/awaitable_operators.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "fingerprint/client_hello.h"
#include "fingerprint/compare.h"
#include "net/tcp_stream.h"
#include "proxy/http_connect.h"
#include "proxy_process.h"
#include "run_helpers.h"
#include "test_peers.h"
#include "tls/connector.h"
#include "tls/layered_tls_stream.h"
#include "tls_server.h"
#include "wraith/profile.h"

using namespace wraith;
using namespace wraith::proxy_test;
using fingerprint::ClientHello;

namespace {

constexpr const char* kOriginHost = "localhost";
const std::string kBody = "hello through the proxy";


asio::awaitable<Result<std::string>> get_over(net::Stream& stream) {
  static const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  auto sent = co_await stream.write_all(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
  if (!sent) co_return sent.take_error();
  std::string response;
  std::uint8_t buf[4096];
  while (response.size() < 65536) {
    auto n = co_await stream.read_some(buf);
    if (!n) co_return n.take_error();
    if (*n == 0) break;
    response.append(reinterpret_cast<char*>(buf), *n);
  }
  co_return response;
}

class ProxyFidelity : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = builtin_profile("chromium156");
    ASSERT_TRUE(profile) << profile.error().describe();
    profile_ = *profile;
    ca_file_ = write_file("origin-ca.pem", origin_.certificate_pem());
  }

  void TearDown() override {
    for (const auto& path : files_) std::remove(path.c_str());
  }

  // A file in the temp dir, removed when the test ends.
  std::string write_file(const std::string& name, const std::string& text) {
    std::string path = ::testing::TempDir() + "wraith-proxy-" + std::to_string(::getpid()) + "-" + name;
    std::ofstream(path) << text;
    files_.push_back(path);
    return path;
  }

  // A fresh context per connection, so no connection offers a session another one left behind.
  std::shared_ptr<tls::ClientContext> context() {
    auto context = tls::ClientContext::create(profile_.tls, profile_.name, {.ca_file = ca_file_});
    EXPECT_TRUE(context) << context.error().describe();
    return context ? *context : nullptr;
  }

  std::uint16_t port() const { return origin_.port(); }

  // The hello of the connection just made (the origin records them in order).
  ClientHello last_hello() {
    ++connections_;
    EXPECT_TRUE(origin_.wait_for(connections_));
    auto seen = origin_.connections();
    if (seen.size() < connections_) return {};
    EXPECT_TRUE(seen[connections_ - 1].handshake_ok);
    auto hello = fingerprint::parse_client_hello(seen[connections_ - 1].client_hello);
    EXPECT_TRUE(hello) << hello.error().describe();
    return hello ? *hello : ClientHello{};
  }

  ClientHello direct_hello() {
    auto ctx = context();
    auto result = run_client<Result<std::string>>([&]() -> asio::awaitable<Result<std::string>> {
      tls::TlsConnectOptions options;
      options.tcp.resolve_overrides[std::string(kOriginHost) + ":" + std::to_string(port())] = "127.0.0.1";
      const std::string host = kOriginHost;  // named: GCC 12 mishandles temporaries in co_await expressions
      auto stream = co_await tls::connect_tls(*ctx, host, port(), options);
      if (!stream) co_return stream.take_error();
      co_return co_await get_over(**stream);
    });
    EXPECT_TRUE(result) << result.error().describe();
    return last_hello();
  }

  // Opens a tunnel, runs the origin's TLS over it (TlsStream on the socket or LayeredTlsStream on the
  // proxy's stream), makes a request; returns the response (or the error) and, in `alpn`, the protocol.
  Result<std::string> through(const ProxyConfig& config, proxy::TunnelOptions options = {},
                              const std::string& host = kOriginHost, std::string* alpn = nullptr) {
    auto ctx = context();
    return run_client<Result<std::string>>([&]() -> asio::awaitable<Result<std::string>> {
      auto tunnel = co_await proxy::open_tunnel(config, host, port(), options);
      if (!tunnel) co_return tunnel.take_error();
      auto ssl = ctx->new_ssl(host, port());
      if (!ssl) co_return ssl.take_error();
      std::unique_ptr<net::Stream> stream;
      if (tunnel->is_socket()) {
        auto tls_stream = std::make_unique<tls::TlsStream>(std::move(*tunnel->socket), std::move(*ssl));
        if (auto hs = co_await tls_stream->handshake(std::chrono::seconds(10), host); !hs) co_return hs.take_error();
        stream = std::move(tls_stream);
      } else {
        auto tls_stream = std::make_unique<tls::LayeredTlsStream>(std::move(tunnel->stream), std::move(*ssl));
        if (auto hs = co_await tls_stream->handshake(std::chrono::seconds(10), host); !hs) co_return hs.take_error();
        stream = std::move(tls_stream);
      }
      if (alpn) *alpn = stream->alpn();
      co_return co_await get_over(*stream);
    });
  }

  // The proxied connection worked and its hello matches a direct one in every field.
  void expect_same_fingerprint(const ProxyConfig& config, proxy::TunnelOptions options = {},
                               const std::string& host = kOriginHost) {
    ClientHello direct = direct_hello();
    std::string alpn;
    auto response = through(config, options, host, &alpn);
    ASSERT_TRUE(response) << config.to_string() << ": " << response.error().describe();
    EXPECT_NE(response->find(kBody), std::string::npos) << *response;
    EXPECT_EQ(alpn, "h2");
    ClientHello proxied = last_hello();
    auto fields = fingerprint::compare_client_hellos(proxied, direct);
    EXPECT_GT(fields.size(), 25u);
    EXPECT_TRUE(fingerprint::all_match(fields)) << fingerprint::describe(fields, true);
    // Same SNI too (the comparison normalises it away).
    EXPECT_EQ(proxied.server_name, direct.server_name);
  }

  test_support::LoopbackTlsServer origin_{tls::ServerOptions{}, kBody};
  Profile profile_;
  std::string ca_file_;
  std::vector<std::string> files_;
  std::size_t connections_ = 0;
};

std::string tinyproxy_config(unsigned short port, const std::string& auth_line) {
  return "Port " + std::to_string(port) +
         "\nListen 127.0.0.1\nTimeout 30\nMaxClients 16\nAllow 127.0.0.1\nDisableViaHeader Yes\n"
         "LogLevel Info\nLogFile \"{dir}/proxy.log\"\nPidFile \"{dir}/tinyproxy.pid\"\n" + auth_line;
}

std::string dante_config(unsigned short port, const std::string& method) {
  std::string users = ::geteuid() == 0 ? "user.privileged: root\nuser.unprivileged: nobody\n" : "";
  return "logoutput: {dir}/proxy.log\n"
         "internal: 127.0.0.1 port = " + std::to_string(port) + "\n"
         "external: 127.0.0.1\n"
         "clientmethod: none\n"
         "socksmethod: " + method + "\n" + users +
         "client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\n"
         "socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 command: connect }\n";
}

#define REQUIRE_BINARY(path) \
  if (!executable_exists(path)) GTEST_SKIP() << path << " is not installed (apt-get install tinyproxy dante-server)"

}  // namespace

TEST_F(ProxyFidelity, TinyproxyConnect) {
  REQUIRE_BINARY("/usr/bin/tinyproxy");
  auto proxy_port = free_port();
  ProxyProcess proxy("tinyproxy.conf", tinyproxy_config(proxy_port, ""), {"/usr/bin/tinyproxy", "-d", "-c", "{config}"}, proxy_port);
  ASSERT_TRUE(proxy.ok()) << proxy.log();
  proxy::TunnelOptions options;
  options.user_agent = profile_.name;
  expect_same_fingerprint(proxy_at("http://", proxy_port), options);
}

TEST_F(ProxyFidelity, TinyproxyBasicAuth) {
  REQUIRE_BINARY("/usr/bin/tinyproxy");
  auto proxy_port = free_port();
  ProxyProcess proxy("tinyproxy.conf", tinyproxy_config(proxy_port, "BasicAuth wraith s3cret-pw\n"),
                     {"/usr/bin/tinyproxy", "-d", "-c", "{config}"}, proxy_port);
  ASSERT_TRUE(proxy.ok()) << proxy.log();
  expect_same_fingerprint(proxy_at("http://wraith:s3cret-pw@", proxy_port));

  auto anonymous = through(proxy_at("http://", proxy_port));
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().kind, ErrorKind::proxy);
  EXPECT_EQ(anonymous.error().peer_code, 407u);
  EXPECT_NE(anonymous.error().message.find("proxy authentication required"), std::string::npos) << anonymous.error().message;
  auto wrong = through(proxy_at("http://wraith:wrong@", proxy_port));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::proxy);
  // tinyproxy answers wrong credentials with 401 (missing ones with 407); either way the status is named.
  EXPECT_TRUE(wrong.error().peer_code == 401u || wrong.error().peer_code == 407u) << wrong.error().describe();
  EXPECT_EQ(wrong.error().message.find("wrong"), std::string::npos) << "password leaked: " << wrong.error().message;
}

TEST_F(ProxyFidelity, TinyproxyRefusesAnUnreachableOrigin) {
  REQUIRE_BINARY("/usr/bin/tinyproxy");
  auto proxy_port = free_port();
  ProxyProcess proxy("tinyproxy.conf", tinyproxy_config(proxy_port, ""), {"/usr/bin/tinyproxy", "-d", "-c", "{config}"}, proxy_port);
  ASSERT_TRUE(proxy.ok()) << proxy.log();
  auto closed_port = free_port();
  // Everything open_tunnel gets by reference outlives the run.
  const auto config = proxy_at("http://", proxy_port);
  const std::string target = "127.0.0.1";
  const proxy::TunnelOptions options;
  auto result = open_tunnel_info(config, target, closed_port, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy);
  EXPECT_GE(result.error().peer_code, 400u) << result.error().describe();
}

TEST_F(ProxyFidelity, DanteSocks5RemoteAndLocalDns) {
  REQUIRE_BINARY("/usr/sbin/danted");
  auto proxy_port = free_port();
  ProxyProcess proxy("danted.conf", dante_config(proxy_port, "none"),
                     {"/usr/sbin/danted", "-f", "{config}", "-p", "{dir}/danted.pid", "-N", "1"}, proxy_port);
  ASSERT_TRUE(proxy.ok()) << proxy.log();
  // socks5h: dante resolves "localhost" itself.
  expect_same_fingerprint(proxy_at("socks5h://", proxy_port));
  // socks5: a name only we can resolve (an override), so the tunnel works only if we send the address.
  proxy::TunnelOptions options;
  options.connect.resolve_overrides["origin.test:" + std::to_string(port())] = "127.0.0.1";
  auto response = through(proxy_at("socks5://", proxy_port), options, "origin.test");
  // The origin's certificate is for localhost, so verification must fail -- after the tunnel worked.
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::certificate) << response.error().describe();
  // And the same name with remote DNS fails at the proxy (dante cannot resolve it).
  auto remote = through(proxy_at("socks5h://", proxy_port), options, "origin.test");
  ASSERT_FALSE(remote);
  EXPECT_EQ(remote.error().kind, ErrorKind::proxy) << remote.error().describe();
}

TEST_F(ProxyFidelity, DanteSocks5UsernamePassword) {
  REQUIRE_BINARY("/usr/sbin/danted");
  if (::geteuid() != 0) GTEST_SKIP() << "dante's username method checks system users; creating one needs root";
  SystemUser user("wraithpx" + std::to_string(::getpid() % 100000), "Pa55-word");
  ASSERT_TRUE(user.ok()) << "useradd/chpasswd failed";
  auto proxy_port = free_port();
  ProxyProcess proxy("danted.conf", dante_config(proxy_port, "username"),
                     {"/usr/sbin/danted", "-f", "{config}", "-p", "{dir}/danted.pid", "-N", "1"}, proxy_port);
  ASSERT_TRUE(proxy.ok()) << proxy.log();
  expect_same_fingerprint(proxy_at("socks5h://" + user.name() + ":Pa55-word@", proxy_port));

  auto wrong = through(proxy_at("socks5h://" + user.name() + ":wrong@", proxy_port));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::proxy);
  EXPECT_NE(wrong.error().message.find("authentication failed"), std::string::npos) << wrong.error().message;
  auto anonymous = through(proxy_at("socks5h://", proxy_port));
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().kind, ErrorKind::proxy);
  EXPECT_NE(anonymous.error().message.find("requires authentication"), std::string::npos) << anonymous.error().message;
}

TEST_F(ProxyFidelity, OwnSocks4aProxy) {
  Recorder requests;
  auto proxy = socks4a_proxy(requests);
  expect_same_fingerprint(proxy_at("socks4a://wraith@", proxy->port()));
  ASSERT_TRUE(requests.wait_for(1));
  EXPECT_NE(requests.items()[0].find(std::string("wraith\0localhost\0", 17)), std::string::npos);
}

namespace {

struct HttpsProxyPeer {
  tls::CertificatePem ca;
  std::shared_ptr<tls::ServerContext> context;
};

HttpsProxyPeer https_proxy_peer() {
  HttpsProxyPeer peer;
  auto ca = tls::make_certificate({.common_name = "wraith proxy CA", .dns_names = {}, .ip_addresses = {}, .is_ca = true});
  EXPECT_TRUE(ca);
  peer.ca = *ca;
  auto leaf = tls::make_certificate({.common_name = "proxy", .dns_names = {"localhost"}, .ip_addresses = {"127.0.0.1"},
                                     .issuer = &peer.ca});
  EXPECT_TRUE(leaf);
  tls::ServerOptions options;
  options.alpn = {"http/1.1"};
  options.certificate = *leaf;
  auto context = tls::ServerContext::create(options);
  EXPECT_TRUE(context) << context.error().describe();
  peer.context = *context;
  return peer;
}

}  // namespace

TEST_F(ProxyFidelity, OwnHttpsProxyWithLayeredTls) {
  auto peer = https_proxy_peer();
  Recorder heads;
  auto proxy = https_proxy(peer.context, heads);
  proxy::TunnelOptions options;
  options.proxy_verify.ca_file = write_file("proxy-ca.pem", peer.ca.certificate);
  options.user_agent = "wraith-test-ua";
  expect_same_fingerprint(proxy_at("https://u:p@", proxy->port()), options);
  ASSERT_TRUE(heads.wait_for(1));
  EXPECT_EQ(heads.items()[0], "CONNECT localhost:" + std::to_string(port()) + " HTTP/1.1\r\nHost: localhost:" +
                                  std::to_string(port()) + "\r\nProxy-Connection: keep-alive\r\nUser-Agent: wraith-test-ua\r\n"
                                  "Proxy-Authorization: " + proxy::proxy_authorization(proxy_at("https://u:p@", 1)) + "\r\n\r\n");
}

TEST_F(ProxyFidelity, HttpsProxyCertificateIsVerified) {
  auto peer = https_proxy_peer();
  Recorder heads;
  auto proxy = https_proxy(peer.context, heads);
  // The system store does not know the test CA.
  const auto config = proxy_at("https://", proxy->port());
  const std::string target = kOriginHost;
  const proxy::TunnelOptions options;
  auto untrusted = open_tunnel_info(config, target, port(), options);
  ASSERT_FALSE(untrusted);
  EXPECT_EQ(untrusted.error().kind, ErrorKind::certificate) << untrusted.error().describe();
  EXPECT_NE(untrusted.error().message.find("proxy https://127.0.0.1"), std::string::npos) << untrusted.error().message;
  // Explicitly insecure for the proxy hop only: the origin's TLS is still verified (by ca_file_).
  proxy::TunnelOptions insecure;
  insecure.proxy_verify.insecure = true;

  auto response = through(proxy_at("https://", proxy->port()), insecure);
  EXPECT_TRUE(response) << response.error().describe();
}

namespace {

// A TLS echo server, and a client that writes 1 MiB while reading the echo at the same time (as an h2
// driver reads and writes at once), over TLS layered on `lower` (a TcpStream, or an https proxy's tunnel).
struct EchoRoundTrip {
  EchoRoundTrip() {
    auto context = tls::ServerContext::create({.alpn = {"http/1.1"}});
    EXPECT_TRUE(context);
    server = std::make_unique<ScriptedServer>([ctx = *context](asio::ip::tcp::socket socket) -> asio::awaitable<void> {
      tls::TlsStream stream(std::move(socket), ctx->new_ssl());
      const std::string peer = "echo client";
      if (!co_await stream.handshake(std::chrono::seconds(10), peer)) co_return;
      std::vector<std::uint8_t> buffer(16384);
      for (;;) {
        auto n = co_await stream.read_some(buffer);
        if (!n || *n == 0) break;
        if (!co_await stream.write_all(std::span(buffer.data(), *n))) break;
      }
    });
    payload.resize(1 << 20);
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 131 + (i >> 9));
  }

  // proxy: null for a direct TcpStream.
  Result<std::vector<std::uint8_t>> run(const ProxyConfig* proxy, const proxy::TunnelOptions& options) {
    auto client_context = tls::ClientContext::create(proxy::default_proxy_tls_profile(), "echo", {.insecure = true});
    if (!client_context) return client_context.take_error();
    return run_client<Result<std::vector<std::uint8_t>>>([&]() -> asio::awaitable<Result<std::vector<std::uint8_t>>> {
      using namespace asio::experimental::awaitable_operators;
      const std::string loopback = "127.0.0.1";
      std::unique_ptr<net::Stream> lower;
      if (proxy) {
        auto tunnel = co_await proxy::open_tunnel(*proxy, loopback, server->port(), options);
        if (!tunnel) co_return tunnel.take_error();
        lower = std::move(*tunnel).into_stream();
      } else {
        auto socket = co_await net::connect_tcp(loopback, server->port(), options.connect);
        if (!socket) co_return socket.take_error();
        lower = std::make_unique<net::TcpStream>(std::move(*socket));
      }
      auto ssl = (*client_context)->new_ssl(loopback, server->port());
      if (!ssl) co_return ssl.take_error();
      tls::LayeredTlsStream stream(std::move(lower), std::move(*ssl));
      if (auto hs = co_await stream.handshake(std::chrono::seconds(10), loopback); !hs) co_return hs.take_error();
      std::vector<std::uint8_t> received;
      auto writer = [&]() -> asio::awaitable<Result<void>> { co_return co_await stream.write_all(payload); };
      auto reader = [&]() -> asio::awaitable<Result<void>> {
        std::vector<std::uint8_t> buffer(10000);
        while (received.size() < payload.size()) {
          auto n = co_await stream.read_some(buffer);
          if (!n) co_return n.take_error();
          if (*n == 0) co_return Error(ErrorKind::closed, "echo closed early");
          received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
        }
        co_return Result<void>{};
      };
      auto [wrote, read] = co_await (writer() && reader());
      if (!wrote) co_return wrote.take_error();
      if (!read) co_return read.take_error();
      co_return received;
    });
  }

  std::unique_ptr<ScriptedServer> server;
  std::vector<std::uint8_t> payload;
};

}  // namespace

TEST_F(ProxyFidelity, LayeredTlsCarriesLargeBodiesBothWays) {
  EchoRoundTrip echo;
  auto echoed = echo.run(nullptr, {});
  ASSERT_TRUE(echoed) << echoed.error().describe();
  EXPECT_TRUE(*echoed == echo.payload);
}

TEST_F(ProxyFidelity, HttpsProxyCarriesLargeBodiesBothWays) {
  // TLS in TLS: the origin's records inside the proxy's, reading and writing at once on both layers.
  EchoRoundTrip echo;
  auto peer = https_proxy_peer();
  Recorder heads;
  auto proxy = https_proxy(peer.context, heads);
  auto config = proxy_at("https://", proxy->port());
  proxy::TunnelOptions options;
  options.proxy_verify.ca_file = write_file("proxy-ca-echo.pem", peer.ca.certificate);
  auto echoed = echo.run(&config, options);
  ASSERT_TRUE(echoed) << echoed.error().describe();
  EXPECT_TRUE(*echoed == echo.payload);
}
