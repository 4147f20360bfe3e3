#include "h2/frame/ping.h"

#include <cstring>

#include "h2/frame/bytes.h"
#include "h2/frame/frame_error.h"

namespace wraith::h2 {

Result<PingFrame> decode_ping(const Frame& frame) {
  if (frame.header.stream_id != 0) return connection_error(ErrorCode::protocol_error, "PING on a stream");
  if (frame.payload.size() != 8) return connection_error(ErrorCode::frame_size_error, "PING length is not 8");
  PingFrame p;
  p.ack = frame.header.has(flags::ack);
  std::memcpy(p.opaque.data(), frame.payload.data(), 8);
  return p;
}

void encode_ping(std::vector<uint8_t>& out, bool ack, const PingPayload& opaque) {
  encode_frame_header(out, 8, FrameType::ping, ack ? flags::ack : 0, 0);
  std::memcpy(wire::grow(out, 8), opaque.data(), 8);
}

}  // namespace wraith::h2
