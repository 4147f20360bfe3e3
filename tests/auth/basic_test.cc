#include "auth/basic.h"

#include <gtest/gtest.h>

using namespace wraith;
using namespace wraith::auth;

// RFC 7617 section 2: user "Aladdin", password "open sesame".
TEST(AuthBasic, Rfc7617Example) {
  EXPECT_EQ(basic_authorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

// RFC 7617 section 2.1: user "test", password "123" followed by U+00A3 POUND SIGN, sent as UTF-8.
TEST(AuthBasic, Rfc7617Utf8Example) {
  EXPECT_EQ(basic_authorization("test", "123\xc2\xa3"), "Basic dGVzdDoxMjPCow==");
}

// RFC 4648 section 10 test vectors.
TEST(AuthBasic, Base64Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(basic_authorization("", ""), "Basic Og==");
}

TEST(AuthBasic, Bearer) {
  auto ok = bearer_authorization("mF_9.B5f-4.1JqM");  // RFC 6750 section 2.1 example token
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "Bearer mF_9.B5f-4.1JqM");
  for (std::string bad : {std::string(""), std::string("a b"), std::string("a\r\nX: y"), std::string("\xc3\xa4")}) {
    auto r = bearer_authorization(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_argument);
  }
}
