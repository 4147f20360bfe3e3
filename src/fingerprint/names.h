// Human-readable names for TLS code points (IANA TLS registries and the drafts Chromium implements), so
// summaries and comparisons read "x25519" rather than 0x001d. Unknown values return nullptr.
#pragma once

#include <cstdint>
#include <string>

namespace wraith::fingerprint {

const char* extension_name(std::uint16_t type);
const char* cipher_suite_name(std::uint16_t suite);
const char* group_name(std::uint16_t group);
const char* signature_scheme_name(std::uint16_t scheme);
const char* cert_compression_name(std::uint16_t algorithm);
const char* psk_mode_name(std::uint8_t mode);
const char* version_name(std::uint16_t version);

// "0x001d" (four lowercase hex digits), or "GREASE" for a GREASE value.
std::string hex16(std::uint16_t value);

}  // namespace wraith::fingerprint
