#include "client/body_sink.h"

#include <strings.h>

#include "client/redirect.h"
#include "util/ascii.h"

#include <algorithm>
#include <optional>

namespace wraith::client {

BodySink::BodySink(std::uint64_t max_body, bool decompress, Callback on_body, std::string* body,
                   const HeadCallback* on_head)
    : max_body_(max_body), decompress_(decompress), on_body_(std::move(on_body)), body_(body), on_head_(on_head) {}

namespace {

// A Content-Length value of plain digits; nullopt otherwise (the protocol layers validate it; this is a hint).
std::optional<std::uint64_t> parse_length(const std::string& v) {
  if (v.empty() || v.size() > 18) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

Result<void> BodySink::begin(int status, const HeaderList& headers) {
  // One pass over the head for the three fields that matter here (names told apart by length first).
  bool has_location = false;
  std::optional<std::uint64_t> length;  // the last valid one, as before
  std::string coding;
  for (const auto& [name, value] : headers) {
    switch (name.size()) {
      case 8:
        has_location = has_location || util::iequals(name, "location");
        break;
      case 14:
        if (util::iequals(name, "content-length"))
          if (auto n = parse_length(value)) length = n;
        break;
      case 16:
        if (util::iequals(name, "content-encoding")) coding += (coding.empty() ? "" : ", ") + value;
        break;
      default:
        break;
    }
  }
  discarding_ = follows_redirects_ && is_redirect_status(status) && has_location;
  if (discarding_) return {};
  if (on_head_ && *on_head_) (*on_head_)(status, headers);
  reserve_ = body_ && !on_body_ && length ? std::min(*length, max_body_) : 0;
  if (!decompress_) return {};
  if (coding.empty() || strcasecmp(coding.c_str(), "identity") == 0) return {};
  decode::Limits limits;
  limits.max_output = max_body_;
  auto decoder = decode::make_decoder(coding, limits);
  if (!decoder) return decoder.take_error();
  decoder_ = std::move(*decoder);
  reserve_ = 0;  // the decoded size is not the announced one
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
  if (discarding_) return {};  // (still bounded above: a redirect cannot stream forever)
  if (on_body_) return on_body_(bytes);
  if (body_) {
    if (reserve_ != 0) {  // on the first bytes, so HEAD, 204 and 304 responses reserve nothing
      body_->reserve(body_->size() + static_cast<std::size_t>(reserve_));
      reserve_ = 0;
    }
    body_->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  return {};
}

}  // namespace wraith::client
