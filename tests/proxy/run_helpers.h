// Runs one client coroutine to completion on a fresh io_context, on the test thread.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "proxy/tunnel.h"
#include "wraith/proxy.h"

namespace wraith::proxy_test {

// (Result<T> has no default constructor, which use_future would need.)
template <class T>
T run_client(std::function<asio::awaitable<T>()> body) {
  asio::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> { out.emplace(co_await body()); },
                 [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

// What a test checks about a tunnel. The tunnel itself (its socket) must not outlive run_client's
// io_context, so it is closed inside.
struct TunnelInfo {
  bool is_socket = false;
  std::vector<std::uint8_t> early_bytes;
};

inline Result<TunnelInfo> open_tunnel_info(const ProxyConfig& config, const std::string& host, std::uint16_t port,
                                           const proxy::TunnelOptions& options = {}) {
  return run_client<Result<TunnelInfo>>([&]() -> asio::awaitable<Result<TunnelInfo>> {
    auto tunnel = co_await proxy::open_tunnel(config, host, port, options);
    if (!tunnel) co_return tunnel.take_error();
    TunnelInfo info;
    info.is_socket = tunnel->is_socket();
    info.early_bytes = std::move(tunnel->early_bytes);
    co_return info;
  });
}

inline ProxyConfig proxy_at(const std::string& scheme_and_auth, std::uint16_t port) {
  auto config = ProxyConfig::parse(scheme_and_auth + "127.0.0.1:" + std::to_string(port));
  if (!config) throw std::runtime_error(config.error().describe());
  return *config;
}

inline std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

}  // namespace wraith::proxy_test
