// GOAWAY (RFC 9113 section 6.8).
#pragma once

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct GoawayFrame {
  uint32_t last_stream_id = 0;
  uint32_t error_code = 0;  // raw
  std::span<const uint8_t> debug_data;
};

Result<GoawayFrame> decode_goaway(const Frame& frame);
void encode_goaway(std::vector<uint8_t>& out, uint32_t last_stream_id, ErrorCode code,
                   std::span<const uint8_t> debug_data = {});

}  // namespace wraith::h2
