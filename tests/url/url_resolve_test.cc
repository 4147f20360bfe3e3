// RFC 3986 section 5.4 reference resolution examples, base "http://a/b/c/d;p?q".
#include "wraith/url.h"

#include <gtest/gtest.h>

using wraith::ErrorKind;
using wraith::Url;

namespace {

const Url& base() {
  static const Url b = *Url::parse("http://a/b/c/d;p?q");
  return b;
}

struct Vector { const char* reference; const char* expected; };

// Our serialisation always has a path ("http://g" -> "http://g/"), so the RFC's expected value goes
// through the same parser before comparing.
void check(const Vector& v) {
  auto r = base().resolve(v.reference);
  ASSERT_TRUE(r.ok()) << v.reference << ": " << r.error().describe();
  auto expected = Url::parse(v.expected);
  ASSERT_TRUE(expected.ok()) << v.expected;
  EXPECT_EQ(r->to_string(), expected->to_string()) << "reference '" << v.reference << "'";
}

}  // namespace

// RFC 3986 5.4.1 "Normal Examples" (all but "g:h", whose scheme we do not support; see below).
TEST(UrlResolve, Rfc3986NormalExamples) {
  const Vector vectors[] = {
      {"g", "http://a/b/c/g"},          {"./g", "http://a/b/c/g"},        {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},             {"//g", "http://g"},              {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},      {"#s", "http://a/b/c/d;p?q#s"},   {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},  {";x", "http://a/b/c/;x"},        {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"}, {"", "http://a/b/c/d;p?q"},    {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},          {"..", "http://a/b/"},            {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},         {"../..", "http://a/"},           {"../../", "http://a/"},
      {"../../g", "http://a/g"},
  };
  for (const auto& v : vectors) check(v);
}

TEST(UrlResolve, Rfc3986NormalExampleWithForeignSchemeIsRejected) {
  auto r = base().resolve("g:h");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_url);
}

// RFC 3986 5.4.2 "Abnormal Examples"; "http:g" uses the non-strict (backward-compatible) reading.
TEST(UrlResolve, Rfc3986AbnormalExamples) {
  const Vector vectors[] = {
      {"../../../g", "http://a/g"},      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},            {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},         {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},       {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},        {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},     {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http://a/b/c/g"},
  };
  for (const auto& v : vectors) check(v);
}

TEST(UrlResolve, RedirectShapes) {
  Url b = *Url::parse("https://user:pw@example.com:8443/dir/page?x=1#top");
  EXPECT_EQ(b.resolve("/abs")->to_string(), "https://user:pw@example.com:8443/abs");
  EXPECT_EQ(b.resolve("?q=2")->to_string(), "https://user:pw@example.com:8443/dir/page?q=2");
  EXPECT_EQ(b.resolve("//other.test/p")->to_string(), "https://other.test/p");
  EXPECT_EQ(b.resolve("http://plain.test")->to_string(), "http://plain.test/");
  EXPECT_EQ(b.resolve("WSS://Sock.test:443/s")->to_string(), "wss://sock.test/s");
  EXPECT_EQ(b.resolve("../up here")->target(), "/up%20here");
  EXPECT_EQ(b.resolve("\\\\back.test\\x")->to_string(), "https://back.test/x");
  EXPECT_EQ(b.resolve("  next  ")->path(), "/dir/next");
  EXPECT_EQ(b.resolve("#f")->fragment(), "f");
  EXPECT_EQ(b.resolve("#f")->target(), "/dir/page?x=1");
}

TEST(UrlResolve, BadReferences) {
  for (const char* bad : {"//", "//bad host/", "//h:99999/", "ftp://h/", "/a\nb", "//[::1/"}) {
    auto r = base().resolve(bad);
    ASSERT_FALSE(r.ok()) << bad << " resolved to " << r->to_string();
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_url);
  }
}
