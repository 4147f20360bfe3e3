#include "h2/frame/priority.h"

#include "h2/frame/bytes.h"
#include "h2/frame/frame_error.h"

namespace wraith::h2 {

Result<PriorityFrame> decode_priority(const Frame& frame) {
  if (frame.payload.size() != kPriorityFieldsSize)
    return stream_error(ErrorCode::frame_size_error, frame.header.stream_id, "PRIORITY length is not 5");
  PriorityFrame p{frame.header.stream_id, read_priority_fields(frame.payload.data())};
  if (p.fields.depends_on == p.stream_id)
    return stream_error(ErrorCode::protocol_error, p.stream_id, "PRIORITY stream depends on itself");
  return p;
}

void encode_priority(std::vector<uint8_t>& out, uint32_t stream_id, const PriorityFields& fields) {
  encode_frame_header(out, kPriorityFieldsSize, FrameType::priority, 0, stream_id);
  write_priority_fields(wire::grow(out, kPriorityFieldsSize), fields);
}

}  // namespace wraith::h2
