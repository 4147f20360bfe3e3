// DATA (RFC 9113 section 6.1).
#pragma once

#include <optional>

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct DataFrame {
  uint32_t stream_id = 0;
  std::span<const uint8_t> data;      // padding stripped
  bool end_stream = false;
  uint32_t flow_controlled_length = 0;  // the whole payload, padding included (RFC 9113 6.9.1)
};

Result<DataFrame> decode_data(const Frame& frame);
// `pad`: nullopt = no PADDED flag; a value (0 allowed) = PADDED with that many padding bytes.
void encode_data(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> data, bool end_stream,
                 std::optional<uint8_t> pad = std::nullopt);

}  // namespace wraith::h2
