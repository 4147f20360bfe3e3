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
  const Slot& s = newest(i);
  const char* p = arena_.data() + s.offset;
  return HeaderView{std::string_view(p, s.name_len), std::string_view(p + s.name_len, s.value_len)};
}

void DynamicTable::evict_oldest() {
  const Slot& s = oldest();
  size_ -= entry_size(s.name_len, s.value_len);
  ++first_id_;
  if (--count_ == 0) tail_ = 0;
}

void DynamicTable::clear() {
  first_id_ = next_id_;
  count_ = 0;
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
  const Slot& old = oldest();
  const bool wrapped = old.lap != lap_;  // live bytes are [oldest, end of last pass) + [0, tail)
  if (wrapped) return tail_ + len <= old.offset ? tail_ : npos;
  if (tail_ + len <= arena_.size()) return tail_;
  if (len <= old.offset) {
    ++lap_;
    return 0;
  }
  return npos;
}

void DynamicTable::relayout(size_t capacity) {
  std::vector<char> fresh(capacity);
  size_t at = 0;
  for (uint64_t id = first_id_; id < next_id_; ++id) {
    Slot& s = slots_[id & mask()];
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
  std::vector<Slot> fresh(std::max<size_t>(16, slots_.size() * 2));
  const size_t fresh_mask = fresh.size() - 1;
  for (uint64_t id = first_id_; id < next_id_; ++id) fresh[id & fresh_mask] = slots_[id & mask()];
  slots_.swap(fresh);
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
  // arenas grow (compacting) until they reach that bound; after compaction place() always succeeds.
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
  if (bucket_newest_.empty()) bucket_newest_.assign(kBuckets, UINT64_MAX);
  const uint32_t hash = hash_name(name);
  uint64_t& head = bucket_newest_[hash & (kBuckets - 1)];
  const uint64_t id = next_id_++;
  slots_[id & mask()] = Slot{pos, static_cast<uint32_t>(name.size()), static_cast<uint32_t>(value.size()), hash,
                             lap_, head};
  head = id;
  ++count_;
  size_ += size;
}

DynamicTable::Match DynamicTable::find(std::string_view name, std::string_view value, uint32_t hash) const {
  Match m;
  if (count_ == 0) return m;
  // Ids only grow, so an id below first_id_ (evicted) or the UINT64_MAX sentinel ends the chain.
  for (uint64_t id = bucket_newest_[hash & (kBuckets - 1)]; id >= first_id_ && id < next_id_;) {
    const Slot& s = slot_of_id(id);
    const char* p = arena_.data() + s.offset;
    if (s.name_hash == hash && s.name_len == name.size() &&
        (name.empty() || std::memcmp(p, name.data(), name.size()) == 0)) {
      if (m.name == npos) m.name = static_cast<size_t>(next_id_ - 1 - id);
      if (s.value_len == value.size() &&
          (value.empty() || std::memcmp(p + s.name_len, value.data(), value.size()) == 0)) {
        m.exact = static_cast<size_t>(next_id_ - 1 - id);
        break;
      }
    }
    id = s.older_same_bucket;
  }
  return m;
}

}  // namespace wraith::h2::hpack
