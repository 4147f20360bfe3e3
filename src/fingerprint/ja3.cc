#include "fingerprint/ja3.h"

#include <algorithm>

#include "fingerprint/digest.h"

namespace wraith::fingerprint {

namespace {

template <class Int>
void append_list(std::string& out, const std::vector<Int>& values) {
  bool first = true;
  for (Int v : values) {
    if (is_grease(static_cast<std::uint16_t>(v))) continue;
    if (!first) out += '-';
    out += std::to_string(v);
    first = false;
  }
}

std::string build(const ClientHello& hello, bool sort_extensions) {
  std::vector<std::uint16_t> extensions;
  for (const Extension& e : hello.extensions) extensions.push_back(e.type);
  if (sort_extensions) std::sort(extensions.begin(), extensions.end());

  std::string out = std::to_string(hello.legacy_version);
  out += ',';
  append_list(out, hello.cipher_suites);
  out += ',';
  append_list(out, extensions);
  out += ',';
  if (hello.supported_groups) append_list(out, *hello.supported_groups);
  out += ',';
  // Point formats are single bytes; none of them can look like GREASE.
  if (hello.ec_point_formats) {
    bool first = true;
    for (std::uint8_t f : *hello.ec_point_formats) {
      if (!first) out += '-';
      out += std::to_string(f);
      first = false;
    }
  }
  return out;
}

}  // namespace

std::string ja3_string(const ClientHello& hello) { return build(hello, false); }
std::string ja3n_string(const ClientHello& hello) { return build(hello, true); }
std::string ja3_md5(const ClientHello& hello) { return md5_hex(ja3_string(hello)); }
std::string ja3n_md5(const ClientHello& hello) { return md5_hex(ja3n_string(hello)); }

}  // namespace wraith::fingerprint
