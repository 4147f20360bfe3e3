// Handshakes against a loopback BoringSSL server: the hybrid key share is real, verification is on by
// default and fails with typed errors, resumption offers the cached session.
#include <fstream>
#include <thread>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>
#include <gtest/gtest.h>

#include "tls/connector.h"
#include "tls_server.h"
#include "wraith/profile.h"

using namespace wraith;

namespace {

struct Outcome {
  Result<void> result;
  std::string alpn;
  bool reused = false;
};

Outcome connect_once(tls::ClientContext& context, const std::string& host, std::uint16_t port,
                     std::map<std::string, std::string> overrides = {}) {
  asio::io_context io;
  tls::TlsConnectOptions options;
  options.tcp.resolve_overrides = std::move(overrides);
  options.handshake_timeout = std::chrono::seconds(10);
  auto future = asio::co_spawn(io, [&]() -> asio::awaitable<Outcome> {
    auto stream = co_await tls::connect_tls(context, host, port, options);
    if (!stream) co_return Outcome{stream.take_error(), {}, false};
    Outcome out{Result<void>{}, (*stream)->alpn(), (*stream)->session_reused()};
    // One request/response so the server's NewSessionTicket reaches the client cache.
    static const std::string request = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
    (void)co_await (*stream)->write_all(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
    std::uint8_t buf[256];
    (void)co_await (*stream)->read_some(buf);
    co_return out;
  }, asio::use_future);
  io.run();
  return future.get();
}

std::shared_ptr<tls::ClientContext> chromium_context(tls::VerifyOptions verify) {
  auto profile = builtin_profile("chromium156");
  EXPECT_TRUE(profile) << profile.error().describe();
  auto context = tls::ClientContext::create(profile->tls, profile->name, verify);
  EXPECT_TRUE(context) << context.error().describe();
  return *context;
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST(TlsHandshake, HybridMlkemOnlyServerSucceeds) {
  tls::ServerOptions server_options;
  server_options.groups = {0x11ec};  // X25519MLKEM768 and nothing else
  test_support::LoopbackTlsServer server(server_options, "ok");
  auto context = chromium_context({.insecure = true});
  auto out = connect_once(*context, "127.0.0.1", server.port());
  ASSERT_TRUE(out.result) << out.result.error().describe();
  ASSERT_TRUE(server.wait_for(1));
  auto seen = server.connections().at(0);
  EXPECT_TRUE(seen.handshake_ok);
  EXPECT_EQ(seen.group, 0x11ec);
  EXPECT_EQ(seen.alpn, "h2");
  EXPECT_TRUE(seen.alps_negotiated);
}

TEST(TlsHandshake, TrustedCaAndHostnameVerify) {
  auto ca = tls::make_certificate({.common_name = "wraith test CA", .dns_names = {}, .ip_addresses = {}, .is_ca = true});
  ASSERT_TRUE(ca);
  auto leaf = tls::make_certificate({.common_name = "localhost", .issuer = &*ca});
  ASSERT_TRUE(leaf);
  tls::ServerOptions server_options;
  server_options.certificate = *leaf;
  test_support::LoopbackTlsServer server(server_options, "ok");
  auto context = chromium_context({.ca_file = write_temp("ca.pem", ca->certificate)});
  auto ok = connect_once(*context, "localhost", server.port(), {{"localhost:" + std::to_string(server.port()), "127.0.0.1"}});
  EXPECT_TRUE(ok.result) << ok.result.error().describe();

  auto mismatch = connect_once(*context, "other.test", server.port(), {{"other.test:" + std::to_string(server.port()), "127.0.0.1"}});
  ASSERT_FALSE(mismatch.result);
  EXPECT_EQ(mismatch.result.error().kind, ErrorKind::certificate);
  EXPECT_NE(mismatch.result.error().message.find("hostname mismatch"), std::string::npos) << mismatch.result.error().describe();
}

TEST(TlsHandshake, UntrustedCertificateFailsWithoutInsecure) {
  test_support::LoopbackTlsServer server(tls::ServerOptions{}, "ok");  // self-signed
  auto strict = chromium_context({});
  auto out = connect_once(*strict, "127.0.0.1", server.port());
  ASSERT_FALSE(out.result);
  EXPECT_EQ(out.result.error().kind, ErrorKind::certificate) << out.result.error().describe();
  auto insecure = chromium_context({.insecure = true});
  EXPECT_TRUE(connect_once(*insecure, "127.0.0.1", server.port()).result);
}

TEST(TlsHandshake, ExpiredCertificateFails) {
  auto ca = tls::make_certificate({.common_name = "wraith test CA", .dns_names = {}, .ip_addresses = {}, .is_ca = true});
  ASSERT_TRUE(ca);
  auto leaf = tls::make_certificate({.valid_from_days = -30, .valid_to_days = -1, .issuer = &*ca});
  ASSERT_TRUE(leaf);
  tls::ServerOptions server_options;
  server_options.certificate = *leaf;
  test_support::LoopbackTlsServer server(server_options, "ok");
  auto context = chromium_context({.ca_file = write_temp("ca2.pem", ca->certificate)});
  auto out = connect_once(*context, "127.0.0.1", server.port());
  ASSERT_FALSE(out.result);
  EXPECT_EQ(out.result.error().kind, ErrorKind::certificate);
  EXPECT_NE(out.result.error().message.find("expired"), std::string::npos) << out.result.error().describe();
}

TEST(TlsHandshake, UnreadableCaFileIsAConfigError) {
  auto profile = builtin_profile("chromium156");
  ASSERT_TRUE(profile);
  auto context = tls::ClientContext::create(profile->tls, profile->name, {.ca_file = "/nonexistent/ca.pem"});
  ASSERT_FALSE(context);
  EXPECT_EQ(context.error().kind, ErrorKind::config);
}

TEST(TlsHandshake, RefusedConnectionIsAConnectError) {
  asio::io_context io;
  asio::ip::tcp::acceptor probe(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto port = probe.local_endpoint().port();
  probe.close();  // nothing listens there now
  auto context = chromium_context({.insecure = true});
  auto out = connect_once(*context, "127.0.0.1", port);
  ASSERT_FALSE(out.result);
  EXPECT_EQ(out.result.error().kind, ErrorKind::connect) << out.result.error().describe();
}

TEST(TlsHandshake, SecondConnectionResumesWithOneSession) {
  test_support::LoopbackTlsServer server(tls::ServerOptions{}, "ok");
  auto context = chromium_context({.insecure = true});
  auto first = connect_once(*context, "127.0.0.1", server.port());
  ASSERT_TRUE(first.result) << first.result.error().describe();
  EXPECT_FALSE(first.reused);
  EXPECT_EQ(context->sessions().size(), 1u);
  auto second = connect_once(*context, "127.0.0.1", server.port());
  ASSERT_TRUE(second.result);
  EXPECT_TRUE(second.reused);
  ASSERT_TRUE(server.wait_for(2));
  EXPECT_TRUE(server.connections().at(1).session_reused);
}

TEST(Profile, UnknownNameIsTyped) {
  auto p = builtin_profile("netscape4");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(p.error().message.find("chromium156"), std::string::npos);
}

TEST(Profile, JsonRoundTrip) {
  auto p = builtin_profile("chromium156");
  ASSERT_TRUE(p);
  auto again = parse_profile_json(profile_to_json(*p));
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(profile_to_json(*again), profile_to_json(*p));
  EXPECT_EQ(again->tls.trust_anchor_ids.size(), 28u);
}

// read_some hands up every record already received, not one record per call, and an end of stream met after
// those bytes comes with the next call.
TEST(TlsStreamRead, TakesEveryBufferedRecordThenReportsTheEnd) {
  const std::string body(64 * 1024, 'b');  // four 16 KiB records and a bit
  test_support::LoopbackTlsServer server(tls::ServerOptions{}, body);
  auto context = chromium_context({.insecure = true});
  asio::io_context io;
  tls::TlsConnectOptions options;
  options.handshake_timeout = std::chrono::seconds(10);
  struct Reads {
    Result<std::size_t> first, second;
    std::size_t expected = 0;
  };
  auto future = asio::co_spawn(io, [&]() -> asio::awaitable<Reads> {
    Reads out;
    auto stream = co_await tls::connect_tls(*context, "127.0.0.1", server.port(), options);
    if (!stream) {
      out.first = stream.take_error();
      co_return out;
    }
    static const std::string request = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
    (void)co_await (*stream)->write_all(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
    server.wait_for(1);  // the server has written the whole response and closes
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // loopback delivery
    std::vector<std::uint8_t> buf(256 * 1024);
    out.first = co_await (*stream)->read_some(buf);
    if (out.first) out.second = co_await (*stream)->read_some(buf);
    co_return out;
  }, asio::use_future);
  io.run();
  auto reads = future.get();
  ASSERT_TRUE(reads.first) << reads.first.error().describe();
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(*reads.first, head.size() + body.size());
  ASSERT_TRUE(reads.second) << reads.second.error().describe();
  EXPECT_EQ(*reads.second, 0u);
}
