// Which protocol a new connection speaks, from its first bytes: a TLS handshake record (0x16), the
// HTTP/2 prior-knowledge preface ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", RFC 9113 3.3), or else HTTP/1.1.
#pragma once

#include <cstdint>
#include <span>

namespace wraith::inspect {

enum class Sniffed { need_more, tls, h2c, http1 };

// Decides as soon as the bytes allow: one byte for TLS, up to the 24 preface bytes for h2c.
Sniffed sniff(std::span<const std::uint8_t> first_bytes);

const char* to_string(Sniffed s);

}  // namespace wraith::inspect
