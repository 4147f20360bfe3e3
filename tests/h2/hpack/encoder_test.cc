#include "h2/hpack/encoder.h"

#include <gtest/gtest.h>

#include <random>

#include "h2/hpack/decoder.h"
#include "alloc_counter.h"
#include "test_util.h"

namespace wraith::h2::hpack {
namespace {

using test::hex;

std::vector<HeaderField> round_trip(Decoder& d, const std::vector<uint8_t>& block) {
  std::vector<HeaderField> out;
  auto r = d.decode(block, out);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return out;
}

TEST(HpackEncoder, SizeUpdateAtNextBlockStartWithMinimumFirst) {
  Encoder e(EncoderPolicy::chrome(), 4096);
  std::vector<uint8_t> out;
  const HeaderView get[] = {{":method", "GET"}};
  e.set_peer_max_table_size(4096);  // unchanged: nothing to signal
  e.encode(get, out);
  EXPECT_EQ(out, hex("82"));

  e.set_peer_max_table_size(0);
  e.set_peer_max_table_size(8192);
  out.clear();
  e.encode(get, out);
  EXPECT_EQ(out, hex("20 3fe13f 82"));  // 0, then 8192, then the field
  out.clear();
  e.encode(get, out);
  EXPECT_EQ(out, hex("82"));  // only once

  e.set_peer_max_table_size(1000);
  out.clear();
  e.encode(get, out);
  EXPECT_EQ(out, hex("3fc907 82"));  // a single decrease: just the new size
}

TEST(HpackEncoder, PeerTableSizeIsCappedByPolicyBound) {
  EncoderPolicy p = EncoderPolicy::chrome();
  p.max_table_size_bound = 8192;
  Encoder e(p, 4096);
  e.set_peer_max_table_size(0xffffffff);
  std::vector<uint8_t> out;
  e.encode({}, out);
  EXPECT_EQ(out, hex("3fe13f"));  // 8192
  EXPECT_EQ(e.table().max_size(), 8192u);
  e.set_peer_max_table_size(100000);  // still 8192 after the cap: nothing to signal
  out.clear();
  e.encode({}, out);
  EXPECT_TRUE(out.empty());
}

TEST(HpackEncoder, ChromePolicyRepresentations) {
  Encoder e(EncoderPolicy::chrome(), 4096);
  Decoder d;
  const HeaderView fields[] = {
      {":method", "POST"}, {":authority", "example.com"}, {":scheme", "https"}, {":path", "/"},
      {":protocol", "websocket"}, {"content-type", "x"}, {"x-custom", "1"},
  };
  std::vector<uint8_t> block;
  e.encode(fields, block);
  std::vector<HeaderField> out;
  std::vector<Decoder::FieldInfo> info;
  ASSERT_TRUE(d.decode(block, out, &info).ok());
  ASSERT_EQ(info.size(), 7u);
  EXPECT_EQ(info[0].repr, Decoder::FieldInfo::indexed);  // :method POST is static 3
  EXPECT_EQ(info[0].index, 3u);
  EXPECT_EQ(info[1].repr, Decoder::FieldInfo::literal_incremental);
  EXPECT_EQ(info[3].repr, Decoder::FieldInfo::indexed);  // :path "/" is static 4
  EXPECT_EQ(info[4].repr, Decoder::FieldInfo::literal_without_indexing);
  EXPECT_FALSE(info[4].name_indexed);
  EXPECT_EQ(info[5].repr, Decoder::FieldInfo::literal_incremental);
  EXPECT_EQ(info[5].name_index, 31u);
  EXPECT_FALSE(info[6].huffman_value);  // "1" is not shorter in Huffman
  EXPECT_EQ(e.table().count(), 3u);     // :authority, content-type, x-custom
}

TEST(HpackEncoder, NeverIndexedIsNotLookedUpNorInserted) {
  EncoderPolicy p;
  p.per_name = {{"authorization", Literal::never_indexed}};
  Encoder e(p);
  std::vector<uint8_t> block;
  const HeaderView f[] = {{"authorization", "secret"}};
  e.encode(f, block);
  e.encode(f, block);
  EXPECT_EQ(e.table().count(), 0u);
  Decoder d;
  std::vector<HeaderField> out;
  std::vector<Decoder::FieldInfo> info;
  ASSERT_TRUE(d.decode(block, out, &info).ok());
  ASSERT_EQ(info.size(), 2u);
  EXPECT_EQ(info[1].repr, Decoder::FieldInfo::literal_never_indexed);
  EXPECT_EQ(info[1].name_index, 23u);
}

TEST(HpackEncoder, CookiesAreCrumbled) {
  Encoder e(EncoderPolicy::chrome());
  Decoder d;
  std::vector<uint8_t> block;
  const HeaderView f[] = {{"cookie", " a=1; b=2;c=3 "}, {"accept", "*/*"}};
  e.encode(f, block);
  const auto out = round_trip(d, block);
  const std::vector<HeaderField> want = {
      {"cookie", "a=1"}, {"cookie", "b=2"}, {"cookie", "c=3"}, {"accept", "*/*"}};
  EXPECT_EQ(out, want);
  // The next request re-sends an unchanged crumb as a one-byte index.
  block.clear();
  const HeaderView g[] = {{"cookie", "b=2"}};
  e.encode(g, block);
  EXPECT_EQ(block.size(), 1u);

  EncoderPolicy whole = EncoderPolicy::chrome();
  whole.crumble_cookies = false;
  Encoder e2(whole);
  Decoder d2;
  block.clear();
  e2.encode(f, block);
  EXPECT_EQ(round_trip(d2, block)[0].value, " a=1; b=2;c=3 ");
}

TEST(HpackEncoder, RoundTripsThroughDecoderAcrossEvictions) {
  Encoder e(EncoderPolicy::chrome(), 512);
  Decoder::Limits limits;
  limits.max_table_size = 512;
  Decoder d(limits);
  for (int i = 0; i < 200; ++i) {
    const std::string v = "value-" + std::to_string(i % 17) + std::string(i % 50, 'z');
    const std::string n = "x-h" + std::to_string(i % 5);
    const HeaderView f[] = {{":method", "GET"}, {":authority", "a.example"}, {":path", "/p"}, {n, v}};
    std::vector<uint8_t> block;
    e.encode(f, block);
    const auto out = round_trip(d, block);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[3].name, n);
    EXPECT_EQ(out[3].value, v);
    EXPECT_EQ(d.table().size(), e.table().size());
  }
}

// Random header lists, random policies and table size changes (as after a SETTINGS exchange): the decoder must
// always reproduce the input and mirror the encoder's table exactly.
TEST(HpackEncoder, RandomRoundTripWithTableSizeChanges) {
  std::mt19937 rng(2026);
  for (int conn = 0; conn < 40; ++conn) {
    EncoderPolicy p;
    p.default_literal = static_cast<Literal>(rng() % 3);
    p.pseudo_header_literal = static_cast<Literal>(rng() % 3);
    p.huffman = static_cast<HuffmanPolicy>(rng() % 3);
    p.index_exact_matches = rng() % 4 != 0;
    p.crumble_cookies = rng() % 2 == 0;
    Encoder e(p, 4096);
    Decoder d;
    for (int block = 0; block < 60; ++block) {
      if (rng() % 8 == 0) {
        const uint32_t size = rng() % 3 == 0 ? 0 : rng() % 9000;
        d.set_max_table_size(size);
        e.set_peer_max_table_size(size);
      }
      std::vector<std::string> storage;
      const int n = 1 + rng() % 12;
      for (int i = 0; i < n; ++i) {
        static const char* names[] = {":method", ":path", ":authority", "accept", "x-a", "x-b", "user-agent", "x-long-header-name"};
        storage.emplace_back(names[rng() % 8]);
        std::string v(rng() % 5 == 0 ? rng() % 600 : rng() % 12, 'a');
        for (char& c : v) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 3);
        storage.push_back(v);
      }
      std::vector<HeaderView> views;
      for (size_t i = 0; i < storage.size(); i += 2) views.push_back({storage[i], storage[i + 1]});
      std::vector<uint8_t> wire;
      e.encode(views, wire);
      std::vector<HeaderField> out;
      auto r = d.decode(wire, out);
      ASSERT_TRUE(r.ok()) << r.error().message;
      ASSERT_EQ(out.size(), views.size());  // no cookies among the names: no crumbs
      for (size_t i = 0; i < out.size(); ++i) {
        ASSERT_EQ(out[i].name, views[i].name);
        ASSERT_EQ(out[i].value, views[i].value);
      }
      ASSERT_EQ(d.table().count(), e.table().count());
      ASSERT_EQ(d.table().size(), e.table().size());
      ASSERT_EQ(d.table().max_size(), e.table().max_size());
    }
  }
}

// The per-position memo must never change a single byte: the same random blocks (repeats, changed values,
// inserts, evictions, size updates, cookies) through an encoder with and one without it.
TEST(HpackEncoder, MemoizedEncodingIsByteIdentical) {
  std::mt19937 rng(156);
  for (int conn = 0; conn < 30; ++conn) {
    EncoderPolicy p = rng() % 2 ? EncoderPolicy::chrome() : EncoderPolicy{};
    p.huffman = static_cast<HuffmanPolicy>(rng() % 3);
    Encoder memoized(p), plain(p, 4096, false);
    Decoder d;
    std::vector<std::pair<std::string, std::string>> block = {
        {":method", "GET"}, {":authority", "example.com"}, {":scheme", "https"}, {":path", "/"},
        {"user-agent", std::string(100, 'u')}, {"accept", "*/*"}, {"cookie", "a=1; b=2"}};
    for (int n = 0; n < 80; ++n) {
      switch (rng() % 6) {  // mostly repeats, like a client's requests
        case 0: block[rng() % block.size()].second += static_cast<char>('a' + rng() % 26); break;
        case 1: block.emplace_back("x-" + std::to_string(rng() % 5), std::string(rng() % 40, 'v')); break;
        case 2: if (block.size() > 4) block.pop_back(); break;
        case 3:
          if (rng() % 3 == 0) {
            const uint32_t size = rng() % 5000;
            memoized.set_peer_max_table_size(size);
            plain.set_peer_max_table_size(size);
            d.set_max_table_size(size);
          }
          break;
        default: break;
      }
      std::vector<HeaderView> views;
      for (const auto& [name, value] : block) views.push_back({name, value});
      std::vector<uint8_t> a, b;
      memoized.encode(views, a);
      plain.encode(views, b);
      ASSERT_EQ(a, b) << "conn " << conn << " block " << n;
      std::vector<HeaderField> out;
      ASSERT_TRUE(d.decode(a, out).ok());
    }
  }
}

TEST(HpackEncoder, SteadyStateEncodeDoesNotAllocate) {
  Encoder e(EncoderPolicy::chrome());
  const std::string ua(110, 'u');
  const HeaderView first[] = {{":method", "GET"}, {":authority", "example.com"}, {":scheme", "https"},
                              {":path", "/"}, {"user-agent", ua}, {"accept", "text/html"}};
  const HeaderView later[] = {{":method", "GET"}, {":authority", "example.com"}, {":scheme", "https"},
                              {":path", "/next?q=1"}, {"user-agent", ua}, {"accept", "image/*"},
                              {"cookie", "a=1; b=2"}};
  std::vector<uint8_t> out;
  out.reserve(4096);
  e.encode(first, out);
  for (int i = 0; i < 3; ++i) {  // warm-up: the table arena and slot ring reach their working size
    out.clear();
    e.encode(later, out);
  }
  const long before = test::allocation_count();
  for (int i = 0; i < 100; ++i) {
    out.clear();
    e.encode(later, out);
  }
  EXPECT_EQ(test::allocation_count() - before, 0);
}

}  // namespace
}  // namespace wraith::h2::hpack
