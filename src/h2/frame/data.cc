#include "h2/frame/data.h"

#include "h2/frame/bytes.h"
#include "h2/frame/padding.h"

namespace wraith::h2 {

Result<DataFrame> decode_data(const Frame& frame) {
  auto body = strip_padding(frame, 0);
  if (!body) return body.take_error();
  DataFrame d;
  d.stream_id = frame.header.stream_id;
  d.data = *body;
  d.end_stream = frame.header.has(flags::end_stream);
  d.flow_controlled_length = frame.header.length;
  return d;
}

void encode_data(std::vector<uint8_t>& out, uint32_t stream_id, std::span<const uint8_t> data, bool end_stream,
                 std::optional<uint8_t> pad) {
  uint8_t f = (end_stream ? flags::end_stream : 0) | (pad ? flags::padded : 0);
  encode_frame_header(out, static_cast<uint32_t>(data.size() + padding_overhead(pad)), FrameType::data, f,
                      stream_id);
  if (pad) out.push_back(*pad);
  wire::append(out, data);
  append_padding(out, pad);
}

}  // namespace wraith::h2
