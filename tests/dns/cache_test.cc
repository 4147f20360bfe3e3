// Host cache: TTLs with clamps, short negative entries, LRU bound. Time comes from an injected clock.
#include <gtest/gtest.h>

#include "dns/cache.h"

using namespace wraith;
using namespace wraith::dns;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
  Clock::time_point now = Clock::time_point{} + 1000h;
  ClockFn fn() {
    return [this] { return now; };
  }
};

std::vector<asio::ip::address> addr(const char* text) { return {asio::ip::make_address(text)}; }

}  // namespace

TEST(DnsCache, HitWithinTtlMissAfterExpiry) {
  FakeClock clock;
  HostCache cache({}, clock.fn());
  cache.put("Example.COM", Family::v4, addr("192.0.2.1"), 30s);
  clock.now += 29s;
  auto hit = cache.get("example.com", Family::v4);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->addresses, addr("192.0.2.1"));
  EXPECT_FALSE(cache.get("example.com", Family::v6)) << "families are cached separately";
  clock.now += 1s;
  EXPECT_FALSE(cache.get("example.com", Family::v4));
  EXPECT_EQ(cache.size(), 0u) << "an expired entry is dropped when seen";
}

TEST(DnsCache, TtlIsClampedToMinAndMax) {
  FakeClock clock;
  CacheOptions options;
  options.min_ttl = 5s;
  options.max_ttl = 60s;
  HostCache cache(options, clock.fn());
  cache.put("short.test", Family::v4, addr("192.0.2.1"), 0s);
  cache.put("long.test", Family::v4, addr("192.0.2.2"), 86400s);
  clock.now += 4s;
  EXPECT_TRUE(cache.get("short.test", Family::v4)) << "raised to min_ttl";
  clock.now += 2s;
  EXPECT_FALSE(cache.get("short.test", Family::v4));
  clock.now += 53s;  // 59 s in
  EXPECT_TRUE(cache.get("long.test", Family::v4));
  clock.now += 1s;
  EXPECT_FALSE(cache.get("long.test", Family::v4)) << "capped at max_ttl";
}

TEST(DnsCache, ZeroTtlIsNotCachedByDefault) {
  HostCache cache;
  cache.put("zero.test", Family::v6, addr("2001:db8::1"), 0s);
  EXPECT_FALSE(cache.get("zero.test", Family::v6));
}

TEST(DnsCache, NegativeEntriesLiveForNegativeTtl) {
  FakeClock clock;
  CacheOptions options;
  options.negative_ttl = 3s;
  HostCache cache(options, clock.fn());
  cache.put_negative("gone.test", Family::v4, Error(ErrorKind::resolve, "could not resolve host: gone.test (NXDOMAIN)"));
  auto hit = cache.get("gone.test", Family::v4);
  ASSERT_TRUE(hit);
  ASSERT_TRUE(hit->error);
  EXPECT_EQ(hit->error->kind, ErrorKind::resolve);
  clock.now += 3s;
  EXPECT_FALSE(cache.get("gone.test", Family::v4));
}

TEST(DnsCache, LruEvictsLeastRecentlyUsed) {
  CacheOptions options;
  options.max_entries = 2;
  HostCache cache(options);
  cache.put("a.test", Family::v4, addr("192.0.2.1"), 60s);
  cache.put("b.test", Family::v4, addr("192.0.2.2"), 60s);
  ASSERT_TRUE(cache.get("a.test", Family::v4));  // a is now the most recent
  cache.put("c.test", Family::v4, addr("192.0.2.3"), 60s);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.get("a.test", Family::v4));
  EXPECT_FALSE(cache.get("b.test", Family::v4));
  EXPECT_TRUE(cache.get("c.test", Family::v4));
}

TEST(DnsCache, ReplacingAnEntryKeepsOneSlot) {
  HostCache cache;
  cache.put("a.test", Family::v4, addr("192.0.2.1"), 60s);
  cache.put("a.test", Family::v4, addr("192.0.2.9"), 60s);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.get("a.test", Family::v4)->addresses, addr("192.0.2.9"));
}
