#include "fingerprint/format.h"

#include "fingerprint/names.h"
#include "util/hex.h"

namespace wraith::fingerprint {

std::string code_point(std::uint16_t value, NameFn name) {
  std::string out = hex16(value);
  if (is_grease(value) || name == nullptr) return out;
  if (const char* n = name(value)) out += std::string(" ") + n;
  return out;
}

std::string code_point_list(const std::optional<std::vector<std::uint16_t>>& values, NameFn name) {
  if (!values) return "absent";
  if (values->empty()) return "(empty)";
  std::vector<std::string> parts;
  for (std::uint16_t v : *values) parts.push_back(code_point(v, name));
  return join(parts);
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::string bytes_hex(const std::vector<std::uint8_t>& bytes) {
  return bytes.empty() ? std::string("(empty)") : util::to_hex(bytes);
}

std::vector<std::size_t> grease_cipher_positions(const ClientHello& hello) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < hello.cipher_suites.size(); ++i)
    if (is_grease(hello.cipher_suites[i])) out.push_back(i);
  return out;
}

std::vector<std::string> grease_extension_positions(const ClientHello& hello) {
  std::vector<std::string> out;
  const std::size_t n = hello.extensions.size();
  const bool psk_last = n > 0 && hello.extensions.back().type == ext::pre_shared_key;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_grease(hello.extensions[i].type)) continue;
    if (i == 0) out.push_back("first");
    else if (i + 1 == n) out.push_back("last");
    else if (psk_last && i + 2 == n) out.push_back("last-before-psk");
    else out.push_back(std::to_string(i));
  }
  return out;
}

}  // namespace wraith::fingerprint
