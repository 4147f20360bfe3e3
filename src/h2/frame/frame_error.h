// How the frame layer reports violations: a wraith::Error of kind protocol whose peer_code is the
// RFC 9113 error code to send, and whose stream_id says the scope: 0 = connection error (GOAWAY),
// non-zero = stream error (RST_STREAM on that stream only).
#pragma once

#include <string>

#include "h2/frame/types.h"
#include "wraith/error.h"

namespace wraith::h2 {

Error connection_error(ErrorCode code, std::string message);
Error stream_error(ErrorCode code, uint32_t stream_id, std::string message);

inline bool is_stream_error(const Error& e) { return e.stream_id != 0; }
inline ErrorCode error_code_of(const Error& e) { return static_cast<ErrorCode>(e.peer_code); }

}  // namespace wraith::h2
