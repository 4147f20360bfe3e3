#include "fingerprint/extension_decode.h"

#include <cstdio>

#include "fingerprint/reader.h"

namespace wraith::fingerprint {

namespace {

Error bad_extension(std::uint16_t type, const char* what) {
  char msg[128];
  std::snprintf(msg, sizeof msg, "client hello: extension 0x%04x: %s", type, what);
  return Error(ErrorKind::protocol, msg, "fingerprint");
}

// A list of uint16 values filling `data` exactly.
bool read_u16_list(std::span<const std::uint8_t> data, std::vector<std::uint16_t>& out) {
  if (data.size() % 2 != 0) return false;
  Reader r(data);
  for (std::uint16_t v; r.u16(v);) out.push_back(v);
  return true;
}

// `list` is a vector<len_bytes> that must fill the whole body.
bool whole_vec16(std::span<const std::uint8_t> body, std::span<const std::uint8_t>& list) {
  Reader r(body);
  return r.vec16(list) && r.empty();
}
bool whole_vec8(std::span<const std::uint8_t> body, std::span<const std::uint8_t>& list) {
  Reader r(body);
  return r.vec8(list) && r.empty();
}

// ProtocolNameList (RFC 7301 section 3.1), shared by ALPN and ALPS: names are 1..255 bytes.
bool read_protocol_list(std::span<const std::uint8_t> body, std::vector<std::string>& out) {
  std::span<const std::uint8_t> list;
  if (!whole_vec16(body, list)) return false;
  Reader r(list);
  while (!r.empty()) {
    std::span<const std::uint8_t> name;
    if (!r.vec8(name) || name.empty()) return false;
    out.emplace_back(name.begin(), name.end());
  }
  return true;
}

bool decode_server_name(std::span<const std::uint8_t> body, std::string& out) {
  std::span<const std::uint8_t> list;
  if (!whole_vec16(body, list)) return false;
  Reader r(list);
  bool found = false;
  while (!r.empty()) {
    std::uint8_t name_type;
    std::span<const std::uint8_t> name;
    if (!r.u8(name_type) || !r.vec16(name)) return false;
    if (name_type == 0 && !found) {
      out.assign(name.begin(), name.end());
      found = true;
    }
  }
  return true;
}

bool decode_status_request(std::span<const std::uint8_t> body, StatusRequestInfo& out) {
  Reader r(body);
  if (!r.u8(out.status_type)) return false;
  if (out.status_type != 1) return true;  // only OCSP's layout is defined; other types stay opaque
  std::span<const std::uint8_t> responders, extensions;
  if (!r.vec16(responders) || !r.vec16(extensions) || !r.empty()) return false;
  out.responder_id_list_length = responders.size();
  out.request_extensions_length = extensions.size();
  return true;
}

bool decode_key_shares(std::span<const std::uint8_t> body, std::vector<KeyShareEntry>& out) {
  std::span<const std::uint8_t> list;
  if (!whole_vec16(body, list)) return false;
  Reader r(list);
  while (!r.empty()) {
    KeyShareEntry entry;
    std::span<const std::uint8_t> key;
    if (!r.u16(entry.group) || !r.vec16(key)) return false;
    entry.key_length = key.size();
    out.push_back(entry);
  }
  return true;
}

// OfferedPsks (RFC 8446 section 4.2.11).
bool decode_pre_shared_key(std::span<const std::uint8_t> body, PreSharedKeyInfo& out) {
  Reader r(body);
  std::span<const std::uint8_t> identities, binders;
  if (!r.vec16(identities) || !r.vec16(binders) || !r.empty()) return false;
  Reader ir(identities);
  while (!ir.empty()) {
    std::span<const std::uint8_t> identity;
    std::uint32_t age;
    if (!ir.vec16(identity) || !ir.u32(age)) return false;
    ++out.identity_count;
  }
  Reader br(binders);
  while (!br.empty()) {
    std::span<const std::uint8_t> binder;
    if (!br.vec8(binder)) return false;
    ++out.binder_count;
  }
  return true;
}

// TrustAnchorIdentifier trust_anchors<0..2^16-1>, each opaque<1..2^8-1> (draft-ietf-tls-trust-anchor-ids).
bool decode_trust_anchors(std::span<const std::uint8_t> body, std::vector<std::vector<std::uint8_t>>& out) {
  std::span<const std::uint8_t> list;
  if (!whole_vec16(body, list)) return false;
  Reader r(list);
  while (!r.empty()) {
    std::span<const std::uint8_t> id;
    if (!r.vec8(id) || id.empty()) return false;
    out.emplace_back(id.begin(), id.end());
  }
  return true;
}

bool decode_ech(std::span<const std::uint8_t> body, EchInfo& out) {
  Reader r(body);
  if (!r.u8(out.type)) return false;
  if (out.type == 1) return r.empty();  // inner: no further content
  if (out.type != 0) return false;
  std::span<const std::uint8_t> enc, payload;
  if (!r.u16(out.kdf_id) || !r.u16(out.aead_id) || !r.u8(out.config_id) || !r.vec16(enc) || !r.vec16(payload) ||
      !r.empty())
    return false;
  out.enc_length = enc.size();
  out.payload_length = payload.size();
  return true;
}

}  // namespace

Result<void> decode_extension(const Extension& extension, bool is_last, ClientHello& hello) {
  const std::span<const std::uint8_t> body(extension.data);
  const std::uint16_t type = extension.type;
  std::span<const std::uint8_t> list;
  bool ok = true;
  switch (type) {
    case ext::server_name: {
      std::string name;
      ok = decode_server_name(body, name);
      hello.server_name = std::move(name);
      break;
    }
    case ext::status_request: {
      StatusRequestInfo info;
      ok = decode_status_request(body, info);
      hello.status_request = info;
      break;
    }
    case ext::supported_groups:
      ok = whole_vec16(body, list) && read_u16_list(list, hello.supported_groups.emplace());
      break;
    case ext::ec_point_formats:
      ok = whole_vec8(body, list);
      hello.ec_point_formats.emplace(list.begin(), list.end());
      break;
    case ext::signature_algorithms:
      ok = whole_vec16(body, list) && read_u16_list(list, hello.signature_algorithms.emplace());
      break;
    case ext::signature_algorithms_cert:
      ok = whole_vec16(body, list) && read_u16_list(list, hello.signature_algorithms_cert.emplace());
      break;
    case ext::delegated_credentials:
      ok = whole_vec16(body, list) && read_u16_list(list, hello.delegated_credentials.emplace());
      break;
    case ext::alpn:
      ok = read_protocol_list(body, hello.alpn.emplace());
      break;
    case ext::alps_old:
    case ext::alps_new: {
      AlpsEntry entry;
      entry.codepoint = type;
      ok = read_protocol_list(body, entry.protocols);
      hello.alps.push_back(std::move(entry));
      break;
    }
    case ext::padding:
      hello.padding_length = body.size();
      break;
    case ext::compress_certificate:
      ok = whole_vec8(body, list) && read_u16_list(list, hello.compress_certificate.emplace());
      break;
    case ext::record_size_limit: {
      Reader r(body);
      std::uint16_t limit = 0;
      ok = r.u16(limit) && r.empty();
      hello.record_size_limit = limit;
      break;
    }
    case ext::session_ticket:
      hello.session_ticket_length = body.size();
      break;
    case ext::pre_shared_key: {
      PreSharedKeyInfo info;
      ok = decode_pre_shared_key(body, info);
      info.is_last = is_last;
      hello.pre_shared_key = info;
      break;
    }
    case ext::supported_versions:
      ok = whole_vec8(body, list) && read_u16_list(list, hello.supported_versions.emplace());
      break;
    case ext::psk_key_exchange_modes:
      ok = whole_vec8(body, list);
      hello.psk_key_exchange_modes.emplace(list.begin(), list.end());
      break;
    case ext::key_share:
      ok = decode_key_shares(body, hello.key_shares.emplace());
      break;
    case ext::trust_anchors:
      ok = decode_trust_anchors(body, hello.trust_anchor_ids.emplace());
      break;
    case ext::encrypted_client_hello: {
      EchInfo info;
      ok = decode_ech(body, info);
      hello.ech = info;
      break;
    }
    default:
      break;
  }
  if (!ok) return bad_extension(type, "body does not match its format");
  return {};
}

}  // namespace wraith::fingerprint
