#include "tls/session_cache.h"

namespace wraith::tls {

std::string SessionCache::key(const std::string& host, std::uint16_t port, const std::string& profile) {
  return host + ":" + std::to_string(port) + "|" + profile;
}

void SessionCache::put(const std::string& key, SSL_SESSION* session) {
  SSL_SESSION_up_ref(session);
  bssl::UniquePtr<SSL_SESSION> owned(session);
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= kMaxEntries && !sessions_.count(key)) sessions_.erase(sessions_.begin());
  sessions_[key] = std::move(owned);
}

bssl::UniquePtr<SSL_SESSION> SessionCache::take(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return nullptr;
  if (SSL_SESSION_should_be_single_use(it->second.get())) {
    auto session = std::move(it->second);
    sessions_.erase(it);
    return session;
  }
  SSL_SESSION_up_ref(it->second.get());
  return bssl::UniquePtr<SSL_SESSION>(it->second.get());
}

std::size_t SessionCache::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void SessionCache::clear() {
  std::lock_guard lock(mutex_);
  sessions_.clear();
}

}  // namespace wraith::tls
