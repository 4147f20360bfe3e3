// wraith's profile file format (JSON). Codepoints are hex strings ("11ec") so files read like captures.
#include <nlohmann/json.hpp>

#include "profile/client_hints.h"
#include "util/hex.h"
#include "wraith/profile.h"

namespace wraith {

namespace {

using json = nlohmann::json;

struct FieldError {
  std::string message;
};

std::uint16_t parse_u16(const json& value, const char* field) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() <= 0xffff) return value.get<std::uint16_t>();
  if (value.is_string()) {
    auto bytes = util::from_hex(value.get<std::string>());
    if (bytes && bytes->size() == 2) return static_cast<std::uint16_t>((*bytes)[0] << 8 | (*bytes)[1]);
  }
  throw FieldError{std::string(field) + ": expected a 16-bit hex string like \"11ec\""};
}

std::vector<std::uint16_t> parse_u16_list(const json& obj, const char* field) {
  std::vector<std::uint16_t> out;
  if (!obj.contains(field)) return out;
  for (const auto& v : obj.at(field)) out.push_back(parse_u16(v, field));
  return out;
}

template <class T>
void read(const json& obj, const char* field, T& out) {
  if (obj.contains(field)) out = obj.at(field).get<T>();
}

// Values a profile derives from its client_hints section, so UA and hints cannot disagree.
using Derived = std::map<std::string, std::string>;

Derived derive_client_hints(const json& doc) {
  Derived d;
  if (!doc.contains("client_hints")) return d;
  const auto& ch = doc["client_hints"];
  int major = ch.at("major_version").get<int>();
  d["{sec-ch-ua}"] = profile::sec_ch_ua(major, ch.at("brands").get<std::vector<std::string>>());
  d["{sec-ch-ua-mobile}"] = ch.value("mobile", false) ? "?1" : "?0";
  d["{sec-ch-ua-platform}"] = "\"" + ch.at("platform").get<std::string>() + "\"";
  d["{user-agent}"] = ch.at("user_agent").get<std::string>();
  return d;
}

HeaderList parse_headers(const json& list, const Derived& derived) {
  HeaderList out;
  for (const auto& pair : list) {
    if (!pair.is_array() || pair.size() != 2) throw FieldError{"headers: each entry is [name, value]"};
    std::string value = pair[1].get<std::string>();
    if (auto it = derived.find(value); it != derived.end()) value = it->second;
    out.emplace_back(pair[0].get<std::string>(), std::move(value));
  }
  return out;
}

std::string hex16(std::uint16_t v) {
  std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return util::to_hex(b);
}

json u16_list(const std::vector<std::uint16_t>& values) {
  json out = json::array();
  for (auto v : values) out.push_back(hex16(v));
  return out;
}

TlsProfile parse_tls(const json& t) {
  TlsProfile p;
  p.cipher_suites = parse_u16_list(t, "cipher_suites");
  if (t.contains("min_version")) p.min_version = parse_u16(t["min_version"], "min_version");
  if (t.contains("max_version")) p.max_version = parse_u16(t["max_version"], "max_version");
  p.groups = parse_u16_list(t, "groups");
  p.key_share_groups = parse_u16_list(t, "key_share_groups");
  p.signature_algorithms = parse_u16_list(t, "signature_algorithms");
  read(t, "grease", p.grease);
  read(t, "grease_signature_algorithm", p.grease_signature_algorithm);
  read(t, "permute_extensions", p.permute_extensions);
  read(t, "alpn", p.alpn);
  read(t, "alps_protocols", p.alps_protocols);
  read(t, "alps_new_codepoint", p.alps_new_codepoint);
  read(t, "cert_compression", p.cert_compression);
  read(t, "ech_grease", p.ech_grease);
  read(t, "ocsp_stapling", p.ocsp_stapling);
  read(t, "signed_cert_timestamps", p.signed_cert_timestamps);
  read(t, "trust_anchors", p.trust_anchors);
  read(t, "trust_anchor_ids", p.trust_anchor_ids);
  read(t, "session_tickets", p.session_tickets);
  for (auto g : p.key_share_groups)
    if (std::find(p.groups.begin(), p.groups.end(), g) == p.groups.end())
      throw FieldError{"tls.key_share_groups: " + hex16(g) + " is not in tls.groups"};
  return p;
}

H2Profile parse_h2(const json& h) {
  H2Profile p;
  if (h.contains("settings"))
    for (const auto& s : h["settings"]) p.settings.emplace_back(s.at(0).get<std::uint16_t>(), s.at(1).get<std::uint32_t>());
  read(h, "connection_window_update", p.connection_window_update);
  read(h, "pseudo_header_order", p.pseudo_header_order);
  read(h, "headers_priority", p.headers_priority);
  read(h, "priority_dependencies", p.priority_dependencies);
  if (p.priority_dependencies != "chain" && p.priority_dependencies != "fixed")
    throw FieldError{"h2.priority_dependencies: \"" + p.priority_dependencies + "\" is neither \"chain\" nor \"fixed\""};
  if (h.contains("hpack")) {
    const auto& k = h["hpack"];
    read(k, "index_exact_matches", p.hpack.index_exact_matches);
    read(k, "default_literal", p.hpack.default_literal);
    read(k, "pseudo_header_literal", p.hpack.pseudo_header_literal);
    read(k, "crumble_cookies", p.hpack.crumble_cookies);
    read(k, "huffman", p.hpack.huffman);
    if (k.contains("per_name"))
      for (const auto& r : k["per_name"]) p.hpack.per_name.emplace_back(r.at(0).get<std::string>(), r.at(1).get<std::string>());
  }
  return p;
}

}  // namespace

Result<Profile> parse_profile_json(const std::string& text, const std::string& origin) {
  try {
    json doc = json::parse(text);
    Profile p;
    p.name = doc.at("name").get<std::string>();
    if (doc.contains("tls")) p.tls = parse_tls(doc["tls"]);
    if (doc.contains("h2")) p.h2 = parse_h2(doc["h2"]);
    const Derived derived = derive_client_hints(doc);
    if (doc.contains("kinds"))
      for (const auto& [kind, k] : doc["kinds"].items()) {
        KindTemplate r;
        if (k.contains("h2_headers")) r.h2_headers = parse_headers(k["h2_headers"], derived);
        if (k.contains("h1_headers")) r.h1_headers = parse_headers(k["h1_headers"], derived);
        read(k, "weight", r.weight);
        read(k, "exclusive", r.exclusive);
        read(k, "depends_on", r.depends_on);
        if (r.weight < 1 || r.weight > 256) throw FieldError{"kinds." + kind + ".weight must be 1..256"};
        p.kinds[kind] = std::move(r);
      }
    return p;
  } catch (const FieldError& e) {
    return Error(ErrorKind::config, origin + ": " + e.message, "profile");
  } catch (const std::exception& e) {
    return Error(ErrorKind::config, origin + ": " + e.what(), "profile");
  }
}

std::string profile_to_json(const Profile& p) {
  json doc;
  doc["name"] = p.name;
  const auto& t = p.tls;
  doc["tls"] = {{"cipher_suites", u16_list(t.cipher_suites)}, {"min_version", hex16(t.min_version)},
                {"max_version", hex16(t.max_version)}, {"groups", u16_list(t.groups)},
                {"key_share_groups", u16_list(t.key_share_groups)},
                {"signature_algorithms", u16_list(t.signature_algorithms)}, {"grease", t.grease},
                {"grease_signature_algorithm", t.grease_signature_algorithm},
                {"permute_extensions", t.permute_extensions}, {"alpn", t.alpn}, {"alps_protocols", t.alps_protocols},
                {"alps_new_codepoint", t.alps_new_codepoint}, {"cert_compression", t.cert_compression},
                {"ech_grease", t.ech_grease}, {"ocsp_stapling", t.ocsp_stapling},
                {"signed_cert_timestamps", t.signed_cert_timestamps}, {"trust_anchors", t.trust_anchors},
                {"trust_anchor_ids", t.trust_anchor_ids}, {"session_tickets", t.session_tickets}};
  json settings = json::array();
  for (auto [id, v] : p.h2.settings) settings.push_back({id, v});
  json per_name = json::array();
  for (const auto& [n, r] : p.h2.hpack.per_name) per_name.push_back({n, r});
  doc["h2"] = {{"settings", settings}, {"connection_window_update", p.h2.connection_window_update},
               {"pseudo_header_order", p.h2.pseudo_header_order}, {"headers_priority", p.h2.headers_priority},
               {"priority_dependencies", p.h2.priority_dependencies},
               {"hpack", {{"index_exact_matches", p.h2.hpack.index_exact_matches},
                          {"default_literal", p.h2.hpack.default_literal},
                          {"pseudo_header_literal", p.h2.hpack.pseudo_header_literal},
                          {"crumble_cookies", p.h2.hpack.crumble_cookies}, {"per_name", per_name},
                          {"huffman", p.h2.hpack.huffman}}}};
  json kinds = json::object();
  for (const auto& [name, k] : p.kinds) {
    auto headers = [](const HeaderList& list) {
      json out = json::array();
      for (const auto& [n, v] : list) out.push_back({n, v});
      return out;
    };
    kinds[name] = {{"weight", k.weight}, {"exclusive", k.exclusive}, {"depends_on", k.depends_on},
                   {"h2_headers", headers(k.h2_headers)}, {"h1_headers", headers(k.h1_headers)}};
  }
  doc["kinds"] = kinds;
  return doc.dump(1);
}

}  // namespace wraith
