// Arbitrary bytes through every parser: each input must end in a value or a typed error (run under ASan/UBSan
// this catches out-of-bounds reads the example-based tests miss).
#include <gtest/gtest.h>

#include "cookie/cookie_date.h"
#include "cookie/set_cookie_parser.h"
#include "wraith/cookie_jar.h"

using namespace wraith;

namespace {

const CookieTime kNow = CookieTime{} + std::chrono::seconds(1'700'000'000);

// Random strings biased towards the characters the grammars care about.
std::string random_input(std::uint32_t& x, std::size_t max_len) {
  static const char kAlphabet[] = "=;, \t\n\r\x01.-/:_abcXYZ019#TRUEFALSE__Host-__Secure-DomainPathMax-AgeExpires";
  x = x * 1103515245u + 12345u;
  std::size_t len = (x >> 8) % max_len;
  std::string s;
  for (std::size_t i = 0; i < len; ++i) {
    x = x * 1103515245u + 12345u;
    s.push_back((x >> 20) % 9 == 0 ? static_cast<char>(x >> 12) : kAlphabet[(x >> 16) % (sizeof kAlphabet - 1)]);
  }
  return s;
}

}  // namespace

TEST(CookieRobustness, RandomSetCookieHeaders) {
  CookieJar jar;
  std::uint32_t x = 42;
  std::size_t stored = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string h = random_input(x, 120);
    auto r = jar.store({i % 2 ? "https" : "http", i % 3 ? "www.example.com" : "10.0.0.1", "/a/b"}, h, kNow);
    if (r) {
      ++stored;
    } else {
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_header);
    }
    (void)cookie::parse_cookie_date(h);
  }
  EXPECT_GT(stored, 0u);
  (void)jar.cookie_header({"https", "www.example.com", "/a/b"}, {}, kNow);
  EXPECT_LE(jar.size(), 3300u);
}

TEST(CookieRobustness, RandomCookieFiles) {
  std::uint32_t x = 7;
  for (int i = 0; i < 5000; ++i) {
    std::string text = random_input(x, 200);
    // Splice in TABs so some lines get the right number of fields.
    for (std::size_t j = 0; j < text.size(); j += 1 + (x >> 28)) if (text[j] == ' ') text[j] = '\t';
    CookieJar jar;
    auto r = jar.load_netscape(text, kNow);
    if (!r) {
      EXPECT_EQ(r.error().kind, ErrorKind::config);
      EXPECT_EQ(jar.size(), 0u);
    }
  }
}
