// Client session cache keyed by (host, port, profile), shaped like Chrome's: one session per key, and
// TLS 1.3 sessions are single-use (taken out on lookup), so a resumed hello offers exactly one PSK identity.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include <openssl/ssl.h>

namespace wraith::tls {

class SessionCache {
 public:
  static std::string key(const std::string& host, std::uint16_t port, const std::string& profile);
  // Keeps the newest session for key (up_ref'd).
  void put(const std::string& key, SSL_SESSION* session);
  // Returns a session to offer (caller owns the reference), or null.
  bssl::UniquePtr<SSL_SESSION> take(const std::string& key);
  std::size_t size() const;
  void clear();

 private:
  static constexpr std::size_t kMaxEntries = 1024;  // bounded like everything else
  mutable std::mutex mutex_;
  std::map<std::string, bssl::UniquePtr<SSL_SESSION>> sessions_;
};

}  // namespace wraith::tls
