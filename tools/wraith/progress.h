// A download progress line on stderr (bytes, rate, ETA), only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace wraith::cli {

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

  // total = 0 when unknown (or once received passes it): bytes and rate only, no percentage or ETA.
  void update(std::uint64_t received, std::uint64_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    draw(received, total, now);
  }

  void finish(std::uint64_t received) {
    if (!enabled_) return;
    draw(received, received, std::chrono::steady_clock::now());
    std::fputc('\n', stderr);
  }

 private:
  void draw(std::uint64_t received, std::uint64_t total, std::chrono::steady_clock::time_point now) {
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? received / seconds : 0;
    if (total >= received && total > 0 && rate > 0) {
      double eta = (total - received) / rate;
      std::fprintf(stderr, "\r%6.1f%%  %10.1f KiB  %8.1f KiB/s  ETA %5.1fs", 100.0 * received / total, received / 1024.0,
                   rate / 1024, eta);
    } else {
      std::fprintf(stderr, "\r%10.1f KiB  %8.1f KiB/s  %5.1fs", received / 1024.0, rate / 1024, seconds);
    }
    std::fflush(stderr);
  }

  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace wraith::cli
