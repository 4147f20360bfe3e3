// Debian's Chromium 156 run headless against the capture page: every kind arrives on the page's connection,
// and a fresh capture agrees with the committed fixtures (tests/fixtures/chromium-156-<kind>.json) on every
// stable request field. WRAITH_CAPTURE_WRITE=DIR writes the per-kind views there (how the fixtures were made).
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "capture/browser_run.h"
#include "capture/capture_report.h"
#include "inspect/compare_h2.h"

using namespace wraith;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
// Headless changes only the UA (HeadlessChrome/...); like tests/fixtures/chromium-156-ua.json, the kind
// fixtures are captured with the non-headless UA so that they stand for the browser a user runs.
constexpr const char* kDesktopUa =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

nlohmann::json fixture(const std::string& name) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/" + name);
  if (!in) throw std::runtime_error("missing fixture " + name);
  return nlohmann::json::parse(in);
}

const nlohmann::json& live_capture() {
  static const nlohmann::json report = [] {
    capture::BrowserRunOptions options;
    options.browser = kChromium;
    options.label = "chromium-156-kinds";
    options.extra_flags = {std::string("--user-agent=") + kDesktopUa};
    auto r = capture::run_browser_capture(options);
    if (!r) return nlohmann::json{{"error", r.error().describe()}};
    if (const char* dir = std::getenv("WRAITH_CAPTURE_WRITE"))
      for (const char* kind : capture::kCaptureKinds)
        if (auto view = capture::kind_view(*r, kind))
          std::ofstream(std::string(dir) + "/chromium-156-" + kind + ".json") << view->dump(1) << "\n";
    return *r;
  }();
  return report;
}

}  // namespace

TEST(CaptureChromium, EveryKindArrivesOnThePageConnection) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium;
  const auto& report = live_capture();
  ASSERT_FALSE(report.contains("error")) << report["error"];
  EXPECT_EQ(report["http_version"], "h2");
  EXPECT_EQ(capture::request_index_of(report, "navigate"), 0u);
  for (const char* kind : capture::kCaptureKinds) EXPECT_TRUE(capture::request_index_of(report, kind)) << kind;
  // The page's own navigation is the ground-truth navigation (chromium-156-ua.json) on every stable field.
  for (const auto& f : inspect::compare_http(report, fixture("chromium-156-ua.json")))
    EXPECT_TRUE(f.match) << fingerprint::describe(f);
}

TEST(CaptureChromium, EachKindMatchesItsFixture) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium;
  const auto& report = live_capture();
  ASSERT_FALSE(report.contains("error")) << report["error"];
  for (const char* kind : capture::kCaptureKinds) {
    const auto reference = fixture(std::string("chromium-156-") + kind + ".json");
    const std::size_t index = reference["capture_request_index"].get<std::size_t>();
    ASSERT_EQ(capture::request_index_of(report, kind), index) << kind << ": requests came in another order";
    for (const auto& f : inspect::compare_request(report, reference, index))
      EXPECT_TRUE(f.match) << kind << ": " << fingerprint::describe(f);
  }
}
