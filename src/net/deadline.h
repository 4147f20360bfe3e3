// Races an awaitable operation against a timer; the loser is cancelled.
#pragma once

#include <chrono>
#include <optional>

#include "net/asio_compat.h"
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace wraith::net {

// Returns nullopt if the timer fired first. The operation must honour cancellation (asio's do).
template <class T>
asio::awaitable<std::optional<T>> with_deadline(asio::awaitable<T> op, std::chrono::milliseconds limit) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor, limit);
  auto result = co_await (std::move(op) || timer.async_wait(use_tuple));
  if (result.index() == 0) co_return std::move(std::get<0>(result));
  co_return std::nullopt;
}

// For operations without a value: true if the operation finished first.
inline asio::awaitable<bool> with_deadline(asio::awaitable<void> op, std::chrono::milliseconds limit) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor, limit);
  auto result = co_await (std::move(op) || timer.async_wait(use_tuple));
  co_return result.index() == 0;
}

}  // namespace wraith::net
