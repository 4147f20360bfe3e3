// PUSH_PROMISE (RFC 9113 section 6.6). A client that sent ENABLE_PUSH=0 only decodes it to reject it, but
// the codec is complete so a test peer can write one.
#pragma once

#include <optional>

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct PushPromiseFrame {
  uint32_t stream_id = 0;
  uint32_t promised_stream_id = 0;
  std::span<const uint8_t> fragment;
  bool end_headers = false;
};

Result<PushPromiseFrame> decode_push_promise(const Frame& frame);
void encode_push_promise(std::vector<uint8_t>& out, uint32_t stream_id, uint32_t promised_stream_id,
                         std::span<const uint8_t> fragment, bool end_headers,
                         std::optional<uint8_t> pad = std::nullopt);

}  // namespace wraith::h2
