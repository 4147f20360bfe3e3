#include "inspect/h2_names.h"

#include <cstdio>
#include <span>

#include "h2/frame/types.h"

namespace wraith::inspect {

const char* setting_name(std::uint16_t id) {
  switch (id) {
    case 1: return "HEADER_TABLE_SIZE";
    case 2: return "ENABLE_PUSH";
    case 3: return "MAX_CONCURRENT_STREAMS";
    case 4: return "INITIAL_WINDOW_SIZE";
    case 5: return "MAX_FRAME_SIZE";
    case 6: return "MAX_HEADER_LIST_SIZE";
    case 8: return "ENABLE_CONNECT_PROTOCOL";
    case 9: return "NO_RFC7540_PRIORITIES";
  }
  return "UNKNOWN";
}

const char* frame_type_name(std::uint8_t type) {
  if (!h2::is_known_frame_type(type)) return "UNKNOWN";
  return h2::to_string(static_cast<h2::FrameType>(type));
}

std::vector<std::string> flag_names(std::uint8_t type, std::uint8_t flags) {
  struct Flag {
    std::uint8_t bit;
    const char* name;
  };
  static constexpr Flag data[] = {{0x1, "END_STREAM"}, {0x8, "PADDED"}};
  static constexpr Flag headers[] = {{0x1, "END_STREAM"}, {0x4, "END_HEADERS"}, {0x8, "PADDED"}, {0x20, "PRIORITY"}};
  static constexpr Flag ack[] = {{0x1, "ACK"}};
  static constexpr Flag push_promise[] = {{0x4, "END_HEADERS"}, {0x8, "PADDED"}};
  static constexpr Flag continuation[] = {{0x4, "END_HEADERS"}};
  std::span<const Flag> defined;
  switch (type) {
    case 0x0: defined = data; break;
    case 0x1: defined = headers; break;
    case 0x4:
    case 0x6: defined = ack; break;
    case 0x5: defined = push_promise; break;
    case 0x9: defined = continuation; break;
    default: break;
  }
  std::vector<std::string> out;
  for (const auto& f : defined)
    if (flags & f.bit) out.emplace_back(f.name);
  return out;
}

std::string error_code_name(std::uint32_t code) {
  if (code <= 0xd) return h2::to_string(static_cast<h2::ErrorCode>(code));
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", code);
  return buf;
}

}  // namespace wraith::inspect
