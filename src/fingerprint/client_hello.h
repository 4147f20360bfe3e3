// A TLS ClientHello as it appeared on the wire: every field and extension in wire order (GREASE included),
// plus decoded views of the extensions that fingerprints and fidelity comparisons look at.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wraith/error.h"

namespace wraith::fingerprint {

// GREASE code points (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa; both bytes equal, low nibble 0xa.
bool is_grease(std::uint16_t value);

// Extension code points this layer decodes (IANA "TLS ExtensionType Values" plus the drafts Chromium sends).
namespace ext {
inline constexpr std::uint16_t server_name = 0x0000;
inline constexpr std::uint16_t status_request = 0x0005;
inline constexpr std::uint16_t supported_groups = 0x000a;
inline constexpr std::uint16_t ec_point_formats = 0x000b;
inline constexpr std::uint16_t signature_algorithms = 0x000d;
inline constexpr std::uint16_t alpn = 0x0010;
inline constexpr std::uint16_t padding = 0x0015;
inline constexpr std::uint16_t compress_certificate = 0x001b;
inline constexpr std::uint16_t record_size_limit = 0x001c;
inline constexpr std::uint16_t delegated_credentials = 0x0022;
inline constexpr std::uint16_t session_ticket = 0x0023;
inline constexpr std::uint16_t pre_shared_key = 0x0029;
inline constexpr std::uint16_t supported_versions = 0x002b;
inline constexpr std::uint16_t psk_key_exchange_modes = 0x002d;
inline constexpr std::uint16_t signature_algorithms_cert = 0x0032;
inline constexpr std::uint16_t key_share = 0x0033;
inline constexpr std::uint16_t alps_old = 0x4469;  // 17513, application_settings (original codepoint)
inline constexpr std::uint16_t alps_new = 0x44cd;  // 17613, application_settings (codepoint Chromium uses now)
inline constexpr std::uint16_t trust_anchors = 0xca34;
inline constexpr std::uint16_t encrypted_client_hello = 0xfe0d;
}  // namespace ext

struct Extension {
  std::uint16_t type = 0;
  std::vector<std::uint8_t> data;  // the extension_data bytes, without type and length
};

struct KeyShareEntry {
  std::uint16_t group = 0;
  std::size_t key_length = 0;
};

struct AlpsEntry {
  std::uint16_t codepoint = 0;  // ext::alps_old or ext::alps_new
  std::vector<std::string> protocols;
};

// ECHClientHello (draft-ietf-tls-esni): type 0 = outer (what GREASE ECH looks like), 1 = inner.
struct EchInfo {
  std::uint8_t type = 0;
  std::uint16_t kdf_id = 0;
  std::uint16_t aead_id = 0;
  std::uint8_t config_id = 0;
  std::size_t enc_length = 0;
  std::size_t payload_length = 0;
};

// CertificateStatusRequest (RFC 6066 section 8); the two lengths are only meaningful for status_type 1 (ocsp).
struct StatusRequestInfo {
  std::uint8_t status_type = 0;
  std::size_t responder_id_list_length = 0;
  std::size_t request_extensions_length = 0;
};

struct PreSharedKeyInfo {
  std::size_t identity_count = 0;
  std::size_t binder_count = 0;
  bool is_last = false;  // RFC 8446 requires pre_shared_key to be the last extension
};

struct ClientHello {
  std::uint16_t legacy_version = 0;
  std::array<std::uint8_t, 32> random{};
  std::vector<std::uint8_t> session_id;
  std::vector<std::uint16_t> cipher_suites;        // wire order, GREASE included
  std::vector<std::uint8_t> compression_methods;
  bool extensions_present = false;                 // false for a hello that ends after compression_methods
  std::vector<Extension> extensions;               // wire order, GREASE included

  // Decoded views; std::nullopt means the extension is absent.
  std::optional<std::string> server_name;          // first host_name entry ("" if none of that type)
  std::optional<std::vector<std::uint16_t>> supported_groups;
  std::optional<std::vector<std::uint8_t>> ec_point_formats;
  std::optional<std::vector<std::uint16_t>> signature_algorithms;
  std::optional<std::vector<std::uint16_t>> signature_algorithms_cert;
  std::optional<std::vector<std::string>> alpn;
  std::vector<AlpsEntry> alps;                     // one entry per ALPS codepoint present, wire order
  std::optional<std::vector<std::uint16_t>> supported_versions;
  std::optional<std::vector<std::uint8_t>> psk_key_exchange_modes;
  std::optional<std::vector<KeyShareEntry>> key_shares;
  std::optional<std::vector<std::uint16_t>> compress_certificate;
  std::optional<std::vector<std::vector<std::uint8_t>>> trust_anchor_ids;
  std::optional<EchInfo> ech;
  std::optional<StatusRequestInfo> status_request;
  std::optional<std::size_t> session_ticket_length;
  std::optional<PreSharedKeyInfo> pre_shared_key;
  std::optional<std::size_t> padding_length;
  std::optional<std::uint16_t> record_size_limit;
  std::optional<std::vector<std::uint16_t>> delegated_credentials;  // signature schemes

  // The extension of that type, or nullptr.
  const Extension* find_extension(std::uint16_t type) const;
  bool has_extension(std::uint16_t type) const { return find_extension(type) != nullptr; }
};

// Upper bound on the handshake message we accept; Chromium's post-quantum hello is about 2 KiB.
inline constexpr std::size_t kMaxClientHelloSize = 64 * 1024;

// Parses either a bare handshake message (0x01, uint24 length, body) or TLS records (0x16 ...) carrying
// one ClientHello, possibly split across several records. The input must hold exactly the hello: any
// truncation, overrunning or inconsistent length, duplicate extension, malformed known extension body or
// trailing byte yields ErrorKind::protocol (ErrorKind::too_large above kMaxClientHelloSize).
Result<ClientHello> parse_client_hello(std::span<const std::uint8_t> input);

// For a server reading the first flight from a socket: how many leading bytes of `input` are the TLS records
// that carry the ClientHello (pass exactly those to parse_client_hello). 0 = not complete yet, read more.
// Errors (ErrorKind::protocol / too_large) when the bytes cannot be the records of a ClientHello.
Result<std::size_t> client_hello_records_length(std::span<const std::uint8_t> input);

}  // namespace wraith::fingerprint
