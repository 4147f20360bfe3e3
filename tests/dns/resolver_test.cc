// Resolver against a fake DNS server on loopback: parallel A/AAAA, TTL cache, negative answers,
// timeouts, overrides, localhost, query coalescing.
#include <fstream>
#include <sstream>

#include <asio/experimental/awaitable_operators.hpp>

#include "test_util.h"

using namespace wraith;
using namespace wraith::dns;
using namespace wraith::dns::testing;
using namespace std::chrono_literals;

namespace {
constexpr std::uint16_t A = 1, AAAA = 28;
}

TEST(DnsResolver, ResolvesBothFamiliesIpv6First) {
  FakeDnsServer server;
  server.set("both.test", {.a = {"127.0.0.1", "127.0.0.2"}, .aaaa = {"::1"}, .ttl = 60});
  auto resolver = resolver_for(server);
  auto result = run_sync(resolver->resolve("both.test", 8080, 2s));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(texts(*result), (std::vector<std::string>{"::1", "127.0.0.1", "127.0.0.2"}));
  EXPECT_EQ(result->endpoints.at(0).port(), 8080);
  EXPECT_EQ(result->source, Source::dns);
  EXPECT_EQ(server.queries("both.test", A), 1);
  EXPECT_EQ(server.queries("both.test", AAAA), 1);
}

TEST(DnsResolver, CacheHitWithinTtlAndMissAfterExpiry) {
  FakeDnsServer server;
  server.set("ttl.test", {.a = {"127.0.0.3"}, .aaaa = {"::1"}, .ttl = 30});
  FakeClock clock;
  auto resolver = resolver_for(server, clock.fn());
  ASSERT_TRUE(run_sync(resolver->resolve("ttl.test", 80, 2s)));
  EXPECT_EQ(server.queries("ttl.test", A), 1);

  clock.advance(29s);
  auto cached = run_sync(resolver->resolve("TTL.test", 80, 2s));
  ASSERT_TRUE(cached) << cached.error().describe();
  EXPECT_EQ(cached->source, Source::cache);
  EXPECT_EQ(texts(*cached), (std::vector<std::string>{"::1", "127.0.0.3"}));
  EXPECT_EQ(server.queries("ttl.test", A), 1) << "served from cache within the TTL";
  EXPECT_EQ(server.queries("ttl.test", AAAA), 1);

  clock.advance(2s);
  auto fresh = run_sync(resolver->resolve("ttl.test", 80, 2s));
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->source, Source::dns);
  EXPECT_EQ(server.queries("ttl.test", A), 2) << "asked again once the TTL passed";
  EXPECT_EQ(server.queries("ttl.test", AAAA), 2);
}

TEST(DnsResolver, NxdomainIsATypedErrorAndBrieflyCached) {
  FakeDnsServer server;
  auto resolver = resolver_for(server);
  auto result = run_sync(resolver->resolve("missing.test", 443, 2s));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::resolve);
  EXPECT_EQ(result.error().message, "could not resolve host: missing.test (NXDOMAIN)");
  int asked = server.queries("missing.test", A);
  EXPECT_GE(asked, 1);
  auto again = run_sync(resolver->resolve("missing.test", 443, 2s));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::resolve);
  EXPECT_EQ(server.queries("missing.test", A), asked) << "negative answer served from cache";
}

TEST(DnsResolver, MissingFamilyIsNotAFailure) {
  FakeDnsServer server;
  server.set("v4only.test", {.a = {"127.0.0.4"}, .ttl = 60});
  auto resolver = resolver_for(server);
  auto result = run_sync(resolver->resolve("v4only.test", 80, 2s));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(texts(*result), std::vector<std::string>{"127.0.0.4"});
  auto v6 = run_sync(resolver->resolve("v4only.test", 80, 2s, IpVersion::v6_only));
  ASSERT_FALSE(v6);
  EXPECT_EQ(v6.error().kind, ErrorKind::resolve);
  EXPECT_NE(v6.error().message.find("no IPv6 address"), std::string::npos) << v6.error().message;
}

TEST(DnsResolver, SilentServerGivesResolveTimeout) {
  FakeDnsServer server;
  server.set("silent.test", {.silent = true});
  auto resolver = resolver_for(server);
  auto start = Clock::now();
  auto result = run_sync(resolver->resolve("silent.test", 80, 300ms));
  auto took = Clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::timeout) << result.error().describe();
  EXPECT_EQ(result.error().phase, TimeoutPhase::resolve);
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1500ms);
}

TEST(DnsResolver, OuterCancellationEndsTheWait) {
  using namespace asio::experimental::awaitable_operators;
  FakeDnsServer server;
  server.set("silent.test", {.silent = true});
  auto resolver = resolver_for(server);
  auto start = Clock::now();
  asio::io_context io;
  auto future = asio::co_spawn(io, [&]() -> asio::awaitable<bool> {
    asio::steady_timer timer(io, 100ms);
    auto outcome = co_await (resolver->resolve("silent.test", 80, 10s) || timer.async_wait(asio::use_awaitable));
    co_return outcome.index() == 1;
  }, asio::use_future);
  io.run();
  EXPECT_TRUE(future.get()) << "the timer must win";
  EXPECT_LT(Clock::now() - start, 1s) << "resolve honoured cancellation instead of running to its 10 s timeout";
}

TEST(DnsResolver, OverridesBypassDns) {
  FakeDnsServer server;
  Overrides overrides;
  ASSERT_TRUE(overrides.add("over.test:443:127.0.0.9,[::1]"));
  auto resolver = resolver_for(server, {}, overrides);
  auto result = run_sync(resolver->resolve("over.test", 443, 2s));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->source, Source::override_entry);
  EXPECT_EQ(texts(*result), (std::vector<std::string>{"::1", "127.0.0.9"}));
  EXPECT_EQ(server.queries("over.test", A) + server.queries("over.test", AAAA), 0);
  auto other_port = run_sync(resolver->resolve("over.test", 80, 2s));
  EXPECT_FALSE(other_port) << "the override is for port 443 only; DNS says NXDOMAIN";
}

TEST(DnsResolver, LocalhostAndLiteralsNeverQuery) {
  FakeDnsServer server;
  auto resolver = resolver_for(server);
  auto local = run_sync(resolver->resolve("LOCALHOST", 80, 2s));
  ASSERT_TRUE(local);
  EXPECT_EQ(local->source, Source::localhost);
  EXPECT_EQ(texts(*local), (std::vector<std::string>{"::1", "127.0.0.1"}));
  auto sub = run_sync(resolver->resolve("api.localhost", 80, 2s));
  ASSERT_TRUE(sub);
  auto literal = run_sync(resolver->resolve("[::1]", 80, 2s));
  ASSERT_TRUE(literal);
  EXPECT_EQ(literal->source, Source::literal);
  EXPECT_EQ(server.queries("localhost", A) + server.queries("api.localhost", A), 0);
}

TEST(DnsResolver, ConcurrentLookupsShareOneQuery) {
  FakeDnsServer server;
  server.set("slow.test", {.a = {"127.0.0.5"}, .aaaa = {"::1"}, .ttl = 0, .a_delay = 100ms, .aaaa_delay = 100ms});
  auto resolver = resolver_for(server);
  using namespace asio::experimental::awaitable_operators;
  auto both = run_sync([&]() -> asio::awaitable<std::pair<Result<Addresses>, Result<Addresses>>> {
    auto [a, b] = co_await (resolver->resolve("slow.test", 80, 2s) && resolver->resolve("slow.test", 80, 2s));
    co_return std::pair{std::move(a), std::move(b)};
  }());
  auto& [r1, r2] = both;
  ASSERT_TRUE(r1) << r1.error().describe();
  ASSERT_TRUE(r2) << r2.error().describe();
  EXPECT_EQ(texts(*r1), texts(*r2));
  EXPECT_EQ(server.queries("slow.test", A), 1);
  EXPECT_EQ(server.queries("slow.test", AAAA), 1);
  EXPECT_EQ(resolver->cache_size(), 0u) << "TTL 0 is not cached";
}

TEST(DnsResolver, Ipv4OnlyAsksOnlyForA) {
  FakeDnsServer server;
  server.set("both.test", {.a = {"127.0.0.1"}, .aaaa = {"::1"}});
  auto resolver = resolver_for(server);
  auto result = run_sync(resolver->resolve("both.test", 80, 2s, IpVersion::v4_only));
  ASSERT_TRUE(result);
  EXPECT_EQ(texts(*result), std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(server.queries("both.test", AAAA), 0);
}

TEST(DnsResolver, InvalidNameFailsWithoutQuery) {
  FakeDnsServer server;
  auto resolver = resolver_for(server);
  auto result = run_sync(resolver->resolve("bad name.test", 80, 2s));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::resolve);
  EXPECT_EQ(server.queries("bad name.test", A), 0);
}

TEST(DnsResolver, DestroyingTheResolverAnswersPendingLookups) {
  FakeDnsServer server;
  server.set("silent.test", {.silent = true});
  auto resolver = resolver_for(server);
  std::promise<FamilyAnswer> got;
  int calls = 0;
  auto lookup = resolver->lookup("silent.test", IpVersion::v4_only, Clock::now() + 10s, [&](FamilyAnswer a) {
    if (calls++ == 0) got.set_value(std::move(a));
  });
  std::this_thread::sleep_for(50ms);
  resolver.reset();
  auto answer = got.get_future().get();
  ASSERT_TRUE(answer.error);
  EXPECT_EQ(answer.error->kind, ErrorKind::cancelled);
  EXPECT_EQ(calls, 1);
}

TEST(DnsResolver, HostsFileIsHonoured) {
  // c-ares reads /etc/hosts before asking DNS (this c-ares ignores CARES_HOSTS for getaddrinfo, so the
  // expectation is taken from the real file: its first IPv4 entry that is not a localhost name).
  std::ifstream hosts("/etc/hosts");
  std::string line, name, address;
  while (name.empty() && std::getline(hosts, line)) {
    std::istringstream fields(line.substr(0, line.find('#')));
    std::string ip, alias;
    asio::error_code ec;
    if (!(fields >> ip) || !asio::ip::make_address(ip, ec).is_v4() || ec) continue;
    while (fields >> alias)
      if (!is_localhost_name(alias) && check_host_name(alias) && !parse_ip_literal(alias)) {
        name = alias, address = ip;
        break;
      }
  }
  if (name.empty()) GTEST_SKIP() << "/etc/hosts has no IPv4 entry besides localhost";
  FakeDnsServer server;
  auto resolver = resolver_for(server);
  auto result = run_sync(resolver->resolve(name, 80, 2s, IpVersion::v4_only));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(texts(*result).at(0), address) << name;
  EXPECT_EQ(server.queries(normalize_host(name), A), 0) << "the A answer came from /etc/hosts";
}
