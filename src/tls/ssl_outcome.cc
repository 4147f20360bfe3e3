#include "tls/ssl_outcome.h"

#include <openssl/err.h>

namespace wraith::tls {

std::string tls_error_queue() {
  std::string out;
  while (std::uint32_t e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

Result<std::size_t> read_end(int err) {
  if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) return std::size_t{0};
  return Error(ErrorKind::tls, "TLS read failed: " + tls_error_queue(), "tls");
}

}  // namespace wraith::tls
