#include "wraith/cookie_jar.h"

#include <gtest/gtest.h>

#include <thread>

using namespace wraith;
using namespace std::chrono_literals;

namespace {

const CookieTime kNow = CookieTime{} + std::chrono::seconds(1'700'000'000);

CookieRequest https(std::string_view host, std::string_view path = "/") { return {"https", host, path}; }
CookieRequest http(std::string_view host, std::string_view path = "/") { return {"http", host, path}; }

const SameSiteContext kSameSite{};
const SameSiteContext kCrossSiteSubresource{false, false, true};
const SameSiteContext kCrossSiteNavigation{false, true, true};
const SameSiteContext kCrossSitePostNavigation{false, true, false};

std::string header(CookieJar& jar, const CookieRequest& r, CookieTime now = kNow, SameSiteContext ctx = kSameSite) {
  return jar.cookie_header(r, ctx, now);
}

}  // namespace

TEST(CookieJar, StoresAndSendsHostOnlyCookie) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("www.example.com"), "a=1", kNow));
  EXPECT_EQ(header(jar, https("www.example.com")), "a=1");
  EXPECT_EQ(header(jar, https("WWW.Example.COM")), "a=1");
  EXPECT_EQ(header(jar, https("sub.www.example.com")), "");  // host-only
  EXPECT_EQ(header(jar, https("example.com")), "");
  auto all = jar.cookies(kNow);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].host_only);
  EXPECT_EQ(all[0].domain, "www.example.com");
  EXPECT_FALSE(all[0].expiry);
}

TEST(CookieJar, DomainAttributeCoversSubdomains) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("www.example.com"), "a=1; Domain=.EXAMPLE.com", kNow));
  EXPECT_EQ(header(jar, https("example.com")), "a=1");
  EXPECT_EQ(header(jar, https("deep.www.example.com")), "a=1");
  EXPECT_EQ(header(jar, https("notexample.com")), "");
  EXPECT_EQ(jar.cookies(kNow)[0].domain, "example.com");
  EXPECT_FALSE(jar.cookies(kNow)[0].host_only);
  // Domain must domain-match the request host.
  EXPECT_EQ(jar.store(https("www.example.com"), "b=2; Domain=other.com", kNow).error().kind, ErrorKind::invalid_header);
  EXPECT_FALSE(jar.store(https("example.com"), "b=2; Domain=www.example.com", kNow));
  EXPECT_FALSE(jar.store(https("xample.com"), "b=2; Domain=ample.com", kNow));
}

TEST(CookieJar, PublicSuffixDomainsRefused) {
  CookieJar jar;
  EXPECT_FALSE(jar.store(https("www.example.co.uk"), "a=1; Domain=co.uk", kNow));
  EXPECT_FALSE(jar.store(https("www.example.com"), "a=1; Domain=com", kNow));
  EXPECT_FALSE(jar.store(https("foo.github.io"), "a=1; Domain=github.io", kNow));  // private section
  EXPECT_TRUE(jar.store(https("www.example.co.uk"), "b=2; Domain=example.co.uk", kNow));
  EXPECT_EQ(jar.size(), 1u);
  // A public suffix as the host itself is allowed, but host-only.
  ASSERT_TRUE(jar.store(https("github.io"), "c=3; Domain=github.io", kNow));
  EXPECT_EQ(header(jar, https("github.io")), "c=3");
  EXPECT_EQ(header(jar, https("foo.github.io")), "");
}

TEST(CookieJar, IpHostsGetHostOnlyCookies) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(http("127.0.0.1"), "a=1; Domain=127.0.0.1", kNow));
  EXPECT_TRUE(jar.cookies(kNow)[0].host_only);
  EXPECT_FALSE(jar.store(http("1.2.3.4"), "b=1; Domain=2.3.4", kNow));
  EXPECT_FALSE(jar.store(http("1.2.3.4"), "b=1; Domain=3.4", kNow));
  ASSERT_TRUE(jar.store(http("[::1]"), "v6=1", kNow));
  EXPECT_EQ(header(jar, http("::1")), "v6=1");
  EXPECT_EQ(header(jar, http("127.0.0.1")), "a=1");
}

TEST(CookieJar, DefaultPathAndPathMatching) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("h.com", "/docs/guide/page"), "a=1", kNow));   // default path /docs/guide
  ASSERT_TRUE(jar.store(https("h.com", "/docs/guide/page"), "b=2; Path=relative", kNow));  // also default
  ASSERT_TRUE(jar.store(https("h.com", "/"), "c=3; Path=/docs", kNow));
  ASSERT_TRUE(jar.store(https("h.com", "/top"), "d=4", kNow));  // default path "/"
  auto all = jar.cookies(kNow);
  EXPECT_EQ(all[0].path, "/docs/guide");
  EXPECT_EQ(all[1].path, "/docs/guide");
  EXPECT_EQ(all[3].path, "/");
  EXPECT_EQ(header(jar, https("h.com", "/docs/guide")), "a=1; b=2; c=3; d=4");
  EXPECT_EQ(header(jar, https("h.com", "/docs/guide/x/y")), "a=1; b=2; c=3; d=4");
  EXPECT_EQ(header(jar, https("h.com", "/docs/guidebook")), "c=3; d=4");
  EXPECT_EQ(header(jar, https("h.com", "/docsx")), "d=4");
  EXPECT_EQ(header(jar, https("h.com", "")), "d=4");
}

TEST(CookieJar, ChromeOrderLongerPathThenCreation) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("h.com"), "first=1; Path=/", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "deep=2; Path=/a/b", kNow + 1s));
  ASSERT_TRUE(jar.store(https("h.com"), "second=3; Path=/", kNow + 2s));
  ASSERT_TRUE(jar.store(https("h.com"), "mid=4; Path=/a", kNow + 3s));
  ASSERT_TRUE(jar.store(https("h.com"), "same_time=5; Path=/", kNow + 2s));
  EXPECT_EQ(header(jar, https("h.com", "/a/b/c"), kNow + 4s), "deep=2; mid=4; first=1; second=3; same_time=5");
}

TEST(CookieJar, ReplacementKeepsCreationTimeAndPosition) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("h.com"), "a=1", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "b=2", kNow + 1s));
  ASSERT_TRUE(jar.store(https("h.com"), "a=new; HttpOnly", kNow + 2s));
  EXPECT_EQ(header(jar, https("h.com"), kNow + 3s), "a=new; b=2");
  auto all = jar.cookies(kNow + 3s);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[0].creation, kNow);
  EXPECT_TRUE(all[0].http_only);
  // A different path or host-only-ness is a different cookie.
  ASSERT_TRUE(jar.store(https("h.com"), "a=p; Path=/p", kNow + 4s));
  ASSERT_TRUE(jar.store(https("h.com"), "a=d; Domain=h.com", kNow + 4s));
  EXPECT_EQ(jar.size(), 4u);
}

TEST(CookieJar, ExpiryMaxAgeWinsAndDeletes) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("h.com"), "a=1; Max-Age=10; Expires=Thu, 01 Jan 2099 00:00:00 GMT", kNow));
  EXPECT_EQ(*jar.cookies(kNow)[0].expiry, kNow + 10s);
  EXPECT_EQ(header(jar, https("h.com"), kNow + 9s), "a=1");
  EXPECT_EQ(header(jar, https("h.com"), kNow + 10s), "");
  EXPECT_EQ(jar.size(), 0u);

  ASSERT_TRUE(jar.store(https("h.com"), "b=1; Expires=Wed, 15 Nov 2023 00:00:00 GMT", kNow));  // kNow is 2023-11-14
  EXPECT_EQ(header(jar, https("h.com")), "b=1");
  ASSERT_TRUE(jar.store(https("h.com"), "b=gone; Max-Age=0", kNow));
  EXPECT_EQ(header(jar, https("h.com")), "");
  ASSERT_TRUE(jar.store(https("h.com"), "c=1", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "c=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "d=1; Max-Age=-1", kNow));  // deleting nothing is fine
  EXPECT_EQ(jar.size(), 0u);
}

TEST(CookieJar, ExpiryCappedAt400Days) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("h.com"), "a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "b=1; Max-Age=999999999999", kNow));
  for (const Cookie& c : jar.cookies(kNow)) EXPECT_EQ(*c.expiry, kNow + std::chrono::hours(24 * 400));
}

TEST(CookieJar, SecureCookiesOnlyOverSecureOrigins) {
  CookieJar jar;
  EXPECT_FALSE(jar.store(http("h.com"), "s=1; Secure", kNow));  // strict secure cookies
  ASSERT_TRUE(jar.store(https("h.com"), "s=1; Secure", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "p=2", kNow + 1s));
  EXPECT_EQ(header(jar, https("h.com"), kNow + 2s), "s=1; p=2");
  EXPECT_EQ(header(jar, http("h.com"), kNow + 2s), "p=2");
  EXPECT_EQ(header(jar, {"wss", "h.com", "/"}, kNow + 2s), "s=1; p=2");
  // localhost counts as secure, like Chrome.
  ASSERT_TRUE(jar.store(http("localhost"), "l=1; Secure", kNow));
  EXPECT_EQ(header(jar, http("localhost")), "l=1");
  ASSERT_TRUE(jar.store(http("127.0.0.1"), "l=1; Secure", kNow));
}

TEST(CookieJar, InsecureOriginCannotShadowSecureCookie) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("www.h.com"), "id=secure; Secure; Domain=h.com", kNow));
  EXPECT_FALSE(jar.store(http("www.h.com"), "id=plain", kNow));
  EXPECT_FALSE(jar.store(http("www.h.com"), "id=plain; Path=/sub", kNow));
  EXPECT_TRUE(jar.store(http("www.h.com"), "other=plain", kNow));
  EXPECT_TRUE(jar.store(https("www.h.com"), "id=fine", kNow));  // secure origin may
  EXPECT_EQ(jar.size(), 3u);
}

TEST(CookieJar, SameSiteNoneNeedsSecure) {
  CookieJar jar;
  EXPECT_FALSE(jar.store(https("h.com"), "a=1; SameSite=None", kNow));
  EXPECT_TRUE(jar.store(https("h.com"), "a=1; SameSite=None; Secure", kNow));
}

TEST(CookieJar, SameSiteContexts) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("h.com"), "strict=1; SameSite=Strict", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "lax=2; SameSite=Lax", kNow + 1s));
  ASSERT_TRUE(jar.store(https("h.com"), "none=3; SameSite=None; Secure", kNow + 2s));
  ASSERT_TRUE(jar.store(https("h.com"), "dflt=4", kNow + 3s));
  const auto later = kNow + 10min;
  EXPECT_EQ(header(jar, https("h.com"), later, kSameSite), "strict=1; lax=2; none=3; dflt=4");
  EXPECT_EQ(header(jar, https("h.com"), later, kCrossSiteNavigation), "lax=2; none=3; dflt=4");
  EXPECT_EQ(header(jar, https("h.com"), later, kCrossSiteSubresource), "none=3");
  EXPECT_EQ(header(jar, https("h.com"), later, kCrossSitePostNavigation), "none=3");
  // Lax-by-default cookies younger than two minutes survive a cross-site top-level POST (Chrome's Lax+POST).
  EXPECT_EQ(header(jar, https("h.com"), kNow + 60s, kCrossSitePostNavigation), "none=3; dflt=4");
}

TEST(CookieJar, CrossSiteSubresourceMaySetOnlySameSiteNone) {
  CookieJar jar;
  EXPECT_FALSE(jar.store(https("h.com"), "a=1", kNow, kCrossSiteSubresource));
  EXPECT_FALSE(jar.store(https("h.com"), "a=1; SameSite=Lax", kNow, kCrossSiteSubresource));
  EXPECT_TRUE(jar.store(https("h.com"), "a=1; SameSite=None; Secure", kNow, kCrossSiteSubresource));
  EXPECT_TRUE(jar.store(https("h.com"), "b=1; SameSite=Strict", kNow, kCrossSiteNavigation));
}

TEST(CookieJar, SecureAndHostPrefixes) {
  CookieJar jar;
  EXPECT_FALSE(jar.store(https("h.com"), "__Secure-a=1", kNow));
  EXPECT_FALSE(jar.store(http("h.com"), "__Secure-a=1; Secure", kNow));
  EXPECT_TRUE(jar.store(https("h.com"), "__Secure-a=1; Secure; Domain=h.com; Path=/x", kNow));
  EXPECT_TRUE(jar.store(https("h.com"), "__Host-b=1; Secure; Path=/", kNow));
  EXPECT_FALSE(jar.store(https("h.com"), "__Host-b=1; Secure", kNow));  // Chrome wants an explicit Path=/
  EXPECT_FALSE(jar.store(https("h.com", "/dir/page"), "__Host-b=1; Secure", kNow));  // default path is /dir
  EXPECT_FALSE(jar.store(https("h.com"), "__Host-b=1; Secure; Path=/; Domain=h.com", kNow));
  EXPECT_FALSE(jar.store(https("h.com"), "__Host-b=1; Path=/", kNow));
  EXPECT_FALSE(jar.store(https("h.com"), "__host-c=1; Path=/", kNow));  // case-insensitive, as Chrome
  EXPECT_FALSE(jar.store(https("h.com"), "=__Host-x=y; Secure; Path=/", kNow));  // nameless masquerade
  EXPECT_EQ(jar.size(), 2u);
}

TEST(CookieJar, NamelessCookies) {
  CookieJar jar;
  ASSERT_TRUE(jar.store(https("h.com"), "token", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "a=1", kNow + 1s));
  EXPECT_EQ(header(jar, https("h.com"), kNow + 2s), "token; a=1");
}

TEST(CookieJar, PerDomainCapEvictsLeastRecentlyUsed) {
  CookieJar jar;  // Chrome: 180 per registrable domain, purged down to 150
  ASSERT_TRUE(jar.store(https("z.h.com"), "c0=0", kNow));
  for (int i = 1; i < 180; ++i)
    ASSERT_TRUE(jar.store(https(i % 2 ? "a.h.com" : "b.h.com"), "c" + std::to_string(i) + "=x", kNow + std::chrono::seconds(i)));
  EXPECT_EQ(jar.size(), 180u);
  // Touch c0 so it is the most recently used, then overflow.
  ASSERT_EQ(header(jar, https("z.h.com"), kNow + 1000s), "c0=0");
  ASSERT_TRUE(jar.store(https("a.h.com"), "overflow=1", kNow + 1001s));
  EXPECT_EQ(jar.size(), 150u);
  std::vector<std::string> names;
  for (const Cookie& c : jar.cookies(kNow + 1002s)) names.push_back(c.name);
  EXPECT_NE(std::find(names.begin(), names.end(), "c0"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "overflow"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "c1"), names.end());   // least recently used: gone
  EXPECT_EQ(std::find(names.begin(), names.end(), "c31"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "c32"), names.end());
  // Another registrable domain is unaffected by h.com's cap.
  ASSERT_TRUE(jar.store(https("other.com"), "o=1", kNow + 1003s));
  EXPECT_EQ(header(jar, https("other.com"), kNow + 1004s), "o=1");
}

TEST(CookieJar, TotalCapEvictsLeastRecentlyUsedAcrossDomains) {
  CookieJarLimits limits;
  limits.max_total = 20;
  limits.purge_total_to = 15;
  CookieJar jar(limits);
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(jar.store(https("d" + std::to_string(i) + ".com"), "c=1", kNow + std::chrono::seconds(i)));
  EXPECT_EQ(header(jar, https("d0.com"), kNow + 100s), "c=1");
  ASSERT_TRUE(jar.store(https("new.com"), "c=1", kNow + 101s));
  EXPECT_EQ(jar.size(), 15u);
  EXPECT_EQ(header(jar, https("d0.com"), kNow + 102s), "c=1");
  EXPECT_EQ(header(jar, https("new.com"), kNow + 102s), "c=1");
  for (int i = 1; i <= 6; ++i) EXPECT_EQ(header(jar, https("d" + std::to_string(i) + ".com"), kNow + 102s), "") << i;
  EXPECT_EQ(header(jar, https("d7.com"), kNow + 102s), "c=1");
}

TEST(CookieJar, ExpiredCookiesPurgedBeforeLiveOnesAtCap) {
  CookieJarLimits limits;
  limits.max_per_domain = 4;
  limits.purge_domain_to = 2;
  CookieJar jar(limits);
  ASSERT_TRUE(jar.store(https("h.com"), "short=1; Max-Age=5", kNow));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(jar.store(https("h.com"), "k" + std::to_string(i) + "=1", kNow));
  ASSERT_TRUE(jar.store(https("h.com"), "k3=1", kNow + 10s));  // 5 > 4, but the expired one makes room
  EXPECT_EQ(jar.size(), 4u);
}

TEST(CookieJar, ConcurrentStoreAndRead) {
  CookieJar jar;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&jar, t] {
      for (int i = 0; i < 200; ++i) {
        std::string host = "t" + std::to_string(t) + ".com";
        (void)jar.store(https(host), "c" + std::to_string(i % 50) + "=" + std::to_string(i), kNow);
        (void)jar.cookie_header(https(host), kSameSite, kNow);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(jar.size(), 200u);
  EXPECT_EQ(jar.cookie_header(https("t2.com"), kSameSite, kNow).find("c0=150"), 0u);
}

TEST(CookieJar, PerDomainPurgeEvictsNonSecureFirst) {
  CookieJarLimits limits;
  limits.max_per_domain = 6;
  limits.purge_domain_to = 4;
  CookieJar jar(limits);
  ASSERT_TRUE(jar.store(https("h.com"), "s0=1; Secure", kNow));  // oldest, but secure
  ASSERT_TRUE(jar.store(https("h.com"), "s1=1; Secure", kNow + 1s));
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(jar.store(https("h.com"), "p" + std::to_string(i) + "=1", kNow + std::chrono::seconds(2 + i)));
  EXPECT_EQ(jar.size(), 4u);
  EXPECT_EQ(header(jar, https("h.com"), kNow + 10s), "s0=1; s1=1; p3=1; p4=1");
}

TEST(CookieJar, ExpiresRelativeToServerDate) {
  CookieJar jar;
  // The server's clock is a day behind ours: an Expires one hour after its Date means one hour from now.
  const CookieTime server = kNow - 24h;
  ASSERT_TRUE(jar.store(https("h.com"), "a=1; Expires=Mon, 13 Nov 2023 23:13:20 GMT", kNow, {}, server));
  EXPECT_EQ(*jar.cookies(kNow)[0].expiry, kNow + 1h);
  // Max-Age is relative already and ignores the server date.
  ASSERT_TRUE(jar.store(https("h.com"), "b=1; Max-Age=60", kNow, {}, server));
  EXPECT_EQ(*jar.cookies(kNow)[1].expiry, kNow + 60s);
}
