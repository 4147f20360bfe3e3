// HTTP/2 wire constants (RFC 9113 sections 4, 6, 7, 11; RFC 8441 section 3 for ENABLE_CONNECT_PROTOCOL).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wraith::h2 {

enum class FrameType : uint8_t {
  data = 0x0,
  headers = 0x1,
  priority = 0x2,
  rst_stream = 0x3,
  settings = 0x4,
  push_promise = 0x5,
  ping = 0x6,
  goaway = 0x7,
  window_update = 0x8,
  continuation = 0x9,
};

// Frame flags; the same bit means different things per frame type (END_STREAM vs ACK).
namespace flags {
inline constexpr uint8_t end_stream = 0x01;
inline constexpr uint8_t ack = 0x01;
inline constexpr uint8_t end_headers = 0x04;
inline constexpr uint8_t padded = 0x08;
inline constexpr uint8_t priority = 0x20;
}  // namespace flags

enum class ErrorCode : uint32_t {
  no_error = 0x0,
  protocol_error = 0x1,
  internal_error = 0x2,
  flow_control_error = 0x3,
  settings_timeout = 0x4,
  stream_closed = 0x5,
  frame_size_error = 0x6,
  refused_stream = 0x7,
  cancel = 0x8,
  compression_error = 0x9,
  connect_error = 0xa,
  enhance_your_calm = 0xb,
  inadequate_security = 0xc,
  http_1_1_required = 0xd,
};

enum class SettingId : uint16_t {
  header_table_size = 0x1,
  enable_push = 0x2,
  max_concurrent_streams = 0x3,
  initial_window_size = 0x4,
  max_frame_size = 0x5,
  max_header_list_size = 0x6,
  enable_connect_protocol = 0x8,  // RFC 8441
};

inline constexpr size_t kFrameHeaderSize = 9;
inline constexpr uint32_t kDefaultMaxFrameSize = 16384;      // also the smallest legal SETTINGS_MAX_FRAME_SIZE
inline constexpr uint32_t kLargestMaxFrameSize = 16777215;   // 2^24 - 1
inline constexpr uint32_t kDefaultWindowSize = 65535;
inline constexpr uint32_t kMaxWindowSize = 0x7fffffff;       // 2^31 - 1
inline constexpr uint32_t kMaxStreamId = 0x7fffffff;
inline constexpr uint32_t kDefaultHeaderTableSize = 4096;
inline constexpr std::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

const char* to_string(ErrorCode code);
const char* to_string(FrameType type);
inline bool is_known_frame_type(uint8_t type) { return type <= static_cast<uint8_t>(FrameType::continuation); }

}  // namespace wraith::h2
