#include "h2/hpack/field_list.h"

namespace wraith::h2::hpack {

void FieldList::release_if_large(std::string& s, Memo& memo) {
  if (s.capacity() <= kMaxKeptString) return;
  std::string().swap(s);
  memo.valid = false;
}

void FieldList::grow() {
  fields_.emplace_back();
  if (memoize_) memos_.emplace_back();
}

void FieldList::clear() {
  size_ = 0;
  if (fields_.size() > kMaxKeptSlots) {
    fields_.resize(kMaxKeptSlots);
    memos_.resize(kMaxKeptSlots);
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    SlotMemo& memo = i < memos_.size() ? memos_[i] : scratch_;  // memos_ is empty when memoize_ is off
    release_if_large(fields_[i].name, memo.name);
    release_if_large(fields_[i].value, memo.value);
  }
}

size_t FieldList::retained_bytes() const {
  size_t n = 0;
  for (size_t i = 0; i < fields_.size(); ++i) n += fields_[i].name.capacity() + fields_[i].value.capacity();
  for (const SlotMemo& m : memos_) n += m.name.wire.capacity() + m.value.wire.capacity();
  return n;
}

}  // namespace wraith::h2::hpack
