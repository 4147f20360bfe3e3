// Turns a TlsProfile into a BoringSSL client context, and makes per-connection SSL objects that carry
// the profile's per-connection settings (key shares, ALPS, ECH GREASE, SNI, verification, resumption).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "tls/session_cache.h"
#include "wraith/error.h"
#include "wraith/tls_profile.h"

namespace wraith::tls {

struct VerifyOptions {
  bool insecure = false;   // explicit, per-client opt-out of certificate and hostname checks
  std::string ca_file;     // PEM bundle; empty = the system store
};

class ClientContext {
 public:
  // profile_name keys the session cache. alps_settings: protocol -> the ALPS value we send (for h2,
  // the SETTINGS payload), so the encrypted half matches the profile too.
  static Result<std::shared_ptr<ClientContext>> create(const TlsProfile& profile, std::string profile_name,
                                                      const VerifyOptions& verify,
                                                      std::map<std::string, std::vector<std::uint8_t>> alps_settings = {});

  // A fresh SSL for one connection to host:port, with a cached session attached when one exists.
  Result<bssl::UniquePtr<SSL>> new_ssl(const std::string& host, std::uint16_t port);

  SSL_CTX* native() { return ctx_.get(); }
  SessionCache& sessions() { return sessions_; }
  const TlsProfile& profile() const { return profile_; }
  const VerifyOptions& verify() const { return verify_; }

 private:
  ClientContext() = default;
  static int on_new_session(SSL* ssl, SSL_SESSION* session);

  bssl::UniquePtr<SSL_CTX> ctx_;
  TlsProfile profile_;
  std::string profile_name_;
  VerifyOptions verify_;
  std::map<std::string, std::vector<std::uint8_t>> alps_settings_;
  SessionCache sessions_;
};

// Describes why the last handshake failed: certificate problems become ErrorKind::certificate.
Error handshake_error(SSL* ssl, int ret, const std::string& host);

}  // namespace wraith::tls
