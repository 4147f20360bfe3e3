// Certificate compression (RFC 8879): we only ever decompress what servers send.
#pragma once

#include <cstdint>

#include <openssl/ssl.h>

#include "wraith/error.h"

namespace wraith::tls {

// Registers a decompressor for alg (2 = brotli; 1 = zlib; 3 = zstd).
Result<void> add_cert_decompression(SSL_CTX* ctx, std::uint16_t alg);
// Registers a compressor too (for test servers and the inspector).
Result<void> add_cert_compression(SSL_CTX* ctx, std::uint16_t alg);

}  // namespace wraith::tls
