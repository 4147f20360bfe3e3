#include "fingerprint/summary_json.h"

#include <algorithm>

#include "fingerprint/format.h"
#include "fingerprint/ja3.h"
#include "fingerprint/ja4.h"
#include "fingerprint/names.h"
#include "util/hex.h"

namespace wraith::fingerprint {

namespace {

using nlohmann::json;

json hex_list(const std::optional<std::vector<std::uint16_t>>& values) {
  if (!values) return nullptr;
  json out = json::array();
  for (std::uint16_t v : *values) out.push_back(hex16(v));
  return out;
}

json named_list(const std::optional<std::vector<std::uint16_t>>& values, NameFn name) {
  if (!values) return nullptr;
  json out = json::array();
  for (std::uint16_t v : *values) {
    const char* n = name(v);
    out.push_back(n ? json(n) : json(hex16(v)));
  }
  return out;
}

template <class T>
json optional_value(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json to_json(const ClientHello& h) {
  json j;
  j["legacy_version"] = hex16(h.legacy_version);
  j["random"] = util::to_hex(h.random);
  j["session_id"] = util::to_hex(h.session_id);
  j["session_id_length"] = h.session_id.size();
  j["cipher_suites"] = hex_list(h.cipher_suites);
  j["cipher_suites_named"] = named_list(h.cipher_suites, cipher_suite_name);
  j["compression_methods"] = h.compression_methods;

  json extensions = json::array();
  json sorted_types = json::array();
  std::vector<std::uint16_t> sorted;
  for (const Extension& e : h.extensions) {
    const char* name = extension_name(e.type);
    extensions.push_back({{"type", hex16(e.type)}, {"name", name ? name : "unknown"}, {"length", e.data.size()}});
    if (!is_grease(e.type)) sorted.push_back(e.type);
  }
  std::sort(sorted.begin(), sorted.end());
  for (std::uint16_t t : sorted) sorted_types.push_back(hex16(t));
  j["extensions_present"] = h.extensions_present;
  j["extensions"] = std::move(extensions);
  j["extensions_sorted"] = std::move(sorted_types);
  j["grease"] = {{"cipher_positions", grease_cipher_positions(h)},
                 {"extension_positions", grease_extension_positions(h)}};

  j["server_name"] = optional_value(h.server_name);
  j["supported_groups"] = hex_list(h.supported_groups);
  j["supported_groups_named"] = named_list(h.supported_groups, group_name);
  j["ec_point_formats"] = optional_value(h.ec_point_formats);
  j["signature_algorithms"] = hex_list(h.signature_algorithms);
  j["signature_algorithms_named"] = named_list(h.signature_algorithms, signature_scheme_name);
  j["signature_algorithms_cert"] = hex_list(h.signature_algorithms_cert);
  j["delegated_credentials"] = hex_list(h.delegated_credentials);
  j["alpn"] = optional_value(h.alpn);
  json alps = json::array();
  for (const AlpsEntry& a : h.alps) alps.push_back({{"codepoint", a.codepoint}, {"hex", hex16(a.codepoint)}, {"protocols", a.protocols}});
  j["alps"] = h.alps.empty() ? json(nullptr) : alps;
  j["supported_versions"] = hex_list(h.supported_versions);
  j["psk_key_exchange_modes"] = optional_value(h.psk_key_exchange_modes);
  if (h.key_shares) {
    json shares = json::array();
    for (const KeyShareEntry& k : *h.key_shares) {
      const char* n = group_name(k.group);
      shares.push_back({{"group", hex16(k.group)}, {"name", n ? n : "unknown"}, {"key_length", k.key_length}});
    }
    j["key_share"] = std::move(shares);
  } else {
    j["key_share"] = nullptr;
  }
  j["cert_compression"] = named_list(h.compress_certificate, cert_compression_name);
  if (h.trust_anchor_ids) {
    json ids = json::array();
    for (const auto& id : *h.trust_anchor_ids) ids.push_back(util::to_hex(id));
    j["trust_anchors"] = {{"count", ids.size()}, {"ids", std::move(ids)}};
  } else {
    j["trust_anchors"] = nullptr;
  }
  if (h.ech) {
    const EchInfo& e = *h.ech;
    j["ech"] = e.type == 1 ? json{{"type", "inner"}}
                           : json{{"type", "outer"}, {"kdf_id", e.kdf_id}, {"aead_id", e.aead_id},
                                  {"config_id", e.config_id}, {"enc_length", e.enc_length},
                                  {"payload_length", e.payload_length}};
  } else {
    j["ech"] = nullptr;
  }
  if (h.status_request)
    j["status_request"] = {{"status_type", h.status_request->status_type},
                           {"responder_id_list_length", h.status_request->responder_id_list_length},
                           {"request_extensions_length", h.status_request->request_extensions_length}};
  else
    j["status_request"] = nullptr;
  j["session_ticket"] = h.session_ticket_length ? json{{"length", *h.session_ticket_length}} : json(nullptr);
  if (h.pre_shared_key)
    j["pre_shared_key"] = {{"identity_count", h.pre_shared_key->identity_count},
                           {"binder_count", h.pre_shared_key->binder_count},
                           {"is_last", h.pre_shared_key->is_last}};
  else
    j["pre_shared_key"] = nullptr;
  j["padding_length"] = optional_value(h.padding_length);
  j["record_size_limit"] = optional_value(h.record_size_limit);

  const Ja4 ja4 = compute_ja4(h);
  j["fingerprints"] = {{"ja3", ja3_string(h)},   {"ja3_md5", ja3_md5(h)}, {"ja3n", ja3n_string(h)},
                       {"ja3n_md5", ja3n_md5(h)}, {"ja4", ja4.ja4},       {"ja4_r", ja4.ja4_r},
                       {"ja4_o", ja4.ja4_o},      {"ja4_ro", ja4.ja4_ro}};
  return j;
}

json to_json(const std::vector<FieldComparison>& comparison) {
  json fields = json::array();
  for (const FieldComparison& f : comparison)
    fields.push_back({{"field", f.field}, {"ours", f.ours}, {"reference", f.reference}, {"match", f.match}});
  return {{"all_match", all_match(comparison)}, {"differing", differing_fields(comparison)}, {"fields", std::move(fields)}};
}

}  // namespace wraith::fingerprint
