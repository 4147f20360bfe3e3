// A header field as HPACK sees it: owned (decoder output) or borrowed (encoder input, zero-copy).
#pragma once

#include <string>
#include <string_view>

namespace wraith::h2::hpack {

struct HeaderField {
  std::string name;
  std::string value;
  bool operator==(const HeaderField&) const = default;
};

struct HeaderView {
  std::string_view name;
  std::string_view value;
};

// RFC 7541 4.1: an entry's size is its name and value length plus 32 bytes of overhead.
constexpr size_t kEntryOverhead = 32;
constexpr size_t entry_size(size_t name_len, size_t value_len) { return name_len + value_len + kEntryOverhead; }

}  // namespace wraith::h2::hpack
