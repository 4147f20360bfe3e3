// The 9-byte frame header (RFC 9113 section 4.1) and the raw frame the reader yields.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "h2/frame/types.h"

namespace wraith::h2 {

struct FrameHeader {
  uint32_t length = 0;     // payload length, 24 bits
  uint8_t type = 0;        // raw, so unknown (extension) types survive decoding
  uint8_t flags = 0;
  uint32_t stream_id = 0;  // reserved bit already dropped

  bool has(uint8_t flag) const { return (flags & flag) != 0; }
  bool is(FrameType t) const { return type == static_cast<uint8_t>(t); }
};

// A frame as read off the wire: the payload is a view into the reader's input (or its straddle buffer),
// valid until the reader is fed or advanced again.
struct Frame {
  FrameHeader header;
  std::span<const uint8_t> payload;
};

void encode_frame_header(std::vector<uint8_t>& out, uint32_t length, FrameType type, uint8_t flags,
                         uint32_t stream_id);
// `p` must point at kFrameHeaderSize readable bytes.
FrameHeader decode_frame_header(const uint8_t* p);

// Walking whole frames from `start` (a frame boundary in `bytes`): the offset where the first frame ending at
// least `at_least` bytes after start ends, or bytes.size() when the frames run out or the last one is cut.
size_t end_of_frames(std::span<const uint8_t> bytes, size_t start, size_t at_least);

}  // namespace wraith::h2
