#include "client/body_sink.h"

#include <strings.h>

namespace wraith::client {

BodySink::BodySink(std::uint64_t max_body, bool decompress, Callback on_body, std::string* body,
                   const HeadCallback* on_head)
    : max_body_(max_body), decompress_(decompress), on_body_(std::move(on_body)), body_(body), on_head_(on_head) {}

Result<void> BodySink::begin(int status, const HeaderList& headers) {
  if (on_head_ && *on_head_) (*on_head_)(status, headers);
  if (!decompress_) return {};
  std::string coding;
  for (const auto& [name, value] : headers)
    if (strcasecmp(name.c_str(), "content-encoding") == 0) coding += (coding.empty() ? "" : ", ") + value;
  if (coding.empty() || strcasecmp(coding.c_str(), "identity") == 0) return {};
  decode::Limits limits;
  limits.max_output = max_body_;
  auto decoder = decode::make_decoder(coding, limits);
  if (!decoder) return decoder.take_error();
  decoder_ = std::move(*decoder);
  return {};
}

Result<void> BodySink::feed(std::span<const std::uint8_t> bytes) {
  if (decoder_) return decoder_->feed(bytes, *this);
  return write(bytes);
}

Result<void> BodySink::finish() {
  if (decoder_) return decoder_->finish(*this);
  return {};
}

Result<void> BodySink::write(std::span<const std::uint8_t> bytes) {
  delivered_ += bytes.size();
  if (delivered_ > max_body_)
    return Error(ErrorKind::too_large, "response body exceeds the limit of " + std::to_string(max_body_) + " bytes", "client");
  if (on_body_) return on_body_(bytes);
  if (body_) body_->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return {};
}

}  // namespace wraith::client
