// Hostile and malformed blocks: every one must give a typed error (never UB), and limits must hold.
#include <gtest/gtest.h>

#include <random>

#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "h2/hpack/integer.h"
#include "test_util.h"

namespace wraith::h2::hpack {
namespace {

using test::hex;

Result<void> decode_hex(Decoder& d, const char* h, std::vector<HeaderField>* fields = nullptr) {
  std::vector<HeaderField> out;
  auto r = d.decode(hex(h), out);
  if (fields) *fields = std::move(out);
  return r;
}

void expect_compression_error(const char* h, Decoder::Limits limits = {}) {
  Decoder d(limits);
  std::vector<HeaderField> out;
  auto r = d.decode(hex(h), out);
  ASSERT_FALSE(r.ok()) << h;
  EXPECT_EQ(r.error().kind, ErrorKind::protocol) << h;
  EXPECT_TRUE(out.empty()) << "rolled back";
}

TEST(HpackDecoderErrors, IndexZeroAndOutOfRange) {
  expect_compression_error("80");                // indexed 0
  expect_compression_error("be");                // 62 with an empty dynamic table
  expect_compression_error("ff80808000");        // huge index
  expect_compression_error("7f00 0161");         // literal, name index 63: out of range
  expect_compression_error("0f30 0161");         // without indexing, name index 63
  Decoder d;
  ASSERT_TRUE(decode_hex(d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572").ok());
  ASSERT_TRUE(decode_hex(d, "be").ok());         // 62 now exists
  EXPECT_FALSE(decode_hex(d, "bf").ok());        // 63 does not
}

TEST(HpackDecoderErrors, TableSizeUpdates) {
  Decoder::Limits limits;
  limits.max_table_size = 4096;
  {
    Decoder d(limits);
    ASSERT_TRUE(decode_hex(d, "3fe11f 82").ok());  // update to 4096, then a field
    EXPECT_EQ(d.table().max_size(), 4096u);
    ASSERT_TRUE(decode_hex(d, "20 3f61 82").ok());  // two updates at the start: 0 then 128
    EXPECT_EQ(d.table().max_size(), 128u);
  }
  expect_compression_error("3fe21f", limits);  // 4097 > our setting
  expect_compression_error("82 20", limits);   // not at the block start
  {
    // Lowering our setting requires the peer to acknowledge with an update in the next block.
    Decoder d(limits);
    d.set_max_table_size(100);
    EXPECT_FALSE(decode_hex(d, "82").ok());
    Decoder d2(limits);
    d2.set_max_table_size(100);
    EXPECT_FALSE(decode_hex(d2, "3f46 82").ok());  // 101 > 100
    Decoder d3(limits);
    d3.set_max_table_size(100);
    ASSERT_TRUE(decode_hex(d3, "3f45 82").ok());   // 100
    EXPECT_EQ(d3.table().max_size(), 100u);
    ASSERT_TRUE(decode_hex(d3, "82").ok());        // no further update needed
  }
}

TEST(HpackDecoderErrors, HuffmanViolations) {
  expect_compression_error("00 01 61 81 ff");        // value: 8 bits of padding
  expect_compression_error("00 01 61 84 ffffffff"); // value: EOS
  expect_compression_error("00 01 61 81 64");        // value: '3' with 00 padding
  expect_compression_error("00 81 64 01 61");        // name with bad padding
}

TEST(HpackDecoderErrors, IntegerOverflowAndTruncation) {
  expect_compression_error("ff ffffffff0f");          // index > 2^32
  expect_compression_error("ff 8080808080 00");       // six continuation bytes
  expect_compression_error("7f");                     // truncated name index
  expect_compression_error("40");                     // literal with nothing after
  expect_compression_error("40 05 6162");             // name longer than the block
  expect_compression_error("40 01 61");               // value missing
  expect_compression_error("40 01 61 7f ffffff0f");   // value length far beyond the block
  expect_compression_error("00 01 61 03 6162");       // value 1 byte short
}

TEST(HpackDecoderErrors, StringLongerThanMaxString) {
  Decoder::Limits limits;
  limits.max_string = 4;
  expect_compression_error("00 05 6161616161 00", limits);
  Decoder d(limits);
  ASSERT_TRUE(decode_hex(d, "00 04 61616161 00").ok());
}

TEST(HpackDecoderErrors, HeaderListSizeKeepsTableInSync) {
  Decoder::Limits limits;
  limits.max_header_list_size = 100;
  Decoder d(limits);
  // Two incremental literals of 32+1+40 = 73 each: the second exceeds the list limit but must still be inserted.
  std::vector<uint8_t> block;
  Encoder e(EncoderPolicy{}, 4096);
  const std::string v1(40, 'x'), v2(40, 'y');
  const HeaderView fields[] = {{"a", v1}, {"b", v2}};
  e.encode(fields, block);
  std::vector<HeaderField> out;
  auto r = d.decode(block, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "a");
  EXPECT_EQ(d.table().count(), 2u);
  // The next block can index the entry inserted while over the limit.
  out.clear();
  ASSERT_TRUE(d.decode(hex("be"), out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].value, v2);
}

TEST(HpackDecoderErrors, IndexedBombIsBoundedBeforeCopying) {
  // One 4000-byte entry, then 100000 one-byte references to it: 400 MB if copied blindly.
  Decoder::Limits limits;
  limits.max_header_list_size = 262144;
  Decoder d(limits);
  std::vector<uint8_t> block;
  block.push_back(0x40);
  block.push_back(0x01);
  block.push_back('k');
  encode_integer(block, 0x00, 7, 3900);
  block.insert(block.end(), 3900, 'v');
  block.insert(block.end(), 100000, 0xbe);
  std::vector<HeaderField> out;
  auto r = d.decode(block, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  size_t total = 0;
  for (const auto& f : out) total += f.name.size() + f.value.size() + 32;
  EXPECT_LE(total, limits.max_header_list_size);
  EXPECT_LT(out.size(), 70u);
}

TEST(HpackDecoderErrors, RandomGarbageNeverCrashes) {
  std::mt19937 rng(1);
  Decoder::Limits limits;
  limits.max_header_list_size = 16384;
  limits.max_string = 4096;
  int errors = 0;
  for (int i = 0; i < 20000; ++i) {
    Decoder d(limits);
    std::vector<uint8_t> block(rng() % 64);
    for (auto& b : block) b = static_cast<uint8_t>(rng());
    std::vector<HeaderField> out;
    std::vector<Decoder::FieldInfo> info;
    auto r = d.decode(block, out, &info);
    if (!r.ok()) {
      ++errors;
      EXPECT_TRUE(r.error().kind == ErrorKind::protocol || r.error().kind == ErrorKind::too_large);
    } else {
      EXPECT_EQ(out.size(), info.size());
    }
  }
  EXPECT_GT(errors, 0);
}

}  // namespace
}  // namespace wraith::h2::hpack
