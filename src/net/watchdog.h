// A deadline over a run of operations on one stream (an HTTP/1.1 exchange's writes and reads). Re-arming is
// cheap: moving the deadline later touches no timer (the pending wait looks again when it fires), so an
// exchange pays for one timer wait in all, instead of racing a timer against every read and write.
// On expiry it calls on_expire once; closing the stream there fails the pending operation.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>

namespace wraith::net {

class Watchdog {
 public:
  Watchdog(asio::any_io_executor executor, std::function<void()> on_expire)
      : state_(std::make_shared<State>(std::move(executor), std::move(on_expire))) {}
  ~Watchdog() {
    state_->alive = false;
    state_->timer.cancel();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // The next operation must finish within limit (from now).
  void arm(std::chrono::milliseconds limit) {
    State& s = *state_;
    s.deadline = Clock::now() + limit;
    if (!s.waiting) {
      s.timer.expires_at(s.deadline);
      wait(state_);
    } else if (s.deadline < s.timer.expiry()) {
      s.timer.expires_at(s.deadline);  // cancels the pending wait, whose handler waits again
    }
  }
  bool expired() const { return state_->expired; }

 private:
  using Clock = std::chrono::steady_clock;
  struct State {
    State(asio::any_io_executor executor, std::function<void()> callback)
        : timer(std::move(executor)), on_expire(std::move(callback)) {}
    asio::steady_timer timer;
    Clock::time_point deadline{};
    std::function<void()> on_expire;
    bool waiting = false;
    bool expired = false;
    bool alive = true;
  };

  // The handler owns the state: it may run after the Watchdog is gone (then it only returns).
  static void wait(const std::shared_ptr<State>& state) {
    state->waiting = true;
    state->timer.async_wait([state](const std::error_code&) {
      state->waiting = false;
      if (!state->alive || state->expired) return;
      if (Clock::now() < state->deadline) {
        state->timer.expires_at(state->deadline);
        wait(state);
        return;
      }
      state->expired = true;
      if (state->on_expire) state->on_expire();
    });
  }

  std::shared_ptr<State> state_;
};

}  // namespace wraith::net
