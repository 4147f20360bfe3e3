// Properties over many generated inputs: parsing never crashes, and a parsed URL's serialisation parses
// back to the same URL (canonicalisation is idempotent), for parse() and resolve() alike.
#include "wraith/url.h"

#include <gtest/gtest.h>

#include <random>

using wraith::Url;

namespace {

std::string random_url(std::mt19937& rng) {
  static const char* kPieces[] = {
      "http://", "https://", "ws://", "wss://", "HTTP:", "ftp://", "//", "/", "\\", "?", "#", "@", ":", ".", "..",
      "%", "%2e", "%2E%2e", "%41", "%zz", "[", "]", "::", "1", "255", "0x7f", "08", "a", "B", "example", "com",
      "user", "pass", " ", "\t", "\"", "<", ">", "`", "{", "}", "^", "|", "'", "\xc3\xa9", "\x7f", "80", "443",
      "65535", "65536", "[::1]", "[1:2:3:4:5:6:7:8]", "127.0.0.1", "1.2.3.4.5", "xn--nxasmq6b", ";x=1", "&", "=",
  };
  std::string s;
  int n = 1 + static_cast<int>(rng() % 14);
  for (int i = 0; i < n; ++i) s += kPieces[rng() % (sizeof kPieces / sizeof *kPieces)];
  return s;
}

}  // namespace

TEST(UrlProperty, ParseIsIdempotent) {
  std::mt19937 rng(3986);
  int parsed = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string input = random_url(rng);
    auto u = Url::parse(input);
    if (!u) {
      EXPECT_EQ(u.error().kind, wraith::ErrorKind::invalid_url);
      continue;
    }
    ++parsed;
    std::string once = u->to_string();
    auto again = Url::parse(once);
    ASSERT_TRUE(again.ok()) << "input '" << input << "' -> '" << once << "': " << again.error().describe();
    EXPECT_EQ(again->to_string(), once) << "input '" << input << "'";
    EXPECT_TRUE(*again == *u) << "input '" << input << "'";
    EXPECT_EQ(u->target().find('#'), std::string::npos);
    EXPECT_EQ(u->target().front(), '/');
    for (char c : u->target()) EXPECT_GT(static_cast<unsigned char>(c), 0x20) << "raw byte in target of '" << input << "'";
  }
  EXPECT_GT(parsed, 1000);  // the generator must reach the success path often enough to mean something
}

TEST(UrlProperty, ResolveIsIdempotent) {
  std::mt19937 rng(5225);
  const Url base = *Url::parse("https://user@example.com:8443/a/b/c?q=1#f");
  int resolved = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string reference = random_url(rng);
    if (rng() % 2) reference = reference.substr(reference.find_first_of("/?#.") == std::string::npos ? 0 : reference.find_first_of("/?#."));
    auto u = base.resolve(reference);
    if (!u) continue;
    ++resolved;
    auto again = Url::parse(u->to_string());
    ASSERT_TRUE(again.ok()) << "reference '" << reference << "' -> '" << u->to_string() << "'";
    EXPECT_EQ(again->to_string(), u->to_string()) << "reference '" << reference << "'";
    // Resolving the result against anything gives itself back.
    auto self = base.resolve(u->to_string());
    ASSERT_TRUE(self.ok());
    EXPECT_EQ(self->to_string(), u->to_string());
  }
  EXPECT_GT(resolved, 1000);
}
