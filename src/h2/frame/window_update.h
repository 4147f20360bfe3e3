// WINDOW_UPDATE (RFC 9113 section 6.9).
#pragma once

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct WindowUpdateFrame {
  uint32_t stream_id = 0;
  uint32_t increment = 0;  // 1..2^31-1
};

// Increment 0 is a PROTOCOL_ERROR: a stream error on a stream, a connection error on stream 0.
Result<WindowUpdateFrame> decode_window_update(const Frame& frame);
void encode_window_update(std::vector<uint8_t>& out, uint32_t stream_id, uint32_t increment);

}  // namespace wraith::h2
