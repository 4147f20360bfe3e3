#include "util/ascii.h"
#include "cookie/set_cookie_parser.h"

#include <limits>

#include "cookie/cookie_date.h"

namespace wraith::cookie {
namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
  return s;
}

using util::iequals;

Error refuse(const char* why) { return Error(ErrorKind::invalid_header, std::string("Set-Cookie: ") + why, "cookie"); }

// Max-Age (RFC 6265bis 5.6.2): an optional '-' then digits only, otherwise the attribute is ignored.
// Huge values saturate; the jar caps expiry at 400 days anyway.
std::optional<std::int64_t> parse_max_age(std::string_view v) {
  if (v.empty()) return std::nullopt;
  bool negative = v.front() == '-';
  if (negative) v.remove_prefix(1);
  if (v.empty()) return std::nullopt;
  std::int64_t n = 0;
  constexpr std::int64_t kCap = std::numeric_limits<std::int64_t>::max() / 10 - 10;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    if (n < kCap) n = n * 10 + (c - '0');
  }
  return negative ? -n : n;
}

SameSite parse_same_site(std::string_view v) {
  if (iequals(v, "strict")) return SameSite::strict;
  if (iequals(v, "lax")) return SameSite::lax;
  if (iequals(v, "none")) return SameSite::none;
  return SameSite::unspecified;  // unknown values fall back to the default enforcement, as in Chrome
}

}  // namespace

Result<ParsedSetCookie> parse_set_cookie(std::string_view header) {
  // CTLs other than HTAB make the whole cookie invalid (RFC 6265bis 5.6 step 1; Chrome does the same).
  for (char ch : header) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c <= 0x08) || (c >= 0x0A && c <= 0x1F) || c == 0x7F) return refuse("control character");
  }

  ParsedSetCookie out;
  std::size_t semi = header.find(';');
  std::string_view pair = header.substr(0, semi);
  std::string_view rest = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);

  std::size_t eq = pair.find('=');
  if (eq == std::string_view::npos) {
    out.value = std::string(trim(pair));  // a nameless cookie: the whole pair is the value
  } else {
    out.name = std::string(trim(pair.substr(0, eq)));
    out.value = std::string(trim(pair.substr(eq + 1)));
  }
  if (out.name.empty() && out.value.empty()) return refuse("empty name and value");
  if (out.name.size() + out.value.size() > kMaxNameValueSize) return refuse("name and value exceed 4096 bytes");

  while (!rest.empty()) {
    std::size_t next = rest.find(';');
    std::string_view av = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);

    std::size_t aeq = av.find('=');
    std::string_view name = trim(av.substr(0, aeq));
    std::string_view value = aeq == std::string_view::npos ? std::string_view() : trim(av.substr(aeq + 1));
    if (value.size() > kMaxAttributeValueSize) continue;

    if (iequals(name, "expires")) {
      if (auto t = parse_cookie_date(value)) out.expires = *t;
    } else if (iequals(name, "max-age")) {
      if (auto n = parse_max_age(value)) out.max_age = *n;
    } else if (iequals(name, "domain")) {
      // An empty Domain is ignored (5.6.3), which leaves any earlier one in place.
      if (!value.empty()) out.domain = std::string(value);
    } else if (iequals(name, "path")) {
      out.path = (!value.empty() && value.front() == '/') ? std::string(value) : std::string();
    } else if (iequals(name, "secure")) {
      out.secure = true;
    } else if (iequals(name, "httponly")) {
      out.http_only = true;
    } else if (iequals(name, "samesite")) {
      out.same_site = parse_same_site(value);
    }
    // Unknown attributes (Priority, Partitioned, ...) are ignored.
  }
  return out;
}

}  // namespace wraith::cookie
