// A BoringSSL server context for wraith's own servers (the inspector, test peers): it records the raw
// ClientHello of every connection before the handshake goes on.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "tls/certificate.h"
#include "wraith/error.h"

namespace wraith::tls {

struct ServerOptions {
  std::vector<std::string> alpn{"h2", "http/1.1"};  // server preference order
  std::vector<std::uint16_t> groups{0x11ec, 0x001d, 0x0017, 0x0018};  // X25519MLKEM768 first
  std::vector<std::uint8_t> alps_h2_settings;  // ALPS value answered for h2 (empty payload is valid)
  std::optional<CertificatePem> certificate;   // none = a fresh self-signed one for localhost/127.0.0.1
  bool compress_certificate = true;            // brotli, so clients' decompression is exercised
};

class ServerContext {
 public:
  static Result<std::shared_ptr<ServerContext>> create(ServerOptions options);

  // The hello is the whole handshake message (type, 24-bit length, body), as on the wire.
  using HelloSink = std::function<void(std::span<const std::uint8_t> client_hello)>;
  bssl::UniquePtr<SSL> new_ssl(HelloSink on_client_hello = {});

  SSL_CTX* native() { return ctx_.get(); }
  const std::string& certificate_pem() const { return certificate_.certificate; }

 private:
  ServerContext() = default;
  bssl::UniquePtr<SSL_CTX> ctx_;
  ServerOptions options_;
  CertificatePem certificate_;
};

}  // namespace wraith::tls
