// FieldList: decoding into a list reused block after block gives exactly what a fresh decode gives (memoised
// literals never produce a stale value), allocates nothing once warm, and keeps bounded storage.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "h2/hpack/field_list.h"
#include "h2/hpack/huffman.h"
#include "h2/hpack/integer.h"
#include "test_util.h"

namespace wraith::h2::hpack {
namespace {

using test::hex;

std::vector<HeaderField> fields_of(const FieldList& l) { return {l.begin(), l.end()}; }

// Literal without indexing, static name index, Huffman value: how nginx sends its response fields.
void append_nginx_literal(std::vector<uint8_t>& block, uint32_t name_index, std::string_view value) {
  encode_integer(block, 0x00, 4, name_index);
  std::vector<uint8_t> coded;
  huffman_encode(value, coded);
  encode_integer(block, 0x80, 7, static_cast<uint32_t>(coded.size()));
  block.insert(block.end(), coded.begin(), coded.end());
}

std::vector<uint8_t> nginx_block(std::string_view date) {
  std::vector<uint8_t> b{0x88};  // :status 200
  append_nginx_literal(b, 54, "nginx/1.22.1");
  append_nginx_literal(b, 33, date);
  append_nginx_literal(b, 31, "application/octet-stream");
  append_nginx_literal(b, 28, "100");
  append_nginx_literal(b, 34, "\"692d7f42-64\"");
  append_nginx_literal(b, 18, "bytes");
  return b;
}

// Decodes block into the reused list and, on a second decoder in lockstep, into a fresh vector; both must agree.
void expect_same(Decoder& reused, FieldList& list, Decoder& fresh, const std::vector<uint8_t>& block) {
  list.clear();
  auto a = reused.decode(block, list);
  std::vector<HeaderField> want;
  auto b = fresh.decode(block, want);
  ASSERT_EQ(a.ok(), b.ok());
  if (!a.ok()) {
    EXPECT_EQ(a.error().kind, b.error().kind);
    if (a.error().kind != ErrorKind::too_large) return;
  }
  EXPECT_EQ(fields_of(list), want);
  EXPECT_EQ(reused.table().size(), fresh.table().size());
  EXPECT_EQ(reused.table().count(), fresh.table().count());
}

TEST(HpackFieldList, RepeatedNginxBlockDecodesTheSame) {
  Decoder reused, fresh;
  FieldList list;
  for (int i = 0; i < 5; ++i) expect_same(reused, list, fresh, nginx_block("Tue, 01 Dec 2026 11:48:20 GMT"));
  // The date changes every second: that one field is decoded again, the others still match.
  expect_same(reused, list, fresh, nginx_block("Tue, 01 Dec 2026 11:48:21 GMT"));
  ASSERT_EQ(list.size(), 7u);
  EXPECT_EQ(list[2].name, "date");
  EXPECT_EQ(list[2].value, "Tue, 01 Dec 2026 11:48:21 GMT");
  EXPECT_EQ(list[1].value, "nginx/1.22.1");
}

TEST(HpackFieldList, SteadyStateDecodeDoesNotAllocate) {
  Decoder d;
  FieldList list;
  const auto first = nginx_block("Tue, 01 Dec 2026 11:48:20 GMT");
  const auto later = nginx_block("Tue, 01 Dec 2026 11:48:21 GMT");
  list.clear();
  ASSERT_TRUE(d.decode(first, list).ok());
  const long before = test::allocation_count();
  for (int i = 0; i < 100; ++i) {
    list.clear();
    ASSERT_TRUE(d.decode(i % 10 == 9 ? later : first, list).ok());  // a changed date reuses the same storage
  }
  EXPECT_EQ(test::allocation_count() - before, 0);
  EXPECT_EQ(list.size(), 7u);
}

// A position whose memo would match the wire bytes but whose string was since overwritten by an indexed field
// must be decoded again, not served from the memo.
TEST(HpackFieldList, IndexedFieldInvalidatesTheMemo) {
  Decoder reused, fresh;
  FieldList list;
  const auto literal = hex("0101 76");  // :authority: "v", literal without indexing, raw
  const auto indexed = hex("82");       // :method: GET
  expect_same(reused, list, fresh, literal);
  expect_same(reused, list, fresh, indexed);
  expect_same(reused, list, fresh, literal);
  EXPECT_EQ(list[0].value, "v");
  // The same position holding a literal with an indexed name, then a literal name.
  expect_same(reused, list, fresh, hex("0003 6162 6301 76"));  // "abc": "v"
  EXPECT_EQ(list[0].name, "abc");
  expect_same(reused, list, fresh, literal);
  EXPECT_EQ(list[0].name, ":authority");
}

// Byte-identical payloads that are not the same literal: one raw, one Huffman-coded; or the same length with one
// byte different.
TEST(HpackFieldList, NearMissesAreNotMemoHits) {
  Decoder reused, fresh;
  FieldList list;
  expect_same(reused, list, fresh, hex("0101 07"));  // raw "\x07"
  EXPECT_EQ(list[0].value, "\x07");
  expect_same(reused, list, fresh, hex("0181 07"));  // Huffman 00000|111: "0"
  EXPECT_EQ(list[0].value, "0");
  expect_same(reused, list, fresh, hex("0101 07"));
  EXPECT_EQ(list[0].value, "\x07");
  expect_same(reused, list, fresh, hex("0103 616263"));
  expect_same(reused, list, fresh, hex("0103 616264"));
  EXPECT_EQ(list[0].value, "abd");
  expect_same(reused, list, fresh, hex("0100"));  // empty value
  EXPECT_EQ(list[0].value, "");
}

// A literal name that fails to decode leaves its slot's name cleared: the slot must not be taken for still
// holding the static name it had before (the next block names it by index again).
TEST(HpackFieldList, FailedLiteralNameForgetsTheStaticName) {
  Decoder reused, fresh;
  FieldList list;
  std::vector<uint8_t> server;
  append_nginx_literal(server, 54, "nginx/1.22.1");
  expect_same(reused, list, fresh, server);
  expect_same(reused, list, fresh, hex("0081 00 0176"));  // Huffman name "0" with zero padding: invalid
  expect_same(reused, list, fresh, server);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "server");
}

// A checked flag survives only an unchanged field: the nginx block repeated keeps its literals' flags, a new date
// clears that field's, an indexed field clears its slot's.
TEST(HpackFieldList, CheckedFlagsSurviveOnlyUnchangedFields) {
  Decoder d;
  FieldList list;
  auto decode_and_check_all = [&](const std::vector<uint8_t>& block) {
    list.clear();
    EXPECT_TRUE(d.decode(block, list).ok());
    std::vector<uint8_t> before(list.checked_flags().begin(), list.checked_flags().end());
    for (auto& f : list.checked_flags()) f = 1;
    return before;
  };
  decode_and_check_all(nginx_block("Tue, 01 Dec 2026 11:48:20 GMT"));
  auto flags = decode_and_check_all(nginx_block("Tue, 01 Dec 2026 11:48:20 GMT"));
  EXPECT_EQ(flags, (std::vector<uint8_t>{0, 1, 1, 1, 1, 1, 1}));  // :status is indexed: always fresh
  flags = decode_and_check_all(nginx_block("Tue, 01 Dec 2026 11:48:21 GMT"));
  EXPECT_EQ(flags, (std::vector<uint8_t>{0, 1, 0, 1, 1, 1, 1}));
  flags = decode_and_check_all(hex("82 82"));  // two indexed fields over the first two slots
  EXPECT_EQ(flags, (std::vector<uint8_t>{0, 0}));
  flags = decode_and_check_all(nginx_block("Tue, 01 Dec 2026 11:48:21 GMT"));
  EXPECT_EQ(flags, (std::vector<uint8_t>{0, 0, 1, 1, 1, 1, 1}));  // slot 1 was overwritten in between
}

// Literals with incremental indexing repeat byte for byte while the table evicts underneath: every insert must
// still happen (table in sync) and a name taken from an entry the insert evicts must survive.
TEST(HpackFieldList, MemoHitsStillIndexAndSurviveEviction) {
  Decoder::Limits limits;
  limits.max_table_size = 64;
  Decoder reused(limits), fresh(limits);
  reused.set_max_table_size(64);
  fresh.set_max_table_size(64);
  FieldList list;
  expect_same(reused, list, fresh, hex("3f21 4003 782d 6101 31"));  // size 64; x-a: 1 (36 bytes)
  for (int i = 0; i < 4; ++i) {
    // x-a (dynamic index 62): 22 -- 37 bytes: inserting it evicts the entry its name comes from.
    expect_same(reused, list, fresh, hex("7e02 3232"));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].name, "x-a");
    EXPECT_EQ(list[0].value, "22");
    EXPECT_EQ(reused.table().count(), 1u);
  }
  expect_same(reused, list, fresh, hex("be 7e02 3232 be"));  // indexed, literal (evicts), indexed again
  EXPECT_EQ(list.size(), 3u);
}

// A list filled by a decoder with a large string limit must not let a stricter decoder skip its own check.
TEST(HpackFieldList, MemoHitKeepsTheStringLimit) {
  Decoder lax;
  Decoder::Limits strict_limits;
  strict_limits.max_string = 2;
  Decoder strict(strict_limits);
  FieldList list;
  const auto block = hex("0103 616263");  // "abc"
  ASSERT_TRUE(lax.decode(block, list).ok());
  list.clear();
  auto r = strict.decode(block, list);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::protocol);
  EXPECT_TRUE(list.empty());
}

TEST(HpackFieldList, ListTooLargeKeepsFieldsBeforeTheLimitAndRecovers) {
  Decoder::Limits limits;
  limits.max_header_list_size = 100;
  Decoder reused(limits), fresh(limits);
  FieldList list;
  const std::string big(80, 'b');
  std::vector<uint8_t> block = hex("82");
  block.push_back(0x01);
  block.push_back(static_cast<uint8_t>(big.size()));
  block.insert(block.end(), big.begin(), big.end());
  block.push_back(0x84);
  expect_same(reused, list, fresh, block);
  EXPECT_EQ(list.size(), 1u);
  expect_same(reused, list, fresh, hex("82 84"));
  EXPECT_EQ(list.size(), 2u);
  expect_same(reused, list, fresh, block);
}

TEST(HpackFieldList, ProtocolErrorRollsBackToTheStart) {
  Decoder d;
  FieldList list;
  ASSERT_TRUE(d.decode(hex("82"), list).ok());
  auto r = d.decode(hex("84 0103 6162"), list);  // appended; truncated string
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::protocol);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].value, "GET");
}

TEST(HpackFieldList, ClearBoundsRetainedStorage) {
  Decoder::Limits limits;
  limits.max_header_list_size = 1 << 20;
  Decoder d(limits);
  FieldList list;
  Encoder e(EncoderPolicy::chrome());
  std::vector<std::string> storage;
  for (int i = 0; i < 200; ++i) {
    storage.push_back("x-" + std::to_string(i));
    storage.push_back(std::string(3000, static_cast<char>('a' + i % 26)));
  }
  std::vector<HeaderView> views;
  for (size_t i = 0; i < storage.size(); i += 2) views.push_back({storage[i], storage[i + 1]});
  std::vector<uint8_t> wire;
  e.encode(views, wire);
  ASSERT_TRUE(d.decode(wire, list).ok());
  ASSERT_EQ(list.size(), 200u);
  EXPECT_GT(list.retained_bytes(), 200u * 3000u);
  list.clear();
  EXPECT_LE(list.retained_bytes(), FieldList::kMaxKeptSlots * (3 * FieldList::kMaxKeptString + 64));
}

// Random header lists that repeat with small changes (so most literals are memo hits), random representations
// and table size changes: the reused list always equals a fresh decode.
TEST(HpackFieldList, RandomRepeatsMatchFreshDecode) {
  std::mt19937 rng(7541);
  for (int conn = 0; conn < 30; ++conn) {
    EncoderPolicy p;
    p.default_literal = static_cast<Literal>(rng() % 3);
    p.pseudo_header_literal = static_cast<Literal>(rng() % 3);
    p.huffman = static_cast<HuffmanPolicy>(rng() % 3);
    p.index_exact_matches = rng() % 2 == 0;
    Encoder e(p, 4096);
    Decoder reused, fresh;
    FieldList list;
    std::vector<std::string> storage;
    std::vector<HeaderField> flagged(FieldList::kMaxKeptSlots);  // each slot's field when its flag was set
    for (int block = 0; block < 80; ++block) {
      if (rng() % 10 == 0) {
        const uint32_t size = rng() % 3 == 0 ? 0 : rng() % 600;
        reused.set_max_table_size(size);
        fresh.set_max_table_size(size);
        e.set_peer_max_table_size(size);
      }
      if (storage.empty() || rng() % 6 == 0) {
        storage.clear();
        const int n = 1 + rng() % 10;
        for (int i = 0; i < n; ++i) {
          static const char* names[] = {"server", "date", "content-type", "etag", "x-a", "x-b", "x-longer-name"};
          storage.emplace_back(names[rng() % 7]);
          storage.emplace_back(rng() % 4 == 0 ? rng() % 300 : rng() % 10, 'v');
        }
      }
      for (size_t i = 1; i < storage.size(); i += 2)  // mutate a value now and then, keeping its length
        if (!storage[i].empty() && rng() % 5 == 0) storage[i][rng() % storage[i].size()] = static_cast<char>(rng() % 256);
      std::vector<HeaderView> views;
      for (size_t i = 0; i < storage.size(); i += 2) views.push_back({storage[i], storage[i + 1]});
      std::vector<uint8_t> wire;
      e.encode(views, wire);
      SCOPED_TRACE("conn " + std::to_string(conn) + " block " + std::to_string(block));
      expect_same(reused, list, fresh, wire);
      ASSERT_EQ(list.size(), views.size());
      for (size_t i = 0; i < views.size(); ++i) {
        ASSERT_EQ(list[i].name, views[i].name);
        ASSERT_EQ(list[i].value, views[i].value);
      }
      auto checked = list.checked_flags();
      for (size_t i = 0; i < list.size(); ++i) {
        if (checked[i]) {
          EXPECT_EQ(list[i], flagged[i]) << "a flagged field changed at " << i;
        }
        if (rng() % 2 == 0) {  // the caller flags some fields, as validation would
          checked[i] = 1;
          flagged[i] = list[i];
        }
      }
    }
  }
}

}  // namespace
}  // namespace wraith::h2::hpack
