// TCP connection establishment: DNS (overrides, cache, c-ares) and Happy Eyeballs v2 (RFC 8305).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "dns/happy_eyeballs.h"
#include "dns/resolver.h"
#include "wraith/error.h"

namespace wraith::net {

struct ConnectOptions {
  // "host:port" -> address literal or comma-separated literals, like curl's --resolve. Bypasses DNS.
  std::map<std::string, std::string> resolve_overrides;
  std::chrono::milliseconds resolve_timeout{30000};
  // Counted from the first connection attempt; covers the whole Happy Eyeballs race.
  std::chrono::milliseconds connect_timeout{30000};
  bool tcp_nodelay = true;
  // The client's resolver (cache, servers, its own overrides); null uses dns::Resolver::shared_default().
  std::shared_ptr<dns::Resolver> resolver;
  dns::IpVersion ip_version = dns::IpVersion::any;         // curl's -4 / -6
  std::chrono::milliseconds attempt_delay{250};             // RFC 8305 §5 Connection Attempt Delay
  std::chrono::milliseconds resolution_delay{50};           // RFC 8305 §3 Resolution Delay
  std::vector<dns::AttemptRecord>* trace = nullptr;         // diagnostics: every attempt, when set
};

// Parses "host:port:addr" (curl's --resolve syntax; addr may be bracketed IPv6 or a comma-separated list)
// into the ("host:port", "addr") pair resolve_overrides holds.
Result<std::pair<std::string, std::string>> parse_resolve_entry(const std::string& entry);

// Resolves host (off the loop, A and AAAA in parallel) and races connections per Happy Eyeballs v2.
// Errors: resolve ("could not resolve host: x (NXDOMAIN)"), connect (every address tried with its reason),
// timeout (phase resolve or connect), invalid_argument (bad override), cancelled.
asio::awaitable<Result<asio::ip::tcp::socket>> connect_tcp(const std::string& host, std::uint16_t port,
                                                          const ConnectOptions& options);

}  // namespace wraith::net
