#include "fingerprint/compare.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>

#include "fingerprint/format.h"
#include "fingerprint/ja3.h"
#include "fingerprint/ja4.h"
#include "fingerprint/names.h"
#include "util/hex.h"

namespace wraith::fingerprint {

namespace {

// What one hello shows for a field: the text a human reads, and the key the match is decided on (the text
// unless the field deliberately ignores part of what it shows).
struct Value {
  std::string text;
  std::string key;
};
Value same(std::string text) { return Value{text, text}; }

using Extract = std::function<Value(const ClientHello&)>;

// README "What varies": Chromium pads the ECH GREASE payload to one of these lengths at random.
bool is_chromium_ech_payload_length(std::size_t n) { return n == 144 || n == 176 || n == 208 || n == 240; }

std::string u8_list(const std::optional<std::vector<std::uint8_t>>& values, const char* (*name)(std::uint8_t) = nullptr) {
  if (!values) return "absent";
  if (values->empty()) return "(empty)";
  std::vector<std::string> parts;
  for (std::uint8_t v : *values) {
    std::string part = std::to_string(v);
    if (name)
      if (const char* n = name(v)) part += std::string(" ") + n;
    parts.push_back(part);
  }
  return join(parts);
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

Value extension_set(const ClientHello& h) {
  std::set<std::uint16_t> types;
  bool grease = false;
  for (const Extension& e : h.extensions) {
    if (is_grease(e.type)) grease = true;
    else types.insert(e.type);
  }
  std::vector<std::string> parts;
  if (grease) parts.push_back("GREASE");
  for (std::uint16_t t : types) parts.push_back(hex16(t));
  return same(join(parts));
}

Value extension_count(const ClientHello& h) {
  std::size_t grease = 0;
  for (const Extension& e : h.extensions) grease += is_grease(e.type);
  return same(std::to_string(h.extensions.size()) + " (" + std::to_string(grease) + " GREASE)");
}

Value grease_cipher_positions_value(const ClientHello& h) {
  std::vector<std::string> parts;
  for (std::size_t i : grease_cipher_positions(h)) parts.push_back(std::to_string(i));
  return same(parts.empty() ? "none" : join(parts));
}

Value grease_extension_positions_value(const ClientHello& h) {
  std::vector<std::string> parts = grease_extension_positions(h);
  return same(parts.empty() ? "none" : join(parts));
}

Value grease_extension_bodies(const ClientHello& h) {
  std::vector<std::string> parts;
  for (const Extension& e : h.extensions)
    if (is_grease(e.type)) parts.push_back(bytes_hex(e.data));
  return same(parts.empty() ? "none" : join(parts));
}

Value server_name(const ClientHello& h) {
  if (!h.server_name) return same("absent");
  return Value{"present (" + *h.server_name + ")", "present"};
}

Value key_shares(const ClientHello& h) {
  if (!h.key_shares) return same("absent");
  std::vector<std::string> parts;
  for (const KeyShareEntry& k : *h.key_shares)
    parts.push_back(code_point(k.group, group_name) + " / " + plural(k.key_length, "byte"));
  return same(parts.empty() ? "(empty)" : join(parts));
}

Value alpn(const ClientHello& h) {
  if (!h.alpn) return same("absent");
  return same(h.alpn->empty() ? "(empty)" : join(*h.alpn));
}

Value alps(const ClientHello& h) {
  if (h.alps.empty()) return same("absent");
  std::vector<std::string> parts;
  for (const AlpsEntry& a : h.alps) parts.push_back(hex16(a.codepoint) + ":" + join(a.protocols, "+"));
  return same(join(parts));
}

Value trust_anchors(const ClientHello& h) {
  if (!h.trust_anchor_ids) return same("absent");
  std::vector<std::string> ids;
  for (const auto& id : *h.trust_anchor_ids) ids.push_back(util::to_hex(id));
  return same(plural(ids.size(), "id") + ": " + join(ids));
}

Value ech(const ClientHello& h) {
  if (!h.ech) return same("absent");
  const EchInfo& e = *h.ech;
  if (e.type == 1) return same("inner");
  char shape[160];
  std::snprintf(shape, sizeof shape, "outer kdf=0x%04x aead=0x%04x enc=%zu bytes", e.kdf_id, e.aead_id, e.enc_length);
  std::string text = std::string(shape) + " payload=" + std::to_string(e.payload_length) + " bytes";
  std::string key = shape;
  if (is_chromium_ech_payload_length(e.payload_length)) {
    text += " (one of 144/176/208/240)";
    key += " payload in {144,176,208,240}";
  } else {
    key += " payload=" + std::to_string(e.payload_length);
  }
  return Value{text, key};
}

Value status_request(const ClientHello& h) {
  if (!h.status_request) return same("absent");
  const StatusRequestInfo& s = *h.status_request;
  std::string text = s.status_type == 1 ? "ocsp, responder_id_list " + std::to_string(s.responder_id_list_length) +
                                              " bytes, request_extensions " +
                                              std::to_string(s.request_extensions_length) + " bytes"
                                        : "status_type " + std::to_string(s.status_type);
  return same(text + " [" + bytes_hex(h.find_extension(ext::status_request)->data) + "]");
}

Value padding(const ClientHello& h) {
  if (!h.padding_length) return same("absent");
  // Padding grows or shrinks with the rest of the hello (SNI length, ECH payload), so only presence counts.
  return Value{"present, " + std::to_string(*h.padding_length) + " bytes", "present"};
}

Value session_ticket(const ClientHello& h) {
  if (!h.session_ticket_length) return same("absent");
  if (*h.session_ticket_length == 0) return same("present, empty");
  return Value{"present, " + std::to_string(*h.session_ticket_length) + "-byte ticket", "present, with ticket"};
}

Value pre_shared_key(const ClientHello& h) {
  if (!h.pre_shared_key) return same("absent");
  const PreSharedKeyInfo& p = *h.pre_shared_key;
  return same("present, " + plural(p.identity_count, "identity") + ", " + plural(p.binder_count, "binder") + ", " +
              (p.is_last ? "last extension" : "NOT last"));
}

Value record_size_limit(const ClientHello& h) {
  return same(h.record_size_limit ? std::to_string(*h.record_size_limit) : "absent");
}

// Extensions with a dedicated field above (or whose bodies are random per connection: server_name,
// key_share, pre_shared_key, ECH); every other type is compared byte for byte.
bool has_dedicated_field(std::uint16_t type) {
  switch (type) {
    case ext::server_name: case ext::status_request: case ext::supported_groups: case ext::ec_point_formats:
    case ext::signature_algorithms: case ext::alpn: case ext::padding: case ext::compress_certificate:
    case ext::record_size_limit: case ext::delegated_credentials: case ext::session_ticket:
    case ext::pre_shared_key: case ext::supported_versions: case ext::psk_key_exchange_modes:
    case ext::signature_algorithms_cert: case ext::key_share: case ext::alps_old: case ext::alps_new:
    case ext::trust_anchors: case ext::encrypted_client_hello:
      return true;
    default:
      return false;
  }
}

Value raw_body(const ClientHello& h, std::uint16_t type) {
  const Extension* e = h.find_extension(type);
  return same(e ? bytes_hex(e->data) : std::string("absent"));
}

FieldComparison compare_one(const std::string& field, const Extract& extract, const ClientHello& ours,
                            const ClientHello& reference) {
  Value a = extract(ours), b = extract(reference);
  return FieldComparison{field, std::move(a.text), std::move(b.text), a.key == b.key};
}

}  // namespace

std::vector<FieldComparison> compare_client_hellos(const ClientHello& ours, const ClientHello& reference) {
  const std::vector<std::pair<std::string, Extract>> fields = {
      {"ja4", [](const ClientHello& h) { return same(compute_ja4(h).ja4); }},
      {"ja3n", [](const ClientHello& h) { return same(ja3n_string(h)); }},
      {"legacy_version", [](const ClientHello& h) { return same(code_point(h.legacy_version, version_name)); }},
      {"session_id length", [](const ClientHello& h) { return same(std::to_string(h.session_id.size())); }},
      {"compression_methods", [](const ClientHello& h) { return same(u8_list(h.compression_methods)); }},
      {"cipher_suites", [](const ClientHello& h) { return same(code_point_list(h.cipher_suites)); }},
      {"extension set", extension_set},
      {"extension count", extension_count},
      {"GREASE cipher positions", grease_cipher_positions_value},
      {"GREASE extension positions", grease_extension_positions_value},
      {"GREASE extension bodies", grease_extension_bodies},
      {"server_name", server_name},
      {"supported_groups", [](const ClientHello& h) { return same(code_point_list(h.supported_groups, group_name)); }},
      {"key_share", key_shares},
      {"signature_algorithms",
       [](const ClientHello& h) { return same(code_point_list(h.signature_algorithms, signature_scheme_name)); }},
      {"signature_algorithms_cert",
       [](const ClientHello& h) { return same(code_point_list(h.signature_algorithms_cert, signature_scheme_name)); }},
      {"alpn", alpn},
      {"alps", alps},
      {"compress_certificate",
       [](const ClientHello& h) { return same(code_point_list(h.compress_certificate, cert_compression_name)); }},
      {"trust_anchors", trust_anchors},
      {"ech", ech},
      {"status_request", status_request},
      {"supported_versions", [](const ClientHello& h) { return same(code_point_list(h.supported_versions, version_name)); }},
      {"psk_key_exchange_modes", [](const ClientHello& h) { return same(u8_list(h.psk_key_exchange_modes, psk_mode_name)); }},
      {"ec_point_formats", [](const ClientHello& h) { return same(u8_list(h.ec_point_formats)); }},
      {"padding", padding},
      {"session_ticket", session_ticket},
      {"pre_shared_key", pre_shared_key},
      {"record_size_limit", record_size_limit},
      {"delegated_credentials",
       [](const ClientHello& h) { return same(code_point_list(h.delegated_credentials, signature_scheme_name)); }},
  };
  std::vector<FieldComparison> out;
  out.reserve(fields.size() + 8);
  for (const auto& [name, extract] : fields) out.push_back(compare_one(name, extract, ours, reference));

  std::set<std::uint16_t> other_types;
  for (const ClientHello* h : {&ours, &reference})
    for (const Extension& e : h->extensions)
      if (!is_grease(e.type) && !has_dedicated_field(e.type)) other_types.insert(e.type);
  for (std::uint16_t type : other_types) {
    char field[48];
    std::snprintf(field, sizeof field, "ext 0x%04x body", type);
    out.push_back(compare_one(field, [type](const ClientHello& h) { return raw_body(h, type); }, ours, reference));
  }
  return out;
}

bool all_match(const std::vector<FieldComparison>& fields) {
  return std::all_of(fields.begin(), fields.end(), [](const FieldComparison& f) { return f.match; });
}

std::vector<std::string> differing_fields(const std::vector<FieldComparison>& fields) {
  std::vector<std::string> out;
  for (const FieldComparison& f : fields)
    if (!f.match) out.push_back(f.field);
  return out;
}

std::string describe(const FieldComparison& field) {
  return field.field + ": " + field.ours + " | " + field.reference + " | " + (field.match ? "match" : "DIFFERS");
}

std::string describe(const std::vector<FieldComparison>& fields, bool only_differences) {
  std::string out;
  for (const FieldComparison& f : fields)
    if (!only_differences || !f.match) out += describe(f) + "\n";
  return out;
}

}  // namespace wraith::fingerprint
