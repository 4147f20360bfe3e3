// Splits a Set-Cookie header value into name, value and attributes (RFC 6265bis section 5.6), without
// looking at the request: domain, path and security decisions belong to make_cookie().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wraith/cookie_jar.h"
#include "wraith/error.h"

namespace wraith::cookie {

// Chrome's and RFC 6265bis' caps.
inline constexpr std::size_t kMaxNameValueSize = 4096;
inline constexpr std::size_t kMaxAttributeValueSize = 1024;

struct ParsedSetCookie {
  std::string name;
  std::string value;
  std::optional<std::string> domain;     // last Domain attribute with a non-empty value, as written
  std::optional<std::string> path;       // last Path attribute; "" when its value did not start with '/'
  std::optional<std::int64_t> max_age;   // last valid Max-Age, in seconds (may be <= 0)
  std::optional<std::int64_t> expires;   // last parseable Expires, seconds since the epoch
  bool secure = false;
  bool http_only = false;
  SameSite same_site = SameSite::unspecified;
};

// ErrorKind::invalid_header for control characters, an empty name and value, or name+value over 4096 bytes.
Result<ParsedSetCookie> parse_set_cookie(std::string_view header);

}  // namespace wraith::cookie
