#include "client/redirect.h"

#include <strings.h>

namespace wraith::client {

namespace {

bool is_name(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

std::string origin_string(const Url& u) { return u.scheme() + "://" + u.authority(); }

// The least trusting relation over the chain wins (Fetch Metadata: any cross-site hop makes it cross-site).
std::string worst_site(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& s) { return s == "cross-site" ? 3 : s == "same-site" ? 2 : s == "same-origin" ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

bool is_subresource(RequestKind kind) { return kind != RequestKind::navigate && kind != RequestKind::form; }

}  // namespace

bool is_redirect_status(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

Result<std::optional<Hop>> next_hop(int status, const std::optional<std::string>& location, const Url& current,
                                    const std::string& method, const std::string& body) {
  if (!location || !is_redirect_status(status)) return std::optional<Hop>{};
  auto target = current.resolve(*location);
  if (!target) {
    Error e = target.take_error();
    e.kind = ErrorKind::redirect;
    e.message = "bad Location '" + *location + "': " + e.message;
    return e;
  }
  Hop hop{*target, method, body};
  // Browsers turn POST into GET on 301/302, and everything but HEAD into GET on 303.
  if (((status == 301 || status == 302) && method == "POST") || (status == 303 && method != "HEAD")) {
    hop.method = "GET";
    hop.body.clear();
  }
  return std::optional<Hop>(std::move(hop));
}

ComputedValues computed_values(const Request& request, const Url& url, const std::string& method,
                               const std::string& body, const RedirectState& hops, CookieJar* jar) {
  ComputedValues c;
  c.authority = url.authority();
  // Who initiated: the given referer; a subresource without one comes from the target's own origin.
  const Url* initiator = hops.initiator ? &*hops.initiator : nullptr;
  if (!initiator && is_subresource(request.kind) && hops.original) initiator = &*hops.original;
  std::string site;
  if (!initiator && hops.chain.empty()) {
    site = "none";
  } else {
    const Url& from = initiator ? *initiator : *hops.original;
    site = fetch_site(&from, url);
    for (const auto& visited : hops.chain) site = worst_site(site, fetch_site(&from, visited));
  }
  c.sec_fetch_site = site;
  if (initiator) {
    // strict-origin-when-cross-origin, Chrome's default referrer policy.
    if (!request.referer.empty())
      c.referer = same_origin(*initiator, url) ? initiator->to_string() : origin_string(*initiator) + "/";
    else if (is_subresource(request.kind))
      c.referer = origin_string(*initiator) + "/";
    bool cors_or_unsafe = !same_origin(*initiator, url) || (method != "GET" && method != "HEAD");
    if (request.kind == RequestKind::form ? method != "GET" : (is_subresource(request.kind) && cors_or_unsafe))
      c.origin = origin_string(*initiator);
  } else if (request.kind == RequestKind::form && method != "GET") {
    c.origin = "null";
  }
  if (!body.empty() || (method != "GET" && method != "HEAD" && !request.body_source)) {
    c.content_length = std::to_string(body.size());
    if (request.kind == RequestKind::form) c.content_type = "application/x-www-form-urlencoded";
    else if (is_subresource(request.kind)) c.content_type = "text/plain;charset=UTF-8";
  }
  if (jar) {
    SameSiteContext context;
    context.same_site = site != "cross-site";
    context.top_level_navigation = !is_subresource(request.kind);
    context.safe_method = method == "GET" || method == "HEAD";
    c.cookie = jar->cookie_header({url.scheme(), url.host(), url.path()}, context, CookieClock::now());
  }
  return c;
}

void strip_credentials_if_cross_origin(HeaderList& headers, const Url& url, const RedirectState& hops) {
  if (hops.chain.empty() || !hops.original) return;
  // Once the chain has left the first URL's origin, credentials stay behind for good.
  bool left = !same_origin(url, *hops.original);
  for (const auto& visited : hops.chain) left = left || !same_origin(visited, *hops.original);
  if (!left) return;
  std::erase_if(headers, [](const auto& h) { return is_name(h.first, "authorization") || is_name(h.first, "cookie"); });
}

void strip_body_headers_if_body_dropped(HeaderList& headers, const std::string& original_method,
                                        const std::string& method, const std::string& body) {
  if (method == original_method || !body.empty()) return;
  // Fetch's request-body-header names: they described a body this request no longer has.
  std::erase_if(headers, [](const auto& h) {
    return is_name(h.first, "content-type") || is_name(h.first, "content-length") ||
           is_name(h.first, "content-encoding") || is_name(h.first, "content-language") ||
           is_name(h.first, "content-location");
  });
}

void store_cookies(CookieJar* jar, const Url& url, const HeaderList& response_headers, const RedirectState& hops) {
  if (!jar) return;
  SameSiteContext context;
  context.same_site = true;
  for (const auto& [name, value] : response_headers)
    if (is_name(name, "set-cookie")) (void)jar->store({url.scheme(), url.host(), url.path()}, value, CookieClock::now(), context);
}

}  // namespace wraith::client
