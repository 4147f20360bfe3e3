// A one-waiter wake-up for coroutines on one executor: notify() before wait() is not lost.
#pragma once

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

 private:
  asio::steady_timer timer_;
  bool pending_ = false;
};

}  // namespace wraith::net
