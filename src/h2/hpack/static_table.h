// The HPACK static table (RFC 7541 Appendix A), indices 1..61, with name lookups for the encoder.
#pragma once

#include <cstdint>
#include <string_view>

#include "h2/hpack/header_field.h"

namespace wraith::h2::hpack {

constexpr uint32_t kStaticTableSize = 61;

// index in 1..kStaticTableSize.
const HeaderView& static_entry(uint32_t index);

struct StaticMatch {
  uint32_t exact = 0;  // index of (name, value), 0 when none
  uint32_t name = 0;   // lowest index with this name, 0 when none
};
StaticMatch static_find(std::string_view name, std::string_view value);

}  // namespace wraith::h2::hpack
