#include "wraith/auth.h"

#include <gtest/gtest.h>

#include <ostream>
#include <type_traits>

using namespace wraith;
using namespace wraith::auth;

namespace {
template <class T, class = void>
struct is_streamable : std::false_type {};
template <class T>
struct is_streamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>> : std::true_type {};
}  // namespace

// Credentials must never reach a log by accident: streaming them does not compile.
static_assert(!is_streamable<Credentials>::value, "Credentials must not be streamable");
static_assert(is_streamable<int>::value, "the detector itself works");

TEST(AuthCredentials, DescribeRedactsSecrets) {
  Credentials basic{Credentials::Scheme::basic, "alice", "hunter2-secret", ""};
  std::string d = basic.describe();
  EXPECT_EQ(d.find("hunter2"), std::string::npos) << d;
  EXPECT_NE(d.find("alice"), std::string::npos);
  EXPECT_NE(d.find("<redacted>"), std::string::npos);
  EXPECT_NE(d.find("basic"), std::string::npos);

  Credentials bearer{Credentials::Scheme::bearer, "", "", "tok-ABCDEF-123"};
  d = bearer.describe();
  EXPECT_EQ(d.find("ABCDEF"), std::string::npos) << d;
  EXPECT_NE(d.find("bearer"), std::string::npos);

  Credentials weird{Credentials::Scheme::digest, "a\r\nb", "pw", ""};
  d = weird.describe();
  EXPECT_EQ(d.find('\n'), std::string::npos) << d;
  EXPECT_EQ(d.find("pw"), std::string::npos) << d;
}

TEST(AuthCredentials, Validate) {
  using S = Credentials::Scheme;
  EXPECT_TRUE(validate({S::basic, "alice", "pw", ""}).ok());
  EXPECT_TRUE(validate({S::digest, "a:b", "pw", ""}).ok());  // Digest quotes the name; ':' is fine there
  EXPECT_TRUE(validate({S::bearer, "", "", "abc=="}).ok());
  for (Credentials bad : {Credentials{S::basic, "a:b", "pw", ""}, Credentials{S::basic, "a\nb", "pw", ""},
                          Credentials{S::basic, "a", "p\rw", ""}, Credentials{S::any, "a:b", "pw", ""},
                          Credentials{S::bearer, "", "", ""}, Credentials{S::bearer, "", "", "a b"}}) {
    auto r = validate(bad);
    ASSERT_FALSE(r.ok()) << bad.describe();
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(r.error().message.find("pw"), std::string::npos);
  }
}
