// A tiny authoritative DNS server on 127.0.0.1 (UDP) for tests: answers A/AAAA with chosen addresses and
// TTLs, NXDOMAIN for unknown names, and can delay an answer or never answer at all. Counts queries.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wraith::dns::testing {

class FakeDnsServer {
 public:
  struct Zone {
    std::vector<std::string> a, aaaa;  // address literals
    std::uint32_t ttl = 60;
    bool nxdomain = false;
    bool silent = false;               // never answer (to exercise timeouts)
    std::chrono::milliseconds a_delay{0}, aaaa_delay{0};
  };

  FakeDnsServer();
  ~FakeDnsServer();

  void set(const std::string& name, Zone zone);
  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // Queries seen for name with qtype (1 = A, 28 = AAAA).
  int queries(const std::string& name, std::uint16_t qtype) const;

 private:
  struct Pending {
    std::chrono::steady_clock::time_point due;
    std::vector<std::uint8_t> packet;
    std::vector<std::uint8_t> peer;  // sockaddr bytes
  };
  void run();
  bool answer(const std::uint8_t* query, std::size_t size, std::vector<std::uint8_t>& out,
              std::chrono::milliseconds& delay);

  int fd_ = -1;
  int stop_fd_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, Zone> zones_;
  std::map<std::pair<std::string, std::uint16_t>, int> counts_;
  std::thread thread_;
};

}  // namespace wraith::dns::testing
