// Field validation verdicts over every byte value, against the RFC definitions written out plainly here
// (RFC 9110 5.6.2 tchar, RFC 9113 8.2.1 lowercase names, 8.2.1 CR/LF/NUL in values).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "h2/header_rules.h"

namespace wraith::h2 {
namespace {

bool rfc_tchar(int c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool response_accepts(std::string name, std::string value) {
  std::vector<hpack::HeaderField> fields{{":status", "200"}, {std::move(name), std::move(value)}};
  return check_response_head(fields).ok();
}

TEST(H2HeaderRules, IncomingNameBytesExhaustive) {
  for (int c = 0; c < 256; ++c) {
    const bool want = rfc_tchar(c) && !(c >= 'A' && c <= 'Z');
    std::string inner = "x";  // built by appends: GCC 12's -Wrestrict misfires on "x" + std::string + "y" at -O3
    inner += static_cast<char>(c);
    inner += 'y';
    for (const std::string& name : {std::string(1, static_cast<char>(c)), inner}) {
      EXPECT_EQ(response_accepts(name, "v"), want) << "byte " << c;
      std::vector<hpack::HeaderField> trailer{{name, "v"}};
      EXPECT_EQ(check_response_trailers(trailer).ok(), want) << "byte " << c;
    }
  }
}

TEST(H2HeaderRules, IncomingValueBytesExhaustive) {
  for (int c = 0; c < 256; ++c) {
    const bool want = c != '\r' && c != '\n' && c != 0;
    EXPECT_EQ(response_accepts("x-v", std::string(1, static_cast<char>(c))), want) << "byte " << c;
    EXPECT_EQ(response_accepts("x-v", "ab" + std::string(1, static_cast<char>(c)) + "cdefghijklmnop"), want) << "byte " << c;
  }
}

// Values are scanned a word at a time: every position of a word and of the tail, with the forbidden bytes and
// their neighbours (which must not be mistaken for them).
TEST(H2HeaderRules, IncomingValueEveryPosition) {
  for (size_t len = 1; len <= 24; ++len) {
    for (size_t pos = 0; pos < len; ++pos) {
      for (int c : {0, 10, 13, 1, 0x09, 0x0b, 0x0c, 0x0e, 0x7f, 0x80, 0x8a, 0x8d, 0xff}) {
        std::string v(len, 'a');
        v[pos] = static_cast<char>(c);
        const bool want = c != 0 && c != '\n' && c != '\r';
        EXPECT_EQ(response_accepts("x-v", v), want) << "len " << len << " pos " << pos << " byte " << c;
      }
    }
  }
}

TEST(H2HeaderRules, OutgoingBytesExhaustive) {
  for (int c = 0; c < 256; ++c) {
    const std::string b(1, static_cast<char>(c));
    EXPECT_EQ(check_outgoing_field("x" + b, "v").ok(), rfc_tchar(c) && !(c >= 'A' && c <= 'Z')) << "byte " << c;
    EXPECT_EQ(check_outgoing_field("x-v", "a" + b).ok(), c != '\r' && c != '\n' && c != 0) << "byte " << c;
  }
}

TEST(H2HeaderRules, ConnectionSpecificAndEmptyNames) {
  for (const char* n : {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}) {
    EXPECT_FALSE(response_accepts(n, "x")) << n;
    EXPECT_TRUE(is_connection_specific(n)) << n;
  }
  EXPECT_TRUE(response_accepts("connectio", "x"));
  EXPECT_TRUE(response_accepts("te", "trailers"));
  EXPECT_FALSE(response_accepts("", "x"));
}

}  // namespace
}  // namespace wraith::h2
