#include "h2/hpack/huffman.h"

#include <algorithm>
#include <array>

#include "h2/hpack/huffman_table.h"

namespace wraith::h2::hpack {
namespace {

// Decoding: peek kPeekBits from a left-aligned 64-bit window. Every code of up to kPeekBits bits is resolved by a
// single lookup; longer codes (rare bytes, all starting with eleven 1 bits) fall back to canonical decoding,
// which works because the RFC code is canonical (the tests assert it).
constexpr int kPeekBits = 11;
constexpr int kMaxCodeBits = 30;

struct PeekEntry {
  uint16_t symbol;
  uint8_t bits;  // 0: the code is longer than kPeekBits
};

// Two short codes that both fit in the peeked bits decode in one step (most header text: 5-7 bit codes).
struct PairEntry {
  uint8_t first;
  uint8_t second;
  uint8_t bits;  // total; 0: no second code fits
};

struct DecodeTables {
  std::array<PeekEntry, 1u << kPeekBits> peek{};
  std::array<PairEntry, 1u << kPeekBits> pair{};
  // Canonical code per length: codes of length L are first_code[L] .. first_code[L]+count[L]-1, and map to
  // sorted_symbols[offset[L] + (code - first_code[L])].
  std::array<uint32_t, kMaxCodeBits + 1> first_code{};
  std::array<uint32_t, kMaxCodeBits + 1> count{};
  std::array<uint32_t, kMaxCodeBits + 1> offset{};
  std::array<uint16_t, kHuffmanSymbols> sorted_symbols{};
};

DecodeTables build_tables() {
  DecodeTables t;
  for (int s = 0; s < kHuffmanSymbols; ++s) {
    const HuffmanCode& c = kHuffmanCodes[s];
    t.count[c.bits]++;
    if (c.bits <= kPeekBits) {
      const uint32_t first = c.code << (kPeekBits - c.bits);
      const uint32_t n = 1u << (kPeekBits - c.bits);
      for (uint32_t i = 0; i < n; ++i) t.peek[first + i] = PeekEntry{static_cast<uint16_t>(s), c.bits};
    }
  }
  uint32_t code = 0, pos = 0;
  for (int len = 1; len <= kMaxCodeBits; ++len) {
    t.first_code[len] = code;
    t.offset[len] = pos;
    pos += t.count[len];
    code = (code + t.count[len]) << 1;
  }
  // Symbols in (length, value) order; within a length a canonical code assigns codes in symbol order.
  std::array<uint32_t, kMaxCodeBits + 1> fill{};
  for (int s = 0; s < kHuffmanSymbols; ++s) {
    const int len = kHuffmanCodes[s].bits;
    t.sorted_symbols[t.offset[len] + fill[len]++] = static_cast<uint16_t>(s);
  }
  constexpr uint32_t kPeekMask = (1u << kPeekBits) - 1;
  for (uint32_t key = 0; key <= kPeekMask; ++key) {
    const PeekEntry a = t.peek[key];
    if (a.bits == 0) continue;
    const PeekEntry b = t.peek[(key << a.bits) & kPeekMask];  // low a.bits bits are not data: b must fit above
    if (b.bits == 0 || a.bits + b.bits > kPeekBits) continue;
    t.pair[key] = PairEntry{static_cast<uint8_t>(a.symbol), static_cast<uint8_t>(b.symbol),
                            static_cast<uint8_t>(a.bits + b.bits)};
  }
  return t;
}

const DecodeTables kTables = build_tables();

Error huffman_error(const char* what) { return Error(ErrorKind::protocol, what, "hpack"); }

}  // namespace

size_t huffman_encoded_size(std::string_view s) {
  uint64_t bits = 0;
  for (unsigned char c : s) bits += kHuffmanCodes[c].bits;
  return static_cast<size_t>((bits + 7) / 8);
}

void huffman_encode(std::string_view s, std::vector<uint8_t>& out) {
  const size_t start = out.size();
  out.resize(start + huffman_encoded_size(s));
  uint8_t* p = out.data() + start;
  uint64_t acc = 0;  // low `pending` bits are not yet written
  int pending = 0;
  for (unsigned char c : s) {
    const HuffmanCode& code = kHuffmanCodes[c];
    acc = (acc << code.bits) | code.code;
    pending += code.bits;
    while (pending >= 8) {
      pending -= 8;
      *p++ = static_cast<uint8_t>(acc >> pending);
    }
  }
  if (pending > 0) *p++ = static_cast<uint8_t>((acc << (8 - pending)) | (0xffu >> pending));  // EOS-prefix pad
}

Result<void> huffman_decode(std::span<const uint8_t> in, std::string& out, size_t max_out) {
  // The shortest code has 5 bits, so n bytes decode to at most 8n/5 symbols.
  const size_t bound = in.size() * 8 / 5;
  const size_t room = std::min(bound, max_out);
  const size_t start = out.size();
  out.resize(start + room);
  char* const begin = out.data() + start;
  char* p = begin;
  char* const end = begin + room;

  uint64_t window = 0;  // left-aligned: the next bit to decode is bit 63
  int avail = 0;
  size_t i = 0;
  for (;;) {
    if (avail < kMaxCodeBits) {  // a lookup needs up to 30 bits; refill rarely, in bulk
      if (in.size() - i >= 8) {
        // Wide refill: whole bytes advance i; the partial byte's bits also land in the window, exactly where the
        // next refill will OR the same byte again, so they are harmless.
        uint64_t w = 0;
        for (int k = 0; k < 8; ++k) w = (w << 8) | in[i + k];  // compilers turn this into a load + bswap
        window |= w >> avail;
        const int bytes = (63 - avail) >> 3;
        i += bytes;
        avail += bytes * 8;
      } else {
        while (avail <= 56 && i < in.size()) {
          window |= static_cast<uint64_t>(in[i++]) << (56 - avail);
          avail += 8;
        }
      }
    }
    if (avail == 0) break;
    // Bits past the end read as 1s: a strict prefix of EOS then decodes to a code longer than what is left.
    const uint64_t padded = avail >= 64 ? window : window | (~uint64_t{0} >> avail);
    const uint32_t key = static_cast<uint32_t>(padded >> (64 - kPeekBits));
    const PairEntry two = kTables.pair[key];
    if (two.bits != 0 && two.bits <= avail && end - p >= 2) {
      p[0] = static_cast<char>(two.first);
      p[1] = static_cast<char>(two.second);
      p += 2;
      window <<= two.bits;
      avail -= two.bits;
      continue;
    }
    const PeekEntry e = kTables.peek[key];
    int symbol = e.symbol;
    int bits = e.bits;
    if (bits == 0) {
      for (int len = kPeekBits + 1; len <= kMaxCodeBits; ++len) {
        const uint32_t code = static_cast<uint32_t>(padded >> (64 - len));
        if (code - kTables.first_code[len] < kTables.count[len]) {
          symbol = kTables.sorted_symbols[kTables.offset[len] + (code - kTables.first_code[len])];
          bits = len;
          break;
        }
      }
      if (bits == 0) {  // unreachable with a complete code; never loop forever on a bad table
        out.resize(start);
        return huffman_error("hpack: invalid huffman code");
      }
    }
    if (bits > avail) {
      // What is left is padding: at most 7 bits, all ones (RFC 7541 5.2).
      if (avail > 7) {
        out.resize(start);
        return huffman_error("hpack: huffman padding longer than 7 bits");
      }
      if ((window >> (64 - avail)) != (uint64_t{1} << avail) - 1) {
        out.resize(start);
        return huffman_error("hpack: huffman padding is not EOS prefix");
      }
      break;
    }
    if (symbol == kHuffmanEos) {
      out.resize(start);
      return huffman_error("hpack: huffman string contains EOS");
    }
    if (p == end) {
      out.resize(start);
      return Error(ErrorKind::too_large, "hpack: decoded string too long", "hpack");
    }
    *p++ = static_cast<char>(symbol);
    window <<= bits;
    avail -= bits;
  }
  out.resize(start + static_cast<size_t>(p - begin));
  return {};
}

}  // namespace wraith::h2::hpack
