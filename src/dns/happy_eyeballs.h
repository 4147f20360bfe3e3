// Happy Eyeballs v2 (RFC 8305): resolve and connect at once, racing addresses of both families.
//  - A and AAAA are asked in parallel; if A answers first, wait the Resolution Delay (§3, 50 ms) for AAAA.
//  - Addresses are tried IPv6 first, families alternating (§4); answers arriving later join the queue.
//  - A new attempt starts when the Connection Attempt Delay (§5, 250 ms) passes or the previous attempt
//    fails, whichever is first; the first connected socket wins, the others are closed.
// The engine lives beside the resolver because §3's timing needs the per-family answers as they arrive.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "dns/resolver.h"

namespace wraith::dns {

// One connection attempt, for diagnostics and tests.
struct AttemptRecord {
  asio::ip::tcp::endpoint endpoint;
  std::chrono::milliseconds started{0};   // since the race began
  std::chrono::milliseconds finished{-1};  // -1 while it never finished (cancelled as a loser)
  std::string outcome;                     // "connected", the socket error, or "cancelled"
};

struct HappyEyeballsOptions {
  std::chrono::milliseconds attempt_delay{250};     // RFC 8305 §5 recommended default
  std::chrono::milliseconds resolution_delay{50};   // RFC 8305 §3 recommended default
  std::chrono::milliseconds resolve_timeout{30000};  // no address within this -> timeout (phase resolve)
  std::chrono::milliseconds connect_timeout{30000};  // from the first attempt -> timeout (phase connect)
  IpVersion ip_version = IpVersion::any;
  std::size_t max_attempts = 32;                    // bounds sockets opened for one connect
  std::vector<AttemptRecord>* trace = nullptr;      // when set, every attempt is recorded here
};

// Races the given endpoints (no DNS). Errors: connect (every address with its reason), timeout (phase
// connect), cancelled.
asio::awaitable<Result<asio::ip::tcp::socket>> connect_endpoints(std::vector<asio::ip::tcp::endpoint> endpoints,
                                                                 std::string host, HappyEyeballsOptions options);

// Resolves host through resolver while connecting to port. Adds the resolver's errors (resolve, timeout
// phase resolve) to those of connect_endpoints. The resolver must outlive the awaitable.
asio::awaitable<Result<asio::ip::tcp::socket>> connect_host(Resolver& resolver, std::string host, std::uint16_t port,
                                                            HappyEyeballsOptions options);

}  // namespace wraith::dns
