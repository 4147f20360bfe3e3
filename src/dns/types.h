// Vocabulary shared by the resolver, its cache and Happy Eyeballs.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>

#include "wraith/error.h"

namespace wraith::dns {

using Clock = std::chrono::steady_clock;
// Injectable time source (tests move it forward to expire cache entries).
using ClockFn = std::function<Clock::time_point()>;

enum class Family : std::uint8_t { v6, v4 };

// Which families to ask for (curl's -4 / -6).
enum class IpVersion : std::uint8_t { any, v4_only, v6_only };

// Whether `version` asks for `family`.
inline bool wants(IpVersion version, Family family) {
  return version == IpVersion::any || version == (family == Family::v6 ? IpVersion::v6_only : IpVersion::v4_only);
}

// Where an answer came from; lets callers (and tests) tell a cache hit from a query.
enum class Source : std::uint8_t { literal, localhost, override_entry, cache, dns };

// One family's outcome: addresses (possibly none, "NODATA") or an error.
struct FamilyAnswer {
  Family family = Family::v4;
  std::vector<asio::ip::address> addresses;
  std::optional<Error> error;  // set when the lookup failed (NXDOMAIN, timeout, SERVFAIL, ...)
  Source source = Source::dns;
};

// A resolved host: endpoints in connection order (RFC 8305 §4: IPv6 first, then alternating families).
struct Addresses {
  std::vector<asio::ip::tcp::endpoint> endpoints;
  Source source = Source::dns;
};

// RFC 8305 §4 ordering with a First Address Family Count of 1: v6, v4, v6, v4, ... then the rest.
std::vector<asio::ip::tcp::endpoint> interleave(const std::vector<asio::ip::address>& v6,
                                                const std::vector<asio::ip::address>& v4, std::uint16_t port);

// "localhost" and "*.localhost" (RFC 6761 §6.3), case-insensitive, optional trailing dot.
bool is_localhost_name(std::string_view host);

// An IP literal ("1.2.3.4", "::1", "[::1]"), or nullopt.
std::optional<asio::ip::address> parse_ip_literal(std::string_view host);

// Lowercase copy: DNS names compare case-insensitively (RFC 4343), cache keys must too.
std::string normalize_host(std::string_view host);

// Rejects what no DNS name can be (empty, > 253 octets, labels > 63, spaces/controls) before it reaches c-ares.
Result<void> check_host_name(std::string_view host);

const char* to_string(Family family);

}  // namespace wraith::dns
