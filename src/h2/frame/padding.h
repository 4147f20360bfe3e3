// PADDED frames (DATA, HEADERS, PUSH_PROMISE; RFC 9113 sections 6.1, 6.2, 6.6): the Pad Length byte
// and the trailing padding are stripped here, with the length checks the RFC requires.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

// Returns the payload without Pad Length byte and padding. `fixed_fields` is how many bytes after the Pad
// Length byte must remain before the padding (HEADERS priority fields, PUSH_PROMISE promised id).
Result<std::span<const uint8_t>> strip_padding(const Frame& frame, size_t fixed_fields);

// Writes the Pad Length byte when padded; the caller then writes the body and calls append_padding.
inline size_t padding_overhead(std::optional<uint8_t> pad) { return pad ? 1u + *pad : 0u; }
void append_padding(std::vector<uint8_t>& out, std::optional<uint8_t> pad);

}  // namespace wraith::h2
