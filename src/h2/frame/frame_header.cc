#include "h2/frame/frame_header.h"

#include <algorithm>

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

size_t end_of_frames(std::span<const uint8_t> bytes, size_t start, size_t at_least) {
  size_t end = start;
  while (end < bytes.size() && end - start < at_least) {
    if (bytes.size() - end < kFrameHeaderSize) return bytes.size();
    end = std::min(bytes.size(), end + kFrameHeaderSize + decode_frame_header(bytes.data() + end).length);
  }
  return end;
}

}  // namespace wraith::h2
