// `wraith inspect` through its command function (the wraith executable itself is linked elsewhere).
#include <filesystem>
#include <fstream>
#include <future>

#include <asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "commands.h"
#include "test_client.h"

using namespace wraith;
using namespace wraith::inspect::testing;

namespace {

int run_command(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return cli::inspect_command(static_cast<int>(argv.size()), argv.data());
}

std::uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

}  // namespace

TEST(InspectCommand, HelpAndBadArguments) {
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(run_command({"--help"}), 0);
  std::string help = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(help.find("usage: wraith inspect"), std::string::npos);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run_command({"--bogus"}), 2);
  EXPECT_EQ(run_command({"--port", "70000"}), 2);
  EXPECT_EQ(run_command({"--port"}), 2);
  ::testing::internal::GetCapturedStderr();
}

TEST(InspectCommand, OnceServesOneConnectionAndWritesItsReport) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "wraith-inspect-cmd";
  std::filesystem::remove_all(dir);
  const std::uint16_t port = free_port();
  ::testing::internal::CaptureStdout();
  auto done = std::async(std::launch::async, [&] {
    return run_command({"inspect", "--port", std::to_string(port), "--out", dir.string(), "--once", "--http1-only"});
  });
  std::unique_ptr<RawClient> raw;
  for (int attempt = 0; attempt < 200 && !raw; ++attempt) {
    try {
      raw = RawClient::tls(port);
    } catch (const std::exception&) {
      std::this_thread::sleep_for(10ms);
    }
  }
  std::string reply;
  if (raw && raw->write("GET /?label=cmd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) reply = raw->read_all(5s);
  bool finished = done.wait_for(10s) == std::future_status::ready;
  // Assertions only once stdout is ours again (gtest prints failures there).
  std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_TRUE(raw);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK", 0), 0u);
  ASSERT_TRUE(finished);
  EXPECT_EQ(done.get(), 0);
  EXPECT_NE(out.find("listening on https://127.0.0.1:" + std::to_string(port) + "/"), std::string::npos) << out;
  std::ifstream in(dir / "conn-1.json");
  ASSERT_TRUE(in);
  auto doc = nlohmann::json::parse(in);
  EXPECT_EQ(doc["label"], "cmd");
  EXPECT_EQ(doc["transport"], "tls");
  EXPECT_EQ(doc["fingerprint"]["ja4"], load_fixture("chromium-156-http1.json")["fingerprint"]["ja4"]);
}
