#include "fingerprint/ja4.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "fingerprint/digest.h"

namespace wraith::fingerprint {

namespace {

const char* version_code(std::uint16_t version) {
  switch (version) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0200: return "s2";
    case 0x0100: return "s1";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
  }
}

// The spec takes the highest version in supported_versions (GREASE ignored), else legacy_version.
std::uint16_t effective_version(const ClientHello& hello) {
  std::uint16_t best = 0;
  bool any = false;
  if (hello.supported_versions) {
    for (std::uint16_t v : *hello.supported_versions) {
      if (is_grease(v)) continue;
      // DTLS versions count downwards; compare them by their distance from 0xffff.
      auto rank = [](std::uint16_t x) { return (x >> 8) == 0xfe ? 0xffff - x : x; };
      if (!any || rank(v) > rank(best)) best = v;
      any = true;
    }
  }
  return any ? best : hello.legacy_version;
}

bool is_alnum(unsigned char c) { return std::isalnum(c) != 0 && c < 0x80; }

std::string alpn_code(const ClientHello& hello) {
  if (!hello.alpn || hello.alpn->empty() || hello.alpn->front().empty()) return "00";
  const std::string& first = hello.alpn->front();
  unsigned char head = static_cast<unsigned char>(first.front());
  unsigned char tail = static_cast<unsigned char>(first.back());
  if (is_alnum(head) && is_alnum(tail)) return std::string{static_cast<char>(head), static_cast<char>(tail)};
  // Non-alphanumeric: first hex digit of the first byte and last hex digit of the last byte.
  static constexpr char digits[] = "0123456789abcdef";
  return std::string{digits[head >> 4], digits[tail & 0xf]};
}

std::string two_digits(std::size_t n) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02zu", std::min<std::size_t>(n, 99));
  return buf;
}

std::string hex4(std::uint16_t v) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "%04x", v);
  return buf;
}

std::string join_hex(const std::vector<std::uint16_t>& values) {
  std::string out;
  for (std::uint16_t v : values) {
    if (!out.empty()) out += ',';
    out += hex4(v);
  }
  return out;
}

std::string truncated_hash(const std::string& text) {
  if (text.empty()) return "000000000000";
  return sha256_hex(text).substr(0, 12);
}

std::vector<std::uint16_t> without_grease(const std::vector<std::uint16_t>& values) {
  std::vector<std::uint16_t> out;
  for (std::uint16_t v : values)
    if (!is_grease(v)) out.push_back(v);
  return out;
}

// "exts" or "exts_sigalgs": the spec appends the sigalgs only when there are any.
std::string extension_part(const std::vector<std::uint16_t>& extensions, const std::string& sigalgs) {
  std::string out = join_hex(extensions);
  if (!sigalgs.empty()) out += "_" + sigalgs;
  return out;
}

}  // namespace

std::string ja4_a(const ClientHello& hello, Ja4Transport transport) {
  std::size_t extension_count = 0;
  for (const Extension& e : hello.extensions)
    if (!is_grease(e.type)) ++extension_count;
  std::string out;
  out += transport == Ja4Transport::tcp ? 't' : transport == Ja4Transport::quic ? 'q' : 'd';
  out += version_code(effective_version(hello));
  out += hello.has_extension(ext::server_name) ? 'd' : 'i';
  out += two_digits(without_grease(hello.cipher_suites).size());
  out += two_digits(extension_count);
  out += alpn_code(hello);
  return out;
}

Ja4 compute_ja4(const ClientHello& hello, Ja4Transport transport) {
  const std::string a = ja4_a(hello, transport);

  std::vector<std::uint16_t> ciphers_wire = without_grease(hello.cipher_suites);
  std::vector<std::uint16_t> ciphers_sorted = ciphers_wire;
  std::sort(ciphers_sorted.begin(), ciphers_sorted.end());

  std::vector<std::uint16_t> extensions_wire, extensions_sorted;
  for (const Extension& e : hello.extensions) {
    if (is_grease(e.type)) continue;
    extensions_wire.push_back(e.type);
    if (e.type != ext::server_name && e.type != ext::alpn) extensions_sorted.push_back(e.type);
  }
  std::sort(extensions_sorted.begin(), extensions_sorted.end());

  const std::string sigalgs =
      hello.signature_algorithms ? join_hex(without_grease(*hello.signature_algorithms)) : std::string();

  const std::string c_sorted = join_hex(ciphers_sorted), c_wire = join_hex(ciphers_wire);
  const std::string e_sorted = extensions_sorted.empty() ? std::string() : extension_part(extensions_sorted, sigalgs);
  const std::string e_wire = extensions_wire.empty() ? std::string() : extension_part(extensions_wire, sigalgs);

  Ja4 out;
  out.ja4 = a + "_" + truncated_hash(c_sorted) + "_" + truncated_hash(e_sorted);
  out.ja4_r = a + "_" + c_sorted + "_" + e_sorted;
  out.ja4_o = a + "_" + truncated_hash(c_wire) + "_" + truncated_hash(e_wire);
  out.ja4_ro = a + "_" + c_wire + "_" + e_wire;
  return out;
}

}  // namespace wraith::fingerprint
