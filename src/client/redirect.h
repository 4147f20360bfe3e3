// Per-hop request context: redirects (RFC 9110 15.4 as browsers apply it), fetch metadata, credentials,
// cookies in and out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/request_plan.h"
#include "wraith/client.h"
#include "wraith/cookie_jar.h"
#include "wraith/url.h"

namespace wraith::client {

struct RedirectState {
  int count = 0;
  int max = 0;                   // redirects the request may follow
  std::optional<Url> initiator;  // the page that caused the request (from Request::referer)
  const Url* original = nullptr;  // the first URL (the request's, alive as long as the request runs)
  std::vector<Url> chain;        // URLs already visited, in order
};

// A status that is followed when a Location comes with it.
bool is_redirect_status(int status);

struct Hop {
  Url url;
  std::string method;
  std::string body;
};

// nullopt: not a redirect we follow (no Location, or not 301/302/303/307/308).
Result<std::optional<Hop>> next_hop(int status, const std::optional<std::string>& location, const Url& current,
                                    const std::string& method, const std::string& body);

ComputedValues computed_values(const Request& request, const Url& url, const std::string& method,
                               const std::string& body, const RedirectState& hops, CookieJar* jar);

// After a cross-origin hop, Authorization and a user-set Cookie are not sent again.
void strip_credentials_if_cross_origin(HeaderList& headers, const Url& url, const RedirectState& hops);
// A redirect turned the request into a bodiless GET (301/302 POST, 303): the caller's body headers go too.
void strip_body_headers_if_body_dropped(HeaderList& headers, const std::string& original_method,
                                        const std::string& method, const std::string& body);

void store_cookies(CookieJar* jar, const Url& url, const HeaderList& response_headers, const RedirectState& hops);

}  // namespace wraith::client
