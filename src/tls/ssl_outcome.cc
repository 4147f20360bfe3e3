#include "tls/ssl_outcome.h"

#include <algorithm>

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

int read_available(SSL* ssl, std::span<std::uint8_t> buffer, std::size_t& got) {
  const std::size_t cap = std::min<std::size_t>(buffer.size(), std::size_t{1} << 30);
  while (got < cap) {
    clear_stale_errors();
    int ret = SSL_read(ssl, buffer.data() + got, static_cast<int>(cap - got));
    if (ret <= 0) return SSL_get_error(ssl, ret);
    got += static_cast<std::size_t>(ret);
  }
  return SSL_ERROR_NONE;
}

}  // namespace wraith::tls
