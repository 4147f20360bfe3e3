// The receive low-water mark of a TCP socket (SO_RCVLOWAT): how many bytes must be queued before the kernel
// wakes a reader. During a bulk download a reader woken for every segment costs the sender a wake-up each
// time (on loopback the sender's CPU does the delivery); letting bytes that are owed gather first cuts
// those. A read waits until the mark is reached, however long: whoever raises it must lower it again in time
// (the h2 driver does within 1 ms).
#pragma once

#include <cstddef>

#include <asio/ip/tcp.hpp>

namespace wraith::net {

class ReceiveLowWater {
 public:
  // Sets the mark to `bytes` (at most kMax; 0 or 1: wake on any byte). A setsockopt only when it changes.
  void set(asio::ip::tcp::socket& socket, std::size_t bytes);
  static constexpr std::size_t kMax = 256 * 1024;

 private:
  int current_ = 1;
};

}  // namespace wraith::net
