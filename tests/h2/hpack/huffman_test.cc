#include "h2/hpack/huffman.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "h2/hpack/huffman_table.h"
#include "test_util.h"

namespace wraith::h2::hpack {
namespace {

using test::hex;

// The decoder's fallback relies on the RFC code being canonical; the prefix-freeness and completeness (Kraft sum
// exactly 1) also catch transcription errors in the table.
TEST(HpackHuffman, TableIsCompleteCanonicalCode) {
  std::vector<int> order(kHuffmanSymbols);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [](int a, int b) { return kHuffmanCodes[a].bits < kHuffmanCodes[b].bits; });
  uint64_t code = 0;
  int prev_bits = kHuffmanCodes[order[0]].bits;
  double kraft = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    const HuffmanCode& c = kHuffmanCodes[order[i]];
    if (i > 0) code = (code + 1) << (c.bits - prev_bits);
    prev_bits = c.bits;
    EXPECT_EQ(code, c.code) << "symbol " << order[i];
    kraft += 1.0 / static_cast<double>(uint64_t{1} << c.bits);
  }
  EXPECT_DOUBLE_EQ(kraft, 1.0);
  EXPECT_EQ(kHuffmanCodes[kHuffmanEos].bits, 30);
  EXPECT_EQ(kHuffmanCodes[kHuffmanEos].code, 0x3fffffffu);
}

// Huffman-coded strings from RFC 7541 C.4 and C.6.
struct Vector {
  const char* text;
  const char* coded;
};
const Vector kRfcStrings[] = {
    {"www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"},
    {"no-cache", "a8eb 1064 9cbf"},
    {"custom-key", "25a8 49e9 5ba9 7d7f"},
    {"custom-value", "25a8 49e9 5bb8 e8b4 bf"},
    {"302", "6402"},
    {"307", "640e ff"},
    {"private", "aec3 771a 4b"},
    {"Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"},
    {"Mon, 21 Oct 2013 20:13:22 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"},
    {"https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"},
    {"gzip", "9bd9 ab"},
    {"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
     "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 "
     "07"},
};

TEST(HpackHuffman, RfcStringsEncodeAndDecode) {
  for (const Vector& v : kRfcStrings) {
    const auto coded = hex(v.coded);
    std::vector<uint8_t> out;
    huffman_encode(v.text, out);
    EXPECT_EQ(out, coded) << v.text;
    EXPECT_EQ(huffman_encoded_size(v.text), coded.size());
    std::string text;
    ASSERT_TRUE(huffman_decode(coded, text, 1 << 20).ok()) << v.text;
    EXPECT_EQ(text, v.text);
  }
}

TEST(HpackHuffman, RandomRoundTrip) {
  std::mt19937 rng(7541);
  for (int round = 0; round < 3000; ++round) {
    const size_t len = rng() % 300;
    std::string s(len, '\0');
    // Mix full-byte strings (long codes) with header-like ASCII (short codes).
    const bool ascii = round % 2 == 0;
    for (char& c : s) c = static_cast<char>(ascii ? 32 + rng() % 95 : rng() % 256);
    std::vector<uint8_t> coded = {0xaa};  // appends, never overwrites
    huffman_encode(s, coded);
    ASSERT_EQ(coded.size(), 1 + huffman_encoded_size(s));
    std::string back = "x";
    auto r = huffman_decode(std::span<const uint8_t>(coded).subspan(1), back, s.size());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(back, "x" + s);
  }
}

TEST(HpackHuffman, EverySingleByteRoundTrips) {
  for (int b = 0; b < 256; ++b) {
    const std::string s(3, static_cast<char>(b));
    std::vector<uint8_t> coded;
    huffman_encode(s, coded);
    std::string back;
    ASSERT_TRUE(huffman_decode(coded, back, 16).ok()) << b;
    EXPECT_EQ(back, s);
  }
}

TEST(HpackHuffman, RejectsEos) {
  // EOS (30 ones) followed by 2 padding ones: a decoder must not accept it as padding.
  std::string out;
  auto r = huffman_decode(hex("ffffffff"), out, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::protocol);
  // '0' (00000) then EOS then padding.
  r = huffman_decode(hex("07ffffffff"), out, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(out.empty());
}

TEST(HpackHuffman, RejectsPaddingLongerThanSevenBits) {
  // "302" is 6402 (exactly 16 bits); an extra all-ones byte is 8 bits of padding.
  std::string out;
  auto r = huffman_decode(hex("6402ff"), out, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::protocol);
  // A lone 0xff is 8 bits of padding.
  r = huffman_decode(hex("ff"), out, 100);
  ASSERT_FALSE(r.ok());
}

TEST(HpackHuffman, RejectsPaddingThatIsNotOnes) {
  // '3' is 011001 (6 bits); padding "00" instead of "11".
  std::string out;
  auto r = huffman_decode(hex("64"), out, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::protocol);
  // '#' (12 bits) then "0000": one more 1 bit would complete '1' (00001); it must still be rejected as padding.
  r = huffman_decode(hex("ffa0"), out, 100);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(huffman_decode(hex("ffaf"), out, 100).ok());
  EXPECT_EQ(out, "#");
  out.clear();
  // With the right padding the same symbol decodes.
  ASSERT_TRUE(huffman_decode(hex("67"), out, 100).ok());
  EXPECT_EQ(out, "3");
}

TEST(HpackHuffman, EmptyAndLimit) {
  std::string out;
  ASSERT_TRUE(huffman_decode({}, out, 0).ok());
  EXPECT_TRUE(out.empty());
  auto coded = hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff");  // www.example.com (15 bytes)
  auto r = huffman_decode(coded, out, 14);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(huffman_decode(coded, out, 15).ok());
}

}  // namespace
}  // namespace wraith::h2::hpack
