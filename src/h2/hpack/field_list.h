// Decoded header fields that are reused block after block (one list per connection): a field's strings keep
// their storage for the next block, and a literal whose wire bytes equal those its position carried in the
// previous block is not decoded again (servers such as nginx send the same Huffman-coded literals, in the same
// order, on every response). Reads like a const span of HeaderField.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "h2/hpack/header_field.h"

namespace wraith::h2::hpack {

class FieldList {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const HeaderField* data() const { return fields_.data(); }
  const HeaderField* begin() const { return fields_.data(); }
  const HeaderField* end() const { return fields_.data() + size_; }
  const HeaderField& operator[](size_t i) const { return fields_[i]; }
  std::span<const HeaderField> view() const { return {fields_.data(), size_}; }
  // Slots allocated (kept across blocks); bounded by kMaxKeptSlots after clear().
  size_t capacity() const { return fields_.capacity(); }

  // Empties the list but keeps the storage, within bounds: at most kMaxKeptSlots slots, and no string longer than
  // kMaxKeptString survives (so one odd block cannot pin memory for the connection's lifetime).
  void clear();

  // One flag per field, parallel to the list, for the caller's validation memo: the decoder clears a field's flag
  // whenever that field's name or value differs from what the slot held after the previous block, so a flag the
  // caller set after validating a field still holds only while the field is the same.
  std::span<uint8_t> checked_flags() { return {checked_.data(), size_}; }

  // Bytes held by the strings of every slot, spare ones included (diagnostics and tests).
  size_t retained_bytes() const;

  static constexpr size_t kMaxKeptSlots = 64;
  static constexpr size_t kMaxKeptString = 1024;
  // Literals longer than this on the wire are decoded every time (repeats of long values are rare).
  static constexpr size_t kMaxMemoBytes = 256;

 private:
  friend class Decoder;

  // The literal a slot's string was decoded from, valid only while that string is unchanged.
  struct Memo {
    std::string wire;
    bool huffman = false;
    bool valid = false;
  };
  struct SlotMemo {
    Memo name;
    Memo value;
    uint32_t static_name = 0;  // the name is static-table entry static_name (0 = not known to be)
  };

  // Slot size_ (created if needed): where the next field is decoded; it counts only once committed.
  HeaderField& next_slot() {
    if (size_ == fields_.size()) grow();
    return fields_[size_];
  }
  void grow();
  SlotMemo& next_memo() { return memoize_ ? memos_[size_] : scratch_; }
  void commit() { ++size_; }
  void truncate(size_t n) { size_ = n; }
  static bool release_if_large(std::string& s, Memo& memo);  // true if it dropped s

  std::vector<HeaderField> fields_;  // [0, size_) are the list; the rest are spare slots
  std::vector<SlotMemo> memos_;      // parallel to fields_
  std::vector<uint8_t> checked_;     // parallel to fields_: see checked_flags()
  bool memoize_ = true;              // off for a one-shot list: the memos would never be read
  SlotMemo scratch_;                 // what next_memo() hands out when memoize_ is off (never valid)
  size_t size_ = 0;
};

}  // namespace wraith::h2::hpack
