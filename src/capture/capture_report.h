// Views of a capture-page connection report, one per request kind.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace wraith::capture {

// The kinds the capture page makes, in the order it makes them (after the navigation).
inline constexpr const char* kCaptureKinds[] = {"fetch", "xhr", "image", "form"};

// Index in report["requests"] of the first request of `kind` ("navigate" = the page itself), if any.
std::optional<std::size_t> request_index_of(const nlohmann::json& report, const std::string& kind);

// The report with "request" replaced by that kind's request (the fixture shape: compare_http reads
// "request", compare_request reads "requests"[i]); "capture_kind" and "capture_request_index" say which.
// nullopt when the report has no request of that kind.
std::optional<nlohmann::json> kind_view(const nlohmann::json& report, const std::string& kind);

}  // namespace wraith::capture
