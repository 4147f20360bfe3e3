#include "util/ascii.h"
#include "h2/header_rules.h"

#include <array>
#include <cstring>
#include <string>

#include "h2/session.h"

namespace wraith::h2 {
namespace {

// Per-byte classes, one table lookup instead of a chain of comparisons per byte.
enum ByteClass : uint8_t {
  kTchar = 1,           // RFC 9110 5.6.2 tchar
  kLowercaseTchar = 2,  // tchar other than A-Z: allowed in an HTTP/2 field name (RFC 9113 8.2.1)
  kForbiddenInValue = 4,  // CR, LF, NUL (RFC 9113 8.2.1)
};

constexpr std::array<uint8_t, 256> make_byte_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool tchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    for (char s : std::string_view("!#$%&'*+-.^_`|~"))
      if (c == static_cast<unsigned char>(s)) tchar = true;
    if (tchar) t[c] |= kTchar;
    if (tchar && !(c >= 'A' && c <= 'Z')) t[c] |= kLowercaseTchar;
    if (c == '\r' || c == '\n' || c == 0) t[c] |= kForbiddenInValue;
  }
  return t;
}

constexpr std::array<uint8_t, 256> kByteClasses = make_byte_classes();

bool is_tchar(unsigned char c) { return kByteClasses[c] & kTchar; }

// Nonzero iff some byte of w is zero (exact as a yes/no answer; Hacker's Delight 6-1).
constexpr uint64_t zero_byte_mask(uint64_t w) {
  return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
}

// Values are scanned eight bytes at a time: NUL, LF or CR anywhere in the word.
bool has_forbidden_value_byte(std::string_view v) {
  size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, v.data() + i, 8);
    if (zero_byte_mask(w) | zero_byte_mask(w ^ 0x0a0a0a0a0a0a0a0aull) | zero_byte_mask(w ^ 0x0d0d0d0d0d0d0d0dull))
      return true;
  }
  for (; i < v.size(); ++i)
    if (kByteClasses[static_cast<unsigned char>(v[i])] & kForbiddenInValue) return true;
  return false;
}

// Lowercase token: what HTTP/2 requires of a field name on the wire (RFC 9113 8.2.1).
bool is_lowercase_token(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!(kByteClasses[c] & kLowercaseTchar)) return false;
  return true;
}

using util::iequals;

Error invalid(std::string msg) { return Error(ErrorKind::invalid_header, std::move(msg), "h2"); }
Error malformed(std::string msg) { return Error(ErrorKind::protocol, std::move(msg), "h2"); }

// Validity first, message only on failure: this runs for every field of every response.
Result<void> check_incoming_field(const hpack::HeaderField& f) {
  if (!is_lowercase_token(f.name)) [[unlikely]]
    return malformed("response field name not a lowercase token: " + f.name);
  if (has_forbidden_value_byte(f.value)) [[unlikely]]
    return malformed("response field value with CR/LF/NUL: " + f.name);
  if (is_connection_specific(f.name)) [[unlikely]]
    return malformed("connection-specific response field: " + f.name);
  return {};
}

}  // namespace

bool is_connection_specific(std::string_view n) {
  switch (n.size()) {  // one length test for most names instead of five comparisons
    case 7: return n == "upgrade";
    case 10: return n == "connection" || n == "keep-alive";
    case 16: return n == "proxy-connection";
    case 17: return n == "transfer-encoding";
    default: return false;
  }
}

Result<void> check_outgoing_field(std::string_view name, std::string_view value) {
  if (!is_lowercase_token(name)) return invalid("field name must be a lowercase token: " + std::string(name));
  if (has_forbidden_value_byte(value)) return invalid("field value contains CR, LF or NUL: " + std::string(name));
  if (is_connection_specific(name)) return invalid("connection-specific field not allowed on h2: " + std::string(name));
  if (name == "te" && !iequals(value, "trailers")) return invalid("te other than \"trailers\" not allowed on h2");
  return {};
}

Result<void> check_request(const RequestView& head) {
  if (head.method.empty()) return Error(ErrorKind::invalid_argument, "empty method", "h2");
  for (unsigned char c : head.method)
    if (!is_tchar(c)) return invalid("method is not a token");
  for (std::string_view v : {head.scheme, head.authority, head.path, head.protocol}) {
    if (has_forbidden_value_byte(v)) return invalid("pseudo-header value contains CR, LF or NUL");
  }
  const bool connect = head.method == "CONNECT";
  if (!head.protocol.empty()) {
    // RFC 8441 4: extended CONNECT carries :scheme, :path and :authority like any request.
    if (!connect) return Error(ErrorKind::invalid_argument, ":protocol requires the CONNECT method", "h2");
    if (head.scheme.empty() || head.path.empty() || head.authority.empty())
      return Error(ErrorKind::invalid_argument, "extended CONNECT needs :scheme, :path and :authority", "h2");
  } else if (connect) {
    if (head.authority.empty()) return Error(ErrorKind::invalid_argument, "CONNECT needs :authority", "h2");
  } else if (head.scheme.empty() || head.path.empty()) {
    return Error(ErrorKind::invalid_argument, "request needs :scheme and :path", "h2");
  }
  if (head.headers_checked) return {};
  for (const auto& f : head.headers) {
    if (auto ok = check_outgoing_field(f.name, f.value); !ok) return ok;
  }
  return {};
}

Result<void> check_outgoing_trailers(std::span<const hpack::HeaderField> trailers) {
  for (const auto& f : trailers) {
    if (auto ok = check_outgoing_field(f.name, f.value); !ok) return ok;
  }
  return {};
}

Result<ResponseHead> check_response_head(std::span<const hpack::HeaderField> fields, std::span<uint8_t> checked) {
  ResponseHead head;
  bool have_status = false;
  size_t i = 0;
  for (; i < fields.size() && !fields[i].name.empty() && fields[i].name[0] == ':'; ++i) {
    const auto& f = fields[i];
    if (f.name != ":status") return malformed("response pseudo-header not allowed: " + f.name);
    if (have_status) return malformed("duplicate :status");
    if (f.value.size() != 3) return malformed(":status is not three digits");
    uint16_t status = 0;
    for (char c : f.value) {
      if (c < '0' || c > '9') return malformed(":status is not three digits");
      status = static_cast<uint16_t>(status * 10 + (c - '0'));
    }
    if (status < 100) return malformed(":status below 100");
    head.status = status;
    have_status = true;
  }
  if (!have_status) return malformed("response without :status");
  head.first_regular = i;
  for (; i < fields.size(); ++i) {
    const auto& f = fields[i];
    if (!f.name.empty() && f.name[0] == ':') return malformed("pseudo-header after regular fields");
    if (checked.empty() || !checked[i]) {
      if (auto ok = check_incoming_field(f); !ok) return ok.take_error();
      if (!checked.empty()) checked[i] = 1;
    }
    if (f.name == "content-length") {
      if (f.value.empty() || f.value.size() > 18) return malformed("invalid content-length");
      uint64_t n = 0;
      for (char c : f.value) {
        if (c < '0' || c > '9') return malformed("invalid content-length");
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      if (head.content_length && *head.content_length != n) return malformed("conflicting content-length");
      head.content_length = n;
    }
  }
  return head;
}

Result<void> check_response_trailers(std::span<const hpack::HeaderField> fields) {
  for (const auto& f : fields) {
    if (!f.name.empty() && f.name[0] == ':') return malformed("pseudo-header in trailers: " + f.name);
    if (auto ok = check_incoming_field(f); !ok) return ok;
  }
  return {};
}

}  // namespace wraith::h2
