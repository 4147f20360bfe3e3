#include "wraith/url.h"

#include <gtest/gtest.h>

using wraith::ErrorKind;
using wraith::Url;

namespace {

Url must_parse(std::string_view s) {
  auto r = Url::parse(s);
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().describe());
  if (!r.ok()) return *Url::parse("http://invalid.test/");
  return std::move(r).value();
}

void expect_invalid(std::string_view s) {
  auto r = Url::parse(s);
  ASSERT_FALSE(r.ok()) << s << " parsed as " << r->to_string();
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_url) << s;
  EXPECT_FALSE(r.error().message.empty());
}

}  // namespace

TEST(UrlParse, Components) {
  Url u = must_parse("HTTPS://User:p%40ss@Example.COM:8443/a/b?x=1&y=2#frag");
  EXPECT_EQ(u.scheme(), "https");
  EXPECT_EQ(u.username(), "User");
  EXPECT_EQ(u.password(), "p@ss");
  EXPECT_EQ(u.host(), "example.com");
  EXPECT_EQ(u.port(), 8443);
  EXPECT_EQ(u.port_or_default(), 8443);
  EXPECT_FALSE(u.is_default_port());
  EXPECT_EQ(u.path(), "/a/b");
  EXPECT_EQ(u.query(), "x=1&y=2");
  EXPECT_EQ(u.fragment(), "frag");
  EXPECT_EQ(u.target(), "/a/b?x=1&y=2");
  EXPECT_EQ(u.authority(), "example.com:8443");
  EXPECT_EQ(u.to_string(), "https://User:p%40ss@example.com:8443/a/b?x=1&y=2#frag");
  EXPECT_FALSE(u.is_ip_literal());
  EXPECT_TRUE(u.is_secure());
}

TEST(UrlParse, DefaultPortsAndPath) {
  struct Case { const char* in; std::uint16_t port; } cases[] = {
      {"http://h", 80}, {"https://h", 443}, {"ws://h", 80}, {"wss://h", 443}};
  for (auto& c : cases) {
    Url u = must_parse(c.in);
    EXPECT_EQ(u.port_or_default(), c.port) << c.in;
    EXPECT_TRUE(u.is_default_port());
    EXPECT_FALSE(u.port().has_value());
    EXPECT_EQ(u.path(), "/");
    EXPECT_EQ(u.target(), "/");
    EXPECT_EQ(u.authority(), "h");
  }
  // An explicit default port is dropped, as in a browser's Host header.
  Url u = must_parse("https://h:443/x");
  EXPECT_TRUE(u.is_default_port());
  EXPECT_EQ(u.authority(), "h");
  EXPECT_EQ(u.to_string(), "https://h/x");
  EXPECT_EQ(must_parse("http://h:/x").authority(), "h");
  EXPECT_EQ(must_parse("http://h:08080/").port(), 8080);
}

TEST(UrlParse, QueryWithoutPathAndEmptyQuery) {
  Url u = must_parse("http://h?q");
  EXPECT_EQ(u.path(), "/");
  EXPECT_EQ(u.target(), "/?q");
  Url e = must_parse("http://h/p?");
  EXPECT_TRUE(e.has_query());
  EXPECT_EQ(e.query(), "");
  EXPECT_EQ(e.target(), "/p?");
  Url f = must_parse("http://h/p#");
  EXPECT_TRUE(f.has_fragment());
  EXPECT_EQ(f.target(), "/p");
  EXPECT_EQ(f.to_string(), "http://h/p#");
}

TEST(UrlParse, FragmentNeverInTarget) {
  Url u = must_parse("http://h/p?q#f?g");
  EXPECT_EQ(u.target(), "/p?q");
  EXPECT_EQ(u.fragment(), "f?g");
}

TEST(UrlParse, PercentEncodesLikeABrowser) {
  // Expected strings are what Chromium's URL bar / new URL() produce for the same input.
  EXPECT_EQ(must_parse("http://h/a b\"<>`{}").target(), "/a%20b%22%3C%3E%60%7B%7D");
  EXPECT_EQ(must_parse("http://h/?a b\"'<>`{}").target(), "/?a%20b%22%27%3C%3E`{}");
  EXPECT_EQ(must_parse("http://h/caf\xc3\xa9").target(), "/caf%C3%A9");
  EXPECT_EQ(must_parse("http://h/?q=\xc3\xa9").target(), "/?q=%C3%A9");
  EXPECT_EQ(must_parse("http://h/#a b").fragment(), "a%20b");
  // Valid escapes, reserved characters and a stray '%' stay as written (Chrome sends them verbatim).
  EXPECT_EQ(must_parse("http://h/a%2Fb%20c;p=1,2!$&'()*+:@~").target(), "/a%2Fb%20c;p=1,2!$&'()*+:@~");
  EXPECT_EQ(must_parse("http://h/100%").target(), "/100%");
  EXPECT_EQ(must_parse("http://h/?a=%zz&b=[1]|^").target(), "/?a=%zz&b=[1]|^");
  EXPECT_EQ(must_parse("http://h/\x7f").target(), "/%7F");
  EXPECT_EQ(must_parse("http://h/a^b|c").target(), "/a%5Eb|c");  // whatwg/url#846
}

TEST(UrlParse, UserinfoEncodingAndDecoding) {
  Url u = must_parse("http://a b:c@d@h/");
  EXPECT_EQ(u.username(), "a b");
  EXPECT_EQ(u.password(), "c@d");
  EXPECT_EQ(u.to_string(), "http://a%20b:c%40d@h/");
  Url p = must_parse("http://:secret@h/");
  EXPECT_EQ(p.username(), "");
  EXPECT_EQ(p.password(), "secret");
  EXPECT_TRUE(p.has_credentials());
  EXPECT_FALSE(must_parse("http://@h/").has_credentials());
  expect_invalid("http://us%zzer@h/");
}

TEST(UrlParse, NormalisesDotSegmentsAndBackslashes) {
  EXPECT_EQ(must_parse("http://h/a/b/../c/./d").path(), "/a/c/d");
  EXPECT_EQ(must_parse("http://h/a/%2e%2E/b/%2e").path(), "/b/");
  EXPECT_EQ(must_parse("http://h/../../x").path(), "/x");
  EXPECT_EQ(must_parse("http:\\\\h\\a\\b?c\\d").target(), "/a/b?c\\d");
  EXPECT_EQ(must_parse("http://h/a/..").path(), "/");
  EXPECT_EQ(must_parse("http://h//double//slash").path(), "//double//slash");
}

TEST(UrlParse, TrimsSurroundingWhitespace) {
  EXPECT_EQ(must_parse("  \t http://h/x \n").to_string(), "http://h/x");
}

TEST(UrlParse, Ipv4) {
  struct Case { const char* in; const char* host; } cases[] = {
      {"http://127.0.0.1/", "127.0.0.1"},   {"http://127.1/", "127.0.0.1"},
      {"http://0x7f.0.0.1/", "127.0.0.1"},  {"http://0177.0.0.1/", "127.0.0.1"},
      {"http://2130706433/", "127.0.0.1"},  {"http://1.2.3.4./", "1.2.3.4"},
      {"http://%31.2.3.4/", "1.2.3.4"},     {"http://255.255.255.255/", "255.255.255.255"},
      {"http://0x/", "0.0.0.0"},
  };
  for (auto& c : cases) {
    Url u = must_parse(c.in);
    EXPECT_EQ(u.host(), c.host) << c.in;
    EXPECT_EQ(u.host_kind(), Url::HostKind::ipv4) << c.in;
    EXPECT_TRUE(u.is_ip_literal());
  }
  expect_invalid("http://1.2.3.256/");
  expect_invalid("http://256.1.1.1/");
  expect_invalid("http://1.2.3.4.5/");
  expect_invalid("http://4294967296/");
  expect_invalid("http://1.2.3.08/");
  expect_invalid("http://foo.09/");
  // Not ending in a number: an ordinary name.
  EXPECT_EQ(must_parse("http://1.2.3.example/").host_kind(), Url::HostKind::name);
}

TEST(UrlParse, Ipv6) {
  struct Case { const char* in; const char* host; const char* authority; } cases[] = {
      {"http://[::1]/", "::1", "[::1]"},
      {"http://[::1]:8080/", "::1", "[::1]:8080"},
      {"http://[2001:DB8:0:0:0:0:0:1]/", "2001:db8::1", "[2001:db8::1]"},
      {"http://[2001:db8:0:0:1:0:0:1]/", "2001:db8::1:0:0:1", "[2001:db8::1:0:0:1]"},
      {"http://[0:0:0:0:0:0:0:0]/", "::", "[::]"},
      {"http://[1:0:1:1:1:1:1:1]/", "1:0:1:1:1:1:1:1", "[1:0:1:1:1:1:1:1]"},
      {"http://[::ffff:1.2.3.4]/", "::ffff:102:304", "[::ffff:102:304]"},
      {"http://[1::]/", "1::", "[1::]"},
  };
  for (auto& c : cases) {
    Url u = must_parse(c.in);
    EXPECT_EQ(u.host(), c.host) << c.in;
    EXPECT_EQ(u.authority(), c.authority) << c.in;
    EXPECT_EQ(u.host_kind(), Url::HostKind::ipv6);
  }
  EXPECT_EQ(must_parse("http://[::1]:80/").to_string(), "http://[::1]/");
  for (const char* bad : {"http://[::1/", "http://[]/", "http://[:::1]/", "http://[1:2:3:4:5:6:7:8:9]/",
                          "http://[::1::2]/", "http://[fe80::1%25eth0]/", "http://[12345::]/",
                          "http://[::1]x/", "http://[::1.2.3]/", "http://[::01.2.3.4]/", "http://[1:2]/"}) {
    expect_invalid(bad);
  }
}

TEST(UrlParse, HostNormalisation) {
  EXPECT_EQ(must_parse("http://EXAMPLE.com./").host(), "example.com.");
  EXPECT_EQ(must_parse("http://ex%41mple.com/").host(), "example.com");
  EXPECT_EQ(must_parse("http://a_b-c.example/").host(), "a_b-c.example");
}

TEST(UrlParse, RejectsMalformed) {
  for (const char* bad : {
           "", "   ", "example.com/path", "/relative", "ftp://h/", "file:///etc/passwd", "javascript:alert(1)",
           "mailto:x@y", "1http://h/", "http://", "http:///", "http://:80/", "http://user@/", "http://h:port/",
           "http://h:65536/", "http://h:0/", "http://h:-1/", "http://h:+80/", "http://h:99999999999999/",
           "http://ho st/", "http://h\x01/", "http://h/a\r\nInjected: 1", "http://h/\tx", "http://ho%st/",
           "http://ho%2/", "http://ho%20st/", "http://h<o/", "http://h^/", "http://h|/", "http://[/",
           "http://ex\xc3\xa4mple.com/", "http://h%00/", "http://a:b:c/",
       }) {
    expect_invalid(bad);
  }
}

TEST(UrlParse, ErrorMessagesNameTheProblem) {
  EXPECT_NE(Url::parse("ftp://h/").error().message.find("ftp"), std::string::npos);
  EXPECT_NE(Url::parse("http://h:70000/").error().message.find("range"), std::string::npos);
  EXPECT_NE(Url::parse("http:///").error().message.find("empty host"), std::string::npos);
}

TEST(UrlParse, RejectsOverlongInput) {
  std::string huge = "http://h/" + std::string(2 * 1024 * 1024, 'a');
  expect_invalid(huge);
}

TEST(UrlOrigin, SameOrigin) {
  EXPECT_TRUE(same_origin(must_parse("https://a.com/x"), must_parse("https://A.com:443/y?z")));
  EXPECT_FALSE(same_origin(must_parse("https://a.com/"), must_parse("http://a.com/")));
  EXPECT_FALSE(same_origin(must_parse("https://a.com/"), must_parse("https://a.com:8443/")));
  EXPECT_FALSE(same_origin(must_parse("https://a.com/"), must_parse("https://b.a.com/")));
  EXPECT_FALSE(same_origin(must_parse("http://a.com/"), must_parse("ws://a.com/")));
  EXPECT_TRUE(same_origin(must_parse("http://127.1/"), must_parse("http://127.0.0.1:80/")));
  wraith::Origin o = must_parse("wss://[::1]/").origin();
  EXPECT_EQ(o.scheme, "wss");
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 443);
}

TEST(UrlParse, ToStringRoundTrips) {
  for (const char* in : {"http://h/", "https://u:p@h:1/a?b#c", "ws://[::1]:9/x", "http://h/a%20b?c%20d#e"}) {
    Url u = must_parse(in);
    Url again = must_parse(u.to_string());
    EXPECT_EQ(again.to_string(), u.to_string());
    EXPECT_EQ(u.to_string(), in);
  }
}

TEST(UrlParse, EqualityComparesCanonicalForms) {
  EXPECT_EQ(must_parse("HTTP://Example.com:80/a/./b"), must_parse("http://example.com/a/b"));
  EXPECT_FALSE(must_parse("http://example.com/a") == must_parse("http://example.com/a#f"));
}
