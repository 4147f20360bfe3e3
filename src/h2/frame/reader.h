// Incremental frame reader: bytes in, frames out, without copying payloads that arrive whole.
//
// It enforces the rules that need no stream state: our SETTINGS_MAX_FRAME_SIZE, fixed lengths per type,
// which types may (not) use stream 0, and that a field block (HEADERS/PUSH_PROMISE without END_HEADERS)
// is followed only by CONTINUATION frames on the same stream. Unknown frame types are skipped (RFC 9113 5.5)
// except inside a field block. Padding is stripped by the per-type decoders (data.h, headers.h, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "h2/frame/frame_header.h"
#include "wraith/error.h"

namespace wraith::h2 {

class FrameReader {
 public:
  explicit FrameReader(uint32_t max_frame_size = kDefaultMaxFrameSize);

  // Largest payload we accept: the SETTINGS_MAX_FRAME_SIZE we advertised.
  void set_max_frame_size(uint32_t size) { max_frame_size_ = size; }
  uint32_t max_frame_size() const { return max_frame_size_; }

  // Hands the reader the next bytes from the peer. They are borrowed: keep them alive and call next()
  // until it returns false before feeding again.
  void feed(std::span<const uint8_t> bytes) { input_ = bytes; }

  // true: `out` holds the next frame (payload valid until the next feed()/next() call);
  // false: every fed byte is consumed or buffered (at most one partial frame is kept);
  // error: a connection or stream error (see frame_error.h); after a connection error the reader stays failed.
  Result<bool> next(Frame& out);

  // Bytes of an incomplete frame held across feeds.
  size_t buffered() const { return partial_done_ ? 0 : partial_.size(); }
  bool in_field_block() const { return field_block_stream_ != 0; }
  // How many of the next fed bytes complete the buffered partial frame: 0 at a frame boundary, nullopt while
  // even its 9-byte header is incomplete. Lets a driver cut its input at frame boundaries.
  std::optional<size_t> bytes_to_boundary() const {
    const size_t have = buffered();
    if (have == 0) return 0;
    if (have < kFrameHeaderSize) return std::nullopt;
    return kFrameHeaderSize + decode_frame_header(partial_.data()).length - have;
  }

 private:
  Result<void> check_length(const FrameHeader& h) const;
  Result<void> check_frame(const FrameHeader& h);
  size_t take_into_partial(size_t want);

  std::span<const uint8_t> input_;
  std::vector<uint8_t> partial_;  // a frame that straddles feeds; bounded by max_frame_size_ + 9
  bool partial_done_ = false;     // partial_ was yielded as a frame and is cleared on the next call
  uint32_t max_frame_size_;
  uint32_t field_block_stream_ = 0;  // stream whose field block awaits CONTINUATION
  bool failed_ = false;
};

}  // namespace wraith::h2
