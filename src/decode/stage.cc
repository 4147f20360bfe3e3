#include "decode/stage.h"

#include <string>

namespace wraith::decode {

Result<void> Stage::emit(std::size_t n, Output& out) {
  if (n == 0) return {};
  produced_ += n;
  if (produced_ > limits_.max_output)
    return Error(ErrorKind::too_large,
                 std::string(name_) + " output exceeds " + std::to_string(limits_.max_output) + " bytes", "decode");
  if (limits_.max_ratio != 0 && produced_ > limits_.ratio_floor) {
    const std::uint64_t in = encoded_in_ == 0 ? 1 : encoded_in_;
    if (produced_ / in > limits_.max_ratio)
      return Error(ErrorKind::too_large,
                   std::string(name_) + " expands more than " + std::to_string(limits_.max_ratio) + ":1", "decode");
  }
  return out.write(std::span<const std::uint8_t>(scratch_.data(), n));
}

Error Stage::corrupt(const std::string& why) const {
  return Error(ErrorKind::decode, std::string(name_) + ": corrupt data: " + why, "decode");
}

Error Stage::truncated() const {
  return Error(ErrorKind::decode, std::string(name_) + ": stream truncated", "decode");
}

}  // namespace wraith::decode
