#include "h2/frame/frame_header.h"

#include "h2/frame/bytes.h"

namespace wraith::h2 {

void encode_frame_header(std::vector<uint8_t>& out, uint32_t length, FrameType type, uint8_t flags,
                         uint32_t stream_id) {
  uint8_t* p = wire::grow(out, kFrameHeaderSize);
  p = wire::put24(p, length);
  *p++ = static_cast<uint8_t>(type);
  *p++ = flags;
  wire::put32(p, stream_id & kMaxStreamId);
}

FrameHeader decode_frame_header(const uint8_t* p) {
  FrameHeader h;
  h.length = wire::get24(p);
  h.type = p[3];
  h.flags = p[4];
  h.stream_id = wire::get31(p + 5);
  return h;
}

}  // namespace wraith::h2
