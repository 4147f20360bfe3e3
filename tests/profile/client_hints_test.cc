#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "profile/client_hints.h"
#include "wraith/profile.h"

using namespace wraith;

namespace {
std::string header(const Profile& p, const std::string& kind, const std::string& name) {
  for (const auto& [n, v] : p.kinds.at(kind).h2_headers)
    if (n == name) return v;
  return "";
}
}  // namespace

TEST(ClientHints, ReproducesChromium156Capture) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/chromium-156-ua.json");
  auto doc = nlohmann::json::parse(in);
  std::string captured;
  for (const auto& h : doc["request"]["headers"])
    if (h[0] == "sec-ch-ua") captured = h[1];
  EXPECT_EQ(profile::sec_ch_ua(156, {"Chromium"}), captured);
}

TEST(ClientHints, ReproducesPublishedChrome131) {
  // Google Chrome 131's published header value (a widely logged fact).
  EXPECT_EQ(profile::sec_ch_ua(131, {"Chromium", "Google Chrome"}),
            "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"");
}

TEST(ClientHints, ProfilesAreCoherentWithTheirUserAgent) {
  for (const char* name : {"chromium156", "chrome156-linux", "chrome156-windows", "chrome156-macos", "chrome156-android"}) {
    auto p = builtin_profile(name);
    ASSERT_TRUE(p) << name << ": " << p.error().describe();
    std::string ua = header(*p, "navigate", "user-agent");
    std::string platform = header(*p, "navigate", "sec-ch-ua-platform");
    EXPECT_NE(ua.find("Chrome/156.0.0.0"), std::string::npos) << name;
    if (platform == "\"Windows\"") {
      EXPECT_NE(ua.find("Windows NT 10.0"), std::string::npos);
    }
    if (platform == "\"macOS\"") {
      EXPECT_NE(ua.find("Macintosh"), std::string::npos);
    }
    if (platform == "\"Android\"") {
      EXPECT_NE(ua.find("Android"), std::string::npos);
      EXPECT_EQ(header(*p, "navigate", "sec-ch-ua-mobile"), "?1");
    }
    bool chrome = std::string(name).rfind("chrome156", 0) == 0;
    EXPECT_EQ(header(*p, "navigate", "sec-ch-ua").find("Google Chrome") != std::string::npos, chrome) << name;
    // No placeholder survives loading.
    for (const auto& [kind, t] : p->kinds)
      for (const auto& [n, v] : t.h2_headers) EXPECT_TRUE(v != "{sec-ch-ua}" && v != "{user-agent}") << name << " " << n;
  }
}

TEST(ClientHints, DefaultIsChromeForThisPlatform) {
  EXPECT_EQ(default_profile_name(), "chrome156");
  auto p = builtin_profile("chrome156");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "chrome156-linux");
}
