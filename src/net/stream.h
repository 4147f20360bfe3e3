// A connected byte stream (TCP, TLS, a proxy tunnel, an h2 tunnel): what the h1/h2 drivers read and write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include "wraith/error.h"

namespace wraith::net {

class Stream {
 public:
  virtual ~Stream() = default;
  virtual asio::any_io_executor get_executor() = 0;
  // Reads at least one byte; 0 means the peer closed cleanly.
  virtual asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> buffer) = 0;
  // Writes everything or fails.
  virtual asio::awaitable<Result<void>> write_all(std::span<const std::uint8_t> data) = 0;
  // Closes now; pending operations complete with an error. Safe to call twice.
  virtual void close() = 0;
  // Protocol chosen by ALPN ("h2", "http/1.1"), empty when none was negotiated.
  virtual std::string alpn() const { return {}; }
  // A hint from the protocol above: `bytes` more are expected soon (the peer owes them), so a socket may let
  // them gather before waking the next read. The caller bounds that wait: expect(0) wakes on any byte again.
  virtual void expect(std::size_t bytes) {}
};

}  // namespace wraith::net
