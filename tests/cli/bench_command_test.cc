// `wraith bench` as issue #5 states it: N GETs with C in flight against nghttpd, every one counted only with
// status 200 and its whole body, and the last line one JSON object. (Functional only: no time is asserted.)
#include <gtest/gtest.h>

#include "cli_harness.h"
#include "tls/certificate.h"
#include "wraith/profile.h"

using namespace wraith::cli_test;
using namespace wraith::test_support;

namespace {

nlohmann::json last_json_line(const std::string& out) {
  auto end = out.find_last_not_of('\n');
  auto start = out.rfind('\n', end);
  return nlohmann::json::parse(out.substr(start == std::string::npos ? 0 : start + 1, end - start));
}

}  // namespace

TEST(BenchCommand, TenThousandRequestsHundredInFlightAgainstNghttpd) {
  if (!program_exists("/usr/sbin/nghttpd")) GTEST_SKIP() << "nghttpd (nghttp2-server) not installed";
  TempDir dir("wraith-bench-cmd");
  auto cert = wraith::tls::make_certificate({});
  write_file(dir.path() + "/key.pem", cert->private_key);
  write_file(dir.path() + "/cert.pem", cert->certificate);
  write_file(dir.path() + "/small", std::string(100, 's'));
  auto port = free_port();
  Process server({"/usr/sbin/nghttpd", "-d", dir.path(), "-a", "127.0.0.1", std::to_string(port), dir.path() + "/key.pem",
                  dir.path() + "/cert.pem"},
                 dir.path() + "/nghttpd.log");
  ASSERT_TRUE(wait_for_port(port));
  const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/small";
  auto run = run_wraith({"bench", "--url", url, "--n", "10000", "--concurrency", "100", "-k"});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  auto result = last_json_line(run.out);
  EXPECT_EQ(result["ok"], 10000);
  EXPECT_EQ(result["errors"], 0);
  EXPECT_EQ(result["bytes"], 1000000);
  EXPECT_EQ(result["proto"], "h2");
  EXPECT_GT(result["loop_s"].get<double>(), 0);
  EXPECT_NE(run.out.find("latency ms: p50"), std::string::npos);

  // A missing path is a 404 for every request: all errors, none counted, exit 1.
  auto missing = run_wraith({"bench", "--url", url + "-missing", "--n", "50", "--concurrency", "10", "-k"});
  EXPECT_EQ(missing.code, 1);
  auto bad = last_json_line(missing.out);
  EXPECT_EQ(bad["ok"], 0);
  EXPECT_EQ(bad["errors"], 50);

  // --profile-file: a profile from a file (here the built-in one written out with fixed priorities) is used;
  // an unreadable file is a config error before any request.
  auto profile = wraith::builtin_profile("chrome156");
  ASSERT_TRUE(profile);
  profile->h2.priority_dependencies = "fixed";
  write_file(dir.path() + "/fixed.json", wraith::profile_to_json(*profile));
  auto from_file = run_wraith({"bench", "--url", url, "--n", "200", "--concurrency", "20", "--profile-file",
                               dir.path() + "/fixed.json", "-k"});
  EXPECT_EQ(from_file.code, 0) << from_file.err;
  EXPECT_EQ(last_json_line(from_file.out)["ok"], 200);
  auto no_file = run_wraith({"bench", "--url", url, "--profile-file", dir.path() + "/none.json", "-k"});
  EXPECT_NE(no_file.code, 0);
  EXPECT_NE(no_file.err.find("none.json"), std::string::npos) << no_file.err;

  // HTTP/1.1 on the same server is refused by ALPN (nghttpd speaks only h2): typed failure, no hang.
  auto h1 = run_wraith({"bench", "--url", url, "--n", "10", "--concurrency", "2", "--proto", "h1", "-k"});
  EXPECT_NE(h1.code, 0);
}
