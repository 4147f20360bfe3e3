#include "h2/frame/rst_stream.h"

#include "h2/frame/bytes.h"
#include "h2/frame/frame_error.h"

namespace wraith::h2 {

Result<RstStreamFrame> decode_rst_stream(const Frame& frame) {
  if (frame.payload.size() != 4) return connection_error(ErrorCode::frame_size_error, "RST_STREAM length is not 4");
  return RstStreamFrame{frame.header.stream_id, wire::get32(frame.payload.data())};
}

void encode_rst_stream(std::vector<uint8_t>& out, uint32_t stream_id, ErrorCode code) {
  encode_frame_header(out, 4, FrameType::rst_stream, 0, stream_id);
  wire::put32(wire::grow(out, 4), static_cast<uint32_t>(code));
}

}  // namespace wraith::h2
