// Turns (profile, request kind, URL, user headers) into the exact header list Chrome would send, for h2
// (lowercase, pseudo-headers apart) and for HTTP/1.1 (Chrome's case, Host first).
#pragma once

#include <string>

#include "wraith/client.h"
#include "wraith/url.h"

namespace wraith::client {

// Values computed per request; an empty value drops the header from the template.
struct ComputedValues {
  std::string authority;
  std::string sec_fetch_site;  // none | same-origin | same-site | cross-site
  std::string origin;
  std::string referer;
  std::string cookie;
  std::string content_type;
  std::string content_length;
};

struct RequestPlan {
  std::string method;
  Url url;
  HeaderList h2_headers;  // regular headers, wire order
  HeaderList h1_headers;  // including Host, wire order and case
  std::uint16_t weight = 256;
  bool exclusive = true;
  std::uint32_t depends_on = 0;
};

// sec-fetch-site of a request to `target` initiated from `initiator` (none when there is no initiator).
std::string fetch_site(const Url* initiator, const Url& target);

// Fails with ErrorKind::invalid_header for CR/LF/NUL or a bad name in user headers, and
// ErrorKind::invalid_argument when the profile lacks the kind.
Result<RequestPlan> plan_request(const Profile& profile, RequestKind kind, const std::string& method, const Url& url,
                                 const HeaderList& user_headers, const ComputedValues& computed);

}  // namespace wraith::client
