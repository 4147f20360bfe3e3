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

// A string literal's wire form: its bytes (still Huffman-coded if huffman) inside the block.
struct StringLiteral {
  std::span<const uint8_t> bytes;
  bool huffman = false;
};

// Reads the H bit and length of the literal at in[pos] and advances pos past it, without decoding.
// Errors (protocol): truncated, or longer than the block.
Result<StringLiteral> read_string_literal(std::span<const uint8_t> in, size_t& pos);
// Appends the literal's decoded bytes to out. Errors: protocol (bad Huffman) or too_large (> max_len).
Result<void> decode_string_bytes(const StringLiteral& s, std::string& out, size_t max_len);

// Decodes the string literal at in[pos], appending its bytes to out, and advances pos.
// Errors: protocol (truncated, length beyond the block, bad Huffman) or too_large (decoded length > max_len).
Result<void> decode_string(std::span<const uint8_t> in, size_t& pos, std::string& out, size_t max_len,
                           bool* huffman);

}  // namespace wraith::h2::hpack
