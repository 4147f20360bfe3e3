#include "auth/digest.h"

#include <gtest/gtest.h>
#include <openssl/digest.h>

#include "util/hex.h"

using namespace wraith;
using namespace wraith::auth;

namespace {

Challenge challenge_of(std::string_view header_value) {
  auto r = parse_challenges(header_value);
  EXPECT_TRUE(r.ok() && r->size() == 1) << header_value;
  return r.ok() && !r->empty() ? (*r)[0] : Challenge{};
}

// Our Authorization value has the challenge grammar, so the same parser reads it back field by field.
Challenge answer_of(const Result<std::string>& value) {
  EXPECT_TRUE(value.ok()) << (value.ok() ? "" : value.error().describe());
  if (!value.ok()) return {};
  Challenge c = challenge_of(*value);
  EXPECT_TRUE(c.is("Digest")) << *value;
  return c;
}

std::string field(const Challenge& c, std::string_view name) {
  const std::string* v = c.param(name);
  return v ? *v : std::string("<absent>");
}

DigestOptions fixed_cnonce(std::string cnonce) {
  return DigestOptions{[cnonce] { return cnonce; }};
}

// Independent H() for expectations derived from the RFC 7616 3.4.1 formulas.
std::string H(const EVP_MD* md, const std::string& s) {
  std::uint8_t out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(s.data(), s.size(), out, &len, md, nullptr);
  return util::to_hex(std::span<const std::uint8_t>(out, len));
}

// RFC 7616 section 3.9.1 (facts from the RFC: challenge values, cnonce, and the published responses).
constexpr const char* kRfc7616Realm = "http-auth@example.org";
constexpr const char* kRfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr const char* kRfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
constexpr const char* kRfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

std::string rfc7616_challenge(const char* algorithm) {
  return std::string("Digest realm=\"") + kRfc7616Realm + "\", qop=\"auth, auth-int\", algorithm=" + algorithm +
         ", nonce=\"" + kRfc7616Nonce + "\", opaque=\"" + kRfc7616Opaque + "\"";
}

void expect_rfc7616_answer(const Challenge& a, const char* algorithm, const char* response) {
  EXPECT_EQ(field(a, "username"), "Mufasa");
  EXPECT_EQ(field(a, "realm"), kRfc7616Realm);
  EXPECT_EQ(field(a, "uri"), "/dir/index.html");
  EXPECT_EQ(field(a, "algorithm"), algorithm);
  EXPECT_EQ(field(a, "nonce"), kRfc7616Nonce);
  EXPECT_EQ(field(a, "nc"), "00000001");
  EXPECT_EQ(field(a, "cnonce"), kRfc7616Cnonce);
  EXPECT_EQ(field(a, "qop"), "auth");
  EXPECT_EQ(field(a, "response"), response);
  EXPECT_EQ(field(a, "opaque"), kRfc7616Opaque);
  EXPECT_EQ(a.param("userhash"), nullptr);
}

}  // namespace

TEST(AuthDigest, Rfc7616Section391Md5) {
  DigestSession s("Mufasa", "Circle of Life", fixed_cnonce(kRfc7616Cnonce));
  auto a = answer_of(s.authorization("GET", "/dir/index.html", challenge_of(rfc7616_challenge("MD5"))));
  expect_rfc7616_answer(a, "MD5", "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(AuthDigest, Rfc7616Section391Sha256) {
  DigestSession s("Mufasa", "Circle of Life", fixed_cnonce(kRfc7616Cnonce));
  auto a = answer_of(s.authorization("GET", "/dir/index.html", challenge_of(rfc7616_challenge("SHA-256"))));
  expect_rfc7616_answer(a, "SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

// RFC 7616 section 3.9.2: SHA-512-256, charset=UTF-8, userhash=true, user "Jäsøn Doe" (inputs from the RFC).
// The RFC's printed outputs (username 4888694...ec, response ae66e67...dd) were computed with SHA-512
// truncated to 256 bits, not with SHA-512/256 (FIPS 180-4, distinct initial values) that RFC 7616 3.2 names.
// We follow the normative text and check against both: SHA-512/256 formulas computed here for our output,
// and the truncated-SHA-512 chain reproducing the RFC's printed values, so the discrepancy stays explained.
TEST(AuthDigest, Rfc7616Section392Sha512_256Userhash) {
  const char* challenge =
      "Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-512-256, "
      "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", "
      "opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\", charset=UTF-8, userhash=true";
  const std::string user = "J\xc3\xa4s\xc3\xb8n Doe";
  const std::string pass = "Secret, or not?";
  const std::string nonce = "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK";
  const std::string cnonce = "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v";
  auto chain = [&](auto h) {
    std::string ha1 = h(user + ":api@example.org:" + pass);
    return h(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + h(std::string("GET:/doe.json")));
  };
  auto sha512_256 = [](const std::string& s) { return H(EVP_sha512_256(), s); };
  auto truncated_sha512 = [](const std::string& s) { return H(EVP_sha512(), s).substr(0, 64); };
  ASSERT_EQ(truncated_sha512(user + ":api@example.org"), "488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec");
  ASSERT_EQ(chain(truncated_sha512), "ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd");

  DigestSession s(user, pass, fixed_cnonce(cnonce));
  auto a = answer_of(s.authorization("GET", "/doe.json", challenge_of(challenge)));
  EXPECT_EQ(field(a, "username"), sha512_256(user + ":api@example.org"));
  EXPECT_EQ(field(a, "userhash"), "true");
  EXPECT_EQ(field(a, "algorithm"), "SHA-512-256");
  EXPECT_EQ(field(a, "response"), chain(sha512_256));
  EXPECT_EQ(field(a, "opaque"), "HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS");
  EXPECT_EQ(field(a, "nc"), "00000001");

  // Same exchange without userhash: the name goes out as RFC 8187 username*, as the RFC shows
  // (username*=UTF-8''J%C3%A4s%C3%B8n%20Doe); the response is unchanged since HA1 hashes the real name.
  std::string plain(challenge);
  plain.replace(plain.find("userhash=true"), 13, "userhash=false");
  DigestSession s2(user, pass, fixed_cnonce(cnonce));
  auto b = answer_of(s2.authorization("GET", "/doe.json", challenge_of(plain)));
  EXPECT_EQ(field(b, "username*"), "UTF-8''J%C3%A4s%C3%B8n%20Doe");
  EXPECT_EQ(b.param("username"), nullptr);
  EXPECT_EQ(b.param("userhash"), nullptr);
  EXPECT_EQ(field(b, "response"), chain(sha512_256));
}

// RFC 2617 section 3.5 example (no algorithm parameter, so MD5; password "Circle Of Life").
TEST(AuthDigest, Rfc2617Section35Example) {
  DigestSession s("Mufasa", "Circle Of Life", fixed_cnonce("0a4f113b"));
  auto a = answer_of(s.authorization(
      "GET", "/dir/index.html",
      challenge_of(R"(Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41")")));
  EXPECT_EQ(field(a, "response"), "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(field(a, "nc"), "00000001");
  EXPECT_EQ(field(a, "cnonce"), "0a4f113b");
  EXPECT_EQ(field(a, "opaque"), "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_EQ(a.param("algorithm"), nullptr);  // not echoed when the server did not name one
}

TEST(AuthDigest, NonceCountPerNonce) {
  DigestSession s("u", "p", fixed_cnonce("c"));
  Challenge first = challenge_of(R"(Digest realm="r", nonce="n1", qop="auth")");
  for (const char* want : {"00000001", "00000002", "00000003"}) {
    auto a = answer_of(s.authorization("GET", "/", first));
    EXPECT_EQ(field(a, "nc"), want);
  }
  EXPECT_EQ(s.nonce_count(), 3u);
  // A stale=true challenge carries a new nonce: the count starts over, the realm binding stays.
  Challenge stale = challenge_of(R"(Digest realm="r", nonce="n2", qop="auth", stale=true)");
  auto a = answer_of(s.authorization("GET", "/", stale));
  EXPECT_EQ(field(a, "nonce"), "n2");
  EXPECT_EQ(field(a, "nc"), "00000001");
  EXPECT_EQ(s.nonce(), "n2");
  EXPECT_EQ(s.realm(), "r");
  auto b = answer_of(s.authorization("GET", "/", stale));
  EXPECT_EQ(field(b, "nc"), "00000002");
}

TEST(AuthDigest, DefaultCnonceComesFromCsprng) {
  DigestSession s("u", "p");
  Challenge c = challenge_of(R"(Digest realm="r", nonce="n", qop="auth")");
  std::string c1 = field(answer_of(s.authorization("GET", "/", c)), "cnonce");
  std::string c2 = field(answer_of(s.authorization("GET", "/", c)), "cnonce");
  EXPECT_EQ(c1.size(), 32u);
  EXPECT_TRUE(util::from_hex(c1).has_value()) << c1;
  EXPECT_NE(c1, c2);
}

// -sess variants and the RFC 2069 form (no qop), against the RFC 7616 3.4.2 / 3.4.1 formulas computed here.
TEST(AuthDigest, SessAndNoQopMatchFormulas) {
  struct Case {
    const char* algorithm;
    const EVP_MD* md;
  } cases[] = {{"MD5-sess", EVP_md5()}, {"SHA-256-sess", EVP_sha256()}, {"SHA-512-256-sess", EVP_sha512_256()}};
  for (const Case& k : cases) {
    DigestSession s("user", "pass", fixed_cnonce("cn"));
    auto a = answer_of(s.authorization(
        "POST", "/x?y=1", challenge_of(std::string("Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=") + k.algorithm)));
    std::string ha1 = H(k.md, H(k.md, "user:r:pass") + ":n:cn");
    std::string ha2 = H(k.md, "POST:/x?y=1");
    EXPECT_EQ(field(a, "response"), H(k.md, ha1 + ":n:00000001:cn:auth:" + ha2)) << k.algorithm;
    EXPECT_EQ(field(a, "algorithm"), k.algorithm);
  }
  DigestSession s("user", "pass", fixed_cnonce("unused"));
  auto a = answer_of(s.authorization("GET", "/old", challenge_of(R"(Digest realm="r", nonce="n")")));
  const EVP_MD* md5 = EVP_md5();
  EXPECT_EQ(field(a, "response"), H(md5, H(md5, "user:r:pass") + ":n:" + H(md5, "GET:/old")));
  EXPECT_EQ(a.param("nc"), nullptr);
  EXPECT_EQ(a.param("cnonce"), nullptr);
  EXPECT_EQ(a.param("qop"), nullptr);
  EXPECT_EQ(a.param("opaque"), nullptr);
}

TEST(AuthDigest, QuotesUserNameAndTarget) {
  DigestSession s("we\"ird\\name", "p", fixed_cnonce("c"));
  auto value = s.authorization("GET", "/a\"b", challenge_of(R"(Digest realm="r \"q\"", nonce="n", qop=auth)"));
  auto a = answer_of(value);
  EXPECT_EQ(field(a, "username"), "we\"ird\\name");
  EXPECT_EQ(field(a, "uri"), "/a\"b");
  EXPECT_EQ(field(a, "realm"), "r \"q\"");
  const EVP_MD* md5 = EVP_md5();
  std::string ha1 = H(md5, "we\"ird\\name:r \"q\":p");
  EXPECT_EQ(field(a, "response"), H(md5, ha1 + ":n:00000001:c:auth:" + H(md5, "GET:/a\"b")));
}

TEST(AuthDigest, RefusesWhatItCannotAnswer) {
  struct Case {
    const char* challenge;
    ErrorKind kind;
    const char* mentions;
  } cases[] = {
      {R"(Digest realm="r", nonce="n", qop="auth-int")", ErrorKind::protocol, "auth-int"},
      {R"(Digest realm="r", nonce="n", qop="fancy")", ErrorKind::protocol, "qop"},
      {R"(Digest realm="r", nonce="n", algorithm=SHA-1)", ErrorKind::protocol, "SHA-1"},
      {R"(Digest realm="r", nonce="n", algorithm=MD5-sess)", ErrorKind::protocol, "without qop"},
      {R"(Digest realm="r", qop="auth")", ErrorKind::protocol, "nonce"},
      {R"(Digest nonce="n", qop="auth")", ErrorKind::protocol, "realm"},
      {R"(Basic realm="r")", ErrorKind::invalid_argument, "Digest"},
  };
  for (const Case& k : cases) {
    DigestSession s("u", "p", fixed_cnonce("c"));
    auto r = s.authorization("GET", "/", challenge_of(k.challenge));
    ASSERT_FALSE(r.ok()) << k.challenge;
    EXPECT_EQ(r.error().kind, k.kind) << k.challenge;
    EXPECT_NE(r.error().message.find(k.mentions), std::string::npos) << r.error().message;
  }
  DigestSession s("u", "p", fixed_cnonce("c"));
  Challenge ok = challenge_of(R"(Digest realm="r", nonce="n", qop="auth-int, auth")");
  EXPECT_TRUE(s.authorization("GET", "/", ok).ok());  // auth offered alongside auth-int: fine
  EXPECT_EQ(s.authorization("GET", "/a b", ok).error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(s.authorization("GE T", "/", ok).error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(s.authorization("", "/", ok).error().kind, ErrorKind::invalid_argument);
  auto other_realm = s.authorization("GET", "/", challenge_of(R"(Digest realm="other", nonce="n", qop=auth)"));
  ASSERT_FALSE(other_realm.ok());
  EXPECT_EQ(other_realm.error().kind, ErrorKind::invalid_argument);
  DigestSession bad_cnonce("u", "p", fixed_cnonce("a\r\nb"));
  EXPECT_EQ(bad_cnonce.authorization("GET", "/", ok).error().kind, ErrorKind::invalid_argument);
}

TEST(AuthDigest, AlgorithmNames) {
  for (auto a : {DigestAlgorithm::md5, DigestAlgorithm::md5_sess, DigestAlgorithm::sha256, DigestAlgorithm::sha256_sess,
                 DigestAlgorithm::sha512_256, DigestAlgorithm::sha512_256_sess}) {
    auto parsed = parse_digest_algorithm(to_string(a));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, a);
  }
  EXPECT_EQ(parse_digest_algorithm("sha-256"), DigestAlgorithm::sha256);
  EXPECT_FALSE(parse_digest_algorithm("SHA-1").has_value());
  EXPECT_GT(strength(DigestAlgorithm::sha512_256), strength(DigestAlgorithm::sha256));
  EXPECT_GT(strength(DigestAlgorithm::sha256), strength(DigestAlgorithm::md5_sess));
}
