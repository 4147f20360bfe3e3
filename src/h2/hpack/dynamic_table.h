// The HPACK dynamic table (RFC 7541 2.3.2, 4): FIFO of entries, size = sum of name+value+32, oldest evicted first.
//
// Storage is one byte arena plus a ring of slot descriptors, so inserting never allocates once the arena has
// grown to its working size, and every entry stays contiguous (usable as string_view). Bytes are appended at a
// tail and wrap to the start when the end is reached; an arena of twice the table's maximum size always has room
// after eviction (see insert()). The arena grows on demand up to that bound, so a large advertised maximum
// costs memory only when it is actually used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "h2/hpack/header_field.h"

namespace wraith::h2::hpack {

class DynamicTable {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  explicit DynamicTable(uint32_t max_size = 4096);

  // Evicts until the table fits (RFC 7541 4.3).
  void set_max_size(uint32_t max_size);
  uint32_t max_size() const { return max_size_; }
  size_t size() const { return size_; }    // RFC size: sum of entry sizes
  size_t count() const { return count_; }  // number of entries

  // i = 0 is the newest entry (HPACK index 62). Views stay valid until the next insert or set_max_size.
  HeaderView at(size_t i) const;

  // Adds an entry, evicting as needed; an entry larger than the maximum empties the table (RFC 7541 4.4).
  // name/value must not point into this table.
  void insert(std::string_view name, std::string_view value);

  struct Match {
    size_t exact = npos;  // newest entry equal to (name, value)
    size_t name = npos;   // newest entry with this name
  };
  // hash must be hash_name(name).
  Match find(std::string_view name, std::string_view value, uint32_t hash) const;
  static uint32_t hash_name(std::string_view name);

 private:
  struct Slot {
    size_t offset;
    uint32_t name_len;
    uint32_t value_len;
    uint32_t name_hash;
    uint32_t lap;              // arena pass the bytes were written in; differs from lap_ before the last wrap
    uint64_t older_same_bucket;  // id of the next older entry in this name-hash bucket (may be evicted)
  };
  // Entries have monotonically increasing ids; live ids are [first_id_, next_id_) and entry id sits in
  // slots_[id & mask]. A bucket chain runs newest to oldest, so it simply ends where ids fall below first_id_:
  // eviction never has to touch the index.
  static constexpr size_t kBuckets = 256;
  size_t mask() const { return slots_.size() - 1; }
  const Slot& slot_of_id(uint64_t id) const { return slots_[id & mask()]; }
  const Slot& newest(size_t i) const { return slot_of_id(next_id_ - 1 - i); }
  const Slot& oldest() const { return slot_of_id(first_id_); }
  void evict_oldest();
  void clear();
  size_t place(size_t len);  // arena offset for len new bytes, npos when the arena must grow first
  void relayout(size_t capacity);
  void grow_slots();

  uint32_t max_size_;
  size_t size_ = 0;
  std::vector<char> arena_;
  size_t tail_ = 0;
  uint32_t lap_ = 0;
  std::vector<Slot> slots_;  // power-of-two size
  uint64_t first_id_ = 0;
  uint64_t next_id_ = 0;
  size_t count_ = 0;
  std::vector<uint64_t> bucket_newest_;  // kBuckets heads (ids), allocated with the first entry
};

}  // namespace wraith::h2::hpack
