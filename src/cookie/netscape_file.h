// The Netscape cookie file format as curl reads (-b) and writes (-c) it: one cookie per line, seven
// TAB-separated fields: domain, include-subdomains, path, secure, expiry (epoch seconds, 0 = session), name,
// value. "#HttpOnly_" before the domain marks HttpOnly cookies; other '#' lines are comments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wraith/cookie_jar.h"
#include "wraith/error.h"

namespace wraith::cookie {

inline constexpr std::size_t kMaxCookieFileSize = 64u << 20;  // refuse absurd files before reading them all

// Unexpired cookies of the file, in file order, creation/last-access set to `now`. ErrorKind::config naming
// the 1-based line for any malformed line.
Result<std::vector<Cookie>> parse_netscape(std::string_view text, CookieTime now);

// The file curl writes: its header, then one line per cookie.
std::string format_netscape(const std::vector<Cookie>& cookies);

}  // namespace wraith::cookie
