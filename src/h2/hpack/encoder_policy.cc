#include "h2/hpack/encoder_policy.h"

namespace wraith::h2::hpack {

Literal EncoderPolicy::literal_for(std::string_view name) const {
  for (const auto& [n, literal] : per_name) {
    if (n == name) return literal;
  }
  if (!name.empty() && name[0] == ':') return pseudo_header_literal;
  return default_literal;
}

EncoderPolicy EncoderPolicy::chrome() {
  EncoderPolicy p;
  p.index_exact_matches = true;
  p.default_literal = Literal::incremental;
  p.pseudo_header_literal = Literal::without_indexing;
  p.per_name = {{":authority", Literal::incremental}};
  p.huffman = HuffmanPolicy::shorter;
  p.crumble_cookies = true;
  return p;
}

}  // namespace wraith::h2::hpack
