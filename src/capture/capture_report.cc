#include "capture/capture_report.h"

#include "inspect/page.h"

namespace wraith::capture {

std::optional<std::size_t> request_index_of(const nlohmann::json& report, const std::string& kind) {
  const auto it = report.find("requests");
  if (it == report.end() || !it->is_array()) return std::nullopt;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& r = (*it)[i];
    if (r.is_object() && inspect::capture_kind_of(r.value("path", std::string())) == kind) return i;
  }
  return std::nullopt;
}

std::optional<nlohmann::json> kind_view(const nlohmann::json& report, const std::string& kind) {
  const auto index = request_index_of(report, kind);
  if (!index) return std::nullopt;
  nlohmann::json view = report;
  view["request"] = report["requests"][*index];
  view["capture_kind"] = kind;
  view["capture_request_index"] = *index;
  return view;
}

}  // namespace wraith::capture
