// HPACK Huffman coding (RFC 7541 5.2). Decoding is table-driven: one table lookup per symbol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wraith/error.h"

namespace wraith::h2::hpack {

// Exact encoded length in bytes (including the EOS-prefix padding of the last byte).
size_t huffman_encoded_size(std::string_view s);

// Appends the Huffman encoding of s (huffman_encoded_size(s) bytes).
void huffman_encode(std::string_view s, std::vector<uint8_t>& out);

// Appends the decoded bytes to out. Errors (ErrorKind::protocol): an EOS symbol, padding longer than 7 bits or
// padding that is not all ones. ErrorKind::too_large when the output would exceed max_out bytes.
Result<void> huffman_decode(std::span<const uint8_t> in, std::string& out, size_t max_out);

}  // namespace wraith::h2::hpack
