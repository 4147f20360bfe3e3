// JA4 TLS client fingerprint (FoxIO, https://github.com/FoxIO-LLC/ja4, technical_details/JA4.md):
//   JA4    = a_b_c with b, c truncated SHA-256 (12 hex digits)
//   JA4_r  = a + raw lists (ciphers sorted; extensions sorted without SNI 0000 and ALPN 0010; sigalgs)
//   JA4_o / JA4_ro = the same with ciphers and extensions in wire order (SNI and ALPN kept)
// a = transport, TLS version, d/i (SNI present or not), cipher count, extension count, ALPN first+last char.
#pragma once

#include <string>

#include "fingerprint/client_hello.h"

namespace wraith::fingerprint {

enum class Ja4Transport { tcp, quic, dtls };  // 't', 'q', 'd'

struct Ja4 {
  std::string ja4;
  std::string ja4_r;
  std::string ja4_o;
  std::string ja4_ro;
};

Ja4 compute_ja4(const ClientHello& hello, Ja4Transport transport = Ja4Transport::tcp);
// Just the first part ("t13d1516h2"), for readable comparisons.
std::string ja4_a(const ClientHello& hello, Ja4Transport transport = Ja4Transport::tcp);

}  // namespace wraith::fingerprint
