#include "h2/frame/headers.h"

#include <algorithm>

#include "h2/frame/bytes.h"
#include "h2/frame/continuation.h"
#include "h2/frame/frame_error.h"
#include "h2/frame/padding.h"

namespace wraith::h2 {

Result<HeadersFrame> decode_headers(const Frame& frame) {
  bool prio = frame.header.has(flags::priority);
  auto body = strip_padding(frame, prio ? kPriorityFieldsSize : 0);
  if (!body) return body.take_error();
  HeadersFrame h;
  h.stream_id = frame.header.stream_id;
  h.end_stream = frame.header.has(flags::end_stream);
  h.end_headers = frame.header.has(flags::end_headers);
  std::span<const uint8_t> rest = *body;
  if (prio) {
    h.priority = read_priority_fields(rest.data());
    rest = rest.subspan(kPriorityFieldsSize);
    // RFC 9113 5.3.1: a stream cannot depend on itself.
    if (h.priority->depends_on == h.stream_id)
      return stream_error(ErrorCode::protocol_error, h.stream_id, "HEADERS stream depends on itself");
  }
  h.fragment = rest;
  return h;
}

void encode_headers(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> fragment,
                    bool end_stream, bool end_headers, const std::optional<PriorityFields>& priority,
                    std::optional<uint8_t> pad) {
  uint8_t f = (end_stream ? flags::end_stream : 0) | (end_headers ? flags::end_headers : 0) |
              (pad ? flags::padded : 0) | (priority ? flags::priority : 0);
  size_t len = fragment.size() + padding_overhead(pad) + (priority ? kPriorityFieldsSize : 0);
  encode_frame_header(out, static_cast<uint32_t>(len), FrameType::headers, f, stream_id);
  if (pad) out.push_back(*pad);
  if (priority) write_priority_fields(wire::grow(out, kPriorityFieldsSize), *priority);
  wire::append(out, fragment);
  append_padding(out, pad);
}

void encode_header_block(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> block,
                         bool end_stream, const std::optional<PriorityFields>& priority, uint32_t max_frame_size) {
  size_t first_room = max_frame_size - (priority ? kPriorityFieldsSize : 0);
  size_t first = std::min(block.size(), first_room);
  bool done = first == block.size();
  encode_headers(out, stream_id, block.first(first), end_stream, done, priority);
  block = block.subspan(first);
  while (!block.empty()) {
    size_t n = std::min<size_t>(block.size(), max_frame_size);
    encode_continuation(out, stream_id, block.first(n), n == block.size());
    block = block.subspan(n);
  }
}

}  // namespace wraith::h2
