#include "tls/server_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "tls/cert_compression.h"

namespace wraith::tls {

namespace {

int sink_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr,
      [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<ServerContext::HelloSink*>(ptr); });
  return index;
}
int options_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

Error server_error(const std::string& what) { return Error(ErrorKind::config, what, "tls"); }

ssl_select_cert_result_t on_select_certificate(const SSL_CLIENT_HELLO* hello) {
  auto* sink = static_cast<ServerContext::HelloSink*>(SSL_get_ex_data(hello->ssl, sink_index()));
  if (sink && *sink) {
    // BoringSSL hands us the body; put back the handshake header so the bytes are the wire message.
    std::vector<std::uint8_t> message;
    message.reserve(hello->client_hello_len + 4);
    message.push_back(0x01);
    message.push_back(static_cast<std::uint8_t>(hello->client_hello_len >> 16));
    message.push_back(static_cast<std::uint8_t>(hello->client_hello_len >> 8));
    message.push_back(static_cast<std::uint8_t>(hello->client_hello_len));
    message.insert(message.end(), hello->client_hello, hello->client_hello + hello->client_hello_len);
    (*sink)(message);
  }
  return ssl_select_cert_success;
}

int on_alpn_select(SSL* ssl, const std::uint8_t** out, std::uint8_t* out_len, const std::uint8_t* in, unsigned in_len, void*) {
  auto* options = static_cast<ServerOptions*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), options_index()));
  for (const auto& ours : options->alpn) {
    for (unsigned i = 0; i < in_len;) {
      unsigned len = in[i];
      if (i + 1 + len > in_len) break;
      if (len == ours.size() && std::equal(ours.begin(), ours.end(), in + i + 1)) {
        *out = in + i + 1;
        *out_len = static_cast<std::uint8_t>(len);
        if (ours == "h2")
          SSL_add_application_settings(ssl, *out, len, options->alps_h2_settings.data(), options->alps_h2_settings.size());
        return SSL_TLSEXT_ERR_OK;
      }
      i += 1 + len;
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace

Result<std::shared_ptr<ServerContext>> ServerContext::create(ServerOptions options) {
  std::shared_ptr<ServerContext> self(new ServerContext());
  self->options_ = std::move(options);
  if (self->options_.certificate) {
    self->certificate_ = *self->options_.certificate;
  } else {
    auto cert = make_certificate({});
    if (!cert) return cert.take_error();
    self->certificate_ = std::move(*cert);
  }
  self->ctx_.reset(SSL_CTX_new(TLS_method()));
  SSL_CTX* ctx = self->ctx_.get();
  if (!ctx) return server_error("SSL_CTX_new failed");
  SSL_CTX_set_ex_data(ctx, options_index(), &self->options_);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);

  bssl::UniquePtr<BIO> cert_bio(BIO_new_mem_buf(self->certificate_.certificate.data(), self->certificate_.certificate.size()));
  bssl::UniquePtr<BIO> key_bio(BIO_new_mem_buf(self->certificate_.private_key.data(), self->certificate_.private_key.size()));
  bssl::UniquePtr<X509> cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  bssl::UniquePtr<EVP_PKEY> key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!cert || !key || !SSL_CTX_use_certificate(ctx, cert.get()) || !SSL_CTX_use_PrivateKey(ctx, key.get()))
    return server_error("server certificate or key rejected");
  if (!self->options_.groups.empty() &&
      !SSL_CTX_set1_group_ids(ctx, self->options_.groups.data(), self->options_.groups.size()))
    return server_error("server groups rejected");
  SSL_CTX_set_select_certificate_cb(ctx, on_select_certificate);
  SSL_CTX_set_alpn_select_cb(ctx, on_alpn_select, nullptr);
  if (self->options_.compress_certificate)
    if (auto r = add_cert_compression(ctx, 2); !r) return r.take_error();
  return self;
}

bssl::UniquePtr<SSL> ServerContext::new_ssl(HelloSink on_client_hello) {
  bssl::UniquePtr<SSL> ssl(SSL_new(ctx_.get()));
  if (!ssl) return ssl;
  SSL_set_accept_state(ssl.get());
  SSL_set_alps_use_new_codepoint(ssl.get(), 1);
  if (on_client_hello) SSL_set_ex_data(ssl.get(), sink_index(), new HelloSink(std::move(on_client_hello)));
  return ssl;
}

}  // namespace wraith::tls
