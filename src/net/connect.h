// TCP connection establishment: resolution (with --resolve style overrides) and connect with a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "wraith/error.h"

namespace wraith::net {

struct ConnectOptions {
  // "host:port" -> address literal, like curl's --resolve.
  std::map<std::string, std::string> resolve_overrides;
  std::chrono::milliseconds resolve_timeout{30000};
  std::chrono::milliseconds connect_timeout{30000};
  bool tcp_nodelay = true;
};

// Parses "host:port:addr" (curl's --resolve syntax; addr may be bracketed IPv6).
Result<std::pair<std::string, std::string>> parse_resolve_entry(const std::string& entry);

// Resolves host (off the loop: asio runs getaddrinfo on its worker thread) and connects, trying each
// address in turn. Errors: resolve, connect (refused/unreachable), timeout (phase resolve/connect).
asio::awaitable<Result<asio::ip::tcp::socket>> connect_tcp(const std::string& host, std::uint16_t port,
                                                          const ConnectOptions& options);

}  // namespace wraith::net
