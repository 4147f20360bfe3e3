// Streaming Content-Encoding decoders (gzip, deflate, br, zstd, identity, and chains of them) with
// decompression-bomb limits enforced while streaming, so memory stays bounded whatever the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "wraith/error.h"

namespace wraith::decode {

struct Limits {
  // Decoded bytes allowed out of any one coding step; past it: ErrorKind::too_large.
  std::uint64_t max_output = std::uint64_t{1} << 30;
  // When non-zero, decoded bytes may be at most max_ratio times the encoded bytes fed so far, checked once
  // the output passes ratio_floor (small bodies legitimately compress far better than large ones).
  std::uint64_t max_ratio = 0;
  std::uint64_t ratio_floor = std::uint64_t{1} << 20;
  // Longest Content-Encoding chain accepted ("gzip, br" is 2).
  std::size_t max_codings = 4;
};

// Where decoded bytes go. The span is only valid during the call (it points into the decoder's buffer).
// An error returned here stops decoding and is passed back to the caller of feed()/finish().
class Output {
 public:
  virtual ~Output() = default;
  virtual Result<void> write(std::span<const std::uint8_t> bytes) = 0;
};

// Appends into a caller-visible vector; the caller drains `data` between feeds to keep memory flat.
class BufferOutput final : public Output {
 public:
  std::vector<std::uint8_t> data;
  Result<void> write(std::span<const std::uint8_t> bytes) override {
    data.insert(data.end(), bytes.begin(), bytes.end());
    return {};
  }
};

// Hands every decoded chunk to a callback.
class CallbackOutput final : public Output {
 public:
  using Callback = std::function<Result<void>(std::span<const std::uint8_t>)>;
  explicit CallbackOutput(Callback cb) : cb_(std::move(cb)) {}
  Result<void> write(std::span<const std::uint8_t> bytes) override { return cb_(bytes); }

 private:
  Callback cb_;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Decodes `in` (any split of the body is fine, down to single bytes) and writes what it yields to `out`.
  // ErrorKind::decode for corrupt input, ErrorKind::too_large when a limit is hit. After an error every call
  // returns that error again.
  virtual Result<void> feed(std::span<const std::uint8_t> in, Output& out) = 0;
  // Ends the body: flushes the rest and fails with ErrorKind::decode if a compressed stream was cut short.
  // A body of zero bytes is accepted for every coding (servers label empty 204/304 bodies "gzip").
  virtual Result<void> finish(Output& out) = 0;
  // Encoded bytes fed so far.
  virtual std::uint64_t bytes_in() const = 0;
};

// Builds the decoder for a Content-Encoding header value: a comma-separated list of codings in the order the
// server applied them (decoded in reverse). Accepts gzip (and x-gzip), deflate (zlib-wrapped, or raw deflate
// as browsers tolerate), br, zstd and identity, any case. Unknown codings: ErrorKind::decode.
Result<std::unique_ptr<Decoder>> make_decoder(std::string_view content_encoding, Limits limits = {});

}  // namespace wraith::decode
