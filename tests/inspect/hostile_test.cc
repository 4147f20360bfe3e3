// Hostile and broken clients: each gets a bounded, typed end (400/431, GOAWAY with the right code, a
// timeout), never a crash or a hang, and the inspector goes on serving the next connection.
#include <algorithm>

#include <gtest/gtest.h>

#include "h2/frame/bytes.h"
#include "h2/frame/continuation.h"
#include "h2/frame/data.h"
#include "h2/frame/frame_header.h"
#include "h2/frame/headers.h"
#include "h2/frame/ping.h"
#include "h2/frame/settings.h"
#include "h2/frame/types.h"
#include "h2/frame/window_update.h"
#include "h2/hpack/encoder.h"
#include "test_client.h"

using namespace wraith;
using namespace wraith::inspect;
using namespace wraith::inspect::testing;

namespace {

std::vector<std::uint8_t> preface() {
  std::vector<std::uint8_t> out(h2::kClientPreface.begin(), h2::kClientPreface.end());
  h2::encode_settings(out, {});
  return out;
}

Headers simple_get(std::uint16_t port) {
  return {{":method", "GET"}, {":authority", "127.0.0.1:" + std::to_string(port)}, {":scheme", "http"}, {":path", "/ok"}};
}

// A good h2c request still gets its answer.
void expect_still_serving(RunningInspector& inspector) {
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  auto bytes = preface();
  append_headers(bytes, 1, encoder, simple_get(inspector.port()), true, std::nullopt);
  ASSERT_TRUE(raw->write(bytes));
  ASSERT_TRUE(h2.read_response(1));
  EXPECT_EQ(h2.body_json(1)["this_request"]["path"], "/ok");
}

// Writes `bytes` after the preface and expects a GOAWAY carrying `code`, then the server's close.
void expect_goaway(RunningInspector& inspector, const std::vector<std::uint8_t>& frames, h2::ErrorCode code) {
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  auto bytes = preface();
  bytes.insert(bytes.end(), frames.begin(), frames.end());
  (void)raw->write(bytes);  // the server may close before it has read everything
  h2.read_until([](const ReceivedFrame& f) { return f.header.is(h2::FrameType::goaway); }, 5s);
  EXPECT_TRUE(h2.saw_goaway);
  EXPECT_EQ(h2.goaway_code, static_cast<std::uint32_t>(code)) << h2::to_string(code);
  raw->read_all(3s);
  EXPECT_TRUE(raw->closed());
}

}  // namespace

TEST(InspectHostile, GarbageBytesGet400AndTheServerGoesOn) {
  RunningInspector inspector;
  {
    auto raw = RawClient::tcp(inspector.port());
    ASSERT_TRUE(raw->write(std::string("\x00\xff\x13garbage\x7f\r\n\r\n", 15)));
    std::string reply = raw->read_all(5s);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400 ", 0), 0u) << reply.substr(0, 80);
    EXPECT_TRUE(raw->closed());
  }
  {
    auto raw = RawClient::tcp(inspector.port());  // binary noise, then hang up
    std::vector<std::uint8_t> noise(5000);
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>(i * 131 + 7);
    noise[0] = 0x01;
    (void)raw->write(noise);
    raw->close();
  }
  ASSERT_TRUE(inspector.wait_for(2));
  EXPECT_EQ(inspector.report(0)["close_reason"], "rejected-400");
  EXPECT_FALSE(inspector.report(0)["errors"].empty());
  expect_still_serving(inspector);
}

TEST(InspectHostile, StalledHandshakesTimeOut) {
  InspectorOptions options;
  options.limits.handshake_timeout = std::chrono::milliseconds(300);
  RunningInspector inspector(options);
  auto silent = RawClient::tcp(inspector.port());            // says nothing at all
  auto partial_tls = RawClient::tcp(inspector.port());       // half a TLS record header
  ASSERT_TRUE(partial_tls->write(std::string("\x16\x03\x01\x02", 4)));
  auto partial_h2c = RawClient::tcp(inspector.port());       // half the h2c preface
  ASSERT_TRUE(partial_h2c->write("PRI * HTTP/2.0\r\n"));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(inspector.wait_for(3, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  for (const auto& report : inspector.reports()) EXPECT_EQ(report["close_reason"], "handshake-timeout") << report.dump();
  silent->read_all(2s);
  EXPECT_TRUE(silent->closed());
  expect_still_serving(inspector);
}

TEST(InspectHostile, EndlessHeaderBlockIsCapped) {
  InspectorOptions options;
  options.limits.max_header_block = 32 * 1024;
  RunningInspector inspector(options);
  std::vector<std::uint8_t> frames;
  std::vector<std::uint8_t> fragment(4096, 0x82);  // ":method GET" over and over
  h2::encode_headers(frames, 1, fragment, true, false);
  for (int i = 0; i < 64; ++i) h2::encode_continuation(frames, 1, fragment, false);  // 260 KiB, never ends
  expect_goaway(inspector, frames, h2::ErrorCode::enhance_your_calm);
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["close_reason"], "protocol-error");
  EXPECT_EQ(report["h2"]["goaway_sent"]["error_name"], "ENHANCE_YOUR_CALM");
  EXPECT_LE(report["h2"]["frames"].size(), 10u);  // stopped reading soon after the cap
  expect_still_serving(inspector);
}

TEST(InspectHostile, EndlessHttp1HeadIsCapped) {
  InspectorOptions options;
  options.limits.max_header_block = 16 * 1024;
  RunningInspector inspector(options);
  auto raw = RawClient::tcp(inspector.port());
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 2000; ++i) head += "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  (void)raw->write(head);
  std::string reply = raw->read_all(5s);
  EXPECT_EQ(reply.rfind("HTTP/1.1 431 ", 0), 0u) << reply.substr(0, 80);
  ASSERT_TRUE(inspector.wait_for(1));
  EXPECT_EQ(inspector.report(0)["close_reason"], "rejected-431");
}

TEST(InspectHostile, MalformedFramesEndWithGoaway) {
  RunningInspector inspector;
  {  // SETTINGS whose length is not a multiple of 6
    std::vector<std::uint8_t> f;
    h2::encode_frame_header(f, 5, h2::FrameType::settings, 0, 0);
    f.insert(f.end(), 5, 0);
    expect_goaway(inspector, f, h2::ErrorCode::frame_size_error);
  }
  {  // WINDOW_UPDATE of 0 on the connection
    std::vector<std::uint8_t> f;
    h2::encode_frame_header(f, 4, h2::FrameType::window_update, 0, 0);
    f.insert(f.end(), 4, 0);
    expect_goaway(inspector, f, h2::ErrorCode::protocol_error);
  }
  {  // a header block that is not HPACK (index 0)
    std::vector<std::uint8_t> f;
    const std::uint8_t block[] = {0x80};
    h2::encode_headers(f, 1, block, true, true);
    expect_goaway(inspector, f, h2::ErrorCode::compression_error);
  }
  {  // DATA on stream 0
    std::vector<std::uint8_t> f;
    h2::encode_frame_header(f, 1, h2::FrameType::data, 0, 0);
    f.push_back(0);
    expect_goaway(inspector, f, h2::ErrorCode::protocol_error);
  }
  {  // a frame larger than our SETTINGS_MAX_FRAME_SIZE
    std::vector<std::uint8_t> f;
    h2::encode_frame_header(f, 20000, h2::FrameType::ping, 0, 0);
    f.insert(f.end(), 20000, 0);
    expect_goaway(inspector, f, h2::ErrorCode::frame_size_error);
  }
  {  // padding longer than the frame
    std::vector<std::uint8_t> f;
    h2::encode_frame_header(f, 2, h2::FrameType::headers, h2::flags::padded | h2::flags::end_headers, 1);
    f.push_back(200);
    f.push_back(0x82);
    expect_goaway(inspector, f, h2::ErrorCode::protocol_error);
  }
  {  // an even stream id from the client
    std::vector<std::uint8_t> f;
    h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
    append_headers(f, 2, encoder, simple_get(inspector.port()), true, std::nullopt);
    expect_goaway(inspector, f, h2::ErrorCode::protocol_error);
  }
  ASSERT_TRUE(inspector.wait_for(7));
  for (const auto& report : inspector.reports()) {
    EXPECT_EQ(report["close_reason"], "protocol-error");
    EXPECT_FALSE(report["errors"].empty());
  }
  expect_still_serving(inspector);
}

TEST(InspectHostile, ConnectionLimitRefusesExtraConnections) {
  InspectorOptions options;
  options.limits.max_connections = 2;
  options.limits.handshake_timeout = std::chrono::milliseconds(1500);
  RunningInspector inspector(options);
  auto a = RawClient::tcp(inspector.port());
  auto b = RawClient::tcp(inspector.port());
  std::this_thread::sleep_for(100ms);  // both accepted
  auto c = RawClient::tcp(inspector.port());
  c->read_all(1s);
  EXPECT_TRUE(c->closed());
  ASSERT_TRUE(inspector.wait_for(1));
  EXPECT_EQ(inspector.report(0)["close_reason"], "connection-limit");
  ASSERT_TRUE(inspector.wait_for(3, 5s));  // the two idle ones time out
  expect_still_serving(inspector);
}

TEST(InspectHostile, IdleConnectionGetsGoaway) {
  InspectorOptions options;
  options.limits.idle_timeout = std::chrono::milliseconds(300);
  RunningInspector inspector(options);
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  ASSERT_TRUE(raw->write(preface()));
  h2.read_until([](const ReceivedFrame& f) { return f.header.is(h2::FrameType::goaway); }, 5s);
  EXPECT_TRUE(h2.saw_goaway);
  EXPECT_EQ(h2.goaway_code, 0u);
  ASSERT_TRUE(inspector.wait_for(1));
  EXPECT_EQ(inspector.report(0)["close_reason"], "idle-timeout");
}

TEST(InspectHostile, FrameRecordingAndBodiesAreCapped) {
  InspectorOptions options;
  options.limits.max_frames_recorded = 10;
  options.limits.max_body_bytes = 1000;
  RunningInspector inspector(options);
  auto raw = RawClient::tcp(inspector.port());
  H2Client h2(*raw);
  auto bytes = preface();
  for (int i = 0; i < 50; ++i) h2::encode_ping(bytes, false, {});
  h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
  Headers post = simple_get(inspector.port());
  post[0].second = "POST";
  append_headers(bytes, 1, encoder, post, false, std::nullopt);
  std::vector<std::uint8_t> body(5000, 'b');
  h2::encode_data(bytes, 1, body, true);
  ASSERT_TRUE(raw->write(bytes));
  ASSERT_TRUE(h2.read_until([](const ReceivedFrame& f) { return f.header.is(h2::FrameType::rst_stream); }));
  auto rst = std::find_if(h2.frames.begin(), h2.frames.end(),
                          [](const ReceivedFrame& f) { return f.header.is(h2::FrameType::rst_stream); });
  EXPECT_EQ(h2::wire::get32(rst->payload.data()), static_cast<std::uint32_t>(h2::ErrorCode::enhance_your_calm));
  raw->close();
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["h2"]["frames"].size(), 10u);
  EXPECT_EQ(report["h2"]["frames_dropped"], 44);  // SETTINGS, 50 PING, HEADERS, DATA, SETTINGS ACK - 10 kept
  EXPECT_EQ(report["request"]["reset_by_server"], "ENHANCE_YOUR_CALM");
}

TEST(InspectHostile, GarbageTlsRecordFailsTheHandshakeOnly) {
  RunningInspector inspector;
  auto raw = RawClient::tcp(inspector.port());
  ASSERT_TRUE(raw->write(std::string("\x16\x03\x01\x00\x08notahello", 13)));
  raw->read_all(5s);
  EXPECT_TRUE(raw->closed());
  ASSERT_TRUE(inspector.wait_for(1));
  auto report = inspector.report(0);
  EXPECT_EQ(report["transport"], "tls");
  EXPECT_EQ(report["close_reason"], "tls-handshake-failed");
  EXPECT_TRUE(report["tls"]["handshake_error"].is_string());
  EXPECT_TRUE(report["tls_raw_client_hello_hex"].is_null());
  auto tls = RawClient::tls(inspector.port());  // a real handshake right after still works
  EXPECT_EQ(tls->alpn(), "h2");
}

TEST(InspectHostile, ClientHangingUpMidResponseIsSurvived) {
  RunningInspector inspector;
  for (int round = 0; round < 5; ++round) {
    auto raw = RawClient::tls(inspector.port());
    H2Client h2(*raw);
    h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy::chrome());
    auto bytes = preface();
    for (std::uint32_t id = 1; id < 80; id += 2) append_headers(bytes, id, encoder, simple_get(inspector.port()), true, std::nullopt);
    ASSERT_TRUE(raw->write(bytes));
    raw->close();  // gone before the ~40 responses are written (writes hit EPIPE, never SIGPIPE)
  }
  ASSERT_TRUE(inspector.wait_for(5));
  expect_still_serving(inspector);
}
