// A text line per frame a client wrote on one connection, for -v: type, stream, flags by name, length and
// the fields that shape a fingerprint (SETTINGS values, WINDOW_UPDATE increment, HEADERS priority).
// Only built when someone is watching, so it may allocate; it never trusts the bytes it is shown.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "h2/frame/types.h"

namespace wraith::h2 {

class FrameDescriber {
 public:
  // Bytes in the order they were written; the first write starts with the 24-byte client preface.
  // Frames split across writes are described once complete. Returns one line per finished item.
  std::vector<std::string> feed(std::span<const uint8_t> bytes);

 private:
  // The payload bytes worth describing; the rest of a long frame (DATA, a header block) is only counted.
  static constexpr std::size_t kKeptPayload = 256;
  enum class Phase { preface, header, payload, lost };

  std::string describe() const;

  Phase phase_ = Phase::preface;
  std::size_t preface_seen_ = 0;
  std::array<uint8_t, kFrameHeaderSize> header_{};
  std::size_t header_seen_ = 0;
  uint32_t length_ = 0;
  uint32_t payload_seen_ = 0;
  std::vector<uint8_t> kept_;  // the first kKeptPayload payload bytes
};

// The RFC name of a SETTINGS id ("HEADER_TABLE_SIZE"), or null for one without a name here.
const char* setting_name(uint16_t id);

}  // namespace wraith::h2
