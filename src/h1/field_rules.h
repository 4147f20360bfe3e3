// RFC 9110 field syntax shared by the request writer and the response parser: tokens, OWS, lists.
#pragma once

#include "util/ascii.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "wraith/error.h"

namespace wraith::h1 {

namespace detail {
constexpr std::array<bool, 256> make_tchar_table() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
inline constexpr std::array<bool, 256> kTchar = make_tchar_table();
}  // namespace detail

// tchar (RFC 9110 5.6.2): ALPHA / DIGIT / "!#$%&'*+-.^_`|~". Inline: it runs per byte of every name.
inline bool is_tchar(unsigned char c) { return detail::kTchar[c]; }
bool is_token(std::string_view s);

// A field name must be a token; a value may hold anything but CR, LF and NUL (Chromium's
// HttpUtil::IsValidHeaderValue draws the same line, so everything Chrome can send we can send).
Result<void> validate_header(std::string_view name, std::string_view value);

using util::iequals;
std::string_view trim_ows(std::string_view s);

// Calls fn(element) for each comma-separated element, OWS trimmed, empty elements skipped.
template <class Fn>
void for_each_list_element(std::string_view list, Fn&& fn) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// Content-Length value: 1*DIGIT, or a list of identical such values ("5, 5"); nullopt when invalid,
// when list members differ, or above 2^63-1.
std::optional<std::uint64_t> parse_content_length(std::string_view value);

}  // namespace wraith::h1
