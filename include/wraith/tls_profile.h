// The TLS half of a browser profile, as plain data. The connector turns it into BoringSSL settings;
// nothing browser-specific lives in code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wraith {

struct TlsProfile {
  // Cipher suites in ClientHello order, TLS 1.3 suites included (BoringSSL fixes their order; the
  // connector checks the profile agrees instead of silently sending something else). No GREASE here.
  std::vector<std::uint16_t> cipher_suites;
  std::uint16_t min_version = 0x0303;
  std::uint16_t max_version = 0x0304;
  // supported_groups in order, and the subset (in order) that gets a key share.
  std::vector<std::uint16_t> groups;
  std::vector<std::uint16_t> key_share_groups;
  // signature_algorithms in order (ML-DSA included); GREASE is added by `grease_signature_algorithm`.
  std::vector<std::uint16_t> signature_algorithms;
  bool grease = true;                       // RFC 8701 GREASE in ciphers, groups, versions, extensions
  bool grease_signature_algorithm = true;   // a GREASE value first in signature_algorithms (Chrome 152+)
  bool permute_extensions = true;           // Chrome permutes extension order per connection
  std::vector<std::string> alpn;            // e.g. {"h2", "http/1.1"}
  std::vector<std::string> alps_protocols;  // protocols that get ALPS (application_settings)
  bool alps_new_codepoint = true;           // 17613 (new) instead of 17513
  std::vector<std::uint16_t> cert_compression;  // compress_certificate algorithms: 1 zlib, 2 brotli, 3 zstd
  bool ech_grease = true;                   // send a GREASE encrypted_client_hello
  bool ocsp_stapling = true;                // status_request
  bool signed_cert_timestamps = true;       // signed_certificate_timestamp
  bool trust_anchors = true;                // send the trust_anchors extension
  std::vector<std::string> trust_anchor_ids;  // hex, in order (e.g. "82df130201")
  bool session_tickets = true;              // session_ticket extension + resumption
  bool renegotiation_info = true;           // send renegotiation_info (BoringSSL always does for TLS 1.2)
};

}  // namespace wraith
