// JA3 (Salesforce) and JA3N (JA3 with the extension list sorted, so Chromium's per-connection extension
// permutation does not change it).
#pragma once

#include <string>

#include "fingerprint/client_hello.h"

namespace wraith::fingerprint {

// "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats": decimal values joined by '-',
// GREASE removed from every list, extensions in wire order.
std::string ja3_string(const ClientHello& hello);
// Same, with the extension list sorted numerically.
std::string ja3n_string(const ClientHello& hello);
std::string ja3_md5(const ClientHello& hello);
std::string ja3n_md5(const ClientHello& hello);

}  // namespace wraith::fingerprint
