#include "h2/hpack/field_list.h"

#include <algorithm>

namespace wraith::h2::hpack {

bool FieldList::release_if_large(std::string& s, Memo& memo) {
  if (s.capacity() <= kMaxKeptString) return false;
  std::string().swap(s);
  memo.valid = false;
  return true;
}

void FieldList::grow() {
  fields_.emplace_back();
  checked_.push_back(0);
  if (memoize_) memos_.emplace_back();
}

void FieldList::clear() {
  size_ = 0;
  if (fields_.size() > kMaxKeptSlots) {
    fields_.resize(kMaxKeptSlots);
    memos_.resize(std::min(memos_.size(), kMaxKeptSlots));
    checked_.resize(kMaxKeptSlots);
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    SlotMemo& memo = i < memos_.size() ? memos_[i] : scratch_;  // memos_ is empty when memoize_ is off
    const bool name_released = release_if_large(fields_[i].name, memo.name);
    const bool value_released = release_if_large(fields_[i].value, memo.value);
    if (name_released) memo.static_name = 0;
    if (name_released || value_released) checked_[i] = 0;
  }
}

size_t FieldList::retained_bytes() const {
  size_t n = 0;
  for (size_t i = 0; i < fields_.size(); ++i) n += fields_[i].name.capacity() + fields_[i].value.capacity();
  for (const SlotMemo& m : memos_) n += m.name.wire.capacity() + m.value.wire.capacity();
  return n;
}

}  // namespace wraith::h2::hpack
