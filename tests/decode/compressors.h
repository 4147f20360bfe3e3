// Test-side encoders (zlib, brotlienc, zstd) producing the bodies the decoders must undo.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wraith::decode::test {

using Bytes = std::vector<std::uint8_t>;

Bytes gzip(const Bytes& in);
Bytes zlib_deflate(const Bytes& in);  // RFC 1950 wrapped, what "deflate" means
Bytes raw_deflate(const Bytes& in);   // RFC 1951 only, what some servers send as "deflate"
Bytes brotli(const Bytes& in);
Bytes zstd(const Bytes& in);

// Compressible text-like data: words from a small vocabulary chosen by a fixed LCG.
Bytes sample_text(std::size_t size, std::uint32_t seed = 1);
Bytes to_bytes(const std::string& s);

}  // namespace wraith::decode::test
