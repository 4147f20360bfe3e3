#include "inspect/tls_report.h"

#include "fingerprint/client_hello.h"
#include "fingerprint/ja3.h"
#include "fingerprint/ja4.h"
#include "fingerprint/names.h"
#include "fingerprint/summary_json.h"
#include "util/hex.h"

namespace wraith::inspect {
namespace {

nlohmann::json negotiated(SSL* ssl) {
  nlohmann::json n;
  n["protocol"] = SSL_get_version(ssl);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  n["cipher"] = cipher ? nlohmann::json(SSL_CIPHER_standard_name(cipher)) : nlohmann::json();
  const std::uint8_t* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
  n["alpn"] = alpn_len ? nlohmann::json(std::string(reinterpret_cast<const char*>(alpn), alpn_len)) : nlohmann::json();
  n["session_reused"] = SSL_session_reused(ssl) != 0;
  std::uint16_t group = SSL_get_group_id(ssl);
  const char* group_name = fingerprint::group_name(group);
  n["group"] = group == 0 ? nlohmann::json() : nlohmann::json(group_name ? group_name : fingerprint::hex16(group));
  n["alps_negotiated"] = SSL_has_application_settings(ssl) != 0;
  return n;
}

}  // namespace

void fill_tls_section(nlohmann::json& doc, std::span<const std::uint8_t> hello, SSL* ssl,
                      const std::string& handshake_error) {
  nlohmann::json tls;
  tls["handshake_length"] = hello.size() >= 4 ? nlohmann::json(hello.size() - 4) : nlohmann::json();
  tls["handshake_error"] = handshake_error.empty() ? nlohmann::json() : nlohmann::json(handshake_error);
  tls["negotiated"] = ssl ? negotiated(ssl) : nlohmann::json();
  if (!hello.empty()) {
    auto parsed = fingerprint::parse_client_hello(hello);
    if (parsed) {
      auto ja4 = fingerprint::compute_ja4(*parsed);
      tls["fingerprints"] = {
          {"ja3", fingerprint::ja3_string(*parsed)}, {"ja3_md5", fingerprint::ja3_md5(*parsed)},
          {"ja3n", fingerprint::ja3n_string(*parsed)}, {"ja3n_md5", fingerprint::ja3n_md5(*parsed)},
          {"ja4", ja4.ja4}, {"ja4_r", ja4.ja4_r}, {"ja4_o", ja4.ja4_o}, {"ja4_ro", ja4.ja4_ro}};
      tls["summary"] = fingerprint::to_json(*parsed);
    } else {
      tls["parse_error"] = parsed.error().describe();
    }
  }
  doc["tls"] = std::move(tls);
  doc["tls_raw_client_hello_hex"] = hello.empty() ? nlohmann::json() : nlohmann::json(util::to_hex(hello));
}

}  // namespace wraith::inspect
