#include "h2/frame/frame_error.h"

#include <utility>

namespace wraith::h2 {

Error connection_error(ErrorCode code, std::string message) {
  Error e(ErrorKind::protocol, std::move(message), "h2");
  e.peer_code = static_cast<uint32_t>(code);
  return e;
}

Error stream_error(ErrorCode code, uint32_t stream_id, std::string message) {
  Error e(ErrorKind::protocol, std::move(message), "h2");
  e.peer_code = static_cast<uint32_t>(code);
  e.stream_id = stream_id;
  return e;
}

}  // namespace wraith::h2
