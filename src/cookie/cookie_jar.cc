#include "wraith/cookie_jar.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "cookie/host_rules.h"
#include "cookie/make_cookie.h"
#include "cookie/netscape_file.h"
#include "cookie/set_cookie_parser.h"

namespace wraith {
namespace {

using cookie::domain_match;
using cookie::path_match;

// Chrome lets a cookie without SameSite through on a cross-site top-level POST during its first two minutes
// ("Lax+POST" mitigation of Lax-by-default).
constexpr std::chrono::minutes kLaxAllowUnsafeMaxAge{2};

struct Entry {
  Cookie cookie;
  std::uint64_t creation_seq = 0;  // breaks creation-time ties; kept on replacement
  std::uint64_t access_seq = 0;    // breaks last-access ties for LRU
};

bool expired(const Cookie& c, CookieTime now) { return c.expiry && *c.expiry <= now; }

bool same_site_allows(const Cookie& c, const SameSiteContext& ctx, CookieTime now) {
  if (ctx.same_site) return true;
  switch (c.same_site) {
    case SameSite::none:
      return true;
    case SameSite::strict:
      return false;
    case SameSite::lax:
      return ctx.top_level_navigation && ctx.safe_method;
    case SameSite::unspecified:
      return ctx.top_level_navigation && (ctx.safe_method || now - c.creation < kLaxAllowUnsafeMaxAge);
  }
  return false;
}

bool less_recently_used(const Entry& a, const Entry& b) {
  return std::tie(a.cookie.last_access, a.access_seq) < std::tie(b.cookie.last_access, b.access_seq);
}

bool created_earlier(const Entry& a, const Entry& b) {
  return std::tie(a.cookie.creation, a.creation_seq) < std::tie(b.cookie.creation, b.creation_seq);
}

}  // namespace

struct CookieJar::Store {
  CookieJarLimits limits;
  // Keyed by registrable domain: every cookie a host can receive lives in that host's bucket.
  std::unordered_map<std::string, std::vector<Entry>> buckets;
  std::size_t total = 0;
  std::uint64_t seq = 0;
  // Public-suffix lookups cost more than the rest of a header build; remember them (bounded).
  std::unordered_map<std::string, std::string> key_cache;
  static constexpr std::size_t kKeyCacheMax = 4096;

  const std::string& bucket_key(const std::string& host) {
    auto it = key_cache.find(host);
    if (it != key_cache.end()) return it->second;
    if (key_cache.size() >= kKeyCacheMax) key_cache.clear();
    return key_cache.emplace(host, cookie::registrable_domain(host)).first->second;
  }

  // RFC 6265bis 5.7 step 12 ("leave secure cookies alone"): an insecure origin may not shadow a Secure cookie.
  bool shadows_secure(const std::vector<Entry>& bucket, const Cookie& c) const {
    for (const Entry& e : bucket) {
      const Cookie& old = e.cookie;
      if (old.secure && old.name == c.name &&
          (domain_match(old.domain, c.domain) || domain_match(c.domain, old.domain)) && path_match(c.path, old.path))
        return true;
    }
    return false;
  }

  Result<void> insert(Cookie c, bool insecure_origin, CookieTime now) {
    const std::string key = bucket_key(c.domain);
    std::vector<Entry>& bucket = buckets[key];
    if (insecure_origin && !c.secure && shadows_secure(bucket, c)) {
      if (bucket.empty()) buckets.erase(key);
      return Error(ErrorKind::invalid_header, "Set-Cookie: would overwrite a Secure cookie from an insecure origin",
                   "cookie");
    }
    Entry entry;
    entry.creation_seq = ++seq;
    for (auto it = bucket.begin(); it != bucket.end(); ++it) {
      const Cookie& old = it->cookie;
      if (old.name == c.name && old.domain == c.domain && old.host_only == c.host_only && old.path == c.path) {
        if (!expired(old, now)) {
          c.creation = old.creation;  // replacement keeps the creation time, hence the header position
          entry.creation_seq = it->creation_seq;
        }
        bucket.erase(it);
        --total;
        break;
      }
    }
    if (expired(c, now)) {
      if (bucket.empty()) buckets.erase(key);
      return {};  // a deletion
    }
    entry.cookie = std::move(c);
    entry.access_seq = ++seq;
    bucket.push_back(std::move(entry));
    ++total;
    if (bucket.size() > limits.max_per_domain) purge_bucket(bucket, now);
    if (total > limits.max_total) purge_all(now);
    return {};
  }

  std::size_t drop_expired(std::vector<Entry>& bucket, CookieTime now) {
    std::size_t before = bucket.size();
    bucket.erase(std::remove_if(bucket.begin(), bucket.end(), [&](const Entry& e) { return expired(e.cookie, now); }),
                 bucket.end());
    total -= before - bucket.size();
    return before - bucket.size();
  }

  void purge_bucket(std::vector<Entry>& bucket, CookieTime now) {
    drop_expired(bucket, now);
    if (bucket.size() <= limits.max_per_domain) return;
    std::size_t keep = std::min(limits.purge_domain_to, limits.max_per_domain);
    // Like Chrome's CookieMonster, non-secure cookies go first, each group least recently used first.
    std::sort(bucket.begin(), bucket.end(), [](const Entry& a, const Entry& b) {
      if (a.cookie.secure != b.cookie.secure) return a.cookie.secure;
      return less_recently_used(b, a);
    });
    total -= bucket.size() - keep;
    bucket.resize(keep);
  }

  void purge_all(CookieTime now) {
    for (auto it = buckets.begin(); it != buckets.end();) {
      drop_expired(it->second, now);
      it = it->second.empty() ? buckets.erase(it) : std::next(it);
    }
    if (total <= limits.max_total) return;
    std::size_t keep = std::min(limits.purge_total_to, limits.max_total);
    // Order all cookies by last use and evict the oldest (total - keep).
    std::vector<const Entry*> all;
    all.reserve(total);
    for (auto& [key, bucket] : buckets)
      for (const Entry& e : bucket) all.push_back(&e);
    std::size_t evict = all.size() - keep;
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(evict - 1), all.end(),
                     [](const Entry* a, const Entry* b) { return less_recently_used(*a, *b); });
    // Copied: the entry itself is about to be erased.
    const auto newest_evicted = std::make_pair(all[evict - 1]->cookie.last_access, all[evict - 1]->access_seq);
    for (auto it = buckets.begin(); it != buckets.end();) {
      auto& bucket = it->second;
      bucket.erase(std::remove_if(bucket.begin(), bucket.end(),
                                  [&](const Entry& e) {
                                    return std::make_pair(e.cookie.last_access, e.access_seq) <= newest_evicted;
                                  }),
                   bucket.end());
      it = bucket.empty() ? buckets.erase(it) : std::next(it);
    }
    total = 0;
    for (auto& [key, bucket] : buckets) total += bucket.size();
  }
};

CookieJar::CookieJar(CookieJarLimits limits) : store_(std::make_unique<Store>()) { store_->limits = limits; }
CookieJar::~CookieJar() = default;

Result<void> CookieJar::store(const CookieRequest& request, std::string_view set_cookie, CookieTime now,
                              const SameSiteContext& context, std::optional<CookieTime> server_date) {
  auto parsed = cookie::parse_set_cookie(set_cookie);
  if (!parsed) return parsed.take_error();
  auto made = cookie::make_cookie(request, std::move(*parsed), now, context, server_date);
  if (!made) return made.take_error();
  bool insecure = !cookie::is_secure_origin(request.scheme, cookie::canonical_host(request.host));
  std::lock_guard lock(mu_);
  return store_->insert(std::move(*made), insecure, now);
}

std::string CookieJar::cookie_header(const CookieRequest& request, const SameSiteContext& context, CookieTime now) {
  {
    std::lock_guard lock(mu_);  // nothing stored (the common case of a fresh client): no host work at all
    if (store_->buckets.empty()) return {};
  }
  const std::string host = cookie::canonical_host(request.host);
  const std::string_view path = request.path.empty() ? std::string_view("/") : request.path;
  const bool secure = cookie::is_secure_origin(request.scheme, host);

  std::lock_guard lock(mu_);
  auto it = store_->buckets.find(store_->bucket_key(host));
  if (it == store_->buckets.end()) return {};
  std::vector<Entry>& bucket = it->second;
  store_->drop_expired(bucket, now);

  std::vector<Entry*> matched;
  for (Entry& e : bucket) {
    const Cookie& c = e.cookie;
    if (c.host_only ? host != c.domain : !domain_match(host, c.domain)) continue;
    if (!path_match(path, c.path)) continue;
    if (c.secure && !secure) continue;
    if (!same_site_allows(c, context, now)) continue;
    matched.push_back(&e);
  }
  // Chrome's order: longer paths first, then earlier creation.
  std::sort(matched.begin(), matched.end(), [](const Entry* a, const Entry* b) {
    if (a->cookie.path.size() != b->cookie.path.size()) return a->cookie.path.size() > b->cookie.path.size();
    return created_earlier(*a, *b);
  });

  std::string header;
  std::size_t length = 0;
  for (const Entry* e : matched) length += e->cookie.name.size() + e->cookie.value.size() + 3;
  header.reserve(length);
  for (Entry* e : matched) {
    if (!header.empty()) header += "; ";
    if (!e->cookie.name.empty()) {
      header += e->cookie.name;
      header += '=';
    }
    header += e->cookie.value;
    e->cookie.last_access = now;
    e->access_seq = ++store_->seq;
  }
  if (bucket.empty()) store_->buckets.erase(it);
  return header;
}

std::vector<Cookie> CookieJar::cookies(CookieTime now) const {
  std::lock_guard lock(mu_);
  std::vector<const Entry*> live;
  for (const auto& [key, bucket] : store_->buckets)
    for (const Entry& e : bucket)
      if (!expired(e.cookie, now)) live.push_back(&e);
  std::sort(live.begin(), live.end(), [](const Entry* a, const Entry* b) { return created_earlier(*a, *b); });
  std::vector<Cookie> out;
  out.reserve(live.size());
  for (const Entry* e : live) out.push_back(e->cookie);
  return out;
}

std::size_t CookieJar::size() const {
  std::lock_guard lock(mu_);
  return store_->total;
}

void CookieJar::clear() {
  std::lock_guard lock(mu_);
  store_->buckets.clear();
  store_->total = 0;
}

Result<void> CookieJar::load_netscape(std::string_view text, CookieTime now) {
  auto parsed = cookie::parse_netscape(text, now);
  if (!parsed) return parsed.take_error();
  std::lock_guard lock(mu_);
  for (Cookie& c : *parsed) (void)store_->insert(std::move(c), /*insecure_origin=*/false, now);
  return {};
}

Result<void> CookieJar::load_netscape_file(const std::string& path, CookieTime now) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorKind::config, "cannot open cookie file " + path, "cookie");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > cookie::kMaxCookieFileSize)
      return Error(ErrorKind::too_large, "cookie file " + path + " exceeds 64 MiB", "cookie");
  }
  if (in.bad()) return Error(ErrorKind::config, "cannot read cookie file " + path, "cookie");
  auto loaded = load_netscape(text, now);
  if (!loaded) {
    Error e = loaded.take_error();
    e.message = path + ": " + e.message;
    return e;
  }
  return {};
}

std::string CookieJar::to_netscape(CookieTime now) const { return cookie::format_netscape(cookies(now)); }

Result<void> CookieJar::save_netscape_file(const std::string& path, CookieTime now) const {
  std::string text = to_netscape(now);
  // Write a sibling file and rename it, so a crash never leaves a half-written jar behind.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error(ErrorKind::config, "cannot write cookie file " + tmp, "cookie");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) return Error(ErrorKind::config, "cannot write cookie file " + tmp, "cookie");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error(ErrorKind::config, "cannot rename cookie file to " + path, "cookie");
  }
  return {};
}

}  // namespace wraith
