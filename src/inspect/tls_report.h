// The `tls` section of a report and `tls_raw_client_hello_hex`, from the raw ClientHello the server context
// handed us and (once the handshake finished) what was negotiated.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <nlohmann/json.hpp>
#include <openssl/ssl.h>

namespace wraith::inspect {

// Writes doc["tls"] = {handshake_length, handshake_error, negotiated, fingerprints, summary} and
// doc["tls_raw_client_hello_hex"]. `hello` is the whole handshake message (may be empty if none arrived);
// `ssl` is null when the handshake did not complete. An unparsable hello is recorded as tls.parse_error.
void fill_tls_section(nlohmann::json& doc, std::span<const std::uint8_t> hello, SSL* ssl,
                      const std::string& handshake_error);

}  // namespace wraith::inspect
