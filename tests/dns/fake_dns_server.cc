#include "fake_dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace wraith::dns::testing {

namespace {

constexpr std::uint16_t kTypeA = 1, kTypeAAAA = 28;

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(std::uint8_t(v >> 8));
  out.push_back(std::uint8_t(v));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, std::uint16_t(v >> 16));
  put16(out, std::uint16_t(v));
}

}  // namespace

FakeDnsServer::FakeDnsServer() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0)
    throw std::runtime_error("fake dns: bind failed");
  socklen_t len = sizeof sin;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sin), &len);
  port_ = ntohs(sin.sin_port);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { run(); });
}

FakeDnsServer::~FakeDnsServer() {
  std::uint64_t one = 1;
  (void)!::write(stop_fd_, &one, sizeof one);
  thread_.join();
  ::close(fd_);
  ::close(stop_fd_);
}

void FakeDnsServer::set(const std::string& name, Zone zone) {
  std::lock_guard lock(mutex_);
  zones_[name] = std::move(zone);
}

int FakeDnsServer::queries(const std::string& name, std::uint16_t qtype) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find({name, qtype});
  return it == counts_.end() ? 0 : it->second;
}

// Builds the reply (RFC 1035 §4.1); false means "stay silent".
bool FakeDnsServer::answer(const std::uint8_t* q, std::size_t size, std::vector<std::uint8_t>& out,
                           std::chrono::milliseconds& delay) {
  if (size < 12) return false;
  std::size_t pos = 12;
  std::string name;
  while (pos < size && q[pos] != 0) {
    std::size_t len = q[pos++];
    if (len > 63 || pos + len > size) return false;
    if (!name.empty()) name += '.';
    for (std::size_t i = 0; i < len; ++i) name += char(std::tolower(q[pos + i]));
    pos += len;
  }
  if (pos + 5 > size) return false;
  ++pos;  // root label
  std::uint16_t qtype = std::uint16_t(q[pos] << 8 | q[pos + 1]);
  std::size_t question_end = pos + 4;

  Zone zone;
  bool known = false;
  {
    std::lock_guard lock(mutex_);
    ++counts_[{name, qtype}];
    if (auto it = zones_.find(name); it != zones_.end()) {
      zone = it->second;
      known = true;
    }
  }
  if (known && zone.silent) return false;
  delay = qtype == kTypeAAAA ? zone.aaaa_delay : zone.a_delay;

  std::vector<std::vector<std::uint8_t>> rdatas;
  if (known && !zone.nxdomain) {
    for (const auto& text : qtype == kTypeA ? zone.a : qtype == kTypeAAAA ? zone.aaaa : std::vector<std::string>{}) {
      std::vector<std::uint8_t> raw(qtype == kTypeA ? 4 : 16);
      if (::inet_pton(qtype == kTypeA ? AF_INET : AF_INET6, text.c_str(), raw.data()) == 1) rdatas.push_back(raw);
    }
  }
  int rcode = (!known || zone.nxdomain) ? 3 : 0;
  out.assign(q, q + 2);                                        // ID
  out.push_back(std::uint8_t(0x84 | (q[2] & 0x79)));          // QR, AA, opcode and RD copied
  out.push_back(std::uint8_t(0x80 | rcode));                   // RA, RCODE
  put16(out, 1);
  put16(out, std::uint16_t(rdatas.size()));
  put16(out, 0);
  put16(out, 0);
  out.insert(out.end(), q + 12, q + question_end);
  for (const auto& rdata : rdatas) {
    put16(out, 0xC00C);  // pointer to the question's name
    put16(out, qtype);
    put16(out, 1);
    put32(out, zone.ttl);
    put16(out, std::uint16_t(rdata.size()));
    out.insert(out.end(), rdata.begin(), rdata.end());
  }
  return true;
}

void FakeDnsServer::run() {
  std::vector<Pending> pending;
  while (true) {
    auto now = std::chrono::steady_clock::now();
    int timeout = -1;
    for (auto& p : pending) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(p.due - now).count();
      timeout = timeout < 0 ? int(std::max<long long>(left, 0)) : std::min(timeout, int(std::max<long long>(left, 0)));
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    ::poll(fds, 2, timeout);
    if (fds[1].revents) return;
    if (fds[0].revents & POLLIN) {
      std::uint8_t buf[1500];
      sockaddr_storage peer{};
      socklen_t peer_len = sizeof peer;
      ssize_t n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &peer_len);
      std::vector<std::uint8_t> reply;
      std::chrono::milliseconds delay{0};
      if (n > 0 && answer(buf, std::size_t(n), reply, delay)) {
        auto* p = reinterpret_cast<std::uint8_t*>(&peer);
        pending.push_back(Pending{std::chrono::steady_clock::now() + delay, std::move(reply), {p, p + peer_len}});
      }
    }
    now = std::chrono::steady_clock::now();
    for (auto it = pending.begin(); it != pending.end();) {
      if (it->due <= now) {
        ::sendto(fd_, it->packet.data(), it->packet.size(), 0, reinterpret_cast<const sockaddr*>(it->peer.data()),
                 socklen_t(it->peer.size()));
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace wraith::dns::testing
