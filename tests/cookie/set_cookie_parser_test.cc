#include "cookie/set_cookie_parser.h"

#include <gtest/gtest.h>

using namespace wraith;
using wraith::cookie::parse_set_cookie;

TEST(SetCookieParser, NameValueAndAttributes) {
  auto p = parse_set_cookie(" sid = abc=def ; Path=/x; Domain=.Example.com; Secure; HttpOnly; SameSite=lax; Max-Age=60");
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->name, "sid");
  EXPECT_EQ(p->value, "abc=def");
  EXPECT_EQ(p->path, "/x");
  EXPECT_EQ(p->domain, ".Example.com");
  EXPECT_TRUE(p->secure);
  EXPECT_TRUE(p->http_only);
  EXPECT_EQ(p->same_site, SameSite::lax);
  EXPECT_EQ(p->max_age, 60);
}

TEST(SetCookieParser, NamelessCookieKeepsWholePairAsValue) {
  auto p = parse_set_cookie("justavalue; Path=/");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "");
  EXPECT_EQ(p->value, "justavalue");
  auto empty_name = parse_set_cookie("=v");
  ASSERT_TRUE(empty_name);
  EXPECT_EQ(empty_name->name, "");
  EXPECT_EQ(empty_name->value, "v");
  EXPECT_FALSE(parse_set_cookie("="));
  EXPECT_FALSE(parse_set_cookie("  ; Path=/"));
}

TEST(SetCookieParser, RejectsControlCharactersButAllowsTab) {
  EXPECT_FALSE(parse_set_cookie(std::string("a=b\x01")));
  EXPECT_FALSE(parse_set_cookie(std::string("a=b\r\nSet-Cookie: x=y")));
  EXPECT_FALSE(parse_set_cookie(std::string("a=b\0c", 5)));
  EXPECT_FALSE(parse_set_cookie("a=b\x7f"));
  auto tab = parse_set_cookie("a=b\tc");
  ASSERT_TRUE(tab);
  EXPECT_EQ(tab->value, "b\tc");
  EXPECT_EQ(parse_set_cookie("a=b; Path=/\x02").error().kind, ErrorKind::invalid_header);
}

TEST(SetCookieParser, SizeLimits) {
  std::string name(96, 'n');
  std::string value(4000, 'v');
  EXPECT_TRUE(parse_set_cookie(name + "=" + value));           // exactly 4096
  EXPECT_FALSE(parse_set_cookie(name + "=" + value + "v"));    // 4097
  // An attribute value over 1024 bytes is ignored, not fatal.
  auto p = parse_set_cookie("a=b; Path=/" + std::string(1024, 'p'));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->path);
  auto q = parse_set_cookie("a=b; Path=/" + std::string(1023, 'p'));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->path->size(), 1024u);
}

TEST(SetCookieParser, LastValidAttributeWins) {
  auto p = parse_set_cookie("a=b; Max-Age=10; max-age=bogus; Expires=nonsense; EXPIRES=Sun, 06 Nov 1994 08:49:37 GMT;"
                            " Domain=a.com; Domain=; SameSite=Strict; SameSite=weird; Path=/p; Path=rel");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->max_age, 10);
  EXPECT_EQ(p->expires, 784111777);
  EXPECT_EQ(p->domain, "a.com");              // an empty Domain is ignored
  EXPECT_EQ(p->same_site, SameSite::unspecified);  // unknown value -> default
  EXPECT_EQ(p->path, "");                     // "rel" does not start with '/': default-path later
}

TEST(SetCookieParser, MaxAgeSyntax) {
  EXPECT_EQ(parse_set_cookie("a=b; Max-Age=-5")->max_age, -5);
  EXPECT_EQ(parse_set_cookie("a=b; Max-Age=0")->max_age, 0);
  EXPECT_FALSE(parse_set_cookie("a=b; Max-Age=+5")->max_age);
  EXPECT_FALSE(parse_set_cookie("a=b; Max-Age=5s")->max_age);
  EXPECT_FALSE(parse_set_cookie("a=b; Max-Age=")->max_age);
  EXPECT_GT(*parse_set_cookie("a=b; Max-Age=99999999999999999999999999")->max_age, 0);
}
