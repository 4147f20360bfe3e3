#include "auth/challenge.h"

#include <gtest/gtest.h>

#include <random>

using namespace wraith;
using namespace wraith::auth;

namespace {

std::vector<Challenge> parse_ok(std::string_view value) {
  auto r = parse_challenges(value);
  EXPECT_TRUE(r.ok()) << value << ": " << (r.ok() ? "" : r.error().describe());
  return r.ok() ? *r : std::vector<Challenge>{};
}

ErrorKind parse_error(std::string_view value) {
  auto r = parse_challenges(value);
  EXPECT_FALSE(r.ok()) << "accepted: " << value;
  return r.ok() ? ErrorKind::io : r.error().kind;
}

}  // namespace

// The example in RFC 9110 11.6.1: two challenges in one value, one with an escaped quote.
TEST(AuthChallenge, Rfc9110ExampleTwoChallengesInOneValue) {
  auto cs = parse_ok(R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")");
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0].scheme, "Newauth");
  ASSERT_EQ(cs[0].params.size(), 3u);
  EXPECT_EQ(*cs[0].param("realm"), "apps");
  EXPECT_EQ(*cs[0].param("type"), "1");
  EXPECT_EQ(*cs[0].param("title"), R"(Login to "apps")");
  EXPECT_TRUE(cs[1].is("basic"));
  EXPECT_EQ(*cs[1].param("realm"), "simple");
}

TEST(AuthChallenge, CaseInsensitiveSchemeAndParamNames) {
  auto cs = parse_ok(R"(dIgEsT REALM="r", Nonce="n")");
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_TRUE(cs[0].is("Digest"));
  EXPECT_EQ(cs[0].scheme, "dIgEsT");
  EXPECT_EQ(cs[0].params[0].name, "realm");
  EXPECT_EQ(*cs[0].param("NONCE"), "n");
  EXPECT_EQ(cs[0].param("opaque"), nullptr);
}

TEST(AuthChallenge, QuotedPairEscapesAndObsText) {
  auto cs = parse_ok("X a=\"back\\\\slash \\\"q\\\" \\x tab\\\there \xc3\xa4\"");
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(*cs[0].param("a"), "back\\slash \"q\" x tab\there \xc3\xa4");
}

TEST(AuthChallenge, Token68) {
  auto cs = parse_ok("Bearer abc.DEF-ghi_jkl~mno+pqr/stu==, Negotiate YIIB, Basic realm=x");
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_EQ(cs[0].token68, "abc.DEF-ghi_jkl~mno+pqr/stu==");
  EXPECT_TRUE(cs[0].params.empty());
  EXPECT_EQ(cs[1].token68, "YIIB");
  EXPECT_EQ(*cs[2].param("realm"), "x");
  EXPECT_TRUE(cs[2].token68.empty());
  // Padding alone after a token: token68, not a parameter with an empty value.
  auto padded = parse_ok("Foo abc=");
  ASSERT_EQ(padded.size(), 1u);
  EXPECT_EQ(padded[0].token68, "abc=");
  // "realm=" right after the scheme is token68 too, by the grammar.
  auto realm_like = parse_ok("Basic realm=");
  ASSERT_EQ(realm_like.size(), 1u);
  EXPECT_EQ(realm_like[0].token68, "realm=");
  auto slash_first = parse_ok("Foo /x+y");
  ASSERT_EQ(slash_first.size(), 1u);
  EXPECT_EQ(slash_first[0].token68, "/x+y");
}

TEST(AuthChallenge, BareSchemesEmptyElementsAndWhitespace) {
  auto cs = parse_ok(" , Negotiate,,Basic ,  NTLM  ,");
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_EQ(cs[0].scheme, "Negotiate");
  EXPECT_EQ(cs[1].scheme, "Basic");
  EXPECT_EQ(cs[2].scheme, "NTLM");
  EXPECT_TRUE(parse_ok("").empty());
  auto bws = parse_ok("Basic realm = \"r\" ,charset\t=\tUTF-8");
  ASSERT_EQ(bws.size(), 1u);
  EXPECT_EQ(*bws[0].param("realm"), "r");
  EXPECT_EQ(*bws[0].param("charset"), "UTF-8");
}

TEST(AuthChallenge, SeveralHeadersCollectedByName) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "text/plain"},
      {"www-authenticate", R"(Digest realm="a", nonce="1", algorithm=SHA-256)"},
      {"Proxy-Authenticate", "Basic realm=\"proxy\""},
      {"WWW-Authenticate", R"(Digest realm="a", nonce="1", algorithm=MD5, Basic realm="b")"},
  };
  auto www = collect_challenges(headers, "WWW-Authenticate");
  ASSERT_TRUE(www.ok());
  ASSERT_EQ(www->size(), 3u);
  EXPECT_EQ(*(*www)[0].param("algorithm"), "SHA-256");
  EXPECT_EQ(*(*www)[1].param("algorithm"), "MD5");
  EXPECT_TRUE((*www)[2].is("Basic"));
  auto proxy = collect_challenges(headers, "proxy-authenticate");
  ASSERT_TRUE(proxy.ok());
  ASSERT_EQ(proxy->size(), 1u);
  EXPECT_EQ(*(*proxy)[0].param("realm"), "proxy");
}

TEST(AuthChallenge, MalformedIsProtocolError) {
  const char* bad[] = {
      "Basic realm=\"unterminated",
      "Basic a=b, c=",
      "Basic a=b, c=,",
      "Basic a=\"b\", c= ,d=e",
      "realm=\"no scheme\"",
      "Basic \"quoted\"",
      "Basic a=b c=d",
      "Basic a=\"x\"y",
      "Bearer abc== def",
      "Bearer abc, x=y",  // a parameter cannot follow a token68
      "Basic realm=\"a\nb\"",
      "Basic realm=\"a\\",
      "Basic realm=\"a\x01\"",
      "Basic\x01",
      "=x",
      "Basic realm=\"a\", realm=\"b\"",  // RFC 9110 11.2: each parameter at most once
      "Basic Realm=a, realm=b",
  };
  for (const char* v : bad) EXPECT_EQ(parse_error(v), ErrorKind::protocol) << v;
  std::string nul("Basic realm=\"a\0\"", 16);
  EXPECT_EQ(parse_error(nul), ErrorKind::protocol);
}

TEST(AuthChallenge, CapsAreTooLarge) {
  std::string long_value = "Basic realm=\"" + std::string(kMaxChallengeHeaderBytes, 'a') + "\"";
  EXPECT_EQ(parse_error(long_value), ErrorKind::too_large);

  std::string many_params = "X ";
  for (std::size_t i = 0; i <= kMaxAuthParams; ++i) many_params += "p" + std::to_string(i) + "=v,";
  EXPECT_EQ(parse_error(many_params), ErrorKind::too_large);

  std::string many_challenges;
  for (std::size_t i = 0; i <= kMaxChallenges; ++i) many_challenges += "S" + std::to_string(i) + ", ";
  EXPECT_EQ(parse_error(many_challenges), ErrorKind::too_large);

  // The caps hold across headers too: many small headers are one big one.
  std::vector<std::pair<std::string, std::string>> headers(kMaxChallenges + 1, {"WWW-Authenticate", "Basic"});
  auto r = collect_challenges(headers, "WWW-Authenticate");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  std::vector<std::pair<std::string, std::string>> big(3, {"WWW-Authenticate", "Basic realm=\"" + std::string(kMaxChallengeHeaderBytes / 2, 'a') + "\""});
  auto r2 = collect_challenges(big, "WWW-Authenticate");
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().kind, ErrorKind::too_large);
}

// Every prefix of a valid value and random bytes either parse or fail with a typed error (ASan/UBSan run).
TEST(AuthChallenge, PrefixesAndRandomBytesNeverMisbehave) {
  const std::string valid =
      R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe", Bearer abc==, Basic realm="x\"y")";
  ASSERT_TRUE(parse_challenges(valid).ok());
  for (std::size_t n = 0; n <= valid.size(); ++n) {
    auto r = parse_challenges(std::string_view(valid).substr(0, n));
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::protocol) << n;
    }
  }
  std::mt19937 rng(1234);
  const std::string alphabet = "ab=,\" \\\t/+-Digest\x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 40, '\0');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    auto r = parse_challenges(s);
    if (!r.ok()) {
      EXPECT_TRUE(r.error().kind == ErrorKind::protocol || r.error().kind == ErrorKind::too_large);
    } else {
      for (const Challenge& c : *r) EXPECT_FALSE(c.scheme.empty());
    }
  }
}
