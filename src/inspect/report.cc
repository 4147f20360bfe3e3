#include "inspect/report.h"

#include <cstdio>
#include <ctime>

#include "fingerprint/digest.h"
#include "inspect/ja4h.h"

namespace wraith::inspect {

std::string utc_timestamp_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

ConnectionReport::ConnectionReport(std::uint64_t connection, const std::string& remote, std::uint16_t local_port)
    : start_(std::chrono::steady_clock::now()) {
  doc_["inspector"] = "wraith";
  doc_["connection"] = connection;
  doc_["started_at"] = utc_timestamp_now();
  doc_["remote"] = remote;
  doc_["local_port"] = local_port;
  doc_["finalized"] = false;
  doc_["transport"] = nullptr;
  doc_["http_version"] = nullptr;
  doc_["close_reason"] = nullptr;
  doc_["errors"] = nlohmann::json::array();
}

std::int64_t ConnectionReport::t_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_).count();
}

void ConnectionReport::add_error(const std::string& where, const std::string& message) {
  auto& errors = doc_["errors"];
  if (errors.size() >= 100) return;  // a hostile client cannot grow the report without bound
  errors.push_back({{"t_ms", t_ms()}, {"where", where}, {"message", message}});
}

nlohmann::json ConnectionReport::snapshot() const {
  nlohmann::json copy = doc_;
  copy["fingerprint"] = fingerprint_block(doc_);
  return copy;
}

const nlohmann::json& ConnectionReport::finalize(const std::string& close_reason) {
  if (doc_["close_reason"].is_null()) doc_["close_reason"] = close_reason;
  doc_["finalized"] = true;
  doc_["fingerprint"] = fingerprint_block(doc_);
  return doc_;
}

nlohmann::json fingerprint_block(const nlohmann::json& doc) {
  nlohmann::json fp = nlohmann::json::object();
  if (auto tls = doc.find("tls"); tls != doc.end() && tls->contains("fingerprints")) {
    for (const char* key : {"ja3", "ja3_md5", "ja3n", "ja3n_md5", "ja4", "ja4_r", "ja4_o", "ja4_ro"})
      if (auto it = (*tls)["fingerprints"].find(key); it != (*tls)["fingerprints"].end()) fp[key] = *it;
  }
  if (auto h2 = doc.find("h2"); h2 != doc.end() && h2->contains("akamai")) {
    fp["akamai"] = (*h2)["akamai"]["string"];
    fp["akamai_md5"] = fingerprint::md5_hex((*h2)["akamai"]["string"].get<std::string>());
  }
  if (auto request = doc.find("request"); request != doc.end() && request->is_object()) {
    if (auto headers = request->find("headers"); headers != request->end() && headers->is_array()) {
      for (const auto& pair : *headers) {
        std::string name = pair.at(0).get<std::string>();
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "user-agent") {
          fp["user_agent"] = pair.at(1);
          break;
        }
      }
    }
  }
  if (!doc.value("http_version", nlohmann::json()).is_null()) {
    fp["http_version"] = doc["http_version"];
    if (auto h = ja4h(doc.value("request", nlohmann::json()), doc["http_version"].get<std::string>()); !h.empty()) fp["ja4h"] = h;
  }
  return fp;
}

}  // namespace wraith::inspect
