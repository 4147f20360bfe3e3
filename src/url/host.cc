#include "url/host.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

#include "url/percent.h"

namespace wraith::url {
namespace {

Error host_error(std::string msg) { return Error(ErrorKind::invalid_url, std::move(msg), "url"); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// WHATWG "forbidden domain code point" (after percent-decoding), plus anything non-ASCII.
bool forbidden_in_domain(unsigned char c) {
  if (c <= 0x20 || c >= 0x7f) return true;
  switch (c) {
    case '#': case '%': case '/': case ':': case '<': case '>': case '?': case '@': case '[': case '\\':
    case ']': case '^': case '|':
      return true;
    default:
      return false;
  }
}

// One IPv4 part: decimal, 0-prefixed octal or 0x-prefixed hex. Values are saturated above 2^32 so an
// overlong part still fails the range check without overflowing.
std::optional<std::uint64_t> parse_ipv4_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int radix = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    radix = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    radix = 8;
    s.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (char c : s) {
    int d = hex_value(c);
    if (d < 0 || d >= radix) return std::nullopt;
    value = value * static_cast<std::uint64_t>(radix) + static_cast<std::uint64_t>(d);
    if (value > 0xffffffffull) value = 0x100000000ull;
  }
  return value;
}

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
}

// WHATWG "ends in a number": such a host must parse as IPv4 or is invalid (so "1.2.3.999" fails instead
// of being looked up in DNS).
bool ends_in_number(std::string_view host) {
  auto parts = split_dots(host);
  if (parts.back().empty()) {
    if (parts.size() == 1) return false;
    parts.pop_back();
  }
  std::string_view last = parts.back();
  if (last.empty()) return false;
  bool all_digits = true;
  for (char c : last) all_digits = all_digits && is_digit(c);
  return all_digits || parse_ipv4_number(last).has_value();
}

Result<ParsedHost> parse_ipv4(std::string_view host) {
  auto parts = split_dots(host);
  if (parts.back().empty() && parts.size() > 1) parts.pop_back();
  if (parts.size() > 4) return host_error("IPv4 address has more than four parts");
  std::array<std::uint64_t, 4> numbers{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto n = parse_ipv4_number(parts[i]);
    if (!n) return host_error("invalid IPv4 address part '" + std::string(parts[i]) + "'");
    if (i + 1 < parts.size() && *n > 255) return host_error("IPv4 address part out of range");
    numbers[i] = *n;
  }
  std::size_t n = parts.size();
  std::uint64_t limit = 1ull << (8 * (5 - n));
  if (numbers[n - 1] >= limit) return host_error("IPv4 address out of range");
  std::uint64_t addr = numbers[n - 1];
  for (std::size_t i = 0; i + 1 < n; ++i) addr += numbers[i] << (8 * (3 - i));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", unsigned(addr >> 24), unsigned((addr >> 16) & 255),
                unsigned((addr >> 8) & 255), unsigned(addr & 255));
  return ParsedHost{buf, Url::HostKind::ipv4};
}

// The WHATWG IPv6 parser: up to eight 16-bit pieces, one "::" compression, an optional dotted IPv4 tail.
std::optional<std::array<std::uint16_t, 8>> parse_ipv6_pieces(std::string_view s) {
  std::array<std::uint16_t, 8> pieces{};
  int index = 0;
  int compress = -1;
  std::size_t p = 0;
  auto at = [&](std::size_t i) { return i < s.size() ? s[i] : '\0'; };
  if (at(p) == ':') {
    if (at(p + 1) != ':') return std::nullopt;
    p += 2;
    compress = ++index;
  }
  while (p < s.size()) {
    if (index == 8) return std::nullopt;
    if (at(p) == ':') {
      if (compress != -1) return std::nullopt;
      ++p;
      compress = ++index;
      continue;
    }
    unsigned value = 0;
    int length = 0;
    while (length < 4 && hex_value(at(p)) >= 0) {
      value = value * 16 + static_cast<unsigned>(hex_value(at(p)));
      ++p;
      ++length;
    }
    if (at(p) == '.') {
      if (length == 0 || index > 6) return std::nullopt;
      p -= static_cast<std::size_t>(length);
      int numbers_seen = 0;
      while (p < s.size()) {
        if (numbers_seen > 0) {
          if (at(p) != '.' || numbers_seen >= 4) return std::nullopt;
          ++p;
        }
        if (!is_digit(at(p))) return std::nullopt;
        int part = -1;
        while (is_digit(at(p))) {
          int digit = at(p) - '0';
          if (part == 0) return std::nullopt;  // no leading zeros
          part = part < 0 ? digit : part * 10 + digit;
          if (part > 255) return std::nullopt;
          ++p;
        }
        pieces[index] = static_cast<std::uint16_t>(pieces[index] * 0x100 + part);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++index;
      }
      if (numbers_seen != 4) return std::nullopt;
      break;
    }
    if (at(p) == ':') {
      ++p;
      if (p >= s.size()) return std::nullopt;
    } else if (p < s.size()) {
      return std::nullopt;
    }
    pieces[index++] = static_cast<std::uint16_t>(value);
  }
  if (compress != -1) {
    int swaps = index - compress;
    index = 7;
    while (index != 0 && swaps > 0) {
      std::swap(pieces[index], pieces[compress + swaps - 1]);
      --index;
      --swaps;
    }
  } else if (index != 8) {
    return std::nullopt;
  }
  return pieces;
}

// Lowercase hex, no leading zeros, the first longest run (two or more) of zero pieces as "::".
std::string serialize_ipv6(const std::array<std::uint16_t, 8>& pieces) {
  int best_start = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (pieces[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && pieces[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += (i == 0) ? "::" : ":";
      i += best_len - 1;
      continue;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", pieces[i]);
    out += buf;
    if (i != 7) out += ':';
  }
  return out;
}

}  // namespace

Result<ParsedHost> parse_host(std::string_view raw) {
  if (raw.empty()) return host_error("empty host");
  if (raw.front() == '[') {
    if (raw.size() < 3 || raw.back() != ']') return host_error("unterminated IPv6 literal");
    auto pieces = parse_ipv6_pieces(raw.substr(1, raw.size() - 2));
    if (!pieces) return host_error("invalid IPv6 address '" + std::string(raw) + "'");
    return ParsedHost{serialize_ipv6(*pieces), Url::HostKind::ipv6};
  }
  auto decoded = percent_decode(raw);
  if (!decoded) return host_error("invalid percent escape in host");
  std::string host = std::move(*decoded);
  for (char& ch : host) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) return host_error("internationalized host names are not supported; use the xn-- (punycode) form");
    if (forbidden_in_domain(c)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "forbidden character 0x%02x in host", c);
      return host_error(buf);
    }
    if (c >= 'A' && c <= 'Z') ch = static_cast<char>(c + 32);
  }
  if (host.empty()) return host_error("empty host");
  if (ends_in_number(host)) return parse_ipv4(host);
  return ParsedHost{std::move(host), Url::HostKind::name};
}

}  // namespace wraith::url
