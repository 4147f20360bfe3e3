// How an encoder represents fields on the wire: per-profile data, so browser specifics stay out of the engine.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wraith::h2::hpack {

// How a field is represented on the wire when it is NOT an exact table match.
enum class Literal { incremental, without_indexing, never_indexed };
enum class HuffmanPolicy { shorter, always, never };

struct EncoderPolicy {
  // An exact (name, value) in the static or dynamic table becomes an indexed field (static table first, then the
  // newest dynamic entry). Fields whose literal kind is never_indexed are never looked up (they are sensitive).
  bool index_exact_matches = true;
  Literal default_literal = Literal::incremental;
  // Literal kind for pseudo-headers (":..."), unless per_name names them.
  Literal pseudo_header_literal = Literal::incremental;
  // Overrides by header name, e.g. {":path", without_indexing}; checked first.
  std::vector<std::pair<std::string, Literal>> per_name;
  HuffmanPolicy huffman = HuffmanPolicy::shorter;
  // Split "cookie" into one field per crumb ("a=1; b=2" -> "a=1", "b=2"), RFC 7540 8.1.2.5: each crumb then
  // indexes separately.
  bool crumble_cookies = false;
  // Upper bound on the dynamic table size we use, whatever the peer allows (quiche's "table size bound").
  // Chromium sets none; ours only shows on the wire for a peer advertising more than this, and keeps a peer
  // announcing 4 GiB from making us retain every header we ever sent.
  uint32_t max_table_size_bound = 1u << 20;

  Literal literal_for(std::string_view name) const;

  // Chromium 156, as captured (tests/fixtures/chromium-156*.json, request.hpack.fields and requests[1..]):
  // :method/:scheme indexed when in the static table, other pseudo-headers literal without indexing except
  // :authority (incremental), regular headers incremental with a name index when available (static first);
  // exact dynamic matches indexed on later requests; Huffman only when strictly shorter; cookies crumbled
  // (Chromium's HPACK encoder does this; no capture has cookies yet).
  static EncoderPolicy chrome();
};

}  // namespace wraith::h2::hpack
