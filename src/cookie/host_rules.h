// Host, domain and path rules cookies depend on (RFC 6265bis 5.1.3, 5.1.4) plus the public suffix list.
#pragma once

#include <string>
#include <string_view>

namespace wraith::cookie {

// Lowercase ASCII, IPv6 brackets removed ("[::1]" -> "::1").
std::string canonical_host(std::string_view host);
// A literal IPv4 or IPv6 address (canonical form, no brackets).
bool is_ip_address(std::string_view host);
// On Debian's public suffix list (libpsl, private section included, like Chrome).
bool is_public_suffix(std::string_view domain);
// The registrable domain (eTLD+1), or the host itself for IPs and hosts that have none ("localhost", "co.uk").
// Cookies are grouped by it for the per-domain cap, like Chrome's CookieMonster.
std::string registrable_domain(std::string_view host);
// `host` equals `domain` or ends with "." + domain; never for IP addresses unless equal.
bool domain_match(std::string_view host, std::string_view domain);
// RFC 6265bis 5.1.4 path-match.
bool path_match(std::string_view request_path, std::string_view cookie_path);
// RFC 6265bis 5.1.4 default-path of a request path.
std::string default_path(std::string_view request_path);
// https/wss, or a localhost / loopback host, which Chrome treats as potentially trustworthy.
bool is_secure_origin(std::string_view scheme, std::string_view canonical_host);

}  // namespace wraith::cookie
