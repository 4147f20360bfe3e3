// RFC 7541 Appendix C: every example block, decoded (with the table state after each) and re-encoded.
#include <gtest/gtest.h>

#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "test_util.h"

namespace wraith::h2::hpack {
namespace {

using test::hex;
using Fields = std::vector<HeaderField>;
using Table = std::vector<HeaderField>;  // newest first

struct Step {
  const char* block;
  Fields headers;
  Table table;
  size_t table_size;
};

Table table_of(const DynamicTable& t) {
  Table out;
  for (size_t i = 0; i < t.count(); ++i) out.push_back({std::string(t.at(i).name), std::string(t.at(i).value)});
  return out;
}

// Decodes the steps on one decoder, checking output and table state, then encodes the same header lists with
// one encoder under `policy` and expects the RFC's bytes.
void run(const std::vector<Step>& steps, uint32_t table_size, const EncoderPolicy& policy) {
  Decoder::Limits limits;
  limits.max_table_size = table_size;
  Decoder decoder(limits);
  Encoder encoder(policy, table_size);
  for (size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i + 1));
    const auto block = hex(steps[i].block);
    Fields got;
    auto r = decoder.decode(block, got);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(got, steps[i].headers);
    EXPECT_EQ(table_of(decoder.table()), steps[i].table);
    EXPECT_EQ(decoder.table().size(), steps[i].table_size);

    std::vector<HeaderView> views;
    for (const auto& f : steps[i].headers) views.push_back({f.name, f.value});
    std::vector<uint8_t> encoded;
    encoder.encode(views, encoded);
    EXPECT_EQ(encoded, block);
    EXPECT_EQ(table_of(encoder.table()), steps[i].table);
  }
}

EncoderPolicy rfc_policy(HuffmanPolicy huffman) {
  EncoderPolicy p;  // everything incremental, exact matches indexed
  p.huffman = huffman;
  return p;
}

// C.2.1-C.2.4: one representation each, on fresh contexts.
TEST(HpackRfcVectors, C2LiteralAndIndexedFields) {
  run({{"400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
        {{"custom-key", "custom-header"}},
        {{"custom-key", "custom-header"}},
        55}},
      4096, rfc_policy(HuffmanPolicy::never));

  EncoderPolicy without = rfc_policy(HuffmanPolicy::never);
  without.pseudo_header_literal = Literal::without_indexing;
  run({{"040c 2f73 616d 706c 652f 7061 7468", {{":path", "/sample/path"}}, {}, 0}}, 4096, without);

  EncoderPolicy never = rfc_policy(HuffmanPolicy::never);
  never.per_name = {{"password", Literal::never_indexed}};
  run({{"1008 7061 7373 776f 7264 0673 6563 7265 74", {{"password", "secret"}}, {}, 0}}, 4096, never);

  run({{"82", {{":method", "GET"}}, {}, 0}}, 4096, rfc_policy(HuffmanPolicy::never));
}

TEST(HpackRfcVectors, C2NeverIndexedReportedAsSuch) {
  Decoder d;
  Fields out;
  std::vector<Decoder::FieldInfo> info;
  ASSERT_TRUE(d.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74"), out, &info).ok());
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].repr, Decoder::FieldInfo::literal_never_indexed);
  EXPECT_FALSE(info[0].name_indexed);
  EXPECT_FALSE(info[0].huffman_name);
}

const Fields kReq1 = {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "www.example.com"}};
const Fields kReq2 = {{":method", "GET"},
                      {":scheme", "http"},
                      {":path", "/"},
                      {":authority", "www.example.com"},
                      {"cache-control", "no-cache"}};
const Fields kReq3 = {{":method", "GET"},
                      {":scheme", "https"},
                      {":path", "/index.html"},
                      {":authority", "www.example.com"},
                      {"custom-key", "custom-value"}};
const Table kReqTable1 = {{":authority", "www.example.com"}};
const Table kReqTable2 = {{"cache-control", "no-cache"}, {":authority", "www.example.com"}};
const Table kReqTable3 = {
    {"custom-key", "custom-value"}, {"cache-control", "no-cache"}, {":authority", "www.example.com"}};

TEST(HpackRfcVectors, C3RequestsWithoutHuffman) {
  run({{"8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", kReq1, kReqTable1, 57},
       {"8286 84be 5808 6e6f 2d63 6163 6865", kReq2, kReqTable2, 110},
       {"8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", kReq3, kReqTable3, 164}},
      4096, rfc_policy(HuffmanPolicy::never));
}

TEST(HpackRfcVectors, C4RequestsWithHuffman) {
  run({{"8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", kReq1, kReqTable1, 57},
       {"8286 84be 5886 a8eb 1064 9cbf", kReq2, kReqTable2, 110},
       {"8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", kReq3, kReqTable3, 164}},
      4096, rfc_policy(HuffmanPolicy::always));
}

const char* kDate1 = "Mon, 21 Oct 2013 20:13:21 GMT";
const char* kDate2 = "Mon, 21 Oct 2013 20:13:22 GMT";
const char* kLocation = "https://www.example.com";
const char* kCookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

std::vector<Step> response_steps(const char* b1, const char* b2, const char* b3) {
  return {
      {b1,
       {{":status", "302"}, {"cache-control", "private"}, {"date", kDate1}, {"location", kLocation}},
       {{"location", kLocation}, {"date", kDate1}, {"cache-control", "private"}, {":status", "302"}},
       222},
      {b2,
       {{":status", "307"}, {"cache-control", "private"}, {"date", kDate1}, {"location", kLocation}},
       {{":status", "307"}, {"location", kLocation}, {"date", kDate1}, {"cache-control", "private"}},
       222},
      {b3,
       {{":status", "200"},
        {"cache-control", "private"},
        {"date", kDate2},
        {"location", kLocation},
        {"content-encoding", "gzip"},
        {"set-cookie", kCookie}},
       {{"set-cookie", kCookie}, {"content-encoding", "gzip"}, {"date", kDate2}},
       215},
  };
}

TEST(HpackRfcVectors, C5ResponsesWithoutHuffmanAndEviction) {
  run(response_steps("4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a "
                     "3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                     "4803 3330 37c1 c0bf",
                     "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 "
                     "677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 "
                     "553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"),
      256, rfc_policy(HuffmanPolicy::never));
}

TEST(HpackRfcVectors, C6ResponsesWithHuffmanAndEviction) {
  run(response_steps("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e "
                     "919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                     "4883 640e ffc1 c0bf",
                     "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 "
                     "821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed "
                     "4ee5 b106 3d50 07"),
      256, rfc_policy(HuffmanPolicy::always));
}

}  // namespace
}  // namespace wraith::h2::hpack
