#include "h2/hpack/dynamic_table.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace wraith::h2::hpack {

DynamicTable::DynamicTable(uint32_t max_size) : max_size_(max_size) {}

uint32_t DynamicTable::hash_name(std::string_view name) {
  // Word-at-a-time multiplicative hash: names are short; this only has to make mismatches cheap.
  uint64_t h = 0x9E3779B97F4A7C15ull ^ name.size();
  size_t i = 0;
  for (; i + 8 <= name.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, name.data() + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  uint64_t w = 0;
  if (i < name.size()) std::memcpy(&w, name.data() + i, name.size() - i);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 29;
  return static_cast<uint32_t>(h);
}

HeaderView DynamicTable::at(size_t i) const {
  const Slot& s = slots_[physical(i)];
  const char* p = arena_.data() + s.offset;
  return HeaderView{std::string_view(p, s.name_len), std::string_view(p + s.name_len, s.value_len)};
}

void DynamicTable::evict_oldest() {
  const Slot& s = slots_[first_];
  size_ -= entry_size(s.name_len, s.value_len);
  first_ = (first_ + 1) & (slots_.size() - 1);
  if (--count_ == 0) {
    first_ = 0;
    tail_ = 0;
  }
}

void DynamicTable::clear() {
  count_ = 0;
  first_ = 0;
  size_ = 0;
  tail_ = 0;
}

void DynamicTable::set_max_size(uint32_t max_size) {
  max_size_ = max_size;
  while (size_ > max_size_) evict_oldest();
  const size_t bound = 2 * static_cast<size_t>(max_size_);
  if (count_ == 0) {
    // Nothing to keep: drop a now-oversized arena (a hostile peer must not pin memory it no longer allows).
    if (arena_.size() > bound) std::vector<char>().swap(arena_);
    tail_ = 0;
  } else if (arena_.size() > bound) {
    relayout(bound);
  }
}

size_t DynamicTable::place(size_t len) {
  if (count_ == 0) return len <= arena_.size() ? 0 : npos;
  const Slot& oldest = slots_[first_];
  const bool wrapped = oldest.lap != lap_;  // live bytes are [oldest, end of last pass) + [0, tail)
  if (wrapped) return tail_ + len <= oldest.offset ? tail_ : npos;
  if (tail_ + len <= arena_.size()) return tail_;
  if (len <= oldest.offset) {
    ++lap_;
    return 0;
  }
  return npos;
}

void DynamicTable::relayout(size_t capacity) {
  std::vector<char> fresh(capacity);
  size_t at = 0;
  for (size_t k = 0; k < count_; ++k) {
    Slot& s = slots_[(first_ + k) & (slots_.size() - 1)];
    const size_t len = s.name_len + s.value_len;
    if (len > 0) std::memcpy(fresh.data() + at, arena_.data() + s.offset, len);
    s.offset = at;
    s.lap = 0;
    at += len;
  }
  arena_.swap(fresh);
  lap_ = 0;
  tail_ = at;
}

void DynamicTable::grow_slots() {
  const size_t old_size = slots_.size();
  std::vector<Slot> fresh(std::max<size_t>(16, old_size * 2));
  for (size_t k = 0; k < count_; ++k) fresh[k] = slots_[(first_ + k) & (old_size - 1)];
  slots_.swap(fresh);
  first_ = 0;
}

void DynamicTable::insert(std::string_view name, std::string_view value) {
  const size_t size = entry_size(name.size(), value.size());
  if (size > max_size_) {
    clear();
    return;
  }
  while (size_ + size > max_size_) evict_oldest();

  // With an arena of 2*max_size, place() cannot fail: live bytes <= max_size - len after eviction, so either the
  // tail has room, or the tail passed max_size + len and the oldest entry starts at or beyond len. Smaller
  // arenas grow (compacting) until they reach that bound.
  const size_t len = name.size() + value.size();
  size_t pos = place(len);
  if (pos == npos) {
    const size_t live = size_ - count_ * kEntryOverhead;
    const size_t bound = 2 * static_cast<size_t>(max_size_);
    relayout(std::min(bound, std::max({arena_.size() * 2, live + len, size_t{256}})));
    pos = place(len);
    assert(pos != npos);
  }
  if (!name.empty()) std::memcpy(arena_.data() + pos, name.data(), name.size());
  if (!value.empty()) std::memcpy(arena_.data() + pos + name.size(), value.data(), value.size());
  tail_ = pos + len;

  if (count_ == slots_.size()) grow_slots();
  slots_[(first_ + count_) & (slots_.size() - 1)] =
      Slot{pos, static_cast<uint32_t>(name.size()), static_cast<uint32_t>(value.size()),
           hash_name(name), lap_};
  ++count_;
  size_ += size;
}

DynamicTable::Match DynamicTable::find(std::string_view name, std::string_view value, uint32_t hash) const {
  Match m;
  for (size_t i = 0; i < count_; ++i) {
    const Slot& s = slots_[physical(i)];
    if (s.name_hash != hash || s.name_len != name.size()) continue;
    const char* p = arena_.data() + s.offset;
    if (!name.empty() && std::memcmp(p, name.data(), name.size()) != 0) continue;
    if (m.name == npos) m.name = i;
    if (s.value_len == value.size() &&
        (value.empty() || std::memcmp(p + s.name_len, value.data(), value.size()) == 0)) {
      m.exact = i;
      break;
    }
  }
  return m;
}

}  // namespace wraith::h2::hpack
