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
