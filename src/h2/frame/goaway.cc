#include "h2/frame/goaway.h"

#include "h2/frame/bytes.h"
#include "h2/frame/frame_error.h"

namespace wraith::h2 {

Result<GoawayFrame> decode_goaway(const Frame& frame) {
  if (frame.header.stream_id != 0) return connection_error(ErrorCode::protocol_error, "GOAWAY on a stream");
  if (frame.payload.size() < 8) return connection_error(ErrorCode::frame_size_error, "GOAWAY shorter than 8");
  const uint8_t* p = frame.payload.data();
  return GoawayFrame{wire::get31(p), wire::get32(p + 4), frame.payload.subspan(8)};
}

void encode_goaway(std::vector<uint8_t>& out, uint32_t last_stream_id, ErrorCode code,
                   std::span<const uint8_t> debug_data) {
  encode_frame_header(out, static_cast<uint32_t>(8 + debug_data.size()), FrameType::goaway, 0, 0);
  uint8_t* p = wire::grow(out, 8);
  wire::put32(wire::put32(p, last_stream_id & kMaxStreamId), static_cast<uint32_t>(code));
  wire::append(out, debug_data);
}

}  // namespace wraith::h2
