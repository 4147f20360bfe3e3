// The real browser against our inspector: Debian's Chromium 156 run headless (the flags of the ground-truth
// captures, tests/fixtures/README) must produce a report that compares all-match with the capture. This
// checks the inspector itself: a field it recorded differently from the capture's server would show here.
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "inspect/compare_h2.h"
#include "test_client.h"

using namespace wraith;
using namespace wraith::inspect;
using namespace wraith::inspect::testing;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

// Runs one headless navigation; extra_flags go before the URL.
int run_chromium(const std::string& url, const std::string& extra_flags) {
  char dir_template[] = "/tmp/wraith-chromium-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (!dir) return -1;
  std::string cmd = std::string("timeout 90 ") + kChromium +
                    " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
                    " --disable-component-update --disable-sync --user-data-dir=" + dir +
                    " --ignore-certificate-errors " + extra_flags + " --dump-dom '" + url + "' >/dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return rc;
}

// The report of the connection that carried the navigation (labelled through its query).
std::optional<nlohmann::json> labelled(RunningInspector& inspector, const std::string& label) {
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& r : inspector.reports())
      if (r.value("label", nlohmann::json()) == label) return r;
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

void expect_matches(const nlohmann::json& report, const nlohmann::json& fixture) {
  EXPECT_EQ(report["fingerprint"]["ja4"], fixture["fingerprint"]["ja4"]);
  EXPECT_EQ(report["fingerprint"]["ja3n"], fixture["fingerprint"]["ja3n"]);
  EXPECT_EQ(report["fingerprint"]["akamai"], fixture["fingerprint"]["akamai"]);
  EXPECT_EQ(report["fingerprint"]["ja4h"], fixture["fingerprint"]["ja4h"]);
  EXPECT_EQ(report["request"]["header_order"], fixture["request"]["header_order"]);
  EXPECT_EQ(report["request"]["pseudo_header_order"], fixture["request"]["pseudo_header_order"]);
  auto fields = compare_http(report, fixture);
  for (const auto& f : fields) {
    // Headless and the capture agree on the UA too (both headless); a headful capture differs only there.
    if (f.field == "header user-agent") continue;
    EXPECT_TRUE(f.match) << fingerprint::describe(f);
  }
  // The favicon request that follows on the same connection: weight 220, dynamic-table indices.
  if (fixture["requests"].size() > 1 && report["requests"].size() > 1) {
    for (const auto& f : compare_request(report, fixture, 1)) {
      if (f.field == "header user-agent") continue;
      EXPECT_TRUE(f.match) << "requests[1] " << fingerprint::describe(f);
    }
  }
  auto diffs = differences(report, fixture, true);
  diffs.erase(std::remove_if(diffs.begin(), diffs.end(), [](const std::string& d) { return d.rfind("header user-agent", 0) == 0; }),
              diffs.end());
  std::string all;
  for (const auto& d : diffs) all += d + "\n";
  EXPECT_TRUE(diffs.empty()) << all;
}

}  // namespace

TEST(InspectChromium, HeadlessNavigationByIpMatchesTheCapture) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium << " (scripts/setup-deps.sh installs it)";
  RunningInspector inspector;
  const std::string url = "https://127.0.0.1:" + std::to_string(inspector.port()) + "/?label=chromium-live-ip";
  EXPECT_EQ(run_chromium(url, ""), 0);
  auto report = labelled(inspector, "chromium-live-ip");
  ASSERT_TRUE(report) << inspector.reports().size() << " reports, none labelled";
  EXPECT_EQ(report->at("http_version"), "h2");
  expect_matches(*report, load_fixture("chromium-156.json"));
}

TEST(InspectChromium, HeadlessNavigationByHostnameMatchesTheSniCapture) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium << " (scripts/setup-deps.sh installs it)";
  RunningInspector inspector;
  const std::string url = "https://fpcheck.test:" + std::to_string(inspector.port()) + "/?label=chromium-live-sni";
  EXPECT_EQ(run_chromium(url, "--host-resolver-rules='MAP fpcheck.test 127.0.0.1'"), 0);
  auto report = labelled(inspector, "chromium-live-sni");
  ASSERT_TRUE(report) << inspector.reports().size() << " reports, none labelled";
  EXPECT_EQ(report->at("tls").at("summary").at("server_name"), "fpcheck.test");
  expect_matches(*report, load_fixture("chromium-156-sni.json"));
}

TEST(InspectChromium, HttpOnlyServerMatchesTheHttp1Capture) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium << " (scripts/setup-deps.sh installs it)";
  InspectorOptions options;
  options.alpn = {"http/1.1"};
  RunningInspector inspector(options);
  const std::string url = "https://127.0.0.1:" + std::to_string(inspector.port()) + "/?label=chromium-live-h1";
  EXPECT_EQ(run_chromium(url, ""), 0);
  auto report = labelled(inspector, "chromium-live-h1");
  ASSERT_TRUE(report) << inspector.reports().size() << " reports, none labelled";
  EXPECT_EQ(report->at("http_version"), "http/1.1");
  auto fixture = load_fixture("chromium-156-http1.json");
  EXPECT_EQ(report->at("fingerprint").at("ja4"), fixture["fingerprint"]["ja4"]);
  EXPECT_EQ(report->at("request").at("header_order"), fixture["request"]["header_order"]);
  auto diffs = differences(*report, fixture, true);
  std::string all;
  for (const auto& d : diffs) all += d + "\n";
  EXPECT_TRUE(diffs.empty()) << all;
}
