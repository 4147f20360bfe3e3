#include "h2/frame/settings.h"

#include "h2/frame/bytes.h"
#include "h2/frame/frame_error.h"

namespace wraith::h2 {

Setting SettingsFrame::at(size_t i) const {
  const uint8_t* p = raw.data() + i * 6;
  return {static_cast<uint16_t>(wire::get16(p)), wire::get32(p + 2)};
}

Result<SettingsFrame> decode_settings(const Frame& frame) {
  if (frame.header.stream_id != 0) return connection_error(ErrorCode::protocol_error, "SETTINGS on a stream");
  bool ack = frame.header.has(flags::ack);
  if (ack && !frame.payload.empty()) return connection_error(ErrorCode::frame_size_error, "SETTINGS ACK with payload");
  if (frame.payload.size() % 6 != 0)
    return connection_error(ErrorCode::frame_size_error, "SETTINGS length not a multiple of 6");
  return SettingsFrame{ack, frame.payload};
}

void encode_settings(std::vector<uint8_t>& out, std::span<const Setting> settings) {
  encode_frame_header(out, static_cast<uint32_t>(settings.size() * 6), FrameType::settings, 0, 0);
  uint8_t* p = wire::grow(out, settings.size() * 6);
  for (const auto& [id, value] : settings) p = wire::put32(wire::put16(p, id), value);
}

void encode_settings_ack(std::vector<uint8_t>& out) { encode_frame_header(out, 0, FrameType::settings, flags::ack, 0); }

}  // namespace wraith::h2
