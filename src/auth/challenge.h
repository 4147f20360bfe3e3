// WWW-Authenticate / Proxy-Authenticate parsing (RFC 9110 11.6.1). The same grammar carries credentials
// (Authorization), so tests and servers parse those with it too.
#pragma once

#include "util/ascii.h"
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wraith/error.h"

namespace wraith::auth {

// Caps so a hostile server cannot make us buffer without bound.
inline constexpr std::size_t kMaxChallengeHeaderBytes = 16 * 1024;  // one header value, and all of them together
inline constexpr std::size_t kMaxChallenges = 16;                   // across every header of a response
inline constexpr std::size_t kMaxAuthParams = 32;                   // per challenge

struct AuthParam {
  std::string name;   // lower-cased (names are case-insensitive)
  std::string value;  // quoted-string already unescaped
};

struct Challenge {
  std::string scheme;   // as received; compare with is()
  std::string token68;  // "Bearer abc==" / "Negotiate YII..."; empty when the challenge has params
  std::vector<AuthParam> params;

  // Case-insensitive scheme comparison.
  bool is(std::string_view scheme_name) const;
  // The value of a parameter (case-insensitive name), or nullptr.
  const std::string* param(std::string_view name) const;
};

// Appends the challenges of one header value to out. Empty list elements (",,") are allowed, as the #rule
// says. Malformed syntax or a duplicated parameter -> ErrorKind::protocol; a cap exceeded -> too_large.
Result<void> parse_challenges(std::string_view header_value, std::vector<Challenge>& out);
Result<std::vector<Challenge>> parse_challenges(std::string_view header_value);

// Every challenge from the response headers named header_name (case-insensitive), in order: several headers
// and several challenges per header both count.
Result<std::vector<Challenge>> collect_challenges(std::span<const std::pair<std::string, std::string>> headers,
                                                  std::string_view header_name);

using util::iequals;

}  // namespace wraith::auth
