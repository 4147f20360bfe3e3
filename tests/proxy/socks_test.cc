// SOCKS5 (RFC 1928/1929) and SOCKS4a against scripted proxies: the bytes on the wire follow the specs,
// every reply code is a clear typed error, malformed replies are caught, and the reply is read exactly.
#include <gtest/gtest.h>

#include "net/tcp_stream.h"
#include "proxy/socks4a.h"
#include "proxy/socks5.h"
#include "run_helpers.h"
#include "test_peers.h"

using namespace wraith;
using namespace wraith::proxy_test;
using tcp = asio::ip::tcp;

namespace {

struct Socks5Script {
  std::string method_reply = bytes({5, 0});
  std::string auth_reply = bytes({1, 0});
  // VER REP RSV ATYP=1 BND.ADDR BND.PORT
  std::string connect_reply = bytes({5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90});
  std::string after_reply;   // tunnel bytes the "origin" sends right away
  bool silent = false;       // read the greeting, never answer
};

// Records "greeting", then "auth" (if any), then "request", as raw bytes.
std::unique_ptr<ScriptedServer> socks5_proxy(Socks5Script script, Recorder& seen) {
  return std::make_unique<ScriptedServer>([script, &seen](tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream client(std::move(socket));
    std::string greeting = co_await read_n(client, 2);
    if (greeting.size() < 2) co_return;
    std::string methods = co_await read_n(client, static_cast<std::uint8_t>(greeting[1]));
    greeting += methods;
    seen.add(greeting);
    auto hold = [&]() -> asio::awaitable<void> { (void)co_await read_until(client, "\x01never", 1 << 20); };
    if (script.silent) co_return co_await hold();
    if (!co_await write_text(client, script.method_reply) || script.method_reply.size() < 2) co_return;
    if (script.method_reply[1] == 2) {
      std::string auth = co_await read_n(client, 2);
      if (auth.size() < 2) co_return;
      std::string user = co_await read_n(client, static_cast<std::uint8_t>(auth[1]));
      auth += user;
      std::string plen = co_await read_n(client, 1);
      if (plen.size() < 1) co_return;
      std::string password = co_await read_n(client, static_cast<std::uint8_t>(plen[0]));
      auth += plen;
      auth += password;
      seen.add(auth);
      if (!co_await write_text(client, script.auth_reply) || script.auth_reply.size() < 2 || script.auth_reply[1] != 0)
        co_return;
    } else if (script.method_reply[1] != 0) {
      co_return;
    }
    std::string request = co_await read_n(client, 4);
    if (request.size() < 4) co_return;
    std::size_t address = request[3] == 1 ? 4 : request[3] == 4 ? 16 : 0;
    if (request[3] == 3) {
      std::string len = co_await read_n(client, 1);
      request += len;
      address = len.empty() ? 0 : static_cast<std::uint8_t>(len[0]);
    }
    std::string rest = co_await read_n(client, address + 2);
    request += rest;
    seen.add(request);
    if (!co_await write_text(client, script.connect_reply + script.after_reply)) co_return;
    co_await hold();
  });
}

Result<TunnelInfo> tunnel(const ProxyConfig& config, const std::string& host, std::uint16_t port,
                          proxy::TunnelOptions options = {}) {
  return open_tunnel_info(config, host, port, options);
}

std::string name_request(const std::string& name, std::uint16_t port) {
  return bytes({5, 1, 0, 3, static_cast<int>(name.size())}) + name + bytes({port >> 8, port & 0xff});
}

}  // namespace

TEST(Socks5, RemoteDnsSendsTheHostName) {
  Recorder seen;
  auto server = socks5_proxy({}, seen);
  auto result = tunnel(proxy_at("socks5h://", server->port()), "origin.test", 443);
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_TRUE(seen.wait_for(2));
  EXPECT_EQ(seen.items()[0], bytes({5, 1, 0}));  // version 5, one method: no authentication
  EXPECT_EQ(seen.items()[1], name_request("origin.test", 443));
}

TEST(Socks5, LocalDnsSendsTheAddress) {
  Recorder seen;
  auto server = socks5_proxy({}, seen);
  proxy::TunnelOptions options;
  options.connect.resolve_overrides["origin.test:8443"] = "10.1.2.3";
  auto result = tunnel(proxy_at("socks5://", server->port()), "origin.test", 8443, options);
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_TRUE(seen.wait_for(2));
  EXPECT_EQ(seen.items()[1], bytes({5, 1, 0, 1, 10, 1, 2, 3, 0x20, 0xfb}));
}

TEST(Socks5, AddressLiteralsGoAsAddressesEvenWithRemoteDns) {
  Recorder seen;
  auto server = socks5_proxy({}, seen);
  ASSERT_TRUE(tunnel(proxy_at("socks5h://", server->port()), "2001:db8::7", 443));
  ASSERT_TRUE(tunnel(proxy_at("socks5h://", server->port()), "192.0.2.9", 80));
  ASSERT_TRUE(seen.wait_for(4));
  EXPECT_EQ(seen.items()[1], bytes({5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 1, 0xbb}));
  EXPECT_EQ(seen.items()[3], bytes({5, 1, 0, 1, 192, 0, 2, 9, 0, 80}));
}

TEST(Socks5, UsernamePasswordAuthentication) {
  Recorder seen;
  Socks5Script script;
  script.method_reply = bytes({5, 2});
  auto server = socks5_proxy(script, seen);
  auto result = tunnel(proxy_at("socks5h://alice:s%3Acret@", server->port()), "origin.test", 443);
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_TRUE(seen.wait_for(3));
  EXPECT_EQ(seen.items()[0], bytes({5, 2, 0, 2}));  // no-auth and username/password offered
  EXPECT_EQ(seen.items()[1], bytes({1, 5}) + "alice" + bytes({6}) + "s:cret");  // RFC 1929 section 2
  EXPECT_EQ(seen.items()[2], name_request("origin.test", 443));
}

TEST(Socks5, AuthenticationFailure) {
  Recorder seen;
  Socks5Script script;
  script.method_reply = bytes({5, 2});
  script.auth_reply = bytes({1, 1});
  auto server = socks5_proxy(script, seen);
  auto result = tunnel(proxy_at("socks5h://alice:nope@", server->port()), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy);
  EXPECT_NE(result.error().message.find("authentication failed"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find("nope"), std::string::npos) << result.error().message;
}

TEST(Socks5, NoAcceptableMethod) {
  Recorder seen;
  Socks5Script script;
  script.method_reply = bytes({5, 0xff});
  auto server = socks5_proxy(script, seen);
  auto anonymous = tunnel(proxy_at("socks5h://", server->port()), "origin.test", 443);
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().kind, ErrorKind::proxy);
  EXPECT_NE(anonymous.error().message.find("requires authentication"), std::string::npos) << anonymous.error().message;
  auto with_credentials = tunnel(proxy_at("socks5h://a:b@", server->port()), "origin.test", 443);
  ASSERT_FALSE(with_credentials);
  EXPECT_NE(with_credentials.error().message.find("none of our authentication methods"), std::string::npos);
  // A method we never offered.
  Recorder seen2;
  script.method_reply = bytes({5, 2});
  auto unoffered = socks5_proxy(script, seen2);
  auto result = tunnel(proxy_at("socks5h://", unoffered->port()), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("did not offer"), std::string::npos) << result.error().message;
}

TEST(Socks5, EveryReplyCodeIsNamed) {
  // RFC 1928 section 6.
  const std::pair<int, const char*> codes[] = {
      {1, "general SOCKS server failure"}, {2, "not allowed by the proxy's ruleset"},
      {3, "network unreachable"},          {4, "host unreachable"},
      {5, "connection refused by destination"}, {6, "TTL expired"},
      {7, "command not supported"},        {8, "address type not supported"},
      {0x42, "unknown reply code 0x42"},
  };
  for (const auto& [code, text] : codes) {
    Recorder seen;
    Socks5Script script;
    script.connect_reply = bytes({5, code, 0, 1, 0, 0, 0, 0, 0, 0});
    auto server = socks5_proxy(script, seen);
    auto result = tunnel(proxy_at("socks5h://", server->port()), "origin.test", 443);
    ASSERT_FALSE(result) << code;
    EXPECT_EQ(result.error().kind, ErrorKind::proxy);
    EXPECT_EQ(result.error().peer_code, static_cast<std::uint32_t>(code));
    EXPECT_NE(result.error().message.find(text), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("origin.test:443"), std::string::npos) << result.error().message;
  }
}

TEST(Socks5, RefusalCutShortAfterTheCodeIsStillNamed) {
  Recorder seen;
  Socks5Script script;
  script.connect_reply = bytes({5, 5});  // then the proxy closes
  auto server = socks5_proxy(script, seen);
  proxy::TunnelOptions options;
  options.handshake_timeout = std::chrono::seconds(5);
  auto result = tunnel(proxy_at("socks5h://", server->port()), "origin.test", 443, options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("connection refused by destination"), std::string::npos) << result.error().message;
}

TEST(Socks5, MalformedReplies) {
  struct Case {
    Socks5Script script;
    const char* mention;
  };
  Socks5Script not_socks5;
  not_socks5.method_reply = "HT";
  Socks5Script bad_version;
  bad_version.connect_reply = bytes({4, 0, 0, 1, 0, 0, 0, 0, 0, 0});
  Socks5Script bad_atyp;
  bad_atyp.connect_reply = bytes({5, 0, 0, 9, 0, 0, 0, 0, 0, 0});
  Socks5Script bad_auth_version;
  bad_auth_version.method_reply = bytes({5, 2});
  bad_auth_version.auth_reply = bytes({9, 0});
  const Case cases[] = {{not_socks5, "not a SOCKS5 proxy"},
                        {bad_version, "malformed SOCKS5 connect reply"},
                        {bad_atyp, "address type"},
                        {bad_auth_version, "malformed SOCKS5 authentication reply"}};
  for (const auto& c : cases) {
    Recorder seen;
    auto server = socks5_proxy(c.script, seen);
    auto result = tunnel(proxy_at("socks5h://u:p@", server->port()), "origin.test", 443);
    ASSERT_FALSE(result) << c.mention;
    EXPECT_EQ(result.error().kind, ErrorKind::proxy) << result.error().describe();
    EXPECT_NE(result.error().message.find(c.mention), std::string::npos) << result.error().message;
  }
}

TEST(Socks5, TruncatedReplyIsAProxyError) {
  auto server = std::make_unique<ScriptedServer>([](tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream client(std::move(socket));
    // (replies built before co_await: GCC 12 miscompiles initializer lists inside co_await expressions)
    const std::string method = bytes({5, 0});
    const std::string truncated = bytes({5, 0, 0, 1, 127});
    (void)co_await read_n(client, 3);
    (void)co_await write_text(client, method);
    (void)co_await read_n(client, 4 + 1 + 11 + 2);
    (void)co_await write_text(client, truncated);
  });
  auto result = tunnel(proxy_at("socks5h://", server->port()), "origin.test", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy);
  EXPECT_NE(result.error().message.find("closed the connection during the SOCKS5 connect reply"), std::string::npos)
      << result.error().message;
}

TEST(Socks5, ReplyIsReadExactlySoTunnelBytesSurvive) {
  Recorder seen;
  Socks5Script script;
  // A bound address in name form (ATYP 3) and tunnel data straight behind the reply.
  script.connect_reply = bytes({5, 0, 0, 3, 4}) + "bind" + bytes({0x01, 0xbb});
  script.after_reply = "ORIGIN-SPEAKS";
  auto server = socks5_proxy(script, seen);
  auto config = proxy_at("socks5h://", server->port());
  auto first = run_client<std::string>([&]() -> asio::awaitable<std::string> {
    const std::string origin = "origin.test";  // named: GCC 12 and temporaries in co_await expressions
    const proxy::TunnelOptions options;
    auto tunnel = co_await proxy::open_tunnel(config, origin, 443, options);
    if (!tunnel) co_return "error: " + tunnel.error().describe();
    if (!tunnel->early_bytes.empty()) co_return "unexpected early bytes";
    auto stream = std::move(*tunnel).into_stream();
    co_return co_await read_n(*stream, 13);
  });
  EXPECT_EQ(first, "ORIGIN-SPEAKS");
}

TEST(Socks5, SilentProxyTimesOut) {
  Recorder seen;
  Socks5Script script;
  script.silent = true;
  auto server = socks5_proxy(script, seen);
  proxy::TunnelOptions options;
  options.handshake_timeout = std::chrono::milliseconds(300);
  auto result = tunnel(proxy_at("socks5h://", server->port()), "origin.test", 443, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::timeout);
  EXPECT_EQ(result.error().phase, TimeoutPhase::connect);
}

TEST(Socks5, UnusableInputIsInvalidArgument) {
  Recorder seen;
  auto server = socks5_proxy({}, seen);
  auto long_user = proxy_at("socks5h://" + std::string(256, 'u') + ":p@", server->port());
  auto r1 = tunnel(long_user, "origin.test", 443);
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().kind, ErrorKind::invalid_argument);
  auto password_only = proxy_at("socks5h://:secret@", server->port());
  auto r2 = tunnel(password_only, "origin.test", 443);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().kind, ErrorKind::invalid_argument);
  auto r3 = tunnel(proxy_at("socks5h://", server->port()), std::string(256, 'h'), 443);
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().kind, ErrorKind::invalid_argument);
}

TEST(Socks5, LocalDnsFailureIsAResolveError) {
  Recorder seen;
  auto server = socks5_proxy({}, seen);
  proxy::TunnelOptions options;
  options.connect.resolve_timeout = std::chrono::seconds(3);
  auto result = tunnel(proxy_at("socks5://", server->port()), "no-such-host.invalid", 443, options);
  ASSERT_FALSE(result);
  // Resolution failed on our side (the name never reached the proxy).
  EXPECT_TRUE(result.error().kind == ErrorKind::resolve || result.error().kind == ErrorKind::timeout)
      << result.error().describe();
  EXPECT_EQ(seen.items().size(), 0u);
}

namespace {

// Reads a SOCKS4a request, records it, answers `code`.
std::unique_ptr<ScriptedServer> socks4_replying(int version_byte, int code, Recorder& seen) {
  return std::make_unique<ScriptedServer>([version_byte, code, &seen](tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream client(std::move(socket));
    std::string request = co_await read_n(client, 8);
    std::string user = co_await read_until(client, std::string_view("\0", 1), 300);
    request += user;
    if (request.size() >= 8 && request[4] == 0 && request[5] == 0 && request[6] == 0 && request[7] != 0) {
      std::string name = co_await read_until(client, std::string_view("\0", 1), 300);
      request += name;
    }
    seen.add(request);
    const std::string reply = bytes({version_byte, code, 0, 0, 0, 0, 0, 0});
    (void)co_await write_text(client, reply);
    (void)co_await read_until(client, "\x01never", 1 << 20);
  });
}

}  // namespace

TEST(Socks4a, RequestCarriesUserIdAndHostName) {
  Recorder seen;
  auto server = socks4_replying(0, 90, seen);
  ASSERT_TRUE(tunnel(proxy_at("socks4a://alice@", server->port()), "origin.test", 8443));
  ASSERT_TRUE(tunnel(proxy_at("socks4a://", server->port()), "192.0.2.9", 80));
  ASSERT_TRUE(seen.wait_for(2));
  // VN=4 CD=1 DSTPORT DSTIP=0.0.0.1 USERID NUL HOSTNAME NUL (SOCKS4 and its 4A extension).
  EXPECT_EQ(seen.items()[0], bytes({4, 1, 0x20, 0xfb, 0, 0, 0, 1}) + "alice" + bytes({0}) + "origin.test" + bytes({0}));
  // An IPv4 literal goes as plain SOCKS4, with an empty user id.
  EXPECT_EQ(seen.items()[1], bytes({4, 1, 0, 80, 192, 0, 2, 9, 0}));
}

TEST(Socks4a, RejectionsAreNamed) {
  const std::pair<int, const char*> codes[] = {
      {91, "rejected or failed"}, {92, "identd"}, {93, "different user id"}, {17, "unknown reply code 17"}};
  for (const auto& [code, text] : codes) {
    Recorder seen;
    auto server = socks4_replying(0, code, seen);
    auto result = tunnel(proxy_at("socks4a://", server->port()), "origin.test", 443);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::proxy);
    EXPECT_EQ(result.error().peer_code, static_cast<std::uint32_t>(code));
    EXPECT_NE(result.error().message.find(text), std::string::npos) << result.error().message;
  }
}

TEST(Socks4a, MalformedAndUnusable) {
  Recorder seen;
  auto server = socks4_replying(5, 90, seen);
  auto bad = tunnel(proxy_at("socks4a://", server->port()), "origin.test", 443);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::proxy);
  EXPECT_NE(bad.error().message.find("malformed"), std::string::npos) << bad.error().message;
  auto v6 = tunnel(proxy_at("socks4a://", server->port()), "::1", 443);
  ASSERT_FALSE(v6);
  EXPECT_EQ(v6.error().kind, ErrorKind::invalid_argument);
  auto nul_user = proxy_at("socks4a://a%00b@", server->port());
  auto nul = tunnel(nul_user, "origin.test", 443);
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().kind, ErrorKind::invalid_argument);
}

TEST(Socks4a, EarlyCloseIsAProxyError) {
  auto server = std::make_unique<ScriptedServer>([](tcp::socket socket) -> asio::awaitable<void> {
    net::TcpStream client(std::move(socket));
    const std::string cut = bytes({0, 90, 0});
    (void)co_await read_n(client, 9);  // the whole request, so closing sends FIN, not RST
    (void)co_await write_text(client, cut);
  });
  auto result = tunnel(proxy_at("socks4a://", server->port()), "192.0.2.1", 443);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::proxy);
  EXPECT_NE(result.error().message.find("closed the connection"), std::string::npos) << result.error().message;
}
