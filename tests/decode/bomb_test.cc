// Decompression bombs expanding to 10 GiB must be refused at the 1 GiB default cap, quickly and without the
// process growing: the decoders stream through fixed buffers and check the cap per chunk.
#include <zlib.h>
#include <zstd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <string>

#include "decode/decoder.h"

using namespace wraith;
using namespace wraith::decode;

namespace {

using Bytes = std::vector<std::uint8_t>;
constexpr std::uint64_t kMiB = 1u << 20;
constexpr std::uint64_t kBombSize = 10ull << 30;  // 10 GiB of zeros once decoded

// Peak resident set (VmHWM) in bytes; reset_peak() restarts it from the current RSS where the kernel allows.
std::uint64_t status_kib(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(std::string(key).size())) * 1024;
  return 0;
}
void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }

// A gzip stream of zeros generated piece by piece: a prefix that fills the window with zeros, then one
// sync-flushed piece that decodes to 1 MiB of zeros given a window of zeros, repeated as often as needed.
struct GzipBomb {
  Bytes prefix, piece;
  GzipBomb() {
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY);
    const Bytes zeros(kMiB, 0);
    prefix = flush(zs, zeros);
    piece = flush(zs, zeros);
    deflateEnd(&zs);
  }
  static Bytes flush(z_stream& zs, const Bytes& in) {
    Bytes out(deflateBound(&zs, in.size()) + 64);
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_SYNC_FLUSH);
    out.resize(out.size() - zs.avail_out);
    return out;
  }
};

// One zstd frame of 256 MiB zeros, compressed by streaming so the test never holds the plain data.
Bytes zstd_zero_frame(std::uint64_t size) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  const Bytes zeros(kMiB, 0);
  Bytes frame;
  Bytes buf(ZSTD_CStreamOutSize());
  for (std::uint64_t done = 0; done < size; done += kMiB) {
    ZSTD_inBuffer in{zeros.data(), zeros.size(), 0};
    const ZSTD_EndDirective mode = done + kMiB >= size ? ZSTD_e_end : ZSTD_e_continue;
    std::size_t remaining;
    do {
      ZSTD_outBuffer out{buf.data(), buf.size(), 0};
      remaining = ZSTD_compressStream2(cctx, &out, &in, mode);
      frame.insert(frame.end(), buf.data(), buf.data() + out.pos);
    } while (mode == ZSTD_e_end ? remaining != 0 : in.pos < in.size);
  }
  ZSTD_freeCCtx(cctx);
  return frame;
}

struct BombOutcome {
  Result<void> result;
  std::uint64_t decoded = 0;
  std::uint64_t fed = 0;
  double seconds = 0;
  std::uint64_t peak_growth = 0;
};

// Feeds `next()` pieces until the decoder fails or `total_pieces` were fed; counts what comes out.
BombOutcome run_bomb(std::string_view coding, const Bytes& first, const Bytes& piece, std::uint64_t total_pieces) {
  BombOutcome o;
  auto dec = make_decoder(coding);
  if (!dec) {
    o.result = dec.take_error();
    return o;
  }
  CallbackOutput out([&](std::span<const std::uint8_t> b) {
    o.decoded += b.size();
    return Result<void>();
  });
  reset_peak();
  const std::uint64_t base = status_kib("VmRSS:");
  const auto start = std::chrono::steady_clock::now();
  o.result = (*dec)->feed(first, out);
  for (std::uint64_t i = 0; o.result && i < total_pieces; ++i) {
    o.result = (*dec)->feed(piece, out);
    o.fed += piece.size();
  }
  if (o.result) o.result = (*dec)->finish(out);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::uint64_t peak = status_kib("VmHWM:");
  o.peak_growth = peak > base ? peak - base : 0;
  return o;
}

}  // namespace

TEST(DecompressionBomb, Gzip10GiBRejectedAtDefaultCap) {
  GzipBomb bomb;
  ASSERT_LT(bomb.piece.size(), 16u * 1024);
  const std::uint64_t pieces = kBombSize / kMiB - 1;  // prefix + pieces = 10 GiB
  BombOutcome o = run_bomb("gzip", bomb.prefix, bomb.piece, pieces);
  ASSERT_FALSE(o.result);
  EXPECT_EQ(o.result.error().kind, ErrorKind::too_large) << o.result.error().describe();
  EXPECT_LE(o.decoded, Limits{}.max_output);
  EXPECT_GE(o.decoded, Limits{}.max_output - 64 * 1024);  // stopped at the cap, not before
  EXPECT_LT(o.fed, pieces * bomb.piece.size() / 5);        // refused long before the end of the input
  EXPECT_LT(o.peak_growth, 64 * kMiB) << "peak RSS grew by " << o.peak_growth;
  EXPECT_LT(o.seconds, 60.0);
}

TEST(DecompressionBomb, Zstd10GiBRejectedAtDefaultCap) {
  const std::uint64_t frame_size = 256 * kMiB;
  const Bytes frame = zstd_zero_frame(frame_size);
  ASSERT_LT(frame.size(), 64u * 1024);
  const std::uint64_t frames = kBombSize / frame_size;
  BombOutcome o = run_bomb("zstd", frame, frame, frames - 1);
  ASSERT_FALSE(o.result);
  EXPECT_EQ(o.result.error().kind, ErrorKind::too_large) << o.result.error().describe();
  EXPECT_LE(o.decoded, Limits{}.max_output);
  EXPECT_LT(o.peak_growth, 64 * kMiB) << "peak RSS grew by " << o.peak_growth;
  EXPECT_LT(o.seconds, 60.0);
}

TEST(DecompressionBomb, NestedGzipBombCaughtInInnerStage) {
  // gzip(gzip(zeros)): the outer layer is small, the inner one explodes; the cap applies to every stage.
  GzipBomb bomb;
  Limits limits;
  limits.max_output = 32 * kMiB;
  auto dec = make_decoder("gzip, gzip", limits);
  ASSERT_TRUE(dec);
  // Wrap the bomb stream in a second gzip layer, piece by piece.
  z_stream zs{};
  deflateInit2(&zs, 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY);
  std::uint64_t decoded = 0;
  CallbackOutput out([&](std::span<const std::uint8_t> b) {
    decoded += b.size();
    return Result<void>();
  });
  Result<void> r = (*dec)->feed(GzipBomb::flush(zs, bomb.prefix), out);
  for (int i = 0; r && i < 1024; ++i) r = (*dec)->feed(GzipBomb::flush(zs, bomb.piece), out);
  deflateEnd(&zs);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  EXPECT_LE(decoded, limits.max_output);
}
