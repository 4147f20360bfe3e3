#include "h2/frame/push_promise.h"

#include "h2/frame/bytes.h"
#include "h2/frame/padding.h"

namespace wraith::h2 {

Result<PushPromiseFrame> decode_push_promise(const Frame& frame) {
  auto body = strip_padding(frame, 4);
  if (!body) return body.take_error();
  PushPromiseFrame p;
  p.stream_id = frame.header.stream_id;
  p.promised_stream_id = wire::get31(body->data());
  p.fragment = body->subspan(4);
  p.end_headers = frame.header.has(flags::end_headers);
  return p;
}

void encode_push_promise(std::vector<uint8_t>& out, uint32_t stream_id, uint32_t promised_stream_id,
                         std::span<const uint8_t> fragment, bool end_headers, std::optional<uint8_t> pad) {
  uint8_t f = (end_headers ? flags::end_headers : 0) | (pad ? flags::padded : 0);
  encode_frame_header(out, static_cast<uint32_t>(4 + fragment.size() + padding_overhead(pad)), FrameType::push_promise,
                      f, stream_id);
  if (pad) out.push_back(*pad);
  wire::put32(wire::grow(out, 4), promised_stream_id & kMaxStreamId);
  wire::append(out, fragment);
  append_padding(out, pad);
}

}  // namespace wraith::h2
