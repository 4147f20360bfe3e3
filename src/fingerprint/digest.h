// Hex digests used by the fingerprint formats (BoringSSL's MD5 and SHA-256).
#pragma once

#include <string>
#include <string_view>

namespace wraith::fingerprint {

std::string md5_hex(std::string_view text);     // 32 lowercase hex digits
std::string sha256_hex(std::string_view text);  // 64 lowercase hex digits

}  // namespace wraith::fingerprint
