#include "tls/client_context.h"

#include <cstring>
#include <fstream>

#include <asio/ip/address.hpp>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "tls/cert_compression.h"
#include "tls/ssl_outcome.h"
#include "util/hex.h"

namespace wraith::tls {

namespace {

constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

// Where an SSL's cache key lives, so the new-session callback knows which entry to fill.
int key_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr,
      [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<std::string*>(ptr); });
  return index;
}
int context_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool is_ip_literal(const std::string& host) {
  asio::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string tls_errors() { return tls_error_queue(); }

Error config_error(const std::string& what) { return Error(ErrorKind::config, what, "tls"); }

Result<void> apply_ciphers(SSL_CTX* ctx, const std::vector<std::uint16_t>& suites) {
  std::string list;
  for (std::uint16_t id : suites) {
    const SSL_CIPHER* cipher = SSL_get_cipher_by_value(id);
    if (!cipher) return config_error("profile names cipher suite 0x" + util::to_hex(std::vector<std::uint8_t>{std::uint8_t(id >> 8), std::uint8_t(id)}) + " that BoringSSL cannot emit");
    // TLS 1.3 suites are not configurable in BoringSSL; their order is checked by the fidelity tests.
    if (SSL_CIPHER_get_min_version(cipher) >= TLS1_3_VERSION) continue;
    if (!list.empty()) list += ':';
    list += SSL_CIPHER_get_name(cipher);
  }
  if (!list.empty() && !SSL_CTX_set_strict_cipher_list(ctx, list.c_str()))
    return config_error("cipher list rejected: " + tls_errors());
  return {};
}

std::vector<std::uint8_t> length_prefixed_list(const std::vector<std::string>& items) {
  std::vector<std::uint8_t> wire;
  for (const auto& item : items) {
    wire.push_back(static_cast<std::uint8_t>(item.size()));
    wire.insert(wire.end(), item.begin(), item.end());
  }
  return wire;
}

Result<void> apply_trust_anchors(SSL_CTX* ctx, const TlsProfile& profile) {
  if (!profile.trust_anchors) return {};
  std::vector<std::uint8_t> wire;
  for (const auto& hex : profile.trust_anchor_ids) {
    auto id = util::from_hex(hex);
    if (!id || id->empty() || id->size() > 255) return config_error("bad trust anchor id '" + hex + "'");
    wire.push_back(static_cast<std::uint8_t>(id->size()));
    wire.insert(wire.end(), id->begin(), id->end());
  }
  if (!SSL_CTX_set1_requested_trust_anchors(ctx, wire.data(), wire.size()))
    return config_error("trust anchors rejected: " + tls_errors());
  return {};
}

Result<void> apply_verification(SSL_CTX* ctx, const VerifyOptions& verify) {
  if (verify.insecure) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return {};
  }
  const std::string& file = verify.ca_file.empty() ? std::string(kSystemCaBundle) : verify.ca_file;
  if (!std::ifstream(file).good()) return config_error("cannot read CA file '" + file + "'");
  if (!SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr))
    return config_error("no usable certificates in CA file '" + file + "': " + tls_errors());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  return {};
}

}  // namespace

Result<std::shared_ptr<ClientContext>> ClientContext::create(const TlsProfile& profile, std::string profile_name,
                                                            const VerifyOptions& verify,
                                                            std::map<std::string, std::vector<std::uint8_t>> alps_settings) {
  std::shared_ptr<ClientContext> self(new ClientContext());
  self->profile_ = profile;
  self->profile_name_ = std::move(profile_name);
  self->verify_ = verify;
  self->alps_settings_ = std::move(alps_settings);
  self->ctx_.reset(SSL_CTX_new(TLS_method()));
  SSL_CTX* ctx = self->ctx_.get();
  if (!ctx) return config_error("SSL_CTX_new failed");
  SSL_CTX_set_ex_data(ctx, context_index(), self.get());

  if (!SSL_CTX_set_min_proto_version(ctx, profile.min_version) || !SSL_CTX_set_max_proto_version(ctx, profile.max_version))
    return config_error("unsupported TLS version range");
  if (auto r = apply_ciphers(ctx, profile.cipher_suites); !r) return r.take_error();
  if (!profile.groups.empty() && !SSL_CTX_set1_group_ids(ctx, profile.groups.data(), profile.groups.size()))
    return config_error("supported groups rejected: " + tls_errors());
  if (!profile.signature_algorithms.empty() &&
      !SSL_CTX_set_verify_algorithm_prefs(ctx, profile.signature_algorithms.data(), profile.signature_algorithms.size()))
    return config_error("signature algorithms rejected: " + tls_errors());
  SSL_CTX_set_grease_enabled(ctx, profile.grease);
  SSL_CTX_set_grease_sigalgs_enabled(ctx, profile.grease_signature_algorithm);
  SSL_CTX_set_permute_extensions(ctx, profile.permute_extensions);
  if (!profile.alpn.empty()) {
    auto wire = length_prefixed_list(profile.alpn);
    if (SSL_CTX_set_alpn_protos(ctx, wire.data(), wire.size()) != 0) return config_error("ALPN list rejected");
  }
  for (std::uint16_t alg : profile.cert_compression)
    if (auto r = add_cert_decompression(ctx, alg); !r) return r.take_error();
  if (profile.ocsp_stapling) SSL_CTX_enable_ocsp_stapling(ctx);
  if (profile.signed_cert_timestamps) SSL_CTX_enable_signed_cert_timestamps(ctx);
  if (auto r = apply_trust_anchors(ctx, profile); !r) return r.take_error();
  if (!profile.session_tickets) SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
  SSL_CTX_sess_set_new_cb(ctx, &ClientContext::on_new_session);
  if (auto r = apply_verification(ctx, verify); !r) return r.take_error();
  return self;
}

int ClientContext::on_new_session(SSL* ssl, SSL_SESSION* session) {
  auto* self = static_cast<ClientContext*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), context_index()));
  auto* key = static_cast<std::string*>(SSL_get_ex_data(ssl, key_index()));
  if (self && key) self->sessions_.put(*key, session);
  return 0;  // we took our own reference
}

Result<bssl::UniquePtr<SSL>> ClientContext::new_ssl(const std::string& host, std::uint16_t port) {
  bssl::UniquePtr<SSL> ssl(SSL_new(ctx_.get()));
  if (!ssl) return Error(ErrorKind::tls, "SSL_new failed", "tls");
  SSL_set_connect_state(ssl.get());
  const bool ip = is_ip_literal(host);
  // Chrome sends no server_name for IP literals (RFC 6066 forbids them).
  if (!ip && !SSL_set_tlsext_host_name(ssl.get(), host.c_str())) return Error(ErrorKind::tls, "bad SNI host", "tls");
  if (!SSL_set1_client_key_shares(ssl.get(), profile_.key_share_groups.data(), profile_.key_share_groups.size()))
    return config_error("key share groups must be a subset of the supported groups: " + tls_errors());
  for (const auto& proto : profile_.alps_protocols) {
    static const std::vector<std::uint8_t> empty;
    auto it = alps_settings_.find(proto);
    const auto& value = it == alps_settings_.end() ? empty : it->second;
    if (!SSL_add_application_settings(ssl.get(), reinterpret_cast<const std::uint8_t*>(proto.data()), proto.size(),
                                      value.data(), value.size()))
      return config_error("ALPS for '" + proto + "' rejected (must also be in ALPN)");
  }
  SSL_set_alps_use_new_codepoint(ssl.get(), profile_.alps_new_codepoint);
  SSL_set_enable_ech_grease(ssl.get(), profile_.ech_grease);
  if (!verify_.insecure) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                : X509_VERIFY_PARAM_set1_host(param, host.data(), host.size());
    if (!ok) return Error(ErrorKind::tls, "cannot set hostname for verification", "tls");
  }
  auto* key = new std::string(SessionCache::key(host, port, profile_name_));
  SSL_set_ex_data(ssl.get(), key_index(), key);
  if (profile_.session_tickets)
    if (auto session = sessions_.take(*key)) SSL_set_session(ssl.get(), session.get());
  return ssl;
}

Error handshake_error(SSL* ssl, int ret, const std::string& host) {
  long verify = SSL_get_verify_result(ssl);
  std::string detail = tls_errors();
  // INVALID_CALL is BoringSSL's "no verification ran" (no certificate seen yet, or an insecure context):
  // the handshake failed for another reason, which the checks below name.
  if (verify != X509_V_OK && verify != X509_V_ERR_INVALID_CALL) {
    std::string why = X509_verify_cert_error_string(verify);
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
      why = "hostname mismatch: certificate is not valid for '" + host + "'";
    Error e(ErrorKind::certificate, why, "tls");
    e.peer_code = static_cast<std::uint32_t>(verify);
    return e;
  }
  int code = SSL_get_error(ssl, ret);
  if (code == SSL_ERROR_ZERO_RETURN || (code == SSL_ERROR_SYSCALL && detail.empty()))
    return Error(ErrorKind::closed, "connection closed during TLS handshake with " + host, "tls");
  return Error(ErrorKind::tls, "handshake with " + host + " failed" + (detail.empty() ? "" : ": " + detail), "tls");
}

}  // namespace wraith::tls
