// Hex helpers shared by tests, fingerprints and the inspector.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wraith::util {

std::string to_hex(std::span<const std::uint8_t> bytes);
// Returns nullopt on odd length or a non-hex digit.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

}  // namespace wraith::util
