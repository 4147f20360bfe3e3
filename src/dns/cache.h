// Host cache: per (name, family) answers kept for their DNS TTL (clamped), failures kept briefly,
// bounded by entry count with least-recently-used eviction. Not thread-safe: the Resolver locks around it.
#pragma once

#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dns/types.h"

namespace wraith::dns {

struct CacheOptions {
  std::size_t max_entries = 1000;               // Chrome's HostCache holds 1000 entries too
  std::chrono::seconds min_ttl{0};              // a record TTL of 0 means "do not cache" unless raised here
  std::chrono::seconds max_ttl{3600};           // caps absurd TTLs so a moved host is found again within the hour
  std::chrono::seconds negative_ttl{10};        // NXDOMAIN / NODATA: short, so a freshly created name appears soon
};

class HostCache {
 public:
  struct Entry {
    std::vector<asio::ip::address> addresses;
    std::optional<Error> error;  // negative entry
  };

  explicit HostCache(CacheOptions options = {}, ClockFn clock = {});

  // A live entry, refreshed as most recently used; expired entries are dropped on sight.
  std::optional<Entry> get(std::string_view host, Family family);
  // ttl is the smallest record TTL of the answer; it is clamped to [min_ttl, max_ttl]; 0 stores nothing.
  void put(std::string_view host, Family family, std::vector<asio::ip::address> addresses, std::chrono::seconds ttl);
  // Only definitive failures belong here (NXDOMAIN, NODATA); transient ones (timeout, SERVFAIL) are retried.
  void put_negative(std::string_view host, Family family, Error error);
  void clear();
  std::size_t size() const { return map_.size(); }
  const CacheOptions& options() const { return options_; }

 private:
  struct Slot {
    std::string key;
    Entry entry;
    Clock::time_point expires;
  };
  using List = std::list<Slot>;

  void store(std::string_view host, Family family, Entry entry, std::chrono::seconds ttl);
  static std::string key_of(std::string_view host, Family family);

  CacheOptions options_;
  ClockFn clock_;
  List lru_;  // front = most recently used
  std::unordered_map<std::string, List::iterator> map_;
};

}  // namespace wraith::dns
