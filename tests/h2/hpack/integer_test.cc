#include "h2/hpack/integer.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace wraith::h2::hpack {
namespace {

using test::hex;

std::vector<uint8_t> encoded(uint8_t flags, int prefix, uint32_t v) {
  std::vector<uint8_t> out;
  encode_integer(out, flags, prefix, v);
  return out;
}

// RFC 7541 C.1.1-C.1.3.
TEST(HpackInteger, RfcC1Vectors) {
  EXPECT_EQ(encoded(0, 5, 10), hex("0a"));
  EXPECT_EQ(encoded(0, 5, 1337), hex("1f9a0a"));
  EXPECT_EQ(encoded(0, 8, 42), hex("2a"));
  // Flags above the prefix are preserved.
  EXPECT_EQ(encoded(0xe0, 5, 10), hex("ea"));

  auto in = hex("1f9a0a");
  size_t pos = 0;
  auto v = decode_integer(in, pos, 5);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 1337u);
  EXPECT_EQ(pos, 3u);
}

TEST(HpackInteger, RoundTripAllPrefixesAndBoundaries) {
  const uint32_t values[] = {0, 1, 14, 15, 16, 30, 31, 62, 63, 64, 126, 127, 128, 254, 255, 256, 1337, 16383,
                             16384, 2097151, 268435455, 268435456, 0x7fffffff, 0xfffffffe, 0xffffffff};
  for (int prefix = 1; prefix <= 8; ++prefix) {
    for (uint32_t v : values) {
      auto bytes = encoded(0, prefix, v);
      EXPECT_LE(bytes.size(), 6u);
      size_t pos = 0;
      auto back = decode_integer(bytes, pos, prefix);
      ASSERT_TRUE(back.ok()) << prefix << " " << v;
      EXPECT_EQ(*back, v);
      EXPECT_EQ(pos, bytes.size());
    }
  }
}

TEST(HpackInteger, RejectsTruncation) {
  for (const char* h : {"", "1f", "1f9a", "1fffffffff"}) {
    auto in = hex(h);
    size_t pos = 0;
    auto v = decode_integer(in, pos, 5);
    ASSERT_FALSE(v.ok()) << h;
    EXPECT_EQ(v.error().kind, ErrorKind::protocol);
  }
}

TEST(HpackInteger, RejectsOverflowAndTooManyContinuationBytes) {
  // 2^32 exactly: 31 + (2^32 - 31).
  std::vector<uint8_t> big;
  encode_integer(big, 0, 5, 0xffffffff);
  size_t pos = 0;
  ASSERT_TRUE(decode_integer(big, pos, 5).ok());
  big[big.size() - 1] += 1;  // now one more than UINT32_MAX in the top group
  pos = 0;
  auto v = decode_integer(big, pos, 5);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::protocol);

  // Zero-padded continuation: small value, but 6 continuation bytes.
  auto padded = hex("1f808080808000");
  pos = 0;
  v = decode_integer(padded, pos, 5);
  ASSERT_FALSE(v.ok());
  // Five continuation bytes with a small value are fine.
  auto five = hex("1f8080808000");
  pos = 0;
  v = decode_integer(five, pos, 5);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 31u);
}

}  // namespace
}  // namespace wraith::h2::hpack
