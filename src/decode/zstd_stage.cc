// zstd through libzstd (RFC 8878). Concatenated frames decode into concatenated content.
#include <zstd.h>

#include "decode/stage.h"

namespace wraith::decode {
namespace {

// RFC 9659 (zstd Content-Encoding): encoders keep the window at 8 MB, and decoders may refuse larger ones;
// this caps decoder memory whatever the stream asks for.
constexpr int kMaxWindowLog = 23;

class ZstdStage final : public Stage {
 public:
  ZstdStage(const Limits& limits, const std::uint64_t& encoded_in)
      : Stage(limits, encoded_in, "zstd"), dctx_(ZSTD_createDCtx()) {
    if (dctx_) ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, kMaxWindowLog);
  }
  ~ZstdStage() override { ZSTD_freeDCtx(dctx_); }

  Result<void> feed(std::span<const std::uint8_t> in, Output& out) override {
    if (in.empty()) return {};
    if (!dctx_) return corrupt("cannot create decoder");
    saw_input_ = true;
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    while (true) {
      ZSTD_outBuffer output{scratch_.data(), scratch_.size(), 0};
      const std::size_t consumed_before = input.pos;
      std::size_t rc = ZSTD_decompressStream(dctx_, &output, &input);
      if (ZSTD_isError(rc)) return corrupt(ZSTD_getErrorName(rc));
      if (auto e = emit(output.pos, out); !e) return e;
      // 0 means a frame just ended; a later call that only drains output then reports the size of the next
      // frame header it would like, which must not count as an unfinished frame.
      if (rc == 0) {
        frame_complete_ = true;
      } else if (input.pos != consumed_before) {
        frame_complete_ = false;
      }
      if (input.pos == input.size && output.pos < output.size) return {};
    }
  }

  Result<void> finish(Output& out) override {
    if (!saw_input_ || frame_complete_) return {};
    return truncated();
  }

 private:
  ZSTD_DCtx* dctx_;
  bool frame_complete_ = false;
};

}  // namespace

std::unique_ptr<Stage> make_zstd_stage(const Limits& limits, const std::uint64_t& encoded_in) {
  return std::make_unique<ZstdStage>(limits, encoded_in);
}

}  // namespace wraith::decode
