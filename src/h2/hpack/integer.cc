#include "h2/hpack/integer.h"

namespace wraith::h2::hpack {

void encode_integer(std::vector<uint8_t>& out, uint8_t flags, int prefix_bits, uint32_t value) {
  const uint32_t prefix_max = (1u << prefix_bits) - 1;
  if (value < prefix_max) {
    out.push_back(static_cast<uint8_t>(flags | value));
    return;
  }
  out.push_back(static_cast<uint8_t>(flags | prefix_max));
  value -= prefix_max;
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(0x80 | (value & 0x7f)));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

Result<uint32_t> decode_integer(std::span<const uint8_t> in, size_t& pos, int prefix_bits) {
  if (pos >= in.size()) return Error(ErrorKind::protocol, "hpack: truncated integer", "hpack");
  const uint32_t prefix_max = (1u << prefix_bits) - 1;
  uint64_t value = in[pos++] & prefix_max;
  if (value < prefix_max) return static_cast<uint32_t>(value);
  // 5 continuation bytes carry 35 bits: enough for any 32-bit value; a 6th can only be padding or overflow.
  constexpr int kMaxContinuation = 5;
  for (int i = 0; i < kMaxContinuation; ++i) {
    if (pos >= in.size()) return Error(ErrorKind::protocol, "hpack: truncated integer", "hpack");
    const uint8_t b = in[pos++];
    value += static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if (value > UINT32_MAX) return Error(ErrorKind::protocol, "hpack: integer overflow", "hpack");
    if ((b & 0x80) == 0) return static_cast<uint32_t>(value);
  }
  return Error(ErrorKind::protocol, "hpack: integer has too many continuation bytes", "hpack");
}

}  // namespace wraith::h2::hpack
