// The inspector's small pieces: sniffing, the request-head reader, h2 names and frame JSON.
#include <gtest/gtest.h>

#include "h2/frame/frame_header.h"
#include "h2/frame/headers.h"
#include "h2/frame/settings.h"
#include "h2/frame/types.h"
#include "inspect/h1_request_head.h"
#include "inspect/h2_json.h"
#include "inspect/h2_names.h"
#include "inspect/ja4h.h"
#include "inspect/sniff.h"
#include "test_client.h"
#include "util/hex.h"

using namespace wraith;
using namespace wraith::inspect;

namespace {
std::span<const std::uint8_t> bytes(std::string_view s) {
  return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}
}  // namespace

TEST(InspectSniff, DecidesFromFirstBytes) {
  EXPECT_EQ(sniff(bytes("")), Sniffed::need_more);
  EXPECT_EQ(sniff(bytes("\x16\x03\x01")), Sniffed::tls);
  EXPECT_EQ(sniff(bytes("PRI * HTTP/2.0\r\n")), Sniffed::need_more);
  EXPECT_EQ(sniff(bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")), Sniffed::h2c);
  EXPECT_EQ(sniff(bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00")), Sniffed::h2c);
  EXPECT_EQ(sniff(bytes("POST / HTTP/1.1\r\n")), Sniffed::http1);
  EXPECT_EQ(sniff(bytes("GET")), Sniffed::http1);
  EXPECT_EQ(sniff(bytes("P")), Sniffed::need_more);
}

TEST(InspectH1Head, KeepsCaseOrderAndSpacing) {
  std::string head = "\r\nGET /x?y HTTP/1.1\r\nHost: a:1\r\nX-Mixed-Case:\t  v  \r\nempty:\r\n\r\n";
  ASSERT_EQ(find_head_end(head), head.size());
  auto parsed = parse_request_head(head);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->request_line, "GET /x?y HTTP/1.1");
  EXPECT_EQ(parsed->method, "GET");
  EXPECT_EQ(parsed->target, "/x?y");
  EXPECT_EQ(parsed->version, "HTTP/1.1");
  ASSERT_EQ(parsed->headers.size(), 3u);
  EXPECT_EQ(parsed->headers[1].first, "X-Mixed-Case");
  EXPECT_EQ(parsed->headers[1].second, "v");
  EXPECT_EQ(parsed->raw_lines[1], "X-Mixed-Case:\t  v  ");
  EXPECT_EQ(parsed->spaces_after_colon, (std::vector<int>{1, 3, 0}));
  EXPECT_FALSE(parsed->bare_lf);
  ASSERT_NE(find_header(*parsed, "x-mixed-case"), nullptr);
  EXPECT_EQ(find_header(*parsed, "absent"), nullptr);
}

TEST(InspectH1Head, FindsEndAcrossLineEndings) {
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n"), 0u);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\nHost: x\n\nBODY"), 24u);
  auto parsed = parse_request_head("GET / HTTP/1.1\nHost: x\n\n");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->bare_lf);
}

TEST(InspectH1Head, RejectsMalformedHeads) {
  for (const char* bad : {"GET /\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n", "GET / HTTX/1.1\r\n\r\n",
                          "GET / HTTP/1.1\r\nNoColon\r\n\r\n", "GET / HTTP/1.1\r\nName : v\r\n\r\n",
                          "GET / HTTP/1.1\r\n: v\r\n\r\n", "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
                          "G(T / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n"}) {
    auto parsed = parse_request_head(bad);
    EXPECT_FALSE(parsed) << bad;
    if (!parsed) {
      EXPECT_EQ(parsed.error().kind, ErrorKind::protocol);
    }
  }
}

TEST(InspectH2Json, NamesAsInTheFixtures) {
  EXPECT_STREQ(setting_name(1), "HEADER_TABLE_SIZE");
  EXPECT_STREQ(setting_name(8), "ENABLE_CONNECT_PROTOCOL");
  EXPECT_STREQ(setting_name(0x0a0a), "UNKNOWN");
  EXPECT_EQ(flag_names(1, 0x25), (std::vector<std::string>{"END_STREAM", "END_HEADERS", "PRIORITY"}));
  EXPECT_EQ(flag_names(4, 0x1), (std::vector<std::string>{"ACK"}));
  EXPECT_EQ(flag_names(0, 0x9), (std::vector<std::string>{"END_STREAM", "PADDED"}));
  EXPECT_TRUE(flag_names(8, 0xff).empty());
  EXPECT_EQ(error_code_name(0xb), "ENHANCE_YOUR_CALM");
  EXPECT_EQ(error_code_name(0x77), "0x77");
}

TEST(InspectH2Json, FramesMatchTheFixtureShape) {
  // The fixture's preface frames, re-encoded and described again, must come out as the fixture has them.
  const auto fixture = inspect::testing::load_fixture("chromium-156.json");
  const auto& expected = fixture["h2"]["preface_frames"];
  std::vector<std::uint8_t> wire = inspect::testing::chrome_preface(fixture);
  wire.erase(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(h2::kClientPreface.size()));
  auto block = *util::from_hex(fixture["request"]["headers_frame"]["header_block_hex"].get<std::string>());
  h2::encode_headers(wire, 1, block, true, true, inspect::testing::fixture_priority(fixture));
  h2::FrameReader reader;
  reader.feed(wire);
  std::size_t i = 0;
  h2::Frame frame;
  while (*reader.next(frame)) {
    auto j = frame_json(frame, i, 0);
    auto want = expected.at(i);
    want["t_ms"] = 0;
    EXPECT_EQ(j, want) << j.dump() << "\n" << want.dump();
    EXPECT_EQ(sequence_name(frame.header), fixture["h2"]["preface_frame_sequence"][i]);
    ++i;
  }
  EXPECT_EQ(i, 3u);
}

TEST(InspectH2Json, TableSizeUpdatesAtBlockStart) {
  const std::uint8_t block[] = {0x20, 0x3f, 0xe1, 0x1f, 0x82};  // size 0, size 4096, then :method GET
  EXPECT_EQ(leading_table_size_updates(block), (std::vector<std::uint32_t>{0, 4096}));
  const std::uint8_t none[] = {0x82, 0x20};
  EXPECT_TRUE(leading_table_size_updates(none).empty());
}

TEST(InspectJa4h, MatchesEveryCapture) {
  for (const char* name : {"chromium-156.json", "chromium-156-http1.json", "chromium-156-resumed.json", "curl.json",
                           "chromium-156-sni.json", "chromium-156-headful.json"}) {
    auto fixture = inspect::testing::load_fixture(name);
    EXPECT_EQ(ja4h(fixture["request"], fixture["http_version"].get<std::string>()), fixture["fingerprint"]["ja4h"]) << name;
  }
}

TEST(InspectJa4h, CookiesAndReferer) {
  nlohmann::json headers = nlohmann::json::array();
  for (auto [n, v] : {std::pair{":method", "POST"}, {"cookie", "b=2; a=1"}, {"Referer", "x"}, {"x", "y"}})
    headers.push_back(nlohmann::json::array({n, v}));
  nlohmann::json request = {{"method", "POST"}, {"headers", headers}};
  auto h = ja4h(request, "h2");
  EXPECT_EQ(h.substr(0, 13), "po20cr010000_");
  EXPECT_NE(h.substr(26, 12), "000000000000");
}
