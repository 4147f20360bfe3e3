// wraith's client with the chromium156 profile replays the capture page's sequence (navigation, fetch, XHR,
// image, form POST on one connection) against the inspector; each kind's request must equal Chromium 156's
// capture of the same kind (tests/fixtures/chromium-156-<kind>.json) on every stable field, HPACK included.
//
// Not compared (inspect::compare_request documents why): the values of :authority (ephemeral port), :path,
// referer and origin (they contain the port), cookie (session state); the report's label and ports.
#include <gtest/gtest.h>

#include "capture/capture_report.h"
#include "inspect/compare_h2.h"
#include "replay.h"

using namespace wraith;
using namespace wraith::inspect::testing;

TEST(CaptureClientKinds, Chromium156MatchesEachCapturedKind) {
  RunningInspector inspector;
  ClientConfig config;
  config.profile = "chromium156";
  const auto ours = capture::testing::replay_capture_page(inspector, config);
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
  // The whole connection too (TLS hello, preface, navigation) against the same capture.
  std::string all;
  for (const auto& d : capture::testing::replay_differences(ours, load_fixture("chromium-156-form.json"))) all += d + "\n";
  EXPECT_TRUE(all.empty()) << all;
}
