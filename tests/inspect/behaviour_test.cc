// The inspector as an HTTP/2 and HTTP/1.1 server: multiplexing, flow control both ways, PING, client
// RST_STREAM and GOAWAY, keep-alive with chunked bodies, report files.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "h2/frame/bytes.h"
#include "h2/frame/data.h"
#include "h2/frame/goaway.h"
#include "h2/frame/ping.h"
#include "h2/frame/rst_stream.h"
#include "h2/frame/settings.h"
#include "h2/frame/types.h"
#include "h2/hpack/encoder.h"
#include "test_client.h"

using namespace wraith;
using namespace wraith::inspect;
using namespace wraith::inspect::testing;

namespace {

Headers get_request(std::uint16_t port, const std::string& path, const std::string& method = "GET") {
  return {{":method", method}, {":authority", "127.0.0.1:" + std::to_string(port)}, {":scheme", "http"},
          {":path", path}, {"user-agent", "wraith-test"}};
}

std::vector<std::uint8_t> preface(std::vector<h2::Setting> settings = {}) {
  std::vector<std::uint8_t> out(h2::kClientPreface.begin(), h2::kClientPreface.end());
  h2::encode_settings(out, settings);
  return out;
}

bool has_frame(const H2Client& c, h2::FrameType type, std::uint32_t stream = UINT32_MAX) {
  for (const auto& f : c.frames)
    if (f.header.is(type) && (stream == UINT32_MAX || f.header.stream_id == stream)) return true;
  return false;
}

}  // namespace

TEST(InspectH2, ServerSettingsAdvertiseExtendedConnect) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  ASSERT_TRUE(raw->write(preface()));
  ASSERT_TRUE(h2.read_until([](const ReceivedFrame& f) { return f.header.is(h2::FrameType::settings) && !f.header.has(h2::flags::ack); }));
  const auto& settings = h2.frames.front();
  bool connect_protocol = false;
  for (std::size_t at = 0; at + 6 <= settings.payload.size(); at += 6)
    if (h2::wire::get16(&settings.payload[at]) == 8 && h2::wire::get32(&settings.payload[at + 2]) == 1) connect_protocol = true;
  EXPECT_TRUE(connect_protocol);
  ASSERT_TRUE(h2.read_until([](const ReceivedFrame& f) { return f.header.is(h2::FrameType::settings) && f.header.has(h2::flags::ack); }));
}

TEST(InspectH2, MultiplexedStreamsAreEachAnswered) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  auto bytes = preface();
  for (std::uint32_t id : {1u, 3u, 5u})
    append_headers(bytes, id, encoder, get_request(inspector.port(), "/s" + std::to_string(id)), true, std::nullopt);
  ASSERT_TRUE(raw->write(bytes));
  for (std::uint32_t id : {1u, 3u, 5u}) {
    ASSERT_TRUE(h2.read_response(id)) << id;
    auto body = h2.body_json(id);
    ASSERT_TRUE(body.is_object()) << id;
    EXPECT_EQ(body["this_request"]["stream_id"], id);
    EXPECT_EQ(body["this_request"]["path"], "/s" + std::to_string(id));
    EXPECT_EQ(h2.headers[id].at(0).value, "200");
  }
  raw->close();
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  ASSERT_EQ(report["requests"].size(), 3u);
  EXPECT_EQ(report["request"]["path"], "/s1");
  // Later requests index what the first one inserted: the decoder state is per connection.
  EXPECT_EQ(report["requests"][1]["hpack"]["fields"][1]["table"], "dynamic");
}

TEST(InspectH2, UploadIsCountedAndItsWindowHandedBack) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  auto bytes = preface();
  append_headers(bytes, 1, encoder, get_request(inspector.port(), "/upload", "POST"), false, std::nullopt);
  const std::size_t total = 300000;  // beyond the 65535 default windows: only works if credit comes back
  std::vector<std::uint8_t> chunk(16384, 'x');
  ASSERT_TRUE(raw->write(bytes));
  std::size_t sent = 0;
  std::uint64_t credited = 0;
  while (sent < total) {
    std::size_t n = std::min(chunk.size(), total - sent);
    std::vector<std::uint8_t> frame;
    h2::encode_data(frame, 1, std::span(chunk.data(), n), sent + n == total);
    ASSERT_TRUE(raw->write(frame));
    sent += n;
  }
  ASSERT_TRUE(h2.read_response(1, 10s));
  for (const auto& f : h2.frames)
    if (f.header.is(h2::FrameType::window_update) && f.header.stream_id == 0) credited += h2::wire::get31(f.payload.data());
  EXPECT_GE(credited, total);
  auto body = h2.body_json(1);
  EXPECT_EQ(body["this_request"]["body_length"], total);
  EXPECT_EQ(body["this_request"]["method"], "POST");
}

TEST(InspectH2, ResponseHonoursTheClientsTinyWindow) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  h2.auto_window_update = true;
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  auto bytes = preface({{4, 100}});  // INITIAL_WINDOW_SIZE 100
  append_headers(bytes, 1, encoder, get_request(inspector.port(), "/"), true, std::nullopt);
  ASSERT_TRUE(raw->write(bytes));
  ASSERT_TRUE(h2.read_response(1, 10s));
  std::size_t data_frames = 0;
  for (const auto& f : h2.frames)
    if (f.header.is(h2::FrameType::data)) {
      ++data_frames;
      EXPECT_LE(f.header.length, 100u);
    }
  EXPECT_GT(data_frames, 10u);
  EXPECT_TRUE(h2.body_json(1).is_object());
}

TEST(InspectH2, PingIsAnswered) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  auto bytes = preface();
  h2::encode_ping(bytes, false, {1, 2, 3, 4, 5, 6, 7, 8});
  ASSERT_TRUE(raw->write(bytes));
  ASSERT_TRUE(h2.read_until([](const ReceivedFrame& f) { return f.header.is(h2::FrameType::ping); }));
  const auto& ping = *std::find_if(h2.frames.begin(), h2.frames.end(),
                                   [](const ReceivedFrame& f) { return f.header.is(h2::FrameType::ping); });
  EXPECT_TRUE(ping.header.has(h2::flags::ack));
  EXPECT_EQ(ping.payload, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(InspectH2, ClientResetAndGoawayEndTheConnectionCleanly) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  auto bytes = preface();
  append_headers(bytes, 1, encoder, get_request(inspector.port(), "/never-finished", "POST"), false, std::nullopt);
  h2::encode_rst_stream(bytes, 1, h2::ErrorCode::cancel);
  h2::encode_goaway(bytes, 0, h2::ErrorCode::no_error);
  ASSERT_TRUE(raw->write(bytes));
  EXPECT_FALSE(h2.read_until([](const ReceivedFrame&) { return false; }, 3s));  // until the server closes
  EXPECT_TRUE(raw->closed());
  EXPECT_FALSE(has_frame(h2, h2::FrameType::data, 1));  // nothing sent on a reset stream
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["close_reason"], "client-goaway");
  EXPECT_EQ(report["request"]["reset_by_client"], "CANCEL");
  EXPECT_EQ(report["h2"]["goaway"]["error_name"], "NO_ERROR");
  EXPECT_TRUE(report["errors"].empty());
}

TEST(InspectH1, KeepAliveChunkedBodiesAndClose) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  ASSERT_TRUE(raw->write("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
                         "POST /two HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
                         "PUT /three HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"));
  std::string all = raw->read_all(5s);
  EXPECT_TRUE(raw->closed());
  std::size_t responses = 0;
  for (std::size_t at = all.find("HTTP/1.1 200 OK"); at != std::string::npos; at = all.find("HTTP/1.1 200 OK", at + 1))
    ++responses;
  EXPECT_EQ(responses, 3u);
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["close_reason"], "client-asked-close");
  ASSERT_EQ(report["requests"].size(), 3u);
  EXPECT_EQ(report["requests"][1]["body_length"], 11);
  EXPECT_EQ(report["requests"][1]["trailers"][0], "X-Trailer: t");
  EXPECT_EQ(report["requests"][2]["body_length"], 4);
  EXPECT_EQ(report["fingerprint"]["http_version"], "http/1.1");
  EXPECT_EQ(report["transport"], "tcp");
}

TEST(InspectFiles, OneReportFilePerConnection) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "wraith-inspect-out";
  std::filesystem::remove_all(dir);
  InspectorOptions options;
  options.out_dir = dir.string();
  RunningInspector inspector(options);
  for (int i = 0; i < 2; ++i) {
    auto raw = RawClient::tcp(inspector.port());
    ASSERT_TRUE(raw->write("GET /?label=file HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    raw->read_all(5s);
  }
  ASSERT_TRUE(inspector.wait_for(2));
  for (int n : {1, 2}) {
    std::ifstream in(dir / ("conn-" + std::to_string(n) + ".json"));
    ASSERT_TRUE(in) << n;
    auto doc = nlohmann::json::parse(in);
    EXPECT_EQ(doc["connection"], n);
    EXPECT_EQ(doc["label"], "file");
    EXPECT_TRUE(doc["finalized"].get<bool>());
  }
}

TEST(InspectH1, PipelinedRequestsAreAllAnsweredInOrder) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  std::string burst;
  for (int i = 0; i < 30; ++i) burst += "GET /p" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  burst += "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(raw->write(burst));
  std::string all = raw->read_all(10s);
  EXPECT_TRUE(raw->closed());
  std::size_t responses = 0, last = 0;
  for (std::size_t at = all.find("HTTP/1.1 200 OK"); at != std::string::npos; at = all.find("HTTP/1.1 200 OK", at + 1)) {
    ++responses;
    last = at;
  }
  EXPECT_EQ(responses, 31u);
  EXPECT_NE(all.find("\"path\":\"/last\"", last), std::string::npos);
}
