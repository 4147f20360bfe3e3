// PING (RFC 9113 section 6.7).
#pragma once

#include <array>

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

using PingPayload = std::array<uint8_t, 8>;

struct PingFrame {
  bool ack = false;
  PingPayload opaque{};
};

Result<PingFrame> decode_ping(const Frame& frame);
void encode_ping(std::vector<uint8_t>& out, bool ack, const PingPayload& opaque);

}  // namespace wraith::h2
