#include <gtest/gtest.h>

#include <deque>
#include <random>

#include "h2/hpack/dynamic_table.h"
#include "h2/hpack/static_table.h"

namespace wraith::h2::hpack {
namespace {

TEST(HpackStaticTable, SpotChecksAgainstRfcAppendixA) {
  EXPECT_EQ(static_entry(1).name, ":authority");
  EXPECT_EQ(static_entry(2).value, "GET");
  EXPECT_EQ(static_entry(7).value, "https");
  EXPECT_EQ(static_entry(16).value, "gzip, deflate");
  EXPECT_EQ(static_entry(19).name, "accept");
  EXPECT_EQ(static_entry(32).name, "cookie");
  EXPECT_EQ(static_entry(51).name, "referer");
  EXPECT_EQ(static_entry(58).name, "user-agent");
  EXPECT_EQ(static_entry(61).name, "www-authenticate");
}

TEST(HpackStaticTable, FindEveryEntry) {
  for (uint32_t i = 1; i <= kStaticTableSize; ++i) {
    const HeaderView& e = static_entry(i);
    const StaticMatch m = static_find(e.name, e.value);
    EXPECT_EQ(m.exact, i) << e.name;
    EXPECT_LE(m.name, i);
    EXPECT_EQ(static_entry(m.name).name, e.name);
  }
  EXPECT_EQ(static_find(":path", "/x").name, 4u);
  EXPECT_EQ(static_find(":path", "/x").exact, 0u);
  EXPECT_EQ(static_find(":status", "500").exact, 14u);
  EXPECT_EQ(static_find("sec-ch-ua", "x").name, 0u);
  EXPECT_EQ(static_find("", "").name, 0u);
}

TEST(HpackDynamicTable, SizeAccountingAndEviction) {
  DynamicTable t(100);
  t.insert("aaaa", "bbbb");  // 40
  t.insert("cc", "dd");      // 36
  EXPECT_EQ(t.size(), 76u);
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.at(0).name, "cc");
  EXPECT_EQ(t.at(1).value, "bbbb");
  t.insert("e", "f");  // 34 -> evicts the oldest (40)
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.size(), 70u);
  EXPECT_EQ(t.at(1).name, "cc");
  t.insert(std::string(50, 'x'), std::string(19, 'y'));  // 101 > 100: empties the table
  EXPECT_EQ(t.count(), 0u);
  EXPECT_EQ(t.size(), 0u);
  t.insert(std::string(50, 'x'), std::string(18, 'y'));  // exactly 100 fits
  EXPECT_EQ(t.count(), 1u);
  EXPECT_EQ(t.size(), 100u);
  t.set_max_size(99);
  EXPECT_EQ(t.count(), 0u);
  t.set_max_size(0);
  t.insert("", "");
  EXPECT_EQ(t.count(), 0u);
}

TEST(HpackDynamicTable, FindPrefersNewest) {
  DynamicTable t(4096);
  t.insert("a", "1");
  t.insert("b", "2");
  t.insert("a", "3");
  const auto m = t.find("a", "1", DynamicTable::hash_name("a"));
  EXPECT_EQ(m.name, 0u);   // newest "a"
  EXPECT_EQ(m.exact, 2u);  // the oldest entry
  EXPECT_EQ(t.find("b", "9", DynamicTable::hash_name("b")).exact, DynamicTable::npos);
  EXPECT_EQ(t.find("c", "", DynamicTable::hash_name("c")).name, DynamicTable::npos);
}

// The arena wraps, grows and compacts; compare against a trivially correct model under random traffic.
TEST(HpackDynamicTable, MatchesReferenceModelUnderRandomTraffic) {
  std::mt19937 rng(42);
  for (uint32_t max : {0u, 40u, 256u, 4096u, 65536u}) {
    DynamicTable t(max);
    std::deque<std::pair<std::string, std::string>> model;  // front = newest
    size_t model_size = 0;
    uint32_t model_max = max;
    auto same = [&] {
      if (t.count() != model.size() || t.size() != model_size) return false;
      for (size_t i = 0; i < model.size(); ++i) {
        if (t.at(i).name != model[i].first || t.at(i).value != model[i].second) return false;
      }
      // find() (hash chains) must agree with a newest-first scan, for names present and absent.
      for (int probe = 0; probe < 8; ++probe) {
        std::string name, value;
        if (!model.empty() && probe % 2 == 0) {
          const auto& e = model[rng() % model.size()];
          name = e.first;
          value = probe % 4 == 0 ? e.second : "other";
        } else {
          name = std::string(rng() % 20, static_cast<char>('a' + rng() % 26));
        }
        DynamicTable::Match want;
        for (size_t i = 0; i < model.size(); ++i) {
          if (model[i].first != name) continue;
          if (want.name == DynamicTable::npos) want.name = i;
          if (model[i].second == value) {
            want.exact = i;
            break;
          }
        }
        const auto got = t.find(name, value, DynamicTable::hash_name(name));
        if (got.name != want.name || got.exact != want.exact) return false;
      }
      return true;
    };
    for (int step = 0; step < 4000; ++step) {
      if (step % 7 == 0) {
        ASSERT_TRUE(same()) << "max " << max << " step " << step;
      }
      if (rng() % 97 == 0) {
        model_max = rng() % (max + 1);
        t.set_max_size(model_max);
      } else {
        std::string name(rng() % 20, static_cast<char>('a' + rng() % 26));
        std::string value(rng() % 3 == 0 ? rng() % (max / 2 + 1) : rng() % 40, static_cast<char>('A' + step % 26));
        t.insert(name, value);
        const size_t size = name.size() + value.size() + 32;
        if (size > model_max) {
          model.clear();
          model_size = 0;
          continue;
        }
        while (model_size + size > model_max) {
          model_size -= model.back().first.size() + model.back().second.size() + 32;
          model.pop_back();
        }
        model.emplace_front(std::move(name), std::move(value));
        model_size += size;
        continue;
      }
      while (model_size > model_max) {
        model_size -= model.back().first.size() + model.back().second.size() + 32;
        model.pop_back();
      }
    }
    ASSERT_EQ(t.count(), model.size());
    ASSERT_EQ(t.size(), model_size);
    for (size_t i = 0; i < model.size(); ++i) {
      ASSERT_EQ(t.at(i).name, model[i].first);
      ASSERT_EQ(t.at(i).value, model[i].second);
    }
  }
}

}  // namespace
}  // namespace wraith::h2::hpack
