#include "proxy/local_resolve.h"

#include <asio/ip/tcp.hpp>
#include <asio/this_coro.hpp>

#include "net/asio_compat.h"
#include "net/deadline.h"

namespace wraith::proxy {

asio::awaitable<Result<asio::ip::address>> resolve_locally(const std::string& host, std::uint16_t port,
                                                           const net::ConnectOptions& options) {
  std::string literal = host;
  if (auto it = options.resolve_overrides.find(host + ":" + std::to_string(port)); it != options.resolve_overrides.end())
    literal = it->second;
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') literal = literal.substr(1, literal.size() - 2);
  asio::error_code ec;
  auto address = asio::ip::make_address(literal, ec);
  if (!ec) co_return address;

  asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
  const std::string service = std::to_string(port);
  auto outcome = co_await net::with_deadline(resolver.async_resolve(host, service, net::use_tuple), options.resolve_timeout);
  if (!outcome) {
    Error e(ErrorKind::timeout, "resolving " + host + " for the SOCKS5 proxy", "proxy");
    e.phase = TimeoutPhase::resolve;
    co_return e;
  }
  auto& [rec, results] = *outcome;
  if (rec) co_return Error(ErrorKind::resolve, "could not resolve " + host + ": " + rec.message(), "proxy");
  for (const auto& entry : results) co_return entry.endpoint().address();
  co_return Error(ErrorKind::resolve, "no addresses for " + host, "proxy");
}

}  // namespace wraith::proxy
