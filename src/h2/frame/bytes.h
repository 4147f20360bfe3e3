// Big-endian field access for frame payloads. Writers append to a caller's buffer; once its capacity is
// there, encoding a frame allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace wraith::h2::wire {

// Grows `out` by n bytes and returns where they start.
inline uint8_t* grow(std::vector<uint8_t>& out, size_t n) {
  size_t at = out.size();
  out.resize(at + n);
  return out.data() + at;
}

inline uint8_t* put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
  return p + 2;
}
inline uint8_t* put24(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 16);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v);
  return p + 3;
}
inline uint8_t* put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
  return p + 4;
}

inline uint32_t get16(const uint8_t* p) { return (uint32_t{p[0]} << 8) | p[1]; }
inline uint32_t get24(const uint8_t* p) { return (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2]; }
inline uint32_t get32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
// 31-bit fields (stream ids, window increments) whose top bit is reserved and ignored on receipt.
inline uint32_t get31(const uint8_t* p) { return get32(p) & 0x7fffffffu; }

inline void append(std::vector<uint8_t>& out, std::span<const uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace wraith::h2::wire
