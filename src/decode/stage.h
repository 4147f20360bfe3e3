// One coding step of a decoder chain. Each stage decodes into its own fixed scratch buffer and hands every
// chunk to emit(), which enforces the limits before anything goes further: a bomb is stopped after at most
// one scratch buffer past the cap.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "decode/decoder.h"

namespace wraith::decode {

inline constexpr std::size_t kScratchSize = 16 * 1024;

class Stage {
 public:
  // `encoded_in` is the chain's count of encoded bytes fed, for the ratio bound.
  Stage(const Limits& limits, const std::uint64_t& encoded_in, const char* name)
      : limits_(limits), encoded_in_(encoded_in), name_(name) {}
  virtual ~Stage() = default;
  virtual Result<void> feed(std::span<const std::uint8_t> in, Output& out) = 0;
  virtual Result<void> finish(Output& out) = 0;

 protected:
  Result<void> emit(std::size_t n, Output& out);  // n bytes from scratch_
  Error corrupt(const std::string& why) const;
  Error truncated() const;

  std::array<std::uint8_t, kScratchSize> scratch_;
  bool saw_input_ = false;

 private:
  const Limits& limits_;
  const std::uint64_t& encoded_in_;
  const char* name_;
  std::uint64_t produced_ = 0;
};

std::unique_ptr<Stage> make_gzip_stage(const Limits& limits, const std::uint64_t& encoded_in);
std::unique_ptr<Stage> make_deflate_stage(const Limits& limits, const std::uint64_t& encoded_in);
std::unique_ptr<Stage> make_brotli_stage(const Limits& limits, const std::uint64_t& encoded_in);
std::unique_ptr<Stage> make_zstd_stage(const Limits& limits, const std::uint64_t& encoded_in);

}  // namespace wraith::decode
