#include "auth/responder.h"

#include <gtest/gtest.h>

#include "auth/basic.h"

#include <random>

using namespace wraith;
using namespace wraith::auth;
using S = Credentials::Scheme;

namespace {

std::vector<HeaderField> www(std::initializer_list<const char*> values, const char* name = "WWW-Authenticate") {
  std::vector<HeaderField> h{{"Content-Length", "0"}};
  for (const char* v : values) h.emplace_back(name, v);
  return h;
}

std::optional<HeaderField> retry(Authenticator& a, const std::vector<HeaderField>& headers) {
  auto r = a.on_challenge("GET", "/", headers);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().describe());
  return r.ok() ? *r : std::nullopt;
}

Challenge parsed(const HeaderField& h) {
  auto r = parse_challenges(h.second);
  EXPECT_TRUE(r.ok() && r->size() == 1) << h.second;
  return r.ok() && !r->empty() ? (*r)[0] : Challenge{};
}

std::string param(const HeaderField& h, const char* name) {
  Challenge c = parsed(h);
  const std::string* v = c.param(name);
  return v ? *v : "<absent>";
}

DigestOptions fixed_cnonce() { return DigestOptions{[] { return std::string("cn"); }}; }

constexpr const char* kDigest = R"(Digest realm="r", nonce="n1", qop="auth", algorithm=SHA-256)";

}  // namespace

TEST(AuthResponder, BasicIsPreemptiveAndNotRetriedOnceRejected) {
  Authenticator a({S::basic, "Aladdin", "open sesame", ""});
  auto first = a.initial("GET", "/");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->first, "Authorization");
  EXPECT_EQ(first->second, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_FALSE(retry(a, www({"Basic realm=\"x\""})).has_value());  // sent and refused: wrong credentials
}

TEST(AuthResponder, BearerIsPreemptive) {
  Authenticator a({S::bearer, "", "", "mF_9.B5f-4.1JqM"});
  auto first = a.initial("GET", "/");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->second, "Bearer mF_9.B5f-4.1JqM");
  EXPECT_FALSE(retry(a, www({R"(Bearer realm="example", error="invalid_token")"})).has_value());
}

TEST(AuthResponder, DigestAnswersChallengeThenReusesNonce) {
  Authenticator a({S::digest, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
  EXPECT_FALSE(a.initial("GET", "/").has_value());  // never before a challenge
  auto answer = retry(a, www({"Basic realm=\"b\"", kDigest}));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->first, "Authorization");
  EXPECT_EQ(param(*answer, "nc"), "00000001");
  EXPECT_EQ(param(*answer, "algorithm"), "SHA-256");
  // Next request: the cached nonce goes out up front with the next count.
  auto next = a.initial("GET", "/two");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(param(*next, "nc"), "00000002");
  EXPECT_EQ(param(*next, "uri"), "/two");
}

TEST(AuthResponder, DigestWrongPasswordGivesUp) {
  Authenticator a({S::digest, "u", "wrong", ""}, Authenticator::Target::origin, fixed_cnonce());
  a.initial("GET", "/");
  ASSERT_TRUE(retry(a, www({kDigest})).has_value());
  // A second challenge without stale=true, even with a new nonce: these credentials were refused.
  EXPECT_FALSE(retry(a, www({R"(Digest realm="r", nonce="n2", qop="auth")"})).has_value());
}

TEST(AuthResponder, DigestStaleRenewsNonceWithoutGivingUp) {
  Authenticator a({S::digest, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
  a.initial("GET", "/");
  ASSERT_TRUE(retry(a, www({kDigest})).has_value());
  auto renewed = retry(a, www({R"(Digest realm="r", nonce="n2", qop="auth", stale=true)"}));
  ASSERT_TRUE(renewed.has_value());
  EXPECT_EQ(param(*renewed, "nonce"), "n2");
  EXPECT_EQ(param(*renewed, "nc"), "00000001");
  // stale=true with the nonce we just used would loop: refuse.
  EXPECT_FALSE(retry(a, www({R"(Digest realm="r", nonce="n2", qop="auth", stale=true)"})).has_value());
}

TEST(AuthResponder, DigestStaleRenewalsAreBounded) {
  Authenticator a({S::digest, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
  a.initial("GET", "/");
  ASSERT_TRUE(retry(a, www({kDigest})).has_value());
  int answered = 0;
  for (int i = 0; i < 10; ++i) {
    std::string c = "Digest realm=\"r\", qop=\"auth\", stale=true, nonce=\"s" + std::to_string(i) + "\"";
    if (retry(a, www({c.c_str()})).has_value()) ++answered;
  }
  EXPECT_EQ(answered, Authenticator::kMaxNonceRenewals);
  // A new request starts a fresh budget.
  a.initial("GET", "/");
  EXPECT_TRUE(retry(a, www({R"(Digest realm="r", qop="auth", stale=true, nonce="fresh")"})).has_value());
}

TEST(AuthResponder, PreemptiveDigestMayRenewAForgottenNonceOnce) {
  Authenticator a({S::digest, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
  a.initial("GET", "/");
  ASSERT_TRUE(retry(a, www({kDigest})).has_value());
  ASSERT_TRUE(a.initial("GET", "/").has_value());  // reuses n1
  // Server forgot n1 and did not say stale: one fresh answer is still fair.
  auto fresh = retry(a, www({R"(Digest realm="r", nonce="n9", qop="auth")"}));
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(param(*fresh, "nonce"), "n9");
  EXPECT_FALSE(retry(a, www({R"(Digest realm="r", nonce="n10", qop="auth")"})).has_value());
}

TEST(AuthResponder, DigestPicksStrongestAlgorithm) {
  Authenticator a({S::digest, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
  a.initial("GET", "/");
  auto answer = retry(a, www({R"(Digest realm="r", nonce="n", qop="auth", algorithm=MD5)",
                              R"(Digest realm="r", nonce="n", qop="auth", algorithm=SHA-512-256)",
                              R"(Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256)"}));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(param(*answer, "algorithm"), "SHA-512-256");
}

TEST(AuthResponder, AnyPrefersDigestAndFallsBackToBasic) {
  Authenticator d({S::any, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
  EXPECT_FALSE(d.initial("GET", "/").has_value());
  auto answer = retry(d, www({"Basic realm=\"b\"", kDigest}));
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(parsed(*answer).is("Digest"));
  // A refused Digest answer never downgrades to Basic.
  EXPECT_FALSE(retry(d, www({"Basic realm=\"b\"", R"(Digest realm="r", nonce="n2", qop="auth")"})).has_value());

  Authenticator b({S::any, "u", "p", ""});
  EXPECT_FALSE(b.initial("GET", "/").has_value());
  auto basic = retry(b, www({"Basic realm=\"b\""}));
  ASSERT_TRUE(basic.has_value());
  EXPECT_EQ(basic->second, basic_authorization("u", "p"));
  auto next = b.initial("GET", "/");  // the server wants Basic: now sent up front
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->second, basic_authorization("u", "p"));
  EXPECT_FALSE(retry(b, www({"Basic realm=\"b\""})).has_value());

  // Digest offered but unusable (auth-int only), Basic offered too: Basic.
  Authenticator c({S::any, "u", "p", ""});
  c.initial("GET", "/");
  auto fallback = retry(c, www({R"(Digest realm="r", nonce="n", qop="auth-int")", "Basic realm=\"b\""}));
  ASSERT_TRUE(fallback.has_value());
  EXPECT_TRUE(parsed(*fallback).is("Basic"));
}

TEST(AuthResponder, NoMatchingSchemeIsNullopt) {
  Authenticator a({S::digest, "u", "p", ""});
  a.initial("GET", "/");
  EXPECT_FALSE(retry(a, www({"Basic realm=\"x\"", "Negotiate"})).has_value());
  EXPECT_FALSE(retry(a, www({})).has_value());  // a 401 without any challenge
  Authenticator b({S::basic, "u", "p", ""});
  b.initial("GET", "/");
  // Basic was sent preemptively; even so, a Digest-only server cannot be answered by Basic credentials.
  EXPECT_FALSE(retry(b, www({kDigest})).has_value());
}

TEST(AuthResponder, Errors) {
  Authenticator a({S::digest, "u", "p", ""});
  a.initial("GET", "/");
  auto malformed = a.on_challenge("GET", "/", www({"Digest realm=\"unterminated"}));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().kind, ErrorKind::protocol);
  EXPECT_FALSE(retry(a, www({kDigest})).has_value());  // this request is over
  a.initial("GET", "/");
  auto auth_int = a.on_challenge("GET", "/", www({R"(Digest realm="r", nonce="n", qop="auth-int")"}));
  ASSERT_FALSE(auth_int.ok());
  EXPECT_NE(auth_int.error().message.find("auth-int"), std::string::npos);

  Authenticator bad({S::basic, "a:b", "secret-pw", ""});
  EXPECT_FALSE(bad.initial("GET", "/").has_value());
  auto r = bad.on_challenge("GET", "/", www({"Basic realm=\"x\""}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(r.error().message.find("secret-pw"), std::string::npos);
}

TEST(AuthResponder, ProxyTargetUsesProxyHeaders) {
  Authenticator a({S::digest, "u", "p", ""}, Authenticator::Target::proxy, fixed_cnonce());
  a.initial("CONNECT", "example.com:443");
  // WWW-Authenticate is not for the proxy.
  EXPECT_FALSE(retry(a, www({kDigest})).has_value());
  a.initial("CONNECT", "example.com:443");
  auto r = a.on_challenge("CONNECT", "example.com:443", www({kDigest}, "proxy-authenticate"));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->first, "Proxy-Authorization");
  EXPECT_EQ(param(**r, "uri"), "example.com:443");
}

TEST(AuthResponder, NextnonceFromAuthenticationInfo) {
  Authenticator a({S::digest, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
  a.initial("GET", "/");
  ASSERT_TRUE(retry(a, www({kDigest})).has_value());
  a.on_response(std::vector<HeaderField>{{"authentication-info", R"(qop=auth, rspauth="ab", cnonce="cn", nc=00000001, nextnonce="n2")"}});
  auto next = a.initial("GET", "/");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(param(*next, "nonce"), "n2");
  EXPECT_EQ(param(*next, "nc"), "00000001");
  // Malformed or proxy-only info changes nothing.
  a.on_response(std::vector<HeaderField>{{"Authentication-Info", "nextnonce=\"broken"},
                                         {"Proxy-Authentication-Info", "nextnonce=\"n3\""}});
  auto again = a.initial("GET", "/");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(param(*again, "nonce"), "n2");
  EXPECT_EQ(param(*again, "nc"), "00000002");
}

// Hostile challenge headers, random bytes around the grammar: typed results only (ASan/UBSan run).
TEST(AuthResponder, RandomChallengesNeverMisbehave) {
  std::mt19937 rng(99);
  const std::vector<std::string> pieces = {"Digest", "Basic", "Bearer", " ", ",", "=", "\"", "realm", "nonce",
                                           "qop", "auth", "auth-int", "stale", "true", "algorithm", "SHA-256",
                                           "MD5-sess", "userhash", "opaque", "\\", "\x01", "\xff", "abc=="};
  for (S scheme : {S::any, S::digest, S::basic}) {
    Authenticator a({scheme, "u", "p", ""}, Authenticator::Target::origin, fixed_cnonce());
    for (int i = 0; i < 3000; ++i) {
      if (i % 3 == 0) a.initial("GET", "/");
      std::string v;
      for (int n = static_cast<int>(rng() % 24); n > 0; --n) v += pieces[rng() % pieces.size()];
      auto r = a.on_challenge("GET", "/", std::vector<HeaderField>{{"WWW-Authenticate", v}});
      if (r.ok() && r->has_value()) {
        EXPECT_EQ((*r)->first, "Authorization");
        EXPECT_EQ((*r)->second.find_first_of("\r\n"), std::string::npos);
      }
    }
  }
}
