#include "net/connect.h"

#include "dns/overrides.h"

namespace wraith::net {

namespace {

using tcp = asio::ip::tcp;

dns::HappyEyeballsOptions race_options(const ConnectOptions& options) {
  dns::HappyEyeballsOptions he;
  he.attempt_delay = options.attempt_delay;
  he.resolution_delay = options.resolution_delay;
  he.resolve_timeout = options.resolve_timeout;
  he.connect_timeout = options.connect_timeout;
  he.ip_version = options.ip_version;
  he.trace = options.trace;
  return he;
}

// Endpoints fixed without DNS: an IP literal host, or an override (per connect, then the resolver's).
Result<std::optional<std::vector<tcp::endpoint>>> fixed_endpoints(const std::string& host, std::uint16_t port,
                                                                  const ConnectOptions& options,
                                                                  const dns::Resolver* resolver) {
  using Out = std::optional<std::vector<tcp::endpoint>>;
  if (auto literal = dns::parse_ip_literal(host)) return Out{{tcp::endpoint(*literal, port)}};
  std::vector<asio::ip::address> addresses;
  if (!options.resolve_overrides.empty()) {
    std::string key = dns::normalize_host(host) + ":" + std::to_string(port);
    for (const auto& [entry, value] : options.resolve_overrides) {
      if (dns::normalize_host(entry) != key) continue;
      auto list = dns::parse_address_list(value);
      if (!list) return list.take_error();
      addresses = std::move(*list);
      break;
    }
  }
  if (addresses.empty() && resolver)
    if (const auto* fixed = resolver->overrides().find(host, port)) addresses = *fixed;
  if (addresses.empty()) return Out{};
  std::vector<asio::ip::address> v6, v4;
  for (const auto& a : addresses) (a.is_v6() ? v6 : v4).push_back(a);
  return Out{dns::interleave(v6, v4, port)};
}

}  // namespace

Result<std::pair<std::string, std::string>> parse_resolve_entry(const std::string& entry) {
  auto split = dns::split_resolve_entry(entry);
  if (!split) return split.take_error();
  if (auto list = dns::parse_address_list(split->second); !list) return list.take_error();
  return split;
}

asio::awaitable<Result<tcp::socket>> connect_tcp(const std::string& host, std::uint16_t port,
                                                 const ConnectOptions& options) {
  std::shared_ptr<dns::Resolver> resolver = options.resolver;
  auto fixed = fixed_endpoints(host, port, options, resolver.get());
  if (!fixed) co_return fixed.take_error();

  Result<tcp::socket> socket = Error(ErrorKind::connect, "not attempted", "net");
  if (*fixed) {
    socket = co_await dns::connect_endpoints(std::move(**fixed), host, race_options(options));
  } else {
    if (!resolver) {
      auto shared = dns::Resolver::shared_default();
      if (!shared) co_return shared.error();
      resolver = *shared;
    }
    socket = co_await dns::connect_host(*resolver, host, port, race_options(options));
  }
  if (socket && options.tcp_nodelay) {
    asio::error_code ignored;
    socket->set_option(tcp::no_delay(true), ignored);
  }
  co_return socket;
}

}  // namespace wraith::net
