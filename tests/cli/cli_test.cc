// The wraith executable as a user runs it: `wraith inspect` as the independent observer of `wraith get`,
// and curl-style exit codes for bad input.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace wraith::test_support;

namespace {

const std::string kWraith = std::string(WRAITH_BIN_DIR) + "/wraith";

int run(const std::string& args) {
  int status = std::system((kWraith + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<nlohmann::json> reports(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> out;
  for (const auto& f : files) {
    auto doc = nlohmann::json::parse(std::ifstream(f));
    // The readiness probe connects without TLS; only real handshakes count.
    if (doc.contains("tls_raw_client_hello_hex")) out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace

TEST(Cli, InspectorSeesWraithGetLikeChromium) {
  std::string out = make_temp_dir("wraith-cli-inspect");
  auto port = free_port();
  Process inspector({kWraith, "inspect", "--port", std::to_string(port), "--out", out}, out + ".log");
  ASSERT_TRUE(wait_for_port(port));
  std::string p = std::to_string(port);
  // Hostname, hostname again (resumed), IP, IP again (resumed): a fresh connection per URL.
  int code = run("get --fresh-connect --profile chromium156 -k -s --resolve fpcheck.test:" + p + ":127.0.0.1 https://fpcheck.test:" + p +
                 "/a https://fpcheck.test:" + p + "/b https://127.0.0.1:" + p + "/c https://127.0.0.1:" + p + "/d");
  EXPECT_EQ(code, 0);
  for (int i = 0; i < 100 && reports(out).size() < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto seen = reports(out);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0]["fingerprint"]["ja4"], "t13d1517h2_8daaf6152771_cb7bf5808d99");
  EXPECT_EQ(seen[1]["tls"]["negotiated"]["session_reused"], true);
  EXPECT_EQ(seen[2]["fingerprint"]["ja4"], "t13i1516h2_8daaf6152771_cb7bf5808d99");
  EXPECT_EQ(seen[3]["fingerprint"]["ja4"], "t13i1517h2_8daaf6152771_e2d80978ab2e");
  EXPECT_EQ(seen[3]["tls"]["negotiated"]["session_reused"], true);
  EXPECT_EQ(seen[0]["fingerprint"]["akamai"], "1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p");
}

TEST(Cli, BadInputGetsTypedExitCodes) {
  std::string out = make_temp_dir("wraith-cli-codes");
  auto port = free_port();
  Process inspector({kWraith, "inspect", "--port", std::to_string(port), "--out", out}, out + ".log");
  ASSERT_TRUE(wait_for_port(port));
  std::string url = "https://127.0.0.1:" + std::to_string(port) + "/";
  EXPECT_EQ(run("get --profile netscape4 " + url), 2);                 // unknown profile
  EXPECT_EQ(run("get --cacert /nonexistent/ca.pem " + url), 77);       // unreadable CA file
  EXPECT_EQ(run("get " + url), 60);                                    // self-signed: untrusted without -k
  EXPECT_EQ(run("get --resolve other.test:" + std::to_string(port) + ":127.0.0.1 https://other.test:" +
                std::to_string(port) + "/"), 60);                      // certificate not for that name
  EXPECT_EQ(run("get -k https://127.0.0.1:" + std::to_string(free_port()) + "/"), 7);  // refused
  EXPECT_EQ(run("get 'http://exa mple.test/'"), 3);                    // malformed URL
  EXPECT_EQ(run("get -k " + url), 0);
}
