#include "url/percent.h"

namespace wraith::url {
namespace {

// Sets from the WHATWG URL standard (section "Percent-encoded bytes"); the query set is the one for
// special schemes (it adds the apostrophe), which is all we parse.
bool must_encode(unsigned char c, EncodeSet set) {
  if (c < 0x21 || c > 0x7e) return true;  // C0 controls, space, DEL and non-ASCII
  switch (c) {
    case '"': case '<': case '>':
      return true;
    case '#':
      return set != EncodeSet::fragment;
    case '\'':
      return set == EncodeSet::query;
    case '`':
      return set != EncodeSet::query;
    case '?': case '^': case '{': case '}':  // '^' since whatwg/url#846 (Chrome and Firefox already did)
      return set == EncodeSet::path || set == EncodeSet::userinfo;
    case '/': case ':': case ';': case '=': case '@': case '[': case '\\': case ']': case '|':
      return set == EncodeSet::userinfo;
    default:
      return false;
  }
}

}  // namespace

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_encoded(std::string_view s, EncodeSet set, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (must_encode(c, set)) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
}

bool has_valid_escapes(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return false;
    i += 2;
  }
  return true;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace wraith::url
