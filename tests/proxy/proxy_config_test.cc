// ProxyConfig::parse accepts curl's proxy URL forms with curl's default ports, decodes credentials, and
// turns every malformed URL into a typed error that names the problem.
#include <gtest/gtest.h>

#include "proxy/tunnel.h"
#include "wraith/proxy.h"

using namespace wraith;
using Kind = ProxyConfig::Kind;

namespace {

ProxyConfig parse_ok(std::string_view url) {
  auto config = ProxyConfig::parse(url);
  EXPECT_TRUE(config) << url << ": " << config.error().describe();
  return config ? *config : ProxyConfig{};
}

void expect_invalid(std::string_view url, std::string_view mention) {
  auto config = ProxyConfig::parse(url);
  ASSERT_FALSE(config) << url << " parsed as " << config->to_string();
  EXPECT_EQ(config.error().kind, ErrorKind::invalid_argument) << url;
  EXPECT_NE(config.error().message.find(mention), std::string::npos)
      << url << ": '" << config.error().message << "' should mention '" << mention << "'";
}

}  // namespace

TEST(ProxyConfig, SchemesAndCurlDefaultPorts) {
  struct Case {
    const char* url;
    Kind kind;
    std::uint16_t port;
  } cases[] = {
      {"http://proxy.test", Kind::http, 1080},       {"https://proxy.test", Kind::https, 443},
      {"socks4a://proxy.test", Kind::socks4a, 1080}, {"socks5://proxy.test", Kind::socks5, 1080},
      {"socks5h://proxy.test", Kind::socks5h, 1080}, {"proxy.test", Kind::http, 1080},
      {"HTTP://Proxy.TEST:8080/", Kind::http, 8080}, {"socks5h://proxy.test:9050", Kind::socks5h, 9050},
  };
  for (const auto& c : cases) {
    auto config = parse_ok(c.url);
    EXPECT_EQ(config.kind, c.kind) << c.url;
    EXPECT_EQ(config.port, c.port) << c.url;
    EXPECT_EQ(config.host, "proxy.test") << c.url;
    EXPECT_FALSE(config.has_credentials()) << c.url;
  }
}

TEST(ProxyConfig, CredentialsArePercentDecoded) {
  auto config = parse_ok("https://us%40er:p%3Ass%2Fw%25rd@proxy.test:8443");
  EXPECT_EQ(config.username, "us@er");
  EXPECT_EQ(config.password, "p:ss/w%rd");
  EXPECT_EQ(config.port, 8443);
  auto user_only = parse_ok("socks5://alice@proxy.test");
  EXPECT_EQ(user_only.username, "alice");
  EXPECT_EQ(user_only.password, "");
  // The last '@' ends the userinfo, as in curl: a raw '@' in a password still works.
  auto raw_at = parse_ok("http://bob:a@b@proxy.test:3128");
  EXPECT_EQ(raw_at.username, "bob");
  EXPECT_EQ(raw_at.password, "a@b");
  EXPECT_EQ(raw_at.host, "proxy.test");
}

TEST(ProxyConfig, AddressLiterals) {
  auto v4 = parse_ok("socks5://127.0.0.1:1081");
  EXPECT_EQ(v4.host, "127.0.0.1");
  auto v6 = parse_ok("http://[::1]:3128");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 3128);
  auto v6_default = parse_ok("https://[2001:DB8::1]");
  EXPECT_EQ(v6_default.host, "2001:db8::1");
  EXPECT_EQ(v6_default.port, 443);
}

TEST(ProxyConfig, InvalidUrlsAreTypedErrors) {
  expect_invalid("", "empty");
  expect_invalid("ftp://proxy.test", "unsupported scheme 'ftp'");
  expect_invalid("socks4://proxy.test", "socks4a");
  expect_invalid("http://", "no host");
  expect_invalid("http://:8080", "no host");
  expect_invalid("http://user:pw@", "no host");
  expect_invalid("http://proxy.test:", "empty port");
  expect_invalid("http://proxy.test:0", "not 1-65535");
  expect_invalid("http://proxy.test:65536", "not 1-65535");
  expect_invalid("http://proxy.test:80a", "not a number");
  expect_invalid("http://proxy.test:123456", "not 1-65535");
  expect_invalid("http://::1:8080", "brackets");
  expect_invalid("http://[::1", "unterminated");
  expect_invalid("http://[::g]:80", "not an IPv6 address");
  expect_invalid("http://[::1]x", "after ']'");
  expect_invalid("http://proxy.test/path", "no path");
  expect_invalid("http://proxy.test?q", "no path");
  expect_invalid("http://proxy.test#f", "no path");
  expect_invalid("http://pro xy.test", "space or control");
  expect_invalid("http://proxy.test\r\n", "space or control");
  expect_invalid("http://prox!y.test", "not allowed in the host");
  expect_invalid("http://a..b", "empty label");
  expect_invalid("http://u%zz:pw@proxy.test", "percent-escape in the username");
  expect_invalid("http://u:pw%4@proxy.test", "percent-escape in the password");
  expect_invalid("http://" + std::string(254, 'a'), "longer than 253");
  expect_invalid(std::string(9000, 'a'), "longer than 8192");
}

TEST(ProxyConfig, ErrorsNeverShowThePassword) {
  auto config = ProxyConfig::parse("http://user:hunter2@proxy.test:bad");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message.find("hunter2"), std::string::npos) << config.error().message;
}

TEST(ProxyConfig, ToStringHidesThePassword) {
  auto config = parse_ok("socks5h://alice:hunter2@Proxy.Test:1080");
  EXPECT_EQ(config.to_string(), "socks5h://alice:***@proxy.test:1080");
  EXPECT_EQ(parse_ok("http://[::1]").to_string(), "http://[::1]:1080");
  EXPECT_EQ(parse_ok("https://a%20b@p.test").to_string(), "https://a%20b@p.test:443");
  // to_string() parses back to the same proxy (apart from the hidden password).
  auto again = parse_ok(config.to_string());
  EXPECT_EQ(again.kind, config.kind);
  EXPECT_EQ(again.host, config.host);
  EXPECT_EQ(again.port, config.port);
  EXPECT_EQ(again.username, config.username);
}

TEST(ProxyConfig, AbsoluteFormOnlyForPlainHttpThroughHttpProxies) {
  EXPECT_TRUE(proxy::uses_absolute_form(parse_ok("http://p.test"), false));
  EXPECT_TRUE(proxy::uses_absolute_form(parse_ok("https://p.test"), false));
  EXPECT_FALSE(proxy::uses_absolute_form(parse_ok("http://p.test"), true));
  EXPECT_FALSE(proxy::uses_absolute_form(parse_ok("https://p.test"), true));
  for (const char* socks : {"socks4a://p.test", "socks5://p.test", "socks5h://p.test"}) {
    EXPECT_FALSE(proxy::uses_absolute_form(parse_ok(socks), false)) << socks;
    EXPECT_FALSE(proxy::uses_absolute_form(parse_ok(socks), true)) << socks;
  }
}
