#include "compressors.h"

#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include <stdexcept>

namespace wraith::decode::test {
namespace {

Bytes deflate_with(const Bytes& in, int window_bits) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  Bytes out(deflateBound(&zs, in.size()) + 64);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

Bytes gzip(const Bytes& in) { return deflate_with(in, 16 + 15); }
Bytes zlib_deflate(const Bytes& in) { return deflate_with(in, 15); }
Bytes raw_deflate(const Bytes& in) { return deflate_with(in, -15); }

Bytes brotli(const Bytes& in) {
  std::size_t size = BrotliEncoderMaxCompressedSize(in.size());
  Bytes out(size ? size : 64);
  if (!BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in.size(), in.data(), &size, out.data()))
    throw std::runtime_error("brotli");
  out.resize(size);
  return out;
}

Bytes zstd(const Bytes& in) {
  Bytes out(ZSTD_compressBound(in.size()));
  std::size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  if (ZSTD_isError(n)) throw std::runtime_error("zstd");
  out.resize(n);
  return out;
}

Bytes sample_text(std::size_t size, std::uint32_t seed) {
  static const char* kWords[] = {"cookie", "header", "frame", "stream", "window", "chrome", "settings",
                                 "<div class=\"x\">", "</div>\n", "the", "and", "0123456789", "{\"k\":", "}"};
  Bytes out;
  out.reserve(size);
  std::uint32_t x = seed;
  while (out.size() < size) {
    x = x * 1664525u + 1013904223u;
    const char* w = kWords[(x >> 16) % (sizeof kWords / sizeof kWords[0])];
    for (const char* p = w; *p && out.size() < size; ++p) out.push_back(static_cast<std::uint8_t>(*p));
    if (out.size() < size) out.push_back(static_cast<std::uint8_t>((x >> 8) % 7 == 0 ? (x >> 3) & 0xFF : ' '));
  }
  return out;
}

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace wraith::decode::test
