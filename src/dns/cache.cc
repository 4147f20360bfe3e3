#include "dns/cache.h"

#include <algorithm>

namespace wraith::dns {

HostCache::HostCache(CacheOptions options, ClockFn clock) : options_(options), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return Clock::now(); };
}

std::string HostCache::key_of(std::string_view host, Family family) {
  // The family is always the last two characters, so distinct (host, family) pairs never share a key.
  return normalize_host(host) + (family == Family::v6 ? "/6" : "/4");
}

std::optional<HostCache::Entry> HostCache::get(std::string_view host, Family family) {
  auto it = map_.find(key_of(host, family));
  if (it == map_.end()) return std::nullopt;
  if (clock_() >= it->second->expires) {
    lru_.erase(it->second);
    map_.erase(it);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->entry;
}

void HostCache::put(std::string_view host, Family family, std::vector<asio::ip::address> addresses,
                    std::chrono::seconds ttl) {
  ttl = std::clamp(ttl, options_.min_ttl, std::max(options_.min_ttl, options_.max_ttl));
  store(host, family, Entry{std::move(addresses), std::nullopt}, ttl);
}

void HostCache::put_negative(std::string_view host, Family family, Error error) {
  store(host, family, Entry{{}, std::move(error)}, options_.negative_ttl);
}

void HostCache::store(std::string_view host, Family family, Entry entry, std::chrono::seconds ttl) {
  std::string key = key_of(host, family);
  if (auto it = map_.find(key); it != map_.end()) {
    lru_.erase(it->second);
    map_.erase(it);
  }
  if (ttl.count() <= 0 || options_.max_entries == 0) return;
  while (map_.size() >= options_.max_entries) {
    map_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Slot{key, std::move(entry), clock_() + ttl});
  map_.emplace(std::move(key), lru_.begin());
}

void HostCache::clear() {
  map_.clear();
  lru_.clear();
}

}  // namespace wraith::dns
