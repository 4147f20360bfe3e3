#include "net/connect.h"

#include "net/asio_compat.h"
#include <asio/ip/address.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "net/deadline.h"

namespace wraith::net {

namespace {

using tcp = asio::ip::tcp;
constexpr auto kTuple = use_tuple;

Error timeout_error(TimeoutPhase phase, const std::string& what) {
  Error e(ErrorKind::timeout, what, "net");
  e.phase = phase;
  return e;
}

asio::awaitable<Result<std::vector<tcp::endpoint>>> resolve(const std::string& host, std::uint16_t port,
                                                           const ConnectOptions& options) {
  std::string host_port = host + ":" + std::to_string(port);
  std::string literal = host;
  if (auto it = options.resolve_overrides.find(host_port); it != options.resolve_overrides.end()) literal = it->second;
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') literal = literal.substr(1, literal.size() - 2);
  asio::error_code ec;
  auto address = asio::ip::make_address(literal, ec);
  if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(address, port)};

  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto outcome = co_await with_deadline(resolver.async_resolve(host, std::to_string(port), kTuple),
                                        options.resolve_timeout);
  if (!outcome) co_return timeout_error(TimeoutPhase::resolve, "resolving " + host);
  auto& [rec, results] = *outcome;
  if (rec) co_return Error(ErrorKind::resolve, "could not resolve " + host + ": " + rec.message(), "net");
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  if (endpoints.empty()) co_return Error(ErrorKind::resolve, "no addresses for " + host, "net");
  co_return endpoints;
}

}  // namespace

Result<std::pair<std::string, std::string>> parse_resolve_entry(const std::string& entry) {
  // host:port:addr — addr may contain colons (IPv6), so split on the first two.
  auto first = entry.find(':');
  auto second = first == std::string::npos ? std::string::npos : entry.find(':', first + 1);
  if (second == std::string::npos || first == 0 || second == first + 1 || second + 1 >= entry.size())
    return Error(ErrorKind::invalid_argument, "--resolve wants host:port:address, got '" + entry + "'", "net");
  std::string port = entry.substr(first + 1, second - first - 1);
  for (char c : port)
    if (c < '0' || c > '9') return Error(ErrorKind::invalid_argument, "bad port in --resolve '" + entry + "'", "net");
  return std::pair{entry.substr(0, second), entry.substr(second + 1)};
}

asio::awaitable<Result<tcp::socket>> connect_tcp(const std::string& host, std::uint16_t port,
                                                 const ConnectOptions& options) {
  auto endpoints = co_await resolve(host, port, options);
  if (!endpoints) co_return endpoints.take_error();
  auto executor = co_await asio::this_coro::executor;
  std::string last_error = "no address tried";
  for (const auto& endpoint : *endpoints) {
    tcp::socket socket(executor);
    auto outcome = co_await with_deadline(socket.async_connect(endpoint, kTuple), options.connect_timeout);
    if (!outcome) co_return timeout_error(TimeoutPhase::connect, "connecting to " + host + ":" + std::to_string(port));
    auto [ec] = *outcome;
    if (!ec) {
      if (options.tcp_nodelay) socket.set_option(tcp::no_delay(true), ec);
      co_return std::move(socket);
    }
    last_error = endpoint.address().to_string() + ": " + ec.message();
  }
  co_return Error(ErrorKind::connect, "could not connect to " + host + ":" + std::to_string(port) + " (" + last_error + ")", "net");
}

}  // namespace wraith::net
