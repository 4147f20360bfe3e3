// The cookie-date algorithm of RFC 6265 section 5.1.1 (kept unchanged by RFC 6265bis), which accepts the
// formats servers actually send: RFC 1123, RFC 850, asctime, and many sloppy variants.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wraith::cookie {

// Seconds since the Unix epoch (negative before 1970), or nullopt when the string is not a cookie-date.
std::optional<std::int64_t> parse_cookie_date(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

}  // namespace wraith::cookie
