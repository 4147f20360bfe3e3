#include "h2/frame/window_update.h"

#include "h2/frame/bytes.h"
#include "h2/frame/frame_error.h"

namespace wraith::h2 {

Result<WindowUpdateFrame> decode_window_update(const Frame& frame) {
  if (frame.payload.size() != 4) return connection_error(ErrorCode::frame_size_error, "WINDOW_UPDATE length is not 4");
  WindowUpdateFrame w{frame.header.stream_id, wire::get31(frame.payload.data())};
  if (w.increment == 0) {
    if (w.stream_id == 0) return connection_error(ErrorCode::protocol_error, "WINDOW_UPDATE increment 0");
    return stream_error(ErrorCode::protocol_error, w.stream_id, "WINDOW_UPDATE increment 0");
  }
  return w;
}

void encode_window_update(std::vector<uint8_t>& out, uint32_t stream_id, uint32_t increment) {
  encode_frame_header(out, 4, FrameType::window_update, 0, stream_id);
  wire::put32(wire::grow(out, 4), increment & kMaxWindowSize);
}

}  // namespace wraith::h2
