// RST_STREAM (RFC 9113 section 6.4).
#pragma once

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct RstStreamFrame {
  uint32_t stream_id = 0;
  uint32_t error_code = 0;  // raw: unknown codes must not be treated as errors (RFC 9113 7)
};

Result<RstStreamFrame> decode_rst_stream(const Frame& frame);
void encode_rst_stream(std::vector<uint8_t>& out, uint32_t stream_id, ErrorCode code);

}  // namespace wraith::h2
