#include "h2/frame/reader.h"

#include <algorithm>
#include <string>

#include "h2/frame/frame_error.h"

namespace wraith::h2 {

FrameReader::FrameReader(uint32_t max_frame_size) : max_frame_size_(max_frame_size) {}

size_t FrameReader::take_into_partial(size_t want) {
  size_t n = std::min(want, input_.size());
  partial_.insert(partial_.end(), input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(n));
  input_ = input_.subspan(n);
  return n;
}

Result<void> FrameReader::check_length(const FrameHeader& h) const {
  if (h.length > max_frame_size_)
    return connection_error(ErrorCode::frame_size_error,
                            "frame of " + std::to_string(h.length) + " bytes exceeds SETTINGS_MAX_FRAME_SIZE");
  return {};
}

Result<void> FrameReader::check_frame(const FrameHeader& h) {
  const bool on_stream0 = h.stream_id == 0;
  if (field_block_stream_ != 0) {
    if (!h.is(FrameType::continuation) || h.stream_id != field_block_stream_)
      return connection_error(ErrorCode::protocol_error, "field block interrupted before END_HEADERS");
  }
  if (!is_known_frame_type(h.type)) return {};
  switch (static_cast<FrameType>(h.type)) {
    case FrameType::data:
      if (on_stream0) return connection_error(ErrorCode::protocol_error, "DATA on stream 0");
      break;
    case FrameType::headers:
    case FrameType::push_promise:
      if (on_stream0) return connection_error(ErrorCode::protocol_error, "field block on stream 0");
      if (!h.has(flags::end_headers)) field_block_stream_ = h.stream_id;
      break;
    case FrameType::continuation:
      if (field_block_stream_ == 0) return connection_error(ErrorCode::protocol_error, "CONTINUATION without HEADERS");
      if (h.has(flags::end_headers)) field_block_stream_ = 0;
      break;
    case FrameType::priority:
      if (on_stream0) return connection_error(ErrorCode::protocol_error, "PRIORITY on stream 0");
      if (h.length != 5) return stream_error(ErrorCode::frame_size_error, h.stream_id, "PRIORITY length is not 5");
      break;
    case FrameType::rst_stream:
      if (on_stream0) return connection_error(ErrorCode::protocol_error, "RST_STREAM on stream 0");
      if (h.length != 4) return connection_error(ErrorCode::frame_size_error, "RST_STREAM length is not 4");
      break;
    case FrameType::settings:
      if (!on_stream0) return connection_error(ErrorCode::protocol_error, "SETTINGS on a stream");
      if (h.has(flags::ack) && h.length != 0)
        return connection_error(ErrorCode::frame_size_error, "SETTINGS ACK with payload");
      if (h.length % 6 != 0) return connection_error(ErrorCode::frame_size_error, "SETTINGS length not a multiple of 6");
      break;
    case FrameType::ping:
      if (!on_stream0) return connection_error(ErrorCode::protocol_error, "PING on a stream");
      if (h.length != 8) return connection_error(ErrorCode::frame_size_error, "PING length is not 8");
      break;
    case FrameType::goaway:
      if (!on_stream0) return connection_error(ErrorCode::protocol_error, "GOAWAY on a stream");
      if (h.length < 8) return connection_error(ErrorCode::frame_size_error, "GOAWAY shorter than 8");
      break;
    case FrameType::window_update:
      if (h.length != 4) return connection_error(ErrorCode::frame_size_error, "WINDOW_UPDATE length is not 4");
      break;
  }
  return {};
}

Result<bool> FrameReader::next(Frame& out) {
  if (failed_) return connection_error(ErrorCode::protocol_error, "frame reader already failed");
  for (;;) {
    if (partial_done_) {
      partial_.clear();
      partial_done_ = false;
    }
    FrameHeader h;
    std::span<const uint8_t> payload;
    if (!partial_.empty()) {
      if (partial_.size() < kFrameHeaderSize) {
        take_into_partial(kFrameHeaderSize - partial_.size());
        if (partial_.size() < kFrameHeaderSize) return false;
      }
      h = decode_frame_header(partial_.data());
      if (auto ok = check_length(h); !ok) {
        failed_ = true;
        return ok.take_error();
      }
      size_t total = kFrameHeaderSize + h.length;
      take_into_partial(total - partial_.size());
      if (partial_.size() < total) return false;
      payload = std::span<const uint8_t>(partial_).subspan(kFrameHeaderSize, h.length);
      partial_done_ = true;
    } else {
      if (input_.empty()) return false;
      if (input_.size() < kFrameHeaderSize) {
        take_into_partial(input_.size());
        return false;
      }
      h = decode_frame_header(input_.data());
      if (auto ok = check_length(h); !ok) {
        failed_ = true;
        return ok.take_error();
      }
      size_t total = kFrameHeaderSize + h.length;
      if (input_.size() < total) {
        partial_.reserve(kFrameHeaderSize + max_frame_size_);
        take_into_partial(input_.size());
        return false;
      }
      payload = input_.subspan(kFrameHeaderSize, h.length);
      input_ = input_.subspan(total);
    }
    if (auto ok = check_frame(h); !ok) {
      if (!is_stream_error(ok.error())) failed_ = true;
      return ok.take_error();
    }
    if (!is_known_frame_type(h.type)) continue;  // extension frame: ignored (RFC 9113 5.5)
    out.header = h;
    out.payload = payload;
    return true;
  }
}

}  // namespace wraith::h2
