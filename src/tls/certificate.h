// Certificates made on the fly: the inspector's self-signed one, and a small CA for tests
// (trusted, untrusted, expired, wrong-host leaves).
#pragma once

#include <string>
#include <vector>

#include "wraith/error.h"

namespace wraith::tls {

struct CertificatePem {
  std::string certificate;  // PEM
  std::string private_key;  // PEM
};

struct CertificateRequest {
  std::string common_name = "wraith inspector";
  std::vector<std::string> dns_names{"localhost"};
  std::vector<std::string> ip_addresses{"127.0.0.1", "::1"};
  long valid_from_days = -1;  // relative to now
  long valid_to_days = 365;
  bool is_ca = false;
  const CertificatePem* issuer = nullptr;  // null = self-signed
};

Result<CertificatePem> make_certificate(const CertificateRequest& request);

}  // namespace wraith::tls
