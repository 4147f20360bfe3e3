// Turns a parsed Set-Cookie into the cookie to store for a given request (RFC 6265bis 5.7 "storage model" up
// to the point where the store is consulted), with Chrome's extra rules: strict secure cookies, SameSite=None
// needs Secure, prefixes, and the 400-day expiry cap.
#pragma once

#include "cookie/set_cookie_parser.h"
#include "wraith/cookie_jar.h"
#include "wraith/error.h"

namespace wraith::cookie {

inline constexpr std::chrono::seconds kMaxCookieLifetime{400LL * 24 * 3600};  // RFC 6265bis 5.6.1 / Chrome

// ErrorKind::invalid_header when the cookie must be refused. An already expired cookie is returned as such:
// the store uses it to delete the cookie it replaces.
Result<Cookie> make_cookie(const CookieRequest& request, ParsedSetCookie parsed, CookieTime now,
                           const SameSiteContext& context, std::optional<CookieTime> server_date = std::nullopt);

// The expiry to store for Max-Age/Expires values (Max-Age wins), capped at 400 days after `now`. With the
// response's Date, Expires is taken relative to it (Chrome's clock-skew correction).
std::optional<CookieTime> compute_expiry(const ParsedSetCookie& parsed, CookieTime now,
                                         std::optional<CookieTime> server_date = std::nullopt);

}  // namespace wraith::cookie
