// Bounds-checked big-endian reader over a byte span: every read reports failure instead of overrunning, so
// the ClientHello parser can turn any malformed length into an Error without undefined behaviour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wraith::fingerprint {

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> data) : data_(data) {}

  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  std::size_t position() const { return pos_; }

  bool u8(std::uint8_t& out) {
    if (remaining() < 1) return false;
    out = data_[pos_++];
    return true;
  }
  bool u16(std::uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<std::uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u24(std::uint32_t& out) {
    if (remaining() < 3) return false;
    out = std::uint32_t{data_[pos_]} << 16 | std::uint32_t{data_[pos_ + 1]} << 8 | data_[pos_ + 2];
    pos_ += 3;
    return true;
  }
  bool u32(std::uint32_t& out) {
    if (remaining() < 4) return false;
    out = std::uint32_t{data_[pos_]} << 24 | std::uint32_t{data_[pos_ + 1]} << 16 |
          std::uint32_t{data_[pos_ + 2]} << 8 | data_[pos_ + 3];
    pos_ += 4;
    return true;
  }
  bool bytes(std::size_t n, std::span<const std::uint8_t>& out) {
    if (remaining() < n) return false;
    out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  // Length-prefixed vectors (TLS presentation language `opaque x<0..2^8-1>` etc.).
  bool vec8(std::span<const std::uint8_t>& out) {
    std::uint8_t n;
    return u8(n) && bytes(n, out);
  }
  bool vec16(std::span<const std::uint8_t>& out) {
    std::uint16_t n;
    return u16(n) && bytes(n, out);
  }
  bool vec24(std::span<const std::uint8_t>& out) {
    std::uint32_t n;
    return u24(n) && bytes(n, out);
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

}  // namespace wraith::fingerprint
