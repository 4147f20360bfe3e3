#include "util/ascii.h"
#include "h1/field_rules.h"

#include <cstdio>

namespace wraith::h1 {
namespace {


Error header_error(const char* what, std::string_view name) {
  std::string msg = what;
  msg += " in header '";
  for (char c : name.substr(0, 64)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      msg += buf;
    } else {
      msg += c;
    }
  }
  msg += "'";
  return Error(ErrorKind::invalid_header, std::move(msg), "h1");
}

}  // namespace


bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Result<void> validate_header(std::string_view name, std::string_view value) {
  if (name.empty()) return Error(ErrorKind::invalid_header, "empty header name", "h1");
  if (!is_token(name)) return header_error("invalid character in name", name);
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return header_error("CR, LF or NUL in value", name);
  }
  return {};
}

using util::iequals;

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_content_length(std::string_view value) {
  constexpr std::uint64_t kMax = 0x7fffffffffffffffull;
  std::optional<std::uint64_t> result;
  bool ok = true;
  bool any = false;
  std::string_view rest = value;
  // Walk the list by hand: unlike for_each_list_element, an empty member is an error here.
  for (;;) {
    std::size_t comma = rest.find(',');
    std::string_view element = trim_ows(rest.substr(0, comma));
    if (element.empty()) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : element) {
      if (c < '0' || c > '9') return std::nullopt;
      std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
      if (n > (kMax - digit) / 10) return std::nullopt;
      n = n * 10 + digit;
    }
    if (result && *result != n) ok = false;
    result = n;
    any = true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (!ok || !any) return std::nullopt;
  return result;
}

}  // namespace wraith::h1
