#include "cookie/make_cookie.h"

#include "cookie/host_rules.h"

namespace wraith::cookie {
namespace {

Error refuse(const std::string& why) { return Error(ErrorKind::invalid_header, "Set-Cookie: " + why, "cookie"); }

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    char p = prefix[i];
    if (p >= 'A' && p <= 'Z') p = static_cast<char>(p - 'A' + 'a');
    if (c != p) return false;
  }
  return true;
}

}  // namespace

std::optional<CookieTime> compute_expiry(const ParsedSetCookie& parsed, CookieTime now,
                                         std::optional<CookieTime> server_date) {
  using std::chrono::seconds;
  const std::int64_t now_s = std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
  const std::int64_t cap_s = now_s + kMaxCookieLifetime.count();
  std::int64_t at = 0;
  if (parsed.max_age) {
    if (*parsed.max_age <= 0) return CookieTime{};  // "the earliest representable date": already expired
    at = *parsed.max_age >= kMaxCookieLifetime.count() ? cap_s : now_s + *parsed.max_age;
  } else if (parsed.expires) {
    at = *parsed.expires;
    if (server_date) {
      // Both values are bounded (years 1601..9999 and a real clock), so this cannot overflow.
      at = now_s + (at - std::chrono::duration_cast<seconds>(server_date->time_since_epoch()).count());
    }
    if (at > cap_s) at = cap_s;
    if (at <= 0) return CookieTime{};
  } else {
    return std::nullopt;
  }
  return CookieTime{} + std::chrono::duration_cast<CookieClock::duration>(seconds(at));
}

Result<Cookie> make_cookie(const CookieRequest& request, ParsedSetCookie parsed, CookieTime now,
                           const SameSiteContext& context, std::optional<CookieTime> server_date) {
  Cookie c;
  const std::string host = canonical_host(request.host);
  if (host.empty()) return refuse("empty request host");
  const bool secure_origin = is_secure_origin(request.scheme, host);

  // Domain (5.7 steps 5-8): a public suffix is allowed only as the request host itself, and then the cookie
  // is host-only; an IP host can only ever get host-only cookies.
  c.domain = host;
  c.host_only = true;
  if (parsed.domain) {
    std::string_view d = *parsed.domain;
    if (!d.empty() && d.front() == '.') d.remove_prefix(1);
    std::string domain = canonical_host(d);
    if (domain.empty()) {
      // "Domain=." names nothing: treat as absent.
    } else if (is_ip_address(host)) {
      if (domain != host) return refuse("Domain=" + domain + " on an IP address host " + host);
    } else if (is_public_suffix(domain)) {
      if (domain != host) return refuse("Domain=" + domain + " is a public suffix");
    } else if (!domain_match(host, domain)) {
      return refuse("Domain=" + domain + " does not domain-match " + host);
    } else {
      c.domain = domain;
      c.host_only = false;
    }
  }

  c.path = (parsed.path && !parsed.path->empty()) ? *parsed.path : default_path(request.path);
  c.secure = parsed.secure;
  c.http_only = parsed.http_only;
  c.same_site = parsed.same_site;

  // Strict secure cookies: only a secure origin may set Secure (Chrome, RFC 6265bis 5.7 step 9).
  if (c.secure && !secure_origin) return refuse("Secure cookie from an insecure origin");
  if (c.same_site == SameSite::none && !c.secure) return refuse("SameSite=None without Secure");

  // Cookies set from a cross-site subresource may only be SameSite=None (Lax-by-default covers unspecified);
  // a cross-site top-level navigation is a "lax" context, which may set any cookie.
  if (!context.same_site && !context.top_level_navigation && c.same_site != SameSite::none)
    return refuse("SameSite cookie set from a cross-site subresource");

  // Prefixes (RFC 6265bis 4.1.3), matched case-insensitively as Chrome does. Nameless cookies whose value
  // looks like a prefixed pair are refused so they cannot masquerade as one.
  std::string_view prefixed = parsed.name.empty() ? std::string_view(parsed.value) : std::string_view(parsed.name);
  if (starts_with_icase(prefixed, "__Secure-")) {
    if (parsed.name.empty()) return refuse("nameless cookie with a __Secure- value");
    if (!c.secure || !secure_origin) return refuse("__Secure- cookie without Secure");
  }
  if (starts_with_icase(prefixed, "__Host-")) {
    if (parsed.name.empty()) return refuse("nameless cookie with a __Host- value");
    // Chrome requires an explicit Path=/ (a default path of "/" is not enough).
    if (!c.secure || !secure_origin || parsed.domain || !parsed.path || *parsed.path != "/")
      return refuse("__Host- cookie needs Secure, Path=/ and no Domain");
  }

  c.expiry = compute_expiry(parsed, now, server_date);
  c.name = std::move(parsed.name);
  c.value = std::move(parsed.value);
  c.creation = now;
  c.last_access = now;
  return c;
}

}  // namespace wraith::cookie
