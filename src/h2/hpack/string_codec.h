// HPACK string literals (RFC 7541 5.2): H bit, 7-bit-prefix length, raw or Huffman bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "h2/hpack/encoder_policy.h"
#include "wraith/error.h"

namespace wraith::h2::hpack {

// Appends s as a string literal; returns whether it was Huffman-coded.
// HuffmanPolicy::shorter codes it only when that is strictly shorter than the raw bytes (as Chrome does).
bool encode_string(std::string_view s, HuffmanPolicy policy, std::vector<uint8_t>& out);

// Decodes the string literal at in[pos], appending its bytes to out, and advances pos.
// Errors: protocol (truncated, length beyond the block, bad Huffman) or too_large (decoded length > max_len).
Result<void> decode_string(std::span<const uint8_t> in, size_t& pos, std::string& out, size_t max_len,
                           bool* huffman);

}  // namespace wraith::h2::hpack
