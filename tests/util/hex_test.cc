#include "util/hex.h"

#include <gtest/gtest.h>

using wraith::util::from_hex;
using wraith::util::to_hex;

TEST(Hex, RoundTrip) {
  std::vector<std::uint8_t> bytes{0x00, 0x0a, 0xff, 0x13};
  EXPECT_EQ(to_hex(bytes), "000aff13");
  EXPECT_EQ(*from_hex("000AFF13"), bytes);
}

TEST(Hex, RejectsBadInput) {
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}
