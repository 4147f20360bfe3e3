#include "h2/frame/padding.h"

#include "h2/frame/bytes.h"
#include "h2/frame/frame_error.h"

namespace wraith::h2 {

Result<std::span<const uint8_t>> strip_padding(const Frame& frame, size_t fixed_fields) {
  std::span<const uint8_t> p = frame.payload;
  if (!frame.header.has(flags::padded)) {
    if (p.size() < fixed_fields) return connection_error(ErrorCode::frame_size_error, "frame too short");
    return p;
  }
  if (p.empty()) return connection_error(ErrorCode::frame_size_error, "padded frame without Pad Length");
  size_t pad = p[0];
  p = p.subspan(1);
  // RFC 9113 6.1: padding that is not shorter than the rest of the payload is a PROTOCOL_ERROR.
  if (p.size() < fixed_fields || pad > p.size() - fixed_fields)
    return connection_error(ErrorCode::protocol_error, "padding exceeds payload");
  return p.first(p.size() - pad);
}

void append_padding(std::vector<uint8_t>& out, std::optional<uint8_t> pad) {
  if (pad && *pad) wire::grow(out, *pad);  // zero-filled, as RFC 9113 6.1 asks
}

}  // namespace wraith::h2
