// Cost of building the Cookie request header from a jar shaped like a busy browsing profile: many sites,
// and one site with a full bucket (180 cookies) across a few paths and subdomains.
#include <benchmark/benchmark.h>

#include <string>

#include "wraith/cookie_jar.h"

namespace {

const wraith::CookieTime kNow = wraith::CookieTime{} + std::chrono::seconds(1'700'000'000);

void fill(wraith::CookieJar& jar, int sites, int per_site) {
  for (int s = 0; s < sites; ++s) {
    const std::string host = "www.site" + std::to_string(s) + ".com";
    for (int i = 0; i < per_site; ++i) {
      std::string sc = "c" + std::to_string(i) + "=" + std::string(32, 'v');
      if (i % 3 == 0) sc += "; Domain=site" + std::to_string(s) + ".com";
      if (i % 5 == 0) sc += "; Path=/app";
      if (i % 7 == 0) sc += "; Secure; SameSite=None";
      (void)jar.store({"https", host, "/"}, sc, kNow + std::chrono::seconds(i));
    }
  }
}

void BM_CookieHeader(benchmark::State& state) {
  wraith::CookieJar jar;
  fill(jar, 15, static_cast<int>(state.range(0)));  // 15 x 180 stays under the 3300 total cap
  const wraith::CookieRequest req{"https", "www.site7.com", "/app/page"};
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string h = jar.cookie_header(req, {}, kNow + std::chrono::hours(1));
    bytes += h.size();
    benchmark::DoNotOptimize(h);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_CookieHeader)->Arg(5)->Arg(30)->Arg(180);

void BM_CookieHeaderNoMatch(benchmark::State& state) {
  wraith::CookieJar jar;
  fill(jar, 200, 15);
  const wraith::CookieRequest req{"https", "cdn.unrelated.net", "/x.js"};
  for (auto _ : state) benchmark::DoNotOptimize(jar.cookie_header(req, {}, kNow));
}
BENCHMARK(BM_CookieHeaderNoMatch);

void BM_StoreSetCookie(benchmark::State& state) {
  wraith::CookieJar jar;
  const wraith::CookieRequest req{"https", "www.example.com", "/"};
  int i = 0;
  for (auto _ : state) {
    std::string sc = "k" + std::to_string(i++ % 100) + "=value; Domain=example.com; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax";
    benchmark::DoNotOptimize(jar.store(req, sc, kNow));
  }
}
BENCHMARK(BM_StoreSetCookie);

}  // namespace
