#include "tls/cert_compression.h"

#include <vector>

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <openssl/pool.h>
#include <zlib.h>
#include <zstd.h>

namespace wraith::tls {

namespace {

constexpr std::uint16_t kZlib = 1, kBrotli = 2, kZstd = 3;
// A certificate chain larger than this is hostile; refuse before allocating.
constexpr std::size_t kMaxUncompressed = 1 << 20;

// Decompresses into a buffer of exactly the announced size; anything else fails the handshake.
template <class Fn>
int decompress_into(CRYPTO_BUFFER** out, std::size_t uncompressed_len, Fn&& fn) {
  if (uncompressed_len == 0 || uncompressed_len > kMaxUncompressed) return 0;
  std::uint8_t* data = nullptr;
  bssl::UniquePtr<CRYPTO_BUFFER> buffer(CRYPTO_BUFFER_alloc(&data, uncompressed_len));
  if (!buffer || !fn(data, uncompressed_len)) return 0;
  *out = buffer.release();
  return 1;
}

int brotli_decompress(SSL*, CRYPTO_BUFFER** out, std::size_t uncompressed_len, const std::uint8_t* in, std::size_t in_len) {
  return decompress_into(out, uncompressed_len, [&](std::uint8_t* data, std::size_t len) {
    std::size_t produced = len;
    return BrotliDecoderDecompress(in_len, in, &produced, data) == BROTLI_DECODER_RESULT_SUCCESS && produced == len;
  });
}

int zlib_decompress(SSL*, CRYPTO_BUFFER** out, std::size_t uncompressed_len, const std::uint8_t* in, std::size_t in_len) {
  return decompress_into(out, uncompressed_len, [&](std::uint8_t* data, std::size_t len) {
    uLongf produced = len;
    return uncompress(data, &produced, in, in_len) == Z_OK && produced == len;
  });
}

int zstd_decompress(SSL*, CRYPTO_BUFFER** out, std::size_t uncompressed_len, const std::uint8_t* in, std::size_t in_len) {
  return decompress_into(out, uncompressed_len, [&](std::uint8_t* data, std::size_t len) {
    std::size_t produced = ZSTD_decompress(data, len, in, in_len);
    return !ZSTD_isError(produced) && produced == len;
  });
}

int brotli_compress(SSL*, CBB* out, const std::uint8_t* in, std::size_t in_len) {
  std::size_t size = BrotliEncoderMaxCompressedSize(in_len);
  std::uint8_t* data = nullptr;
  if (!CBB_reserve(out, &data, size)) return 0;
  if (!BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in_len, in, &size, data))
    return 0;
  return CBB_did_write(out, size);
}

Error unsupported(std::uint16_t alg) {
  return Error(ErrorKind::config, "unsupported certificate compression algorithm " + std::to_string(alg), "tls");
}

}  // namespace

Result<void> add_cert_decompression(SSL_CTX* ctx, std::uint16_t alg) {
  ssl_cert_decompression_func_t fn = nullptr;
  if (alg == kBrotli) fn = brotli_decompress;
  else if (alg == kZlib) fn = zlib_decompress;
  else if (alg == kZstd) fn = zstd_decompress;
  else return unsupported(alg);
  if (!SSL_CTX_add_cert_compression_alg(ctx, alg, nullptr, fn)) return unsupported(alg);
  return {};
}

Result<void> add_cert_compression(SSL_CTX* ctx, std::uint16_t alg) {
  if (alg != kBrotli) return unsupported(alg);
  if (!SSL_CTX_add_cert_compression_alg(ctx, alg, brotli_compress, brotli_decompress)) return unsupported(alg);
  return {};
}

}  // namespace wraith::tls
