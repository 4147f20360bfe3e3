#include "inspect/sniff.h"

#include <algorithm>

#include "h2/frame/types.h"

namespace wraith::inspect {

Sniffed sniff(std::span<const std::uint8_t> first_bytes) {
  if (first_bytes.empty()) return Sniffed::need_more;
  if (first_bytes[0] == 0x16) return Sniffed::tls;
  const auto& preface = h2::kClientPreface;
  const std::size_t n = std::min(first_bytes.size(), preface.size());
  if (!std::equal(first_bytes.begin(), first_bytes.begin() + static_cast<std::ptrdiff_t>(n), preface.begin()))
    return Sniffed::http1;
  return n == preface.size() ? Sniffed::h2c : Sniffed::need_more;
}

const char* to_string(Sniffed s) {
  switch (s) {
    case Sniffed::need_more: return "need_more";
    case Sniffed::tls: return "tls";
    case Sniffed::h2c: return "h2c";
    case Sniffed::http1: return "http1";
  }
  return "?";
}

}  // namespace wraith::inspect
