// HPACK prefix integers (RFC 7541 5.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wraith/error.h"

namespace wraith::h2::hpack {

// Appends `value` with an N-bit prefix (1..8); `flags` are the bits above the prefix in the first byte.
void encode_integer(std::vector<uint8_t>& out, uint8_t flags, int prefix_bits, uint32_t value);

// Decodes the integer starting at in[pos] (the first byte's high bits are ignored) and advances pos.
// Rejects truncation, values above 2^32-1 and more than 5 continuation bytes (protocol errors).
Result<uint32_t> decode_integer(std::span<const uint8_t> in, size_t& pos, int prefix_bits);

// The common case inline: an integer that fits its prefix (one byte). Returns false, consuming nothing, when it
// does not (or pos is at the end); call decode_integer then.
inline bool decode_small_integer(std::span<const uint8_t> in, size_t& pos, int prefix_bits, uint32_t& value) {
  const uint32_t prefix_max = (1u << prefix_bits) - 1;
  if (pos >= in.size() || (in[pos] & prefix_max) == prefix_max) return false;
  value = in[pos++] & prefix_max;
  return true;
}

}  // namespace wraith::h2::hpack
