// SETTINGS (RFC 9113 section 6.5). Parameters are read in place, in wire order, without a copy.
#pragma once

#include <utility>

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

using Setting = std::pair<uint16_t, uint32_t>;  // identifier, value

struct SettingsFrame {
  bool ack = false;
  std::span<const uint8_t> raw;  // 6 bytes per parameter

  size_t count() const { return raw.size() / 6; }
  Setting at(size_t i) const;
};

Result<SettingsFrame> decode_settings(const Frame& frame);
void encode_settings(std::vector<uint8_t>& out, std::span<const Setting> settings);
void encode_settings_ack(std::vector<uint8_t>& out);

}  // namespace wraith::h2
