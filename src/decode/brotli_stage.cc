// br through libbrotlidec.
#include <brotli/decode.h>

#include "decode/stage.h"

namespace wraith::decode {
namespace {

class BrotliStage final : public Stage {
 public:
  BrotliStage(const Limits& limits, const std::uint64_t& encoded_in)
      : Stage(limits, encoded_in, "br"), state_(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)) {}
  ~BrotliStage() override {
    if (state_) BrotliDecoderDestroyInstance(state_);
  }

  Result<void> feed(std::span<const std::uint8_t> in, Output& out) override {
    if (in.empty() || done_) return {};  // bytes after the end of the stream are ignored
    if (!state_) return corrupt("cannot create decoder");
    saw_input_ = true;
    const std::uint8_t* next_in = in.data();
    std::size_t avail_in = in.size();
    while (true) {
      std::uint8_t* next_out = scratch_.data();
      std::size_t avail_out = scratch_.size();
      BrotliDecoderResult r = BrotliDecoderDecompressStream(state_, &avail_in, &next_in, &avail_out, &next_out, nullptr);
      if (r == BROTLI_DECODER_RESULT_ERROR)
        return corrupt(BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state_)));
      if (auto e = emit(scratch_.size() - avail_out, out); !e) return e;
      if (r == BROTLI_DECODER_RESULT_SUCCESS) {
        done_ = true;
        return {};
      }
      if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) return {};
      // NEEDS_MORE_OUTPUT: go round with an empty scratch buffer.
    }
  }

  Result<void> finish(Output& out) override {
    if (!saw_input_ || done_) return {};
    return truncated();
  }

 private:
  BrotliDecoderState* state_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<Stage> make_brotli_stage(const Limits& limits, const std::uint64_t& encoded_in) {
  return std::make_unique<BrotliStage>(limits, encoded_in);
}

}  // namespace wraith::decode
