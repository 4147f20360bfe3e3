// Fidelity: the ClientHello wraith really sends (captured by a loopback server) against Chromium 156's
// captured hellos, field by field, GREASE normalised and per-connection randomness ignored.
#include <fstream>
#include <set>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fingerprint/client_hello.h"
#include "fingerprint/compare.h"
#include "fingerprint/ja3.h"
#include "fingerprint/ja4.h"
#include "tls/connector.h"
#include "tls_server.h"
#include "util/hex.h"
#include "wraith/profile.h"

using namespace wraith;
using fingerprint::ClientHello;

namespace {

ClientHello reference_hello(const std::string& fixture) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/" + fixture);
  auto doc = nlohmann::json::parse(in);
  auto bytes = util::from_hex(doc.at("tls_raw_client_hello_hex").get<std::string>());
  auto hello = fingerprint::parse_client_hello(*bytes);
  EXPECT_TRUE(hello) << hello.error().describe();
  return *hello;
}

class HelloCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = builtin_profile("chromium156");
    ASSERT_TRUE(profile) << profile.error().describe();
    auto context = tls::ClientContext::create(profile->tls, profile->name, {.insecure = true});
    ASSERT_TRUE(context) << context.error().describe();
    context_ = *context;
  }

  // Connects (with a request so tickets arrive) and returns the hello the server saw.
  ClientHello capture(const std::string& host) {
    asio::io_context io;
    tls::TlsConnectOptions options;
    options.tcp.resolve_overrides[host + ":" + std::to_string(server_.port())] = "127.0.0.1";
    auto future = asio::co_spawn(io, [&]() -> asio::awaitable<Result<void>> {
      auto stream = co_await tls::connect_tls(*context_, host, server_.port(), options);
      if (!stream) co_return stream.take_error();
      static const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
      (void)co_await (*stream)->write_all(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
      std::uint8_t buf[512];
      (void)co_await (*stream)->read_some(buf);
      co_return Result<void>{};
    }, asio::use_future);
    io.run();
    auto result = future.get();
    EXPECT_TRUE(result) << result.error().describe();
    ++expected_;
    EXPECT_TRUE(server_.wait_for(expected_));
    auto seen = server_.connections().at(expected_ - 1);
    auto hello = fingerprint::parse_client_hello(seen.client_hello);
    EXPECT_TRUE(hello) << hello.error().describe();
    return hello ? *hello : ClientHello{};
  }

  static void expect_all_match(const ClientHello& ours, const ClientHello& reference) {
    auto fields = fingerprint::compare_client_hellos(ours, reference);
    EXPECT_GT(fields.size(), 25u);
    for (const auto& f : fields) EXPECT_TRUE(f.match) << fingerprint::describe(f);
  }

  test_support::LoopbackTlsServer server_{tls::ServerOptions{}, "ok"};
  std::shared_ptr<tls::ClientContext> context_;
  std::size_t expected_ = 0;
};

}  // namespace

TEST_F(HelloCapture, IpLiteralMatchesChromium) {
  auto ours = capture("127.0.0.1");
  expect_all_match(ours, reference_hello("chromium-156.json"));
  EXPECT_EQ(fingerprint::compute_ja4(ours).ja4, "t13i1516h2_8daaf6152771_cb7bf5808d99");
  EXPECT_FALSE(ours.padding_length.has_value());
}

TEST_F(HelloCapture, HostnameMatchesChromiumWithSni) {
  auto ours = capture("fpcheck.test");
  auto reference = reference_hello("chromium-156-sni.json");
  expect_all_match(ours, reference);
  EXPECT_EQ(ours.server_name, std::optional<std::string>("fpcheck.test"));
  EXPECT_EQ(fingerprint::compute_ja4(ours).ja4, "t13d1517h2_8daaf6152771_cb7bf5808d99");
  EXPECT_EQ(fingerprint::ja3n_string(ours), fingerprint::ja3n_string(reference));
}

TEST_F(HelloCapture, ResumedHelloMatchesChromiumResumed) {
  capture("127.0.0.1");
  auto resumed = capture("127.0.0.1");
  ASSERT_TRUE(server_.connections().at(1).session_reused);
  expect_all_match(resumed, reference_hello("chromium-156-resumed.json"));
  ASSERT_TRUE(resumed.pre_shared_key.has_value());
  EXPECT_EQ(resumed.pre_shared_key->identity_count, 1u);
  EXPECT_TRUE(resumed.pre_shared_key->is_last);
  EXPECT_EQ(fingerprint::compute_ja4(resumed).ja4, "t13i1517h2_8daaf6152771_e2d80978ab2e");
}

TEST_F(HelloCapture, TwentyConnectionsVaryGreaseAndOrderButNotJa4) {
  std::set<std::string> ja4s, ja3s, orders;
  std::set<std::uint16_t> grease_ciphers;
  // A fresh context per connection so none of them resumes (resumption changes JA4 by design).
  for (int i = 0; i < 20; ++i) {
    SetUp();
    auto hello = capture("127.0.0.1");
    ja4s.insert(fingerprint::compute_ja4(hello).ja4);
    ja3s.insert(fingerprint::ja3_string(hello));
    std::string order;
    for (const auto& e : hello.extensions) order += fingerprint::is_grease(e.type) ? "G," : std::to_string(e.type) + ",";
    orders.insert(order);
    grease_ciphers.insert(hello.cipher_suites.at(0));
    EXPECT_TRUE(fingerprint::is_grease(hello.cipher_suites.at(0)));
    EXPECT_TRUE(fingerprint::is_grease(hello.extensions.front().type));
    EXPECT_TRUE(fingerprint::is_grease(hello.extensions.back().type));
  }
  EXPECT_EQ(ja4s.size(), 1u);
  EXPECT_EQ(*ja4s.begin(), "t13i1516h2_8daaf6152771_cb7bf5808d99");
  EXPECT_GT(orders.size(), 15u);  // permuted per connection
  EXPECT_GT(ja3s.size(), 15u);
  EXPECT_GT(grease_ciphers.size(), 3u);
}
