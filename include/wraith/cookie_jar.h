// Cookie jar with Chrome's RFC 6265bis semantics: Set-Cookie parsing, storage, the Cookie request header, and
// Netscape cookie files that curl's -b/-c read and write.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wraith/error.h"

namespace wraith {

using CookieClock = std::chrono::system_clock;
using CookieTime = CookieClock::time_point;

// What the jar needs to know about a request URL. Plain strings, so the jar does not depend on the URL class.
struct CookieRequest {
  std::string_view scheme;  // "https", "http", "wss", "ws" (any case)
  std::string_view host;    // host name or IP literal ("::1" or "[::1]"), any case, without the port
  std::string_view path;    // URL path without the query ("/a/b"); empty means "/"
};

// How the request relates to the site of the page that makes it. Computing it (registrable domains of the
// initiator and the ancestors) is the caller's job; the jar only applies SameSite rules to it.
struct SameSiteContext {
  bool same_site = true;             // the request is same-site with the top-level site
  bool top_level_navigation = true;  // a main-frame navigation (what Lax lets through cross-site)
  bool safe_method = true;           // GET/HEAD/OPTIONS/TRACE (Lax allows only these cross-site)
};

enum class SameSite { unspecified, none, lax, strict };

// One stored cookie, as the jar holds it.
struct Cookie {
  std::string name;
  std::string value;
  std::string domain;  // canonical host or domain: lowercase, no leading dot
  std::string path;
  bool host_only = true;  // sent to `domain` only (no Domain attribute), else to its subdomains as well
  bool secure = false;
  bool http_only = false;
  SameSite same_site = SameSite::unspecified;
  std::optional<CookieTime> expiry;  // nullopt: a session cookie
  CookieTime creation{};
  CookieTime last_access{};
};

// Chrome's CookieMonster caps: past max_per_domain cookies under one registrable domain, cookies are evicted
// down to purge_domain_to, non-secure ones first, least recently used first; past max_total the least
// recently used of the whole jar go until purge_total_to remain. Expired cookies are always dropped first.
struct CookieJarLimits {
  std::size_t max_per_domain = 180;
  std::size_t purge_domain_to = 150;
  std::size_t max_total = 3300;
  std::size_t purge_total_to = 3000;
};

// Thread-safe (one mutex): it sits beside the request path, not in the per-frame hot path.
class CookieJar {
 public:
  explicit CookieJar(CookieJarLimits limits = {});
  ~CookieJar();
  CookieJar(const CookieJar&) = delete;
  CookieJar& operator=(const CookieJar&) = delete;

  // Applies one Set-Cookie header value received in the response to `request`: stores, replaces (keeping the
  // original creation time) or deletes (expiry in the past, Max-Age <= 0). A refused cookie leaves the jar
  // unchanged and returns ErrorKind::invalid_header saying why. `server_date` (the response's Date header,
  // when it parsed) makes Expires relative to the server's clock, as Chrome does against clock skew.
  Result<void> store(const CookieRequest& request, std::string_view set_cookie, CookieTime now,
                     const SameSiteContext& context = {}, std::optional<CookieTime> server_date = std::nullopt);

  // The Cookie header value for `request` ("a=1; b=2"), empty when no cookie applies. Order is Chrome's:
  // longer paths first, then earlier creation. Marks the sent cookies as used (for LRU eviction).
  std::string cookie_header(const CookieRequest& request, const SameSiteContext& context, CookieTime now);

  // Unexpired cookies, in creation order.
  std::vector<Cookie> cookies(CookieTime now) const;
  std::size_t size() const;
  void clear();

  // Netscape cookie file (curl's -b/-c format). Loading adds to the jar; on error (ErrorKind::config, naming
  // the line) nothing is added. Expired entries are skipped, expiry 0 means a session cookie.
  Result<void> load_netscape(std::string_view text, CookieTime now);
  Result<void> load_netscape_file(const std::string& path, CookieTime now);
  // Unexpired cookies (session ones with expiry 0) under curl's "# Netscape HTTP Cookie File" header.
  std::string to_netscape(CookieTime now) const;
  Result<void> save_netscape_file(const std::string& path, CookieTime now) const;

 private:
  struct Store;
  mutable std::mutex mu_;
  std::unique_ptr<Store> store_;
};

}  // namespace wraith
