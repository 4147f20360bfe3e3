#include "net/low_water.h"

#include <sys/socket.h>

#include <algorithm>

namespace wraith::net {

void ReceiveLowWater::set(asio::ip::tcp::socket& socket, std::size_t bytes) {
  const int mark = static_cast<int>(std::clamp<std::size_t>(bytes, 1, kMax));
  if (mark == current_ || !socket.is_open()) return;
  // Linux re-checks the queue on the change, so lowering the mark wakes a reader whose bytes are already in.
  if (::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVLOWAT, &mark, sizeof mark) == 0) current_ = mark;
}

}  // namespace wraith::net
