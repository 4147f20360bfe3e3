// A one-waiter wake-up for coroutines on one executor: notify() before wait() is not lost.
#pragma once

#include <chrono>

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>

#include "net/asio_compat.h"

namespace wraith::net {

class Signal {
 public:
  explicit Signal(asio::any_io_executor executor) : timer_(std::move(executor), asio::steady_timer::time_point::max()) {}

  void notify() {
    pending_ = true;
    timer_.cancel();
  }

  asio::awaitable<void> wait() {
    if (!pending_) {
      timer_.expires_at(asio::steady_timer::time_point::max());
      (void)co_await timer_.async_wait(use_tuple);
    }
    pending_ = false;
  }

  // wait_for without its coroutine frame, for a caller's hot loop:
  //   bool woke = signal.take();
  //   if (!woke) { (void)co_await signal.arm(limit); woke = signal.take(); }
  bool take() {
    const bool notified = pending_;
    pending_ = false;
    return notified;
  }
  auto arm(std::chrono::milliseconds limit) {
    timer_.expires_after(limit);
    return timer_.async_wait(use_tuple);
  }

  // wait() with a time limit on the same timer: true when notified, false when `limit` passed first. Cheaper
  // than racing wait() against a second timer (no parallel group, no extra coroutine or timer per wait).
  asio::awaitable<bool> wait_for(std::chrono::milliseconds limit) {
    if (!take()) {
      (void)co_await arm(limit);
      co_return take();
    }
    co_return true;
  }

 private:
  asio::steady_timer timer_;
  bool pending_ = false;
};

}  // namespace wraith::net
