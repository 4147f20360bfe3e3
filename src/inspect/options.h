// What an Inspector listens on and the bounds it holds every connection to (hostile clients included).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wraith::inspect {

struct InspectorLimits {
  // From accept to a decided protocol: sniffing, the TLS handshake, the h2c/h1 first bytes.
  std::chrono::milliseconds handshake_timeout{10000};
  // No byte read (or no write progress) for this long ends the connection (GOAWAY on h2).
  std::chrono::milliseconds idle_timeout{30000};
  // One request head: h2 header block (HEADERS + CONTINUATION, compressed) or h1 head (request line + fields).
  std::size_t max_header_block = 256 * 1024;
  // Decoded header list (RFC 7541 sizes); also what we advertise as SETTINGS_MAX_HEADER_LIST_SIZE.
  std::uint32_t max_header_list = 256 * 1024;
  // Frames kept in h2.frames (preface frames always kept up to this too); later ones are only counted.
  std::size_t max_frames_recorded = 2000;
  // Requests kept in the report (all are answered).
  std::size_t max_requests_recorded = 200;
  // Request body bytes per request; beyond it the stream is reset (h2) or the connection answered 413 (h1).
  std::uint64_t max_body_bytes = 64ull * 1024 * 1024;
  // Connections served at once; extra ones are closed right after accept (and reported as such).
  std::size_t max_connections = 256;
  // Concurrent h2 streams we advertise and enforce.
  std::uint32_t max_concurrent_streams = 100;
};

struct InspectorOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = ephemeral
  std::string out_dir;     // empty = no files; else one conn-<n>.json per finished connection
  std::vector<std::string> alpn{"h2", "http/1.1"};  // what TLS offers, server preference order
  InspectorLimits limits;
};

}  // namespace wraith::inspect
