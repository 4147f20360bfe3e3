// Helpers shared by the dns tests: run a coroutine to completion, a thread-safe fake clock, a resolver
// pointed at the fake server.
#pragma once

#include <atomic>
#include <future>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>
#include <gtest/gtest.h>

#include "dns/resolver.h"
#include "fake_dns_server.h"

namespace wraith::dns::testing {

// use_future needs a default-constructible value, which Result is not: carry it in an optional.
template <class T>
T run_sync(asio::awaitable<T> op) {
  asio::io_context io;
  auto future = asio::co_spawn(io, [&]() -> asio::awaitable<std::optional<T>> { co_return co_await std::move(op); },
                               asio::use_future);
  io.run();
  return std::move(*future.get());
}

// The cache reads the clock from the resolver thread too, hence atomic.
struct FakeClock {
  std::atomic<long long> offset_ms{0};
  void advance(std::chrono::milliseconds by) { offset_ms += by.count(); }
  ClockFn fn() {
    auto base = Clock::now();
    return [this, base] { return base + std::chrono::milliseconds(offset_ms.load()); };
  }
};

inline std::shared_ptr<Resolver> resolver_for(const FakeDnsServer& server, ClockFn clock = {},
                                              Overrides overrides = {}) {
  ResolverOptions options;
  options.dns.servers = {server.address()};
  options.dns.query_timeout = std::chrono::milliseconds(2000);
  options.dns.tries = 1;
  options.clock = std::move(clock);
  options.overrides = std::move(overrides);
  auto resolver = Resolver::create(std::move(options));
  EXPECT_TRUE(resolver) << resolver.error().describe();
  return resolver ? *resolver : nullptr;
}

inline std::vector<std::string> texts(const Addresses& addresses) {
  std::vector<std::string> out;
  for (const auto& ep : addresses.endpoints) out.push_back(ep.address().to_string());
  return out;
}

}  // namespace wraith::dns::testing
