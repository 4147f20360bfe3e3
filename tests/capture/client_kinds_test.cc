// wraith's client with the chromium156 profile replays the capture page's sequence (navigation, fetch, XHR,
// image, form POST on one connection) against the inspector; each kind's request must equal Chromium 156's
// capture of the same kind (tests/fixtures/chromium-156-<kind>.json) on every stable field, HPACK included.
//
// Not compared (inspect::compare_request documents why): the values of :authority (ephemeral port), :path,
// referer and origin (they contain the port), cookie (session state); the report's label and ports.
#include <gtest/gtest.h>

#include "capture/capture_report.h"
#include "inspect/compare_h2.h"
#include "test_client.h"
#include "wraith/client.h"

using namespace wraith;
using namespace wraith::inspect::testing;

namespace {

nlohmann::json replay(RunningInspector& inspector, const std::string& profile) {
  ClientConfig config;
  config.profile = profile;
  config.insecure = true;
  const std::string origin = "https://127.0.0.1:" + std::to_string(inspector.port());
  const std::string page = origin + "/capture/wraith?label=wraith-kinds";
  {
    Client client(config);
    auto nav = client.get(page);
    EXPECT_TRUE(nav) << nav.error().describe();
    for (const char* kind : capture::kCaptureKinds) {
      Request request;
      request.url = origin + "/k/" + kind;
      request.kind = *parse_request_kind(kind);
      request.referer = page;
      if (std::string(kind) == "form") {
        request.method = "POST";
        request.body = "q=wraith";
      }
      auto r = client.send(request);
      EXPECT_TRUE(r) << kind << ": " << r.error().describe();
      if (r) EXPECT_EQ(r->status, 200) << kind;
    }
  }
  EXPECT_TRUE(inspector.wait_for(1, 10s));
  auto reports = inspector.reports();
  return reports.empty() ? nlohmann::json() : reports.front();
}

}  // namespace

TEST(CaptureClientKinds, Chromium156MatchesEachCapturedKind) {
  RunningInspector inspector;
  const auto ours = replay(inspector, "chromium156");
  ASSERT_TRUE(ours.is_object());
  ASSERT_EQ(ours["requests"].size(), 5u) << "one connection carries all five requests";
  for (const char* kind : capture::kCaptureKinds) {
    const auto reference = load_fixture(std::string("chromium-156-") + kind + ".json");
    const std::size_t index = reference["capture_request_index"].get<std::size_t>();
    ASSERT_EQ(capture::request_index_of(ours, kind), index) << kind;
    int differing = 0;
    for (const auto& f : inspect::compare_request(ours, reference, index)) {
      EXPECT_TRUE(f.match) << kind << ": " << fingerprint::describe(f);
      differing += !f.match;
    }
    EXPECT_EQ(differing, 0) << kind;
  }
}
