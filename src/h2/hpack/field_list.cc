#include "h2/hpack/field_list.h"

namespace wraith::h2::hpack {

void FieldList::release_if_large(std::string& s, Memo& memo) {
  if (s.capacity() <= kMaxKeptString) return;
  std::string().swap(s);
  memo.valid = false;
}

void FieldList::grow() {
  fields_.emplace_back();
  memos_.emplace_back();
}

void FieldList::clear() {
  size_ = 0;
  if (fields_.size() > kMaxKeptSlots) {
    fields_.resize(kMaxKeptSlots);
    memos_.resize(kMaxKeptSlots);
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    release_if_large(fields_[i].name, memos_[i].name);
    release_if_large(fields_[i].value, memos_[i].value);
  }
}

size_t FieldList::retained_bytes() const {
  size_t n = 0;
  for (size_t i = 0; i < fields_.size(); ++i)
    n += fields_[i].name.capacity() + fields_[i].value.capacity() + memos_[i].name.wire.capacity() +
         memos_[i].value.wire.capacity();
  return n;
}

}  // namespace wraith::h2::hpack
