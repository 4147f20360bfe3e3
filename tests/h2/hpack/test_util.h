// Helpers shared by the HPACK tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/hex.h"

namespace wraith::h2::hpack::test {

// "8286 84" -> bytes; spaces ignored. Aborts the test binary on malformed hex (test bug, not input).
inline std::vector<uint8_t> hex(std::string_view s) {
  std::string compact;
  for (char c : s)
    if (c != ' ' && c != '\n') compact.push_back(c);
  auto bytes = util::from_hex(compact);
  if (!bytes) std::abort();
  return *bytes;
}

}  // namespace wraith::h2::hpack::test
