#include "client/profile_mapping.h"

namespace wraith::client {

namespace {

Result<h2::hpack::Literal> literal(const std::string& name) {
  if (name == "incremental") return h2::hpack::Literal::incremental;
  if (name == "without_indexing") return h2::hpack::Literal::without_indexing;
  if (name == "never_indexed") return h2::hpack::Literal::never_indexed;
  return Error(ErrorKind::config, "profile h2.hpack: unknown literal kind '" + name + "'", "profile");
}

}  // namespace

Result<h2::SessionConfig> h2_session_config(const Profile& profile) {
  h2::SessionConfig config;
  config.settings = profile.h2.settings;
  config.connection_window_update = profile.h2.connection_window_update;
  if (!profile.h2.pseudo_header_order.empty()) config.pseudo_header_order = profile.h2.pseudo_header_order;
  config.headers_priority_flag = profile.h2.headers_priority;
  config.chain_priorities = profile.h2.priority_dependencies == "chain";
  const auto& k = profile.h2.hpack;
  auto& policy = config.hpack;
  policy.index_exact_matches = k.index_exact_matches;
  auto def = literal(k.default_literal);
  if (!def) return def.take_error();
  policy.default_literal = *def;
  auto pseudo = literal(k.pseudo_header_literal);
  if (!pseudo) return pseudo.take_error();
  policy.pseudo_header_literal = *pseudo;
  for (const auto& [name, kind] : k.per_name) {
    auto l = literal(kind);
    if (!l) return l.take_error();
    policy.per_name.emplace_back(name, *l);
  }
  if (k.huffman == "shorter") policy.huffman = h2::hpack::HuffmanPolicy::shorter;
  else if (k.huffman == "always") policy.huffman = h2::hpack::HuffmanPolicy::always;
  else if (k.huffman == "never") policy.huffman = h2::hpack::HuffmanPolicy::never;
  else return Error(ErrorKind::config, "profile h2.hpack.huffman must be shorter|always|never", "profile");
  policy.crumble_cookies = k.crumble_cookies;
  return config;
}

std::map<std::string, std::vector<std::uint8_t>> alps_settings(const Profile& profile) {
  std::vector<std::uint8_t> payload;
  for (auto [id, value] : profile.h2.settings) {
    payload.push_back(static_cast<std::uint8_t>(id >> 8));
    payload.push_back(static_cast<std::uint8_t>(id));
    for (int shift = 24; shift >= 0; shift -= 8) payload.push_back(static_cast<std::uint8_t>(value >> shift));
  }
  return {{"h2", payload}};
}

}  // namespace wraith::client
