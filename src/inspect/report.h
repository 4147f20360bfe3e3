// One connection's report while it is being built: the JSON document in the fixtures' shape
// (tests/fixtures/chromium-156*.json) plus the clock its t_ms fields are relative to.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace wraith::inspect {

class ConnectionReport {
 public:
  // Fills connection, started_at, remote, local_port, finalized=false, errors=[].
  ConnectionReport(std::uint64_t connection, const std::string& remote, std::uint16_t local_port);

  nlohmann::json& doc() { return doc_; }
  const nlohmann::json& doc() const { return doc_; }

  // Milliseconds since accept.
  std::int64_t t_ms() const;
  // Appends {"t_ms", "where", "message"} to the top-level errors.
  void add_error(const std::string& where, const std::string& message);

  // The document as a client sees it in a response body: everything so far, plus `fingerprint` recomputed.
  nlohmann::json snapshot() const;
  // Sets close_reason, finalized=true and the fingerprint block; returns the finished document.
  const nlohmann::json& finalize(const std::string& close_reason);

 private:
  nlohmann::json doc_;
  std::chrono::steady_clock::time_point start_;
};

// The `fingerprint` block for a document: ja3/ja3n/ja4 (from tls.fingerprints), akamai + akamai_md5 (h2 only),
// user_agent and ja4h (first request), http_version. Keys are left out when their source is absent.
nlohmann::json fingerprint_block(const nlohmann::json& doc);

// "2026-12-01T07:42:11.265Z"
std::string utc_timestamp_now();

}  // namespace wraith::inspect
