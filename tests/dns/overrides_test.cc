// --resolve parsing, address ordering and name helpers.
#include <gtest/gtest.h>

#include "dns/overrides.h"
#include "net/connect.h"

using namespace wraith;
using namespace wraith::dns;

TEST(DnsOverrides, ParsesCurlSyntaxWithListsAndBrackets) {
  Overrides overrides;
  ASSERT_TRUE(overrides.add("Example.com:443:192.0.2.7"));
  ASSERT_TRUE(overrides.add("v6.test:8443:[2001:db8::5],192.0.2.8"));
  const auto* one = overrides.find("example.COM", 443);
  ASSERT_NE(one, nullptr);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->at(0).to_string(), "192.0.2.7");
  EXPECT_EQ(overrides.find("example.com", 80), nullptr) << "the port is part of the key";
  const auto* two = overrides.find("v6.test", 8443);
  ASSERT_NE(two, nullptr);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ(two->at(0).to_string(), "2001:db8::5");
}

TEST(DnsOverrides, RejectsMalformedEntriesWithTypedErrors) {
  Overrides overrides;
  for (const char* bad : {"", "host", "host:443", ":443:1.2.3.4", "host::1.2.3.4", "host:99999:1.2.3.4",
                          "host:44x:1.2.3.4", "host:443:not-an-ip", "host:443:1.2.3.4,"}) {
    auto r = overrides.add(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_argument) << bad;
  }
  EXPECT_TRUE(overrides.empty());
}

TEST(DnsOverrides, ConnectParseResolveEntryKeepsItsShape) {
  auto entry = net::parse_resolve_entry("host.test:443:[::1]");
  ASSERT_TRUE(entry) << entry.error().describe();
  EXPECT_EQ(entry->first, "host.test:443");
  EXPECT_EQ(entry->second, "[::1]");
  EXPECT_FALSE(net::parse_resolve_entry("host.test:443:nope"));
}

TEST(DnsTypes, InterleavesIpv6First) {
  std::vector<asio::ip::address> v6 = {asio::ip::make_address("2001:db8::1"), asio::ip::make_address("2001:db8::2")};
  std::vector<asio::ip::address> v4 = {asio::ip::make_address("192.0.2.1"), asio::ip::make_address("192.0.2.2"),
                                       asio::ip::make_address("192.0.2.3")};
  auto order = interleave(v6, v4, 443);
  std::vector<std::string> got;
  for (auto& ep : order) got.push_back(ep.address().to_string());
  EXPECT_EQ(got, (std::vector<std::string>{"2001:db8::1", "192.0.2.1", "2001:db8::2", "192.0.2.2", "192.0.2.3"}));
  EXPECT_EQ(order[0].port(), 443);
}

TEST(DnsTypes, RecognisesLocalhostNamesAndLiterals) {
  EXPECT_TRUE(is_localhost_name("localhost"));
  EXPECT_TRUE(is_localhost_name("LocalHost."));
  EXPECT_TRUE(is_localhost_name("app.localhost"));
  EXPECT_FALSE(is_localhost_name("notlocalhost"));
  EXPECT_FALSE(is_localhost_name("localhost.example"));
  EXPECT_TRUE(parse_ip_literal("[::1]"));
  EXPECT_TRUE(parse_ip_literal("127.0.0.1"));
  EXPECT_FALSE(parse_ip_literal("example.com"));
}

TEST(DnsTypes, RejectsNamesNoDnsServerCouldHold) {
  EXPECT_TRUE(check_host_name("a.example.com."));
  EXPECT_FALSE(check_host_name(""));
  EXPECT_FALSE(check_host_name("a..b"));
  EXPECT_FALSE(check_host_name("has space.test"));
  EXPECT_FALSE(check_host_name(std::string(64, 'a') + ".test"));
  EXPECT_FALSE(check_host_name(std::string(254, 'a')));
  EXPECT_EQ(check_host_name(std::string("nul\0.test", 9)).error().kind, ErrorKind::resolve);
}
