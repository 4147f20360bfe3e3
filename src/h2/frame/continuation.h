// CONTINUATION (RFC 9113 section 6.10).
#pragma once

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct ContinuationFrame {
  uint32_t stream_id = 0;
  std::span<const uint8_t> fragment;
  bool end_headers = false;
};

ContinuationFrame decode_continuation(const Frame& frame);
void encode_continuation(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> fragment,
                         bool end_headers);

}  // namespace wraith::h2
