// curl's exit codes where a mapping exists, so scripts written for curl keep working.
#pragma once

#include "wraith/error.h"

namespace wraith::cli {

inline int exit_code_for(const Error& e) {
  switch (e.kind) {
    case ErrorKind::invalid_url: return 3;        // URL malformed
    case ErrorKind::resolve: return 6;            // could not resolve host
    case ErrorKind::connect: return 7;            // failed to connect
    case ErrorKind::timeout: return 28;           // operation timed out
    case ErrorKind::tls: return 35;               // SSL connect error
    case ErrorKind::certificate: return 60;       // peer certificate cannot be authenticated
    case ErrorKind::redirect: return 47;          // too many redirects
    case ErrorKind::proxy: return 97;             // proxy handshake error
    case ErrorKind::decode: return 61;            // unrecognised transfer encoding
    case ErrorKind::too_large: return 63;         // maximum file size exceeded
    case ErrorKind::protocol:
    case ErrorKind::stream_reset: return e.layer == "h2" ? 16 : 8;  // HTTP/2 error / weird server reply
    case ErrorKind::closed: return 52;            // empty reply / connection closed
    // h1: the connection closed before a single response byte (retried once already): empty reply.
    case ErrorKind::refused: return e.layer == "h1" ? 52 : 56;  // else failure receiving network data
    case ErrorKind::config: return e.message.find("CA") != std::string::npos ? 77 : 26;  // CA cert / read error
    case ErrorKind::invalid_header:
    case ErrorKind::invalid_argument: return 2;   // failed to initialise (bad option)
    case ErrorKind::io: return 56;
    case ErrorKind::cancelled: return 42;         // aborted
  }
  return 1;
}

}  // namespace wraith::cli
