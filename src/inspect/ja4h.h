// JA4H, the HTTP client fingerprint of FoxIO's JA4+ suite (https://github.com/FoxIO-LLC/ja4,
// technical_details/JA4H.md), computed from a report's request entry:
//   a = method (2 letters) + version ("11", "20") + cookie ('c'/'n') + referer ('r'/'n') + header count
//       (2 digits, Cookie and Referer and pseudo-headers not counted) + first 4 chars of Accept-Language
//       ('-' removed, lowercase, '0'-padded);
//   b = sha256 of the header names as sent, in order, comma-joined (same exclusions), 12 hex digits;
//   c = sha256 of the sorted cookie names; d = of the sorted cookie name=value pairs ("0"*12 without cookies).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace wraith::inspect {

// `request` is an h1 or h2 request entry (headers as [[name, value]...]); http_version is "h2" or "http/1.1"
// (an h1 entry's own http_version, e.g. "HTTP/1.0", refines it). Empty when the entry has no headers.
std::string ja4h(const nlohmann::json& request, const std::string& http_version);

}  // namespace wraith::inspect
