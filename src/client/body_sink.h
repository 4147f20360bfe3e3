// Where a response body goes: through the Content-Encoding decoder (when asked), under the size limit,
// into the Response or the caller's streaming callback.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "decode/decoder.h"
#include "wraith/profile.h"

namespace wraith::client {

class BodySink final : public decode::Output {
 public:
  using Callback = std::function<Result<void>(std::span<const std::uint8_t>)>;
  using HeadCallback = std::function<void(int status, const HeaderList& headers)>;
  // `on_head` (may be null or empty) must outlive the sink.
  BodySink(std::uint64_t max_body, bool decompress, Callback on_body, std::string* body,
           const HeadCallback* on_head = nullptr);

  // Tells `on_head` about the final response, then picks the decoder from its headers (ErrorKind::decode for
  // an unknown coding). A body kept in *body is reserved from Content-Length (capped by max_body) once its
  // first bytes arrive.
  // A response that is a redirect about to be followed is neither announced nor delivered (the caller gets
  // the final response's body only, as curl -L writes and a browser shows).
  Result<void> begin(int status, const HeaderList& headers);
  void set_follows_redirects(bool follows) { follows_redirects_ = follows; }
  // Raw (encoded) bytes off the wire.
  Result<void> feed(std::span<const std::uint8_t> bytes);
  Result<void> finish();

  // decode::Output: decoded bytes.
  Result<void> write(std::span<const std::uint8_t> bytes) override;

 private:
  std::uint64_t max_body_;
  bool decompress_;
  Callback on_body_;
  std::string* body_;
  const HeadCallback* on_head_;
  bool follows_redirects_ = false;
  bool discarding_ = false;  // the body of a redirect being followed
  std::uint64_t delivered_ = 0;
  // Bytes to reserve in *body_ when the first ones arrive: the announced Content-Length, capped by max_body.
  std::uint64_t reserve_ = 0;
  std::unique_ptr<decode::Decoder> decoder_;
};

}  // namespace wraith::client
