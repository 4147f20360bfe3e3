// --resolve style overrides: "host:port" answers fixed by the user, consulted before any cache or query.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dns/types.h"

namespace wraith::dns {

class Overrides {
 public:
  // curl's syntax "host:port:addr[,addr...]"; addresses may be bracketed IPv6 ("[::1]").
  Result<void> add(std::string_view entry);
  // addresses: comma-separated literals, as in ConnectOptions::resolve_overrides values.
  Result<void> add(std::string_view host, std::uint16_t port, std::string_view addresses);
  // Exact host:port match (host compared case-insensitively), or nullptr.
  const std::vector<asio::ip::address>* find(std::string_view host, std::uint16_t port) const;
  bool empty() const { return entries_.empty(); }

 private:
  std::map<std::string, std::vector<asio::ip::address>> entries_;
};

// Splits "host:port:addr" into ("host:port", "addr") — the shape of ConnectOptions::resolve_overrides.
Result<std::pair<std::string, std::string>> split_resolve_entry(std::string_view entry);

// Parses "a,b,[c]" into addresses; every item must be an IP literal.
Result<std::vector<asio::ip::address>> parse_address_list(std::string_view list);

}  // namespace wraith::dns
