#include "h2/frame/types.h"

namespace wraith::h2 {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::no_error: return "NO_ERROR";
    case ErrorCode::protocol_error: return "PROTOCOL_ERROR";
    case ErrorCode::internal_error: return "INTERNAL_ERROR";
    case ErrorCode::flow_control_error: return "FLOW_CONTROL_ERROR";
    case ErrorCode::settings_timeout: return "SETTINGS_TIMEOUT";
    case ErrorCode::stream_closed: return "STREAM_CLOSED";
    case ErrorCode::frame_size_error: return "FRAME_SIZE_ERROR";
    case ErrorCode::refused_stream: return "REFUSED_STREAM";
    case ErrorCode::cancel: return "CANCEL";
    case ErrorCode::compression_error: return "COMPRESSION_ERROR";
    case ErrorCode::connect_error: return "CONNECT_ERROR";
    case ErrorCode::enhance_your_calm: return "ENHANCE_YOUR_CALM";
    case ErrorCode::inadequate_security: return "INADEQUATE_SECURITY";
    case ErrorCode::http_1_1_required: return "HTTP_1_1_REQUIRED";
  }
  return "UNKNOWN_ERROR";
}

const char* to_string(FrameType type) {
  switch (type) {
    case FrameType::data: return "DATA";
    case FrameType::headers: return "HEADERS";
    case FrameType::priority: return "PRIORITY";
    case FrameType::rst_stream: return "RST_STREAM";
    case FrameType::settings: return "SETTINGS";
    case FrameType::push_promise: return "PUSH_PROMISE";
    case FrameType::ping: return "PING";
    case FrameType::goaway: return "GOAWAY";
    case FrameType::window_update: return "WINDOW_UPDATE";
    case FrameType::continuation: return "CONTINUATION";
  }
  return "UNKNOWN";
}

}  // namespace wraith::h2
