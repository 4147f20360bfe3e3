// gzip and deflate through zlib's inflate.
#include <zlib.h>

#include "decode/stage.h"

namespace wraith::decode {
namespace {

// The first two bytes form a valid zlib header (RFC 1950 2.2): method 8, window <= 32K, FCHECK, no preset
// dictionary (HTTP has no way to supply one).
bool looks_like_zlib(std::uint8_t cmf, std::uint8_t flg) {
  return (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0 && (flg & 0x20) == 0;
}

class ZlibStage final : public Stage {
 public:
  enum class Format { gzip, deflate };

  ZlibStage(const Limits& limits, const std::uint64_t& encoded_in, Format format)
      : Stage(limits, encoded_in, format == Format::gzip ? "gzip" : "deflate"), format_(format) {}
  ~ZlibStage() override {
    if (initialized_) inflateEnd(&zs_);
  }

  Result<void> feed(std::span<const std::uint8_t> in, Output& out) override {
    if (in.empty()) return {};
    saw_input_ = true;
    if (!initialized_) {
      if (format_ == Format::gzip) {
        if (auto r = init(16 + MAX_WBITS); !r) return r;
      } else {
        // "deflate" is meant to be zlib-wrapped, but servers also send raw deflate; like browsers, sniff the
        // header and fall back. Two bytes are needed to decide.
        while (head_len_ < 2 && !in.empty()) {
          head_[head_len_++] = in.front();
          in = in.subspan(1);
        }
        if (head_len_ < 2) return {};
        if (auto r = init(looks_like_zlib(head_[0], head_[1]) ? MAX_WBITS : -MAX_WBITS); !r) return r;
        if (auto r = inflate_some(std::span<const std::uint8_t>(head_.data(), 2), out); !r) return r;
      }
    }
    return inflate_some(in, out);
  }

  Result<void> finish(Output& out) override {
    if (!saw_input_ || done_) return {};
    return truncated();
  }

 private:
  Result<void> init(int window_bits) {
    zs_ = z_stream{};
    if (inflateInit2(&zs_, window_bits) != Z_OK) return corrupt("inflateInit2 failed");
    initialized_ = true;
    return {};
  }

  Result<void> inflate_some(std::span<const std::uint8_t> in, Output& out) {
    if (done_) return {};  // bytes after the end of the stream are ignored, as Chrome does
    zs_.next_in = const_cast<Bytef*>(in.data());
    zs_.avail_in = static_cast<uInt>(in.size());
    do {
      zs_.next_out = scratch_.data();
      zs_.avail_out = static_cast<uInt>(scratch_.size());
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        return corrupt(zs_.msg ? zs_.msg : (rc == Z_NEED_DICT ? "preset dictionary" : "inflate failed"));
      if (auto r = emit(scratch_.size() - zs_.avail_out, out); !r) return r;
      if (rc == Z_STREAM_END) {
        done_ = true;
        break;
      }
      if (rc == Z_BUF_ERROR) break;  // no progress possible: needs more input
    } while (zs_.avail_in > 0 || zs_.avail_out == 0);
    return {};
  }

  Format format_;
  z_stream zs_{};
  bool initialized_ = false;
  bool done_ = false;
  std::array<std::uint8_t, 2> head_{};
  std::size_t head_len_ = 0;
};

}  // namespace

std::unique_ptr<Stage> make_gzip_stage(const Limits& limits, const std::uint64_t& encoded_in) {
  return std::make_unique<ZlibStage>(limits, encoded_in, ZlibStage::Format::gzip);
}

std::unique_ptr<Stage> make_deflate_stage(const Limits& limits, const std::uint64_t& encoded_in) {
  return std::make_unique<ZlibStage>(limits, encoded_in, ZlibStage::Format::deflate);
}

}  // namespace wraith::decode
