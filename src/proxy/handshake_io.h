// Small pieces every proxy handshake shares: typed proxy errors, exact reads that never consume a byte
// past what was asked, and a deadline around the whole exchange.
#pragma once

#include <chrono>
#include <span>
#include <string>

#include "net/deadline.h"
#include "net/stream.h"
#include "wraith/error.h"

namespace wraith::proxy {

// ErrorKind::proxy from layer "proxy".
Error proxy_error(std::string message);

// Reads exactly buffer.size() bytes (so nothing that belongs to the tunnel is consumed). A close before
// that is ErrorKind::proxy "proxy closed the connection during <what>"; socket errors pass through.
asio::awaitable<Result<void>> read_exact(net::Stream& stream, std::span<std::uint8_t> buffer, const char* what);

// ErrorKind::timeout (phase connect): the proxy did not finish its handshake in time.
Error handshake_timeout(const std::string& what, std::chrono::milliseconds limit);

// Runs op with a deadline; a timeout becomes handshake_timeout(what, limit).
template <class T>
asio::awaitable<Result<T>> within(asio::awaitable<Result<T>> op, std::chrono::milliseconds limit, std::string what) {
  auto outcome = co_await net::with_deadline(std::move(op), limit);
  if (!outcome) co_return handshake_timeout(what, limit);
  co_return std::move(*outcome);
}

}  // namespace wraith::proxy
