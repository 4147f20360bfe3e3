// PRIORITY (RFC 9113 section 6.3). Deprecated; we decode it only to ignore it correctly.
#pragma once

#include "h2/frame/frame_header.h"
#include "h2/frame/priority_fields.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct PriorityFrame {
  uint32_t stream_id = 0;
  PriorityFields fields;
};

// Length other than 5 is a stream FRAME_SIZE_ERROR (checked by FrameReader too).
Result<PriorityFrame> decode_priority(const Frame& frame);
void encode_priority(std::vector<uint8_t>& out, uint32_t stream_id, const PriorityFields& fields);

}  // namespace wraith::h2
