// Mutated and random bodies through every coding: a value or ErrorKind::decode / too_large, never a crash.
#include <gtest/gtest.h>

#include "compressors.h"
#include "decode/decoder.h"

using namespace wraith;
using namespace wraith::decode;
using namespace wraith::decode::test;

TEST(DecodeRobustness, MutatedStreams) {
  const Bytes original = sample_text(20000, 5);
  const std::pair<const char*, Bytes> bodies[] = {
      {"gzip", gzip(original)}, {"deflate", zlib_deflate(original)}, {"deflate", raw_deflate(original)},
      {"br", brotli(original)}, {"zstd", zstd(original)},         {"gzip, br", brotli(gzip(original))}};
  std::uint32_t x = 99;
  for (const auto& [coding, body] : bodies) {
    for (int round = 0; round < 300; ++round) {
      Bytes b = body;
      for (int k = 0; k < 1 + round % 4; ++k) {
        x = x * 1103515245u + 12345u;
        b[(x >> 8) % b.size()] ^= static_cast<std::uint8_t>(1u << ((x >> 4) % 8));
      }
      auto dec = make_decoder(coding);
      ASSERT_TRUE(dec);
      BufferOutput out;
      std::size_t chunk = 1 + (x >> 20) % 3000;
      Result<void> r;
      for (std::size_t i = 0; r && i < b.size(); i += chunk)
        r = (*dec)->feed(std::span<const std::uint8_t>(b.data() + i, std::min(chunk, b.size() - i)), out);
      if (r) r = (*dec)->finish(out);
      if (!r) {
        EXPECT_TRUE(r.error().kind == ErrorKind::decode || r.error().kind == ErrorKind::too_large)
            << r.error().describe();
      }
      EXPECT_LE(out.data.size(), Limits{}.max_output);
    }
  }
}
