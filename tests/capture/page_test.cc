// The inspector's page mode (inspect/page.h): /capture/... is an HTML page that makes every request kind,
// /k/image a PNG, everything else the JSON report — over HTTP/1.1 and HTTP/2.
#include <gtest/gtest.h>

#include "capture/capture_report.h"
#include "inspect/page.h"
#include "test_client.h"

using namespace wraith;
using namespace wraith::inspect;
using namespace wraith::inspect::testing;

namespace {

struct H1Answer {
  std::string head, body;
};

H1Answer h1_get(RawClient& client, const std::string& path) {
  client.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto bytes = client.read(500ms);
    got.append(bytes.begin(), bytes.end());
    const auto end = got.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    const auto cl = got.find("Content-Length: ");
    if (cl == std::string::npos || cl > end) break;
    const std::size_t length = std::stoul(got.substr(cl + 16));
    if (got.size() >= end + 4 + length) return {got.substr(0, end), got.substr(end + 4, length)};
  }
  return {got, ""};
}

bool is_png(const std::string& body) {
  static const std::string signature("\x89PNG\r\n\x1a\n", 8);
  return body.size() > 33 && body.compare(0, 8, signature) == 0 && body.compare(12, 4, "IHDR") == 0 &&
         body.compare(body.size() - 8, 4, "IEND") == 0;
}

}  // namespace

TEST(CapturePage, AnswersByPath) {
  auto page = page_answer("/capture/x?label=y");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->content_type.rfind("text/html", 0), 0u);
  for (const char* needle : {"fetch('/k/fetch')", "'/k/xhr'", "XMLHttpRequest", "'/k/image'", "<img",
                             "action=\"/k/form\"", "method=\"POST\"", "type=\"text\"", ".submit()"})
    EXPECT_NE(page->body.find(needle), std::string::npos) << needle;
  auto image = page_answer("/k/image");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->content_type, "image/png");
  EXPECT_TRUE(is_png(image->body));
  for (const char* json_path : {"/", "/k/fetch", "/k/xhr", "/k/form", "/capture", "/k/image2", "/x/capture/"})
    EXPECT_FALSE(page_answer(json_path)) << json_path;
}

TEST(CapturePage, KindsOfPaths) {
  EXPECT_EQ(capture_kind_of("/capture/run?label=a"), "navigate");
  EXPECT_EQ(capture_kind_of("/k/fetch"), "fetch");
  EXPECT_EQ(capture_kind_of("/k/xhr?x"), "xhr");
  EXPECT_EQ(capture_kind_of("/k/image"), "image");
  EXPECT_EQ(capture_kind_of("/k/form"), "form");
  EXPECT_EQ(capture_kind_of("/k/other"), "");
  EXPECT_EQ(capture_kind_of("/favicon.ico"), "");
}

TEST(CapturePage, ServedOverHttp1AndJsonElsewhere) {
  RunningInspector inspector;
  auto client = RawClient::tcp(inspector.port());
  ASSERT_TRUE(client);
  auto page = h1_get(*client, "/capture/h1?label=page-h1");
  EXPECT_NE(page.head.find("Content-Type: text/html"), std::string::npos) << page.head;
  EXPECT_NE(page.body.find("/k/fetch"), std::string::npos);
  auto image = h1_get(*client, "/k/image");
  EXPECT_NE(image.head.find("Content-Type: image/png"), std::string::npos) << image.head;
  EXPECT_TRUE(is_png(image.body));
  auto fetch = h1_get(*client, "/k/fetch");
  EXPECT_NE(fetch.head.find("Content-Type: application/json"), std::string::npos) << fetch.head;
  auto json = nlohmann::json::parse(fetch.body, nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["this_request"]["path"], "/k/fetch");
  client->close();
  ASSERT_TRUE(inspector.wait_for(1));
  // The report records all three; the kind views pick them out by path.
  auto report = inspector.report(0);
  EXPECT_EQ(report["requests"].size(), 3u);
  auto view = capture::kind_view(report, "fetch");
  ASSERT_TRUE(view);
  EXPECT_EQ((*view)["request"]["path"], "/k/fetch");
  EXPECT_EQ((*view)["capture_request_index"], 2);
  EXPECT_FALSE(capture::kind_view(report, "form"));
}

TEST(CapturePage, ServedOverHttp2) {
  RunningInspector inspector;
  auto raw = RawClient::tls(inspector.port());
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->alpn(), "h2");
  const auto fixture = load_fixture("chromium-156.json");
  raw->write(chrome_preface(fixture));
  H2Client h2(*raw);
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  std::vector<std::uint8_t> out;
  const std::string authority = "127.0.0.1:" + std::to_string(inspector.port());
  append_headers(out, 1, encoder, fixture_request_headers(fixture, authority, "/capture/h2"), true, fixture_priority(fixture));
  append_headers(out, 3, encoder, fixture_request_headers(fixture, authority, "/k/image"), true, fixture_priority(fixture));
  append_headers(out, 5, encoder, fixture_request_headers(fixture, authority, "/k/xhr"), true, fixture_priority(fixture));
  raw->write(out);
  ASSERT_TRUE(h2.read_response(1));
  ASSERT_TRUE(h2.read_response(3));
  ASSERT_TRUE(h2.read_response(5));
  auto content_type = [&](std::uint32_t id) {
    for (const auto& f : h2.headers[id])
      if (f.name == "content-type") return f.value;
    return std::string();
  };
  EXPECT_EQ(content_type(1).rfind("text/html", 0), 0u);
  EXPECT_NE(h2.bodies[1].find("XMLHttpRequest"), std::string::npos);
  EXPECT_EQ(content_type(3), "image/png");
  EXPECT_TRUE(is_png(h2.bodies[3]));
  EXPECT_EQ(content_type(5), "application/json");
  EXPECT_EQ(h2.body_json(5)["this_request"]["path"], "/k/xhr");
}
