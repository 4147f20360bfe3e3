// HEADERS (RFC 9113 section 6.2), with optional PRIORITY fields and padding.
#pragma once

#include <optional>

#include "h2/frame/frame_header.h"
#include "h2/frame/priority_fields.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct HeadersFrame {
  uint32_t stream_id = 0;
  std::span<const uint8_t> fragment;  // field block fragment, padding and priority fields stripped
  bool end_stream = false;
  bool end_headers = false;
  std::optional<PriorityFields> priority;
};

Result<HeadersFrame> decode_headers(const Frame& frame);
void encode_headers(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> fragment,
                    bool end_stream, bool end_headers, const std::optional<PriorityFields>& priority = std::nullopt,
                    std::optional<uint8_t> pad = std::nullopt);

// Writes a whole field block as HEADERS followed by as many CONTINUATION frames as `max_frame_size`
// requires (the peer's SETTINGS_MAX_FRAME_SIZE). END_HEADERS goes on the last frame only.
void encode_header_block(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> block,
                         bool end_stream, const std::optional<PriorityFields>& priority, uint32_t max_frame_size);

}  // namespace wraith::h2
