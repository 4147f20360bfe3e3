#include "tls/certificate.h"

#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec_key.h>
#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

namespace wraith::tls {

namespace {

Error cert_error(const char* what) { return Error(ErrorKind::tls, std::string("certificate generation: ") + what, "tls"); }

std::string bio_string(BIO* bio) {
  const std::uint8_t* data = nullptr;
  std::size_t len = 0;
  BIO_mem_contents(bio, &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

bssl::UniquePtr<EVP_PKEY> new_p256_key() {
  bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  if (!ec || !EC_KEY_generate_key(ec.get())) return nullptr;
  bssl::UniquePtr<EVP_PKEY> key(EVP_PKEY_new());
  if (!key || !EVP_PKEY_assign_EC_KEY(key.get(), ec.release())) return nullptr;
  return key;
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  bssl::UniquePtr<X509_EXTENSION> ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1);
}

}  // namespace

Result<CertificatePem> make_certificate(const CertificateRequest& request) {
  auto key = new_p256_key();
  if (!key) return cert_error("key");
  bssl::UniquePtr<X509> cert(X509_new());
  if (!cert || !X509_set_version(cert.get(), X509_VERSION_3)) return cert_error("x509");
  std::uint8_t serial_bytes[16];
  RAND_bytes(serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;
  bssl::UniquePtr<BIGNUM> serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) return cert_error("serial");
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), request.valid_from_days * 86400L) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), request.valid_to_days * 86400L))
    return cert_error("validity");
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const std::uint8_t*>(request.common_name.c_str()), -1, -1, 0))
    return cert_error("name");
  if (!X509_set_pubkey(cert.get(), key.get())) return cert_error("pubkey");

  bssl::UniquePtr<X509> issuer_cert;
  bssl::UniquePtr<EVP_PKEY> issuer_key;
  if (request.issuer) {
    bssl::UniquePtr<BIO> cb(BIO_new_mem_buf(request.issuer->certificate.data(), request.issuer->certificate.size()));
    bssl::UniquePtr<BIO> kb(BIO_new_mem_buf(request.issuer->private_key.data(), request.issuer->private_key.size()));
    issuer_cert.reset(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
    issuer_key.reset(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
    if (!issuer_cert || !issuer_key) return cert_error("issuer");
    if (!X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert.get()))) return cert_error("issuer name");
  } else if (!X509_set_issuer_name(cert.get(), name)) {
    return cert_error("issuer name");
  }
  X509* signer = issuer_cert ? issuer_cert.get() : cert.get();
  if (request.is_ca) {
    if (!add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE") ||
        !add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign"))
      return cert_error("ca extensions");
  } else {
    std::string san;
    for (const auto& dns : request.dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + dns;
    for (const auto& ip : request.ip_addresses) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
    if (!san.empty() && !add_extension(cert.get(), signer, NID_subject_alt_name, san)) return cert_error("san");
    if (!add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE") ||
        !add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth"))
      return cert_error("leaf extensions");
  }
  if (!X509_sign(cert.get(), issuer_key ? issuer_key.get() : key.get(), EVP_sha256())) return cert_error("sign");

  bssl::UniquePtr<BIO> cert_bio(BIO_new(BIO_s_mem())), key_bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(cert_bio.get(), cert.get()) ||
      !PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
    return cert_error("pem");
  return CertificatePem{bio_string(cert_bio.get()), bio_string(key_bio.get())};
}

}  // namespace wraith::tls
