// For scripted h2 peers in tests: the request a client's HEADERS frame opens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "h2/frame/headers.h"
#include "h2/hpack/decoder.h"

namespace wraith::test_support {

struct PeerRequest {
  std::uint32_t stream_id = 0;
  std::string path;
};

// Decodes a HEADERS frame with the peer's HPACK decoder (it must see every block, in order, to stay in
// sync); nullopt when the frame or its block is malformed.
inline std::optional<PeerRequest> decode_request(const h2::Frame& frame, h2::hpack::Decoder& decoder) {
  auto headers = h2::decode_headers(frame);
  std::vector<h2::hpack::HeaderField> fields;
  if (!headers || !decoder.decode(headers->fragment, fields)) return std::nullopt;
  PeerRequest request{headers->stream_id, {}};
  for (const auto& f : fields)
    if (f.name == ":path") request.path = f.value;
  return request;
}

}  // namespace wraith::test_support
