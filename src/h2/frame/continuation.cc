#include "h2/frame/continuation.h"

#include "h2/frame/bytes.h"

namespace wraith::h2 {

ContinuationFrame decode_continuation(const Frame& frame) {
  return {frame.header.stream_id, frame.payload, frame.header.has(flags::end_headers)};
}

void encode_continuation(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> fragment,
                         bool end_headers) {
  encode_frame_header(out, static_cast<uint32_t>(fragment.size()), FrameType::continuation,
                      end_headers ? flags::end_headers : 0, stream_id);
  wire::append(out, fragment);
}

}  // namespace wraith::h2
