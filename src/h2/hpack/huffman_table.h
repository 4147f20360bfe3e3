// The static Huffman code of RFC 7541 Appendix B.
#pragma once

#include <cstdint>

namespace wraith::h2::hpack {

struct HuffmanCode {
  uint32_t code;  // right-aligned
  uint8_t bits;
};

constexpr int kHuffmanSymbols = 257;  // bytes 0..255 and EOS
constexpr int kHuffmanEos = 256;
extern const HuffmanCode kHuffmanCodes[kHuffmanSymbols];

}  // namespace wraith::h2::hpack
