// `wraith profile capture` (tools/wraith/profile_command.cc), compiled into the test: usage errors, a missing
// browser, and the full round trip with Debian's Chromium — the written file loads with load_profile_file
// (what --profile-file uses) and wraith with it equals the browser's own capture on every stable field.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "commands.h"
#include "replay.h"
#include "wraith/profile.h"

using namespace wraith;
using namespace wraith::inspect::testing;

namespace {

int run(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return cli::profile_command(static_cast<int>(argv.size()), argv.data());
}

std::string temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("wraith-" + std::to_string(getpid()) + "-" + name);
}

}  // namespace

TEST(ProfileCommand, UsageErrors) {
  EXPECT_EQ(run({}), 2);
  EXPECT_EQ(run({"frobnicate"}), 2);
  EXPECT_EQ(run({"capture", "--bogus"}), 2);
  EXPECT_EQ(run({"capture", "--out"}), 2);
  EXPECT_EQ(run({"capture", "--timeout", "0"}), 2);
  EXPECT_EQ(run({"capture", "--help"}), 0);
}

TEST(ProfileCommand, MissingBrowserFailsWithoutWriting) {
  const auto out = temp_path("none.json");
  EXPECT_EQ(run({"capture", "--browser", "/nonexistent/chromium", "--out", out}), 1);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(ProfileCommand, CapturedProfileFileReproducesTheBrowser) {
  if (!std::filesystem::exists("/usr/bin/chromium")) GTEST_SKIP() << "no /usr/bin/chromium";
  const auto out = temp_path("captured.json"), report_file = temp_path("report.json");
  ASSERT_EQ(run({"capture", "--browser", "/usr/bin/chromium", "--out", out, "--report", report_file, "--name", "mine"}), 0);
  auto loaded = load_profile_file(out);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->name, "mine");
  std::ifstream in(report_file);
  const auto browser = nlohmann::json::parse(in);
  std::filesystem::remove(out);
  std::filesystem::remove(report_file);
  RunningInspector inspector;
  ClientConfig config;
  config.profile_data = *loaded;
  const auto ours = capture::testing::replay_capture_page(inspector, config);
  ASSERT_TRUE(ours.is_object());
  std::string all;
  for (const auto& d : capture::testing::replay_differences(ours, browser)) all += d + "\n";
  EXPECT_TRUE(all.empty()) << all;
}
