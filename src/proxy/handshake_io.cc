#include "proxy/handshake_io.h"

namespace wraith::proxy {

Error proxy_error(std::string message) { return Error(ErrorKind::proxy, std::move(message), "proxy"); }

asio::awaitable<Result<void>> read_exact(net::Stream& stream, std::span<std::uint8_t> buffer, const char* what) {
  while (!buffer.empty()) {
    auto n = co_await stream.read_some(buffer);
    if (!n) co_return n.take_error();
    if (*n == 0) co_return proxy_error(std::string("proxy closed the connection during ") + what);
    buffer = buffer.subspan(*n);
  }
  co_return Result<void>{};
}

Error handshake_timeout(const std::string& what, std::chrono::milliseconds limit) {
  Error e(ErrorKind::timeout, what + ": no answer from the proxy within " + std::to_string(limit.count()) + " ms",
          "proxy");
  e.phase = TimeoutPhase::connect;
  return e;
}

}  // namespace wraith::proxy
