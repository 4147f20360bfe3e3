#include "wraith/error.h"

#include <cstdio>

namespace wraith {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return "invalid argument";
    case ErrorKind::invalid_url: return "invalid url";
    case ErrorKind::invalid_header: return "invalid header";
    case ErrorKind::resolve: return "resolve";
    case ErrorKind::connect: return "connect";
    case ErrorKind::tls: return "tls";
    case ErrorKind::certificate: return "certificate";
    case ErrorKind::protocol: return "protocol";
    case ErrorKind::stream_reset: return "stream reset";
    case ErrorKind::refused: return "refused";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::proxy: return "proxy";
    case ErrorKind::decode: return "decode";
    case ErrorKind::too_large: return "too large";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::closed: return "closed";
    case ErrorKind::io: return "io";
    case ErrorKind::config: return "config";
    case ErrorKind::redirect: return "redirect";
  }
  return "unknown";
}

const char* to_string(TimeoutPhase phase) {
  switch (phase) {
    case TimeoutPhase::none: return "none";
    case TimeoutPhase::resolve: return "resolve";
    case TimeoutPhase::connect: return "connect";
    case TimeoutPhase::tls: return "tls handshake";
    case TimeoutPhase::first_byte: return "first byte";
    case TimeoutPhase::read_idle: return "read idle";
    case TimeoutPhase::write_idle: return "write idle";
    case TimeoutPhase::total: return "total";
    case TimeoutPhase::pool_acquire: return "pool acquire";
    case TimeoutPhase::settings_ack: return "settings ack";
    case TimeoutPhase::ping: return "ping";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string out;
  if (!layer.empty()) out += layer + ": ";
  out += to_string(kind);
  if (kind == ErrorKind::timeout && phase != TimeoutPhase::none) out += std::string(" (") + to_string(phase) + ")";
  if (!message.empty()) out += ": " + message;
  if (stream_id != 0 || peer_code != 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " (stream %u, code 0x%x)", stream_id, peer_code);
    out += buf;
  }
  return out;
}

}  // namespace wraith
