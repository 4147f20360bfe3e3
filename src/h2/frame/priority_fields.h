// The 5-byte stream dependency block shared by HEADERS (PRIORITY flag) and PRIORITY frames
// (RFC 9113 sections 5.3.1 and 6.3; deprecated but still sent by Chrome on HEADERS).
#pragma once

#include <cstddef>
#include <cstdint>

namespace wraith::h2 {

struct PriorityFields {
  bool exclusive = false;
  uint32_t depends_on = 0;
  uint16_t weight = 16;  // 1..256; the wire carries weight - 1

  bool operator==(const PriorityFields&) const = default;
};

inline constexpr size_t kPriorityFieldsSize = 5;

uint8_t* write_priority_fields(uint8_t* p, const PriorityFields& f);
PriorityFields read_priority_fields(const uint8_t* p);

}  // namespace wraith::h2
