// The names the reports use for HTTP/2 code points, spelled as in the ground-truth fixtures
// (tests/fixtures/chromium-156*.json): "HEADERS", "END_STREAM", "INITIAL_WINDOW_SIZE", ...
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wraith::inspect {

// RFC 9113 6.5.2 names (plus RFC 8441 ENABLE_CONNECT_PROTOCOL, RFC 9218 NO_RFC7540_PRIORITIES);
// "UNKNOWN" otherwise (GREASE settings included).
const char* setting_name(std::uint16_t id);
// "DATA" ... "CONTINUATION"; "UNKNOWN" for extension types.
const char* frame_type_name(std::uint8_t type);
// The flags defined for that frame type, lowest bit first (e.g. HEADERS 0x25 -> END_STREAM, END_HEADERS,
// PRIORITY); undefined bits are left out (the numeric "flags" field keeps them).
std::vector<std::string> flag_names(std::uint8_t type, std::uint8_t flags);
// RFC 9113 section 7 name, or "0x..." for an unknown code.
std::string error_code_name(std::uint32_t code);

}  // namespace wraith::inspect
