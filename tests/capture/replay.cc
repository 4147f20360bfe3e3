#include "replay.h"

#include <cstdio>

#include <gtest/gtest.h>

#include "capture/capture_report.h"
#include "inspect/compare_h2.h"

namespace wraith::capture::testing {

using namespace std::chrono_literals;

nlohmann::json replay_capture_page(inspect::testing::RunningInspector& inspector, ClientConfig config) {
  config.insecure = true;
  const std::string origin = "https://127.0.0.1:" + std::to_string(inspector.port());
  const std::string page = origin + "/capture/wraith?label=wraith-kinds";
  {
    Client client(std::move(config));
    auto nav = client.get(page);
    EXPECT_TRUE(nav) << nav.error().describe();
    for (const char* kind : kCaptureKinds) {
      Request request;
      request.url = origin + "/k/" + kind;
      request.kind = *parse_request_kind(kind);
      request.referer = page;
      if (std::string(kind) == "form") {
        request.method = "POST";
        request.body = "q=wraith";  // what the page's form field submits
      }
      auto r = client.send(request);
      EXPECT_TRUE(r) << kind << ": " << r.error().describe();
      if (r) {
        EXPECT_EQ(r->status, 200) << kind;
      }
    }
  }
  EXPECT_TRUE(inspector.wait_for(1, 10s));
  auto reports = inspector.reports();
  return reports.empty() ? nlohmann::json() : reports.front();
}

std::vector<std::string> replay_differences(const nlohmann::json& ours, const nlohmann::json& capture,
                                            bool skip_user_agent) {
  // compare_http reads "request": the navigation, whichever kind a fixture put there.
  nlohmann::json navigation_view = capture;
  if (auto nav = request_index_of(capture, "navigate")) navigation_view["request"] = capture["requests"][*nav];
  std::vector<std::string> out = inspect::testing::differences(ours, navigation_view, true);
  for (const char* kind : kCaptureKinds) {
    const auto index = request_index_of(capture, kind);
    if (!index) {
      out.push_back(std::string(kind) + ": not in the capture");
      continue;
    }
    if (request_index_of(ours, kind) != index) out.push_back(std::string(kind) + ": at another position");
    for (const auto& f : inspect::compare_request(ours, capture, *index))
      if (!f.match) out.push_back(std::string(kind) + ": " + fingerprint::describe(f));
  }
  if (skip_user_agent)
    std::erase_if(out, [](const std::string& d) { return d.find("header user-agent") != std::string::npos; });
  return out;
}

}  // namespace wraith::capture::testing
