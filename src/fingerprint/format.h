// Small formatting helpers shared by the comparison and the JSON summary (internal).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "fingerprint/client_hello.h"

namespace wraith::fingerprint {

using NameFn = const char* (*)(std::uint16_t);

// "0x001d x25519" (name appended when known), "GREASE" for GREASE values.
std::string code_point(std::uint16_t value, NameFn name = nullptr);
// Values joined by ',' through code_point(); "absent" for nullopt, "(empty)" for an empty list.
std::string code_point_list(const std::optional<std::vector<std::uint16_t>>& values, NameFn name = nullptr);
std::string join(const std::vector<std::string>& parts, const char* separator = ",");
std::string bytes_hex(const std::vector<std::uint8_t>& bytes);  // "(empty)" for no bytes

// Indexes of GREASE cipher suites in wire order.
std::vector<std::size_t> grease_cipher_positions(const ClientHello& hello);
// Where the GREASE extensions sit: "first", "last", "last-before-psk" (just before a final pre_shared_key),
// else the index.
std::vector<std::string> grease_extension_positions(const ClientHello& hello);

}  // namespace wraith::fingerprint
