// A hand-written Chrome (its preface, its HEADERS block encoded with the chrome() HPACK policy, its TLS
// hello from the chromium156 profile) against the inspector: the report must compare all-match with the
// ground-truth capture on every stable field.
#include <gtest/gtest.h>

#include "h2/hpack/encoder.h"
#include "h2/hpack/encoder_policy.h"
#include "inspect/compare_h2.h"
#include "test_client.h"

using namespace wraith;
using namespace wraith::inspect;
using namespace wraith::inspect::testing;

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Sends Chrome's first flight for the fixture's navigation and returns the response body (parsed).
nlohmann::json navigate_h2(RawClient& raw, const nlohmann::json& fixture, std::uint16_t port, H2Client& h2) {
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  auto bytes = chrome_preface(fixture);
  append_headers(bytes, 1, encoder,
                 fixture_request_headers(fixture, "127.0.0.1:" + std::to_string(port), "/?label=wraith-test"), true,
                 fixture_priority(fixture));
  EXPECT_TRUE(raw.write(bytes));
  EXPECT_TRUE(h2.read_response(1));
  return h2.body_json(1);
}

}  // namespace

TEST(InspectFidelity, TlsH2ChromeFirstFlightMatchesChromium156) {
  const auto fixture = load_fixture("chromium-156.json");
  RunningInspector inspector;
  auto raw = RawClient::tls(inspector.port());
  ASSERT_EQ(raw->alpn(), "h2");
  H2Client h2(*raw);
  auto body = navigate_h2(*raw, fixture, inspector.port(), h2);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["this_request"]["stream_id"], 1);
  EXPECT_EQ(h2.headers[1].at(0).value, "200");
  // The response is the report so far: the TLS half is already there.
  EXPECT_EQ(body["fingerprint"]["ja4"], fixture["fingerprint"]["ja4"]);
  raw->close();
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["transport"], "tls");
  EXPECT_EQ(report["close_reason"], "client-end");
  EXPECT_EQ(report["label"], "wraith-test");
  EXPECT_EQ(report["tls"]["negotiated"]["alpn"], "h2");
  EXPECT_EQ(report["tls"]["negotiated"]["group"], "X25519MLKEM768");
  auto diffs = differences(report, fixture, true);
  EXPECT_TRUE(diffs.empty()) << join(diffs);
  EXPECT_GT(compare_http(report, fixture).size(), 40u);  // the comparison really covers the request
  EXPECT_EQ(report["fingerprint"]["akamai"], fixture["fingerprint"]["akamai"]);
  EXPECT_EQ(report["fingerprint"]["akamai_md5"], fixture["fingerprint"]["akamai_md5"]);
  EXPECT_EQ(report["fingerprint"]["ja4"], fixture["fingerprint"]["ja4"]);
  EXPECT_EQ(report["fingerprint"]["ja3n_md5"], fixture["fingerprint"]["ja3n_md5"]);
  EXPECT_EQ(report["fingerprint"]["user_agent"], fixture["fingerprint"]["user_agent"]);
  EXPECT_EQ(report["fingerprint"]["ja4h"], fixture["fingerprint"]["ja4h"]);
  EXPECT_EQ(report["h2"]["frames"].size(), 4u);  // SETTINGS, WINDOW_UPDATE, HEADERS, SETTINGS ACK
  EXPECT_EQ(report["request"]["headers_frame"]["header_block_hex"].get<std::string>().size(),
            2 * report["request"]["headers_frame"]["header_block_length"].get<std::size_t>());
}

TEST(InspectFidelity, H2cPriorKnowledgeMatchesChromium156HttpFields) {
  const auto fixture = load_fixture("chromium-156.json");
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  auto body = navigate_h2(*raw, fixture, inspector.port(), h2);
  ASSERT_TRUE(body.is_object());
  raw->close();
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["transport"], "tcp");
  EXPECT_EQ(report["http_version"], "h2");
  EXPECT_EQ(report["sniff"]["detected"], "h2c");
  auto diffs = differences(report, fixture, false);
  EXPECT_TRUE(diffs.empty()) << join(diffs);
}

TEST(InspectFidelity, TlsHttp1RawLinesMatchChromium156Http1) {
  const auto fixture = load_fixture("chromium-156-http1.json");
  InspectorOptions options;
  options.alpn = {"http/1.1"};  // as the capture's server did
  RunningInspector inspector(options);
  auto raw = RawClient::tls(inspector.port());
  ASSERT_EQ(raw->alpn(), "http/1.1");
  std::string head = "GET /?label=wraith-h1 HTTP/1.1\r\n";
  for (const auto& line : fixture["request"]["raw_header_lines"]) {
    std::string l = line.get<std::string>();
    if (l.rfind("Host:", 0) == 0) l = "Host: 127.0.0.1:" + std::to_string(inspector.port());
    head += l + "\r\n";
  }
  head += "\r\n";
  ASSERT_TRUE(raw->write(head));
  std::string response;
  while (response.find("\r\n\r\n") == std::string::npos || response.back() != '}') {
    auto bytes = raw->read(5s);
    ASSERT_FALSE(bytes.empty());
    response.append(bytes.begin(), bytes.end());
  }
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  auto body = nlohmann::json::parse(response.substr(response.find("\r\n\r\n") + 4));
  EXPECT_EQ(body["this_request"]["raw_header_lines"].size(), fixture["request"]["raw_header_lines"].size());
  raw->close();
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["http_version"], "http/1.1");
  EXPECT_EQ(report["tls"]["negotiated"]["alpn"], "http/1.1");
  EXPECT_FALSE(report.contains("h2"));
  auto diffs = differences(report, fixture, true);
  EXPECT_TRUE(diffs.empty()) << join(diffs);
  EXPECT_GT(compare_http(report, fixture).size(), 15u);
  EXPECT_EQ(report["fingerprint"]["ja4"], fixture["fingerprint"]["ja4"]);
  EXPECT_FALSE(report["fingerprint"].contains("akamai"));
  EXPECT_EQ(report["fingerprint"]["ja4h"], fixture["fingerprint"]["ja4h"]);
}
