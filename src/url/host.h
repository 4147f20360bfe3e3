// Host parsing the way browsers canonicalise it: reg-names lowercased, IPv4 in any WHATWG notation
// ("127.1", "0x7f.0.0.1") turned into dotted-quad, IPv6 literals compressed (RFC 5952 style).
#pragma once

#include <string>
#include <string_view>

#include "wraith/error.h"
#include "wraith/url.h"

namespace wraith::url {

struct ParsedHost {
  std::string text;  // canonical, IPv6 without brackets
  Url::HostKind kind = Url::HostKind::name;
};

// `raw` is the host as written in the authority: "[::1]" bracketed for IPv6, maybe percent-encoded.
Result<ParsedHost> parse_host(std::string_view raw);

}  // namespace wraith::url
