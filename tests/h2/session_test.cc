// ClientSession driven by a scripted peer: preface fidelity against the Chromium capture, queueing, GOAWAY,
// resets, flow control both ways, CONTINUATION, trailers, timers, validation, and flat memory.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "h2/frame/frame_error.h"
#include "test_peer.h"

namespace wraith::h2 {
namespace {

using namespace wraith::h2::testing;
using namespace std::chrono_literals;

nlohmann::json fixture(const char* name) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/" + name);
  EXPECT_TRUE(in.good()) << name;
  return nlohmann::json::parse(in);
}

// A Chromium-156-shaped config, built from the capture rather than typed in.
SessionConfig chrome_config() {
  auto fx = fixture("chromium-156.json");
  SessionConfig c;
  for (const auto& s : fx["h2"]["settings"]) c.settings.emplace_back(s["id"].get<uint16_t>(), s["value"].get<uint32_t>());
  c.connection_window_update = fx["h2"]["initial_window_update"].get<uint32_t>();
  c.pseudo_header_order = fx["request"]["pseudo_header_order"].get<std::vector<std::string>>();
  c.hpack = hpack::EncoderPolicy::chrome();
  c.headers_priority_flag = true;
  return c;
}

// Small windows so flow-control tests stay quick: 64 KiB stream window, 256 KiB connection window.
SessionConfig small_config() {
  SessionConfig c;
  c.settings = {{2, 0}, {4, 65536}};
  c.connection_window_update = 262144 - 65535;
  return c;
}

RequestHead get(std::string path = "/") {
  RequestHead h;
  h.method = "GET";
  h.scheme = "https";
  h.authority = "example.test";
  h.path = std::move(path);
  h.headers = {{"user-agent", "wraith-test"}, {"accept", "*/*"}};
  return h;
}

RequestHead post(std::string path = "/upload") {
  RequestHead h = get(std::move(path));
  h.method = "POST";
  return h;
}

Bytes bytes(size_t n, uint8_t fill = 'x') { return Bytes(n, fill); }

size_t count_frames(const std::vector<ClientFrame>& frames, FrameType t) {
  size_t n = 0;
  for (const auto& f : frames) n += f.is(t);
  return n;
}

// A copy, so it may be called on a temporary frame list.
std::optional<ClientFrame> find_frame(const std::vector<ClientFrame>& frames, FrameType t, uint32_t stream = UINT32_MAX) {
  for (const auto& f : frames)
    if (f.is(t) && (stream == UINT32_MAX || f.header.stream_id == stream)) return f;
  return std::nullopt;
}

uint32_t u32(const Bytes& p, size_t at = 0) {
  return (uint32_t{p[at]} << 24 | uint32_t{p[at + 1]} << 16 | uint32_t{p[at + 2]} << 8 | p[at + 3]) & 0x7fffffffu;
}
uint32_t rst_code(const ClientFrame& f) { return u32(f.payload); }
uint32_t goaway_code(const ClientFrame& f) { return u32(f.payload, 4); }

// ---------------------------------------------------------------------------------------------------------------

TEST(H2Session, PrefaceSettingsWindowUpdateAndHeadersInOneWrite) {
  auto fx = fixture("chromium-156.json");
  ClientSession s(chrome_config());
  s.start();
  Recorder r;
  RequestHead h = get("/?label=chromium-run1");
  h.priority = Priority{true, 0, 256};
  ASSERT_NE(s.submit(h, true, &r), 0u);

  auto out = s.pending_output();
  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  ASSERT_GT(out.size(), preface.size());
  EXPECT_EQ(std::string(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(preface.size())), preface);

  // Everything after the preface: SETTINGS, WINDOW_UPDATE, HEADERS, in that order, in the same buffer.
  FrameReader reader(kLargestMaxFrameSize);
  reader.feed(out.subspan(preface.size()));
  std::vector<Frame> frames;
  Frame f;
  while (true) {
    auto got = reader.next(f);
    ASSERT_TRUE(got.ok());
    if (!*got) break;
    frames.push_back(f);
  }
  const auto& expected = fx["h2"]["preface_frames"];
  ASSERT_EQ(frames.size(), expected.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].header.type, expected[i]["type_id"].get<int>()) << i;
    EXPECT_EQ(frames[i].header.flags, expected[i]["flags"].get<int>()) << i;
    EXPECT_EQ(frames[i].header.stream_id, expected[i]["stream"].get<uint32_t>()) << i;
  }
  auto settings = decode_settings(frames[0]);
  ASSERT_TRUE(settings.ok());
  ASSERT_EQ(settings->count(), expected[0]["settings"].size());
  for (size_t i = 0; i < settings->count(); ++i) {
    EXPECT_EQ(settings->at(i).first, expected[0]["settings"][i]["id"].get<uint16_t>());
    EXPECT_EQ(settings->at(i).second, expected[0]["settings"][i]["value"].get<uint32_t>());
  }
  auto wu = decode_window_update(frames[1]);
  ASSERT_TRUE(wu.ok());
  EXPECT_EQ(wu->increment, expected[1]["increment"].get<uint32_t>());
  auto hd = decode_headers(frames[2]);
  ASSERT_TRUE(hd.ok());
  ASSERT_TRUE(hd->priority);
  EXPECT_EQ(hd->priority->exclusive, expected[2]["priority"]["exclusive"].get<int>() == 1);
  EXPECT_EQ(hd->priority->depends_on, expected[2]["priority"]["depends_on"].get<uint32_t>());
  EXPECT_EQ(hd->priority->weight, expected[2]["priority"]["weight"].get<uint16_t>());

  // Pseudo-header order as captured, then regular headers in the caller's order.
  TestPeer peer(s);
  peer.read();
  auto blocks = peer.take_blocks();
  ASSERT_EQ(blocks.size(), 1u);
  std::vector<std::string> names;
  for (const auto& fld : blocks[0].fields) names.push_back(fld.name);
  auto pseudo = fx["request"]["pseudo_header_order"].get<std::vector<std::string>>();
  ASSERT_GE(names.size(), pseudo.size() + 2);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 4), pseudo);
  EXPECT_EQ(names[4], "user-agent");
  EXPECT_EQ(names[5], "accept");
  EXPECT_EQ(blocks[0].get(":path"), "/?label=chromium-run1");
  EXPECT_TRUE(s.pending_output().empty());
}

TEST(H2Session, NoPriorityFlagWhenProfileSaysSo) {
  SessionConfig c = small_config();
  c.headers_priority_flag = false;
  ClientSession s(c);
  s.start();
  TestPeer peer(s);
  Recorder r;
  s.submit(get(), true, &r);
  auto frames = peer.read();
  auto h = find_frame(frames, FrameType::headers);
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->header.has(flags::priority));
  EXPECT_EQ(count_frames(frames, FrameType::window_update), 1u);
}

struct Fixture {
  explicit Fixture(SessionConfig c = small_config(), std::vector<Setting> server = {}) : s(std::move(c)), peer(s) {
    s.start(t0);
    peer.handshake(std::move(server));
    peer.read();  // our SETTINGS ACK
  }
  Clock::time_point t0 = Clock::time_point{} + 1000s;
  ClientSession s;
  TestPeer peer;
};

// Chromium 156 on the inspector's /parallel/ page (tests/fixtures/chromium-156-parallel.json): the page on
// stream 1 finished, then five fetches (weight 220) and an image (147) opened together. Each HEADERS names the
// newest open stream of the nearest priority >= its own. The same requests here must carry the same fields.
TEST(H2Session, ConcurrentStreamsChainLikeChromium) {
  const auto capture = fixture("chromium-156-parallel.json");
  const auto& requests = capture["requests"];
  ASSERT_EQ(requests.size(), 7u);
  SessionConfig c = chrome_config();
  c.chain_priorities = true;
  Fixture fx(c);
  ClientSession& s = fx.s;
  TestPeer& peer = fx.peer;
  auto priority_of = [](const nlohmann::json& r) {
    const auto& p = r["headers_frame"]["priority"];
    return Priority{p["exclusive"].get<int>() == 1, 0, p["weight"].get<uint16_t>()};  // depends_on is ours to pick
  };
  std::vector<Recorder> recorders(requests.size());
  RequestHead page = get(requests[0]["path"]);
  page.priority = priority_of(requests[0]);
  s.submit(page, true, &recorders[0]);
  peer.read();
  peer.response(1, 200, {}, true);
  ASSERT_TRUE(peer.flush().ok());
  ASSERT_EQ(recorders[0].complete_calls, 1);
  for (size_t i = 1; i < requests.size(); ++i) {
    RequestHead h = get(requests[i]["path"]);
    h.priority = priority_of(requests[i]);
    s.submit(h, true, &recorders[i]);
  }
  peer.read();
  auto blocks = peer.take_blocks();
  ASSERT_EQ(blocks.size(), requests.size());
  for (size_t i = 1; i < requests.size(); ++i) {
    const auto& want = requests[i]["headers_frame"]["priority"];
    EXPECT_EQ(blocks[i].stream_id, requests[i]["stream_id"].get<uint32_t>()) << i;
    ASSERT_TRUE(blocks[i].priority) << i;
    EXPECT_EQ(blocks[i].priority->depends_on, want["depends_on"].get<uint32_t>()) << requests[i]["path"];
    EXPECT_EQ(blocks[i].priority->exclusive, want["exclusive"].get<int>() == 1) << i;
    EXPECT_EQ(blocks[i].priority->weight, want["weight"].get<uint16_t>()) << i;
  }
}

// A closed stream leaves the chain; a lower priority never becomes a parent of a higher one.
TEST(H2Session, ChainedParentFollowsOpenStreamsAndPriority) {
  SessionConfig c = small_config();
  c.chain_priorities = true;
  Fixture fx(c);
  ClientSession& s = fx.s;
  TestPeer& peer = fx.peer;
  std::vector<Recorder> r(10);
  auto submit = [&](size_t i, uint16_t weight) {
    RequestHead h = get("/" + std::to_string(i));
    h.priority = Priority{true, 0, weight};
    s.submit(h, true, &r[i]);
    auto blocks = peer.take_blocks();
    peer.read();
    blocks = peer.take_blocks();
    EXPECT_EQ(blocks.size(), 1u);
    return blocks.empty() || !blocks[0].priority ? UINT32_MAX : blocks[0].priority->depends_on;
  };
  auto finish = [&](uint32_t stream) {
    peer.response(stream, 204, {}, true);
    ASSERT_TRUE(peer.flush().ok());
  };
  EXPECT_EQ(submit(0, 256), 0u);   // stream 1
  EXPECT_EQ(submit(1, 256), 1u);   // 3
  EXPECT_EQ(submit(2, 256), 3u);   // 5
  finish(5);
  EXPECT_EQ(submit(3, 256), 3u);   // 7: 5 has closed, 3 is the newest open
  EXPECT_EQ(submit(4, 220), 7u);   // 9: no 220 open, the nearest higher is 256's newest
  EXPECT_EQ(submit(5, 256), 7u);   // 11: the 220 stream is lower, never a parent
  EXPECT_EQ(submit(6, 147), 9u);   // 13: the nearest priority >= 147 is 220
  EXPECT_EQ(submit(7, 220), 9u);   // 15
  for (uint32_t id : {1u, 3u, 7u, 9u, 11u, 13u, 15u}) finish(id);
  EXPECT_EQ(s.active_streams(), 0u);
  EXPECT_EQ(submit(8, 147), 0u);   // nothing open: the root, as on a fresh connection
}

TEST(H2Session, FixedPriorityDependencyWhenNotChained) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake();
  Recorder a, b;
  RequestHead h = get();
  h.priority = Priority{false, 0, 100};
  s.submit(h, true, &a);
  s.submit(h, true, &b);
  peer.read();
  auto blocks = peer.take_blocks();
  ASSERT_EQ(blocks.size(), 2u);
  for (const auto& blk : blocks) {
    ASSERT_TRUE(blk.priority);
    EXPECT_EQ(blk.priority->depends_on, 0u);
    EXPECT_FALSE(blk.priority->exclusive);
    EXPECT_EQ(blk.priority->weight, 100);
  }
}

TEST(H2Session, AcksSettingsAndAnswersPing) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.read();
  peer.settings({{3, 100}, {0x99, 7}});  // unknown setting ignored
  peer.ping(false, PingPayload{1, 2, 3, 4, 5, 6, 7, 8});
  ASSERT_TRUE(peer.flush().ok());
  auto frames = peer.read();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[0].is(FrameType::settings));
  EXPECT_TRUE(frames[0].header.has(flags::ack));
  EXPECT_TRUE(frames[1].is(FrameType::ping));
  EXPECT_TRUE(frames[1].header.has(flags::ack));
  EXPECT_EQ(frames[1].payload, (Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(H2Session, SimpleExchange) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake();
  Recorder r;
  uint64_t req = s.submit(get("/a"), true, &r);
  ASSERT_NE(req, 0u);
  peer.read();
  peer.response(1, 200, {{"content-type", "text/plain"}, {"content-length", "5"}});
  peer.data(1, "hel", false);
  peer.data(1, "lo", true, uint8_t{4});
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].name, "content-type");
  EXPECT_EQ(r.body, "hello");
  EXPECT_TRUE(r.data_end);
  EXPECT_EQ(r.complete_calls, 1);
  EXPECT_EQ(r.ended(), 1);
  EXPECT_EQ(s.active_streams(), 0u);
  s.consume(req, 5);  // after completion: harmless
}

TEST(H2Session, MaxConcurrentStreamsQueuesAndDrainsInOrder) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake({{3, 1}});
  std::vector<std::unique_ptr<Recorder>> recs;
  for (int i = 0; i < 50; ++i) {
    recs.push_back(std::make_unique<Recorder>());
    ASSERT_NE(s.submit(get("/r" + std::to_string(i)), true, recs.back().get()), 0u);
  }
  EXPECT_EQ(s.active_streams(), 1u);
  EXPECT_EQ(s.queued(), 49u);
  for (int i = 0; i < 50; ++i) {
    peer.read();
    auto blocks = peer.take_blocks();
    ASSERT_EQ(blocks.size(), 1u) << "exactly one stream open at a time";
    EXPECT_EQ(blocks[0].stream_id, static_cast<uint32_t>(2 * i + 1));
    EXPECT_EQ(blocks[0].get(":path"), "/r" + std::to_string(i));
    peer.response(blocks[0].stream_id, 200, {}, true);
    ASSERT_TRUE(peer.flush().ok());
    EXPECT_EQ(recs[static_cast<size_t>(i)]->complete_calls, 1);
    EXPECT_LE(s.active_streams(), 1u);
  }
  EXPECT_EQ(s.queued(), 0u);
  for (auto& r : recs) EXPECT_EQ(r->ended(), 1);
}

TEST(H2Session, GoawayRefusesStreamsAboveLastStreamId) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake();
  std::vector<std::unique_ptr<Recorder>> recs;
  for (int i = 0; i < 20; ++i) {
    recs.push_back(std::make_unique<Recorder>());
    s.submit(get("/g" + std::to_string(i)), true, recs.back().get());
  }
  peer.read();
  ASSERT_EQ(peer.take_blocks().size(), 20u);  // streams 1..39
  peer.goaway(19, ErrorCode::no_error);       // streams 1..19 (the first 10) will be processed
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_FALSE(s.can_accept_requests());
  for (int i = 0; i < 20; ++i) {
    const Recorder& r = *recs[static_cast<size_t>(i)];
    if (i < 10) {
      EXPECT_EQ(r.ended(), 0) << i;
    } else {
      EXPECT_EQ(r.error_calls, 1) << i;
      EXPECT_EQ(r.error.kind, ErrorKind::refused) << i;
    }
  }
  Recorder late;
  EXPECT_EQ(s.submit(get("/late"), true, &late), 0u);
  EXPECT_EQ(late.error_calls, 1);
  EXPECT_EQ(late.error.kind, ErrorKind::refused);
  EXPECT_TRUE(peer.read().empty()) << "nothing new on the wire after GOAWAY";

  for (uint32_t id = 1; id <= 19; id += 2) peer.response(id, 200, {}, true);
  peer.response(21, 200, {}, true);  // the peer talking about a refused stream: ignored
  ASSERT_TRUE(peer.flush().ok());
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(recs[static_cast<size_t>(i)]->ended(), 1) << i;
    EXPECT_EQ(recs[static_cast<size_t>(i)]->complete_calls, i < 10 ? 1 : 0) << i;
  }
  EXPECT_TRUE(s.finished());
}

TEST(H2Session, GoawayRefusesQueuedRequests) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake({{3, 1}});
  Recorder a, b, c;
  s.submit(get("/a"), true, &a);
  s.submit(get("/b"), true, &b);
  s.submit(get("/c"), true, &c);
  peer.goaway(1, ErrorCode::no_error);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(a.ended(), 0);
  EXPECT_EQ(b.error.kind, ErrorKind::refused);
  EXPECT_EQ(c.error.kind, ErrorKind::refused);
  EXPECT_EQ(s.queued(), 0u);
  peer.read();
  peer.response(1, 204, {}, true);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(a.complete_calls, 1);
  EXPECT_TRUE(s.finished());
}

TEST(H2Session, RstStreamFromPeer) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake();
  Recorder a, b, c;
  s.submit(get("/a"), true, &a);
  s.submit(get("/b"), true, &b);
  s.submit(get("/c"), true, &c);
  peer.read();
  peer.rst(1, ErrorCode::internal_error);
  peer.rst(3, ErrorCode::refused_stream);
  peer.response(5, 200, {}, true);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(a.error_calls, 1);
  EXPECT_EQ(a.error.kind, ErrorKind::stream_reset);
  EXPECT_EQ(a.error.peer_code, 2u);
  EXPECT_EQ(a.error.stream_id, 1u);
  EXPECT_EQ(b.error.kind, ErrorKind::refused);
  EXPECT_EQ(c.complete_calls, 1);
  auto frames = peer.read();
  EXPECT_EQ(count_frames(frames, FrameType::rst_stream), 0u) << "never answer RST_STREAM with RST_STREAM";
  EXPECT_EQ(s.active_streams(), 0u);
}

TEST(H2Session, ZeroWindowStallsSendDataUntilWindowUpdate) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake({{4, 0}});  // INITIAL_WINDOW_SIZE 0
  Recorder r;
  uint64_t req = s.submit(post(), false, &r);
  Bytes body = bytes(1000);
  EXPECT_EQ(s.send_data(req, body, true), 0u);
  auto frames = peer.read();
  EXPECT_EQ(count_frames(frames, FrameType::data), 0u);
  ASSERT_TRUE(find_frame(frames, FrameType::headers).has_value());
  EXPECT_FALSE(find_frame(frames, FrameType::headers)->header.has(flags::end_stream));

  size_t sent = 0;
  r.writable_hook = [&] { sent += s.send_data(req, std::span(body).subspan(sent), true); };
  peer.window_update(1, 600);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(r.writable_calls, 1);
  EXPECT_EQ(sent, 600u);
  frames = peer.read();
  ASSERT_EQ(count_frames(frames, FrameType::data), 1u);
  EXPECT_FALSE(find_frame(frames, FrameType::data)->header.has(flags::end_stream)) << "END_STREAM only at the end";
  EXPECT_EQ(find_frame(frames, FrameType::data)->payload.size(), 600u);

  peer.window_update(1, 1000);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(sent, 1000u);
  frames = peer.read();
  ASSERT_EQ(count_frames(frames, FrameType::data), 1u);
  EXPECT_TRUE(find_frame(frames, FrameType::data)->header.has(flags::end_stream));
  EXPECT_EQ(find_frame(frames, FrameType::data)->payload.size(), 400u);
  EXPECT_EQ(s.send_data(req, body, true), 0u) << "body already ended";

  peer.response(1, 201, {}, true);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(r.complete_calls, 1);
}

TEST(H2Session, ConnectionWindowLimitsAllStreams) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake({{4, 1 << 20}});  // big stream windows; the connection window stays 65535
  Recorder a, b;
  uint64_t ra = s.submit(post("/a"), false, &a);
  uint64_t rb = s.submit(post("/b"), false, &b);
  Bytes big = bytes(70000);
  EXPECT_EQ(s.send_data(ra, big, false), 65535u);
  EXPECT_EQ(s.send_data(rb, big, false), 0u);
  auto frames = peer.read();
  size_t data_bytes = 0;
  for (const auto& f : frames)
    if (f.is(FrameType::data)) {
      data_bytes += f.payload.size();
      EXPECT_LE(f.payload.size(), kDefaultMaxFrameSize) << "chunked at the peer's MAX_FRAME_SIZE";
    }
  EXPECT_EQ(data_bytes, 65535u);
  peer.window_update(0, 100);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(a.writable_calls, 1);
  EXPECT_EQ(b.writable_calls, 1);
}

TEST(H2Session, InitialWindowSizeDecreaseMakesWindowNegative) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake();  // peer stream window stays at 65535
  Recorder r;
  uint64_t req = s.submit(post(), false, &r);
  EXPECT_EQ(s.send_data(req, bytes(60000), false), 60000u);
  peer.read();
  peer.settings({{4, 16384}});  // window becomes 16384 - 60000 = -43616
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(s.send_data(req, bytes(10), false), 0u);
  peer.window_update(1, 43616);  // back to exactly 0: still nothing may be sent
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(r.writable_calls, 0);
  EXPECT_EQ(s.send_data(req, bytes(10), false), 0u);
  peer.window_update(1, 100);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(r.writable_calls, 1);
  EXPECT_EQ(s.send_data(req, bytes(500), true), 100u) << "only the reopened 100 bytes";
  // Raising INITIAL_WINDOW_SIZE again reopens the stream (delta +49152 -> 49152 left).
  peer.settings({{4, 65536}});
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(r.writable_calls, 2);
  EXPECT_EQ(s.send_data(req, bytes(400), true), 400u);
  auto frames = peer.read();
  EXPECT_TRUE(frames.back().is(FrameType::data));
  EXPECT_TRUE(frames.back().header.has(flags::end_stream));
}

TEST(H2Session, InitialWindowOverflowIsFlowControlError) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake();
  Recorder r;
  s.submit(post(), false, &r);
  peer.read();
  peer.window_update(1, kMaxWindowSize - 65535);  // stream window now 2^31-1
  peer.settings({{4, 65536}});                    // +1 overflows it
  auto res = peer.flush();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(error_code_of(res.error()), ErrorCode::flow_control_error);
  EXPECT_EQ(r.error_calls, 1);
  auto g = find_frame(peer.read(), FrameType::goaway);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(goaway_code(*g), 3u);
}

TEST(H2Session, ResponseHeadersSplitOverContinuation) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake();
  Recorder r;
  s.submit(get(), true, &r);
  peer.read();
  std::vector<HeaderField> fields = {{":status", "200"}, {"x-long", std::string(3000, 'a')}, {"x-two", "2"}};
  peer.headers(1, fields, false, 700);
  peer.data(1, "body", true);
  // Fed one byte at a time: accumulation never blocks and keeps state across receive() calls.
  ASSERT_TRUE(peer.flush_bytewise().ok());
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].value, std::string(3000, 'a'));
  EXPECT_EQ(r.body, "body");
  EXPECT_EQ(r.complete_calls, 1);
}

}  // namespace
}  // namespace wraith::h2

namespace wraith::h2 {
namespace {

using namespace wraith::h2::testing;
using namespace std::chrono_literals;


TEST(H2Session, InterleavedFrameInsideHeaderBlockIsProtocolError) {
  Fixture fx;
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  Bytes block = fx.peer.encode_block({{":status", "200"}});
  Bytes wire;
  encode_headers(wire, 1, block, true, false);
  encode_ping(wire, false, PingPayload{});
  fx.peer.raw(wire);
  auto res = fx.peer.flush();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(error_code_of(res.error()), ErrorCode::protocol_error);
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(r.error.kind, ErrorKind::protocol);
}

TEST(H2Session, TrailersAreDeliveredSeparately) {
  Fixture fx;
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  fx.peer.response(1, 200, {{"grpc-encoding", "identity"}});
  fx.peer.data(1, "payload", false);
  fx.peer.headers(1, {{"grpc-status", "0"}, {"grpc-message", "ok"}}, true);
  ASSERT_TRUE(fx.peer.flush().ok());
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].name, "grpc-encoding");
  ASSERT_EQ(r.trailers.size(), 2u);
  EXPECT_EQ(r.trailers[0].name, "grpc-status");
  EXPECT_EQ(r.trailers_calls, 1);
  EXPECT_EQ(r.body, "payload");
  EXPECT_FALSE(r.data_end);
  EXPECT_EQ(r.complete_calls, 1);
}

TEST(H2Session, TrailersWithoutEndStreamResetTheStream) {
  Fixture fx;
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  fx.peer.response(1, 200);
  fx.peer.headers(1, {{"x-trailer", "1"}}, false);
  ASSERT_TRUE(fx.peer.flush().ok()) << "a stream error, not a connection error";
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(r.error.kind, ErrorKind::protocol);
  auto rst = find_frame(fx.peer.read(), FrameType::rst_stream, 1);
  ASSERT_TRUE(rst.has_value());
  EXPECT_EQ(rst_code(*rst), 1u);
}

TEST(H2Session, InformationalResponsesPrecedeFinal) {
  Fixture fx;
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  fx.peer.response(1, 103, {{"link", "</a.css>; rel=preload"}});
  fx.peer.response(1, 200, {}, true);
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(r.informational, (std::vector<uint16_t>{103}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.complete_calls, 1);
}

TEST(H2Session, CancelPutsRstStreamCancelOnTheWire) {
  Fixture fx;
  Recorder r, other;
  uint64_t req = fx.s.submit(get("/slow"), true, &r);
  fx.s.submit(get("/other"), true, &other);
  fx.peer.read();
  fx.s.cancel(req);
  fx.s.cancel(req);  // second call: no effect
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(r.error.kind, ErrorKind::cancelled);
  EXPECT_EQ(fx.s.active_streams(), 1u);
  auto frames = fx.peer.read();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(frames[0].is(FrameType::rst_stream));
  EXPECT_EQ(frames[0].header.stream_id, 1u);
  EXPECT_EQ(rst_code(frames[0]), static_cast<uint32_t>(ErrorCode::cancel));
  // The peer had already answered: its frames are dropped, HPACK stays in sync, the other stream works.
  fx.peer.response(1, 200);
  fx.peer.data(1, std::string(1000, 'z'), true);
  fx.peer.response(3, 200, {}, true);
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(r.ended(), 1);
  EXPECT_EQ(r.headers_calls, 0);
  EXPECT_EQ(other.complete_calls, 1);
}

TEST(H2Session, CancelQueuedRequestNeverTouchesTheWire) {
  Fixture fx(small_config(), {{3, 1}});
  Recorder a, b;
  fx.s.submit(get("/a"), true, &a);
  uint64_t rb = fx.s.submit(get("/b"), true, &b);
  fx.peer.read();
  fx.s.cancel(rb);
  EXPECT_EQ(b.error.kind, ErrorKind::cancelled);
  EXPECT_EQ(fx.s.queued(), 0u);
  EXPECT_TRUE(fx.peer.read().empty());
}

TEST(H2Session, CancelFreesTheSlotForTheNextQueuedRequest) {
  Fixture fx(small_config(), {{3, 1}});
  Recorder a, b;
  uint64_t ra = fx.s.submit(get("/a"), true, &a);
  fx.s.submit(get("/b"), true, &b);
  fx.peer.read();
  fx.peer.take_blocks();
  fx.s.cancel(ra);
  fx.peer.read();
  auto blocks = fx.peer.take_blocks();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].get(":path"), "/b");
  EXPECT_EQ(blocks[0].stream_id, 3u);
}

TEST(H2Session, SettingsAckTimeout) {
  SessionConfig c = small_config();
  ClientSession s(c);
  const auto t0 = Clock::time_point{} + 5000s;
  s.start(t0);
  TestPeer peer(s);
  Recorder r;
  s.submit(get(), true, &r);
  peer.read();
  peer.settings({});  // the peer's own SETTINGS, but never an ACK of ours
  ASSERT_TRUE(peer.flush().ok());
  ASSERT_TRUE(s.next_deadline());
  EXPECT_EQ(*s.next_deadline(), t0 + c.settings_ack_timeout);
  s.on_timer(t0 + c.settings_ack_timeout - 1ms);
  EXPECT_EQ(r.ended(), 0);
  s.on_timer(t0 + c.settings_ack_timeout);
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(r.error.kind, ErrorKind::timeout);
  EXPECT_EQ(r.error.phase, TimeoutPhase::settings_ack);
  auto g = find_frame(peer.read(), FrameType::goaway);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(goaway_code(*g), static_cast<uint32_t>(ErrorCode::settings_timeout));
  EXPECT_FALSE(s.can_accept_requests());
  EXPECT_FALSE(s.next_deadline());
}

TEST(H2Session, SettingsAckDisarmsTheTimer) {
  Fixture fx;
  EXPECT_FALSE(fx.s.next_deadline());
  fx.s.on_timer(fx.t0 + 1h);
  EXPECT_TRUE(fx.s.can_accept_requests());
}

TEST(H2Session, KeepalivePingAndTimeout) {
  SessionConfig c = small_config();
  c.ping_interval = 30s;
  c.ping_timeout = 5s;
  Fixture fx(c);
  ASSERT_TRUE(fx.s.next_deadline());
  EXPECT_EQ(*fx.s.next_deadline(), fx.t0 + 30s);
  fx.s.on_timer(fx.t0 + 30s);
  auto frames = fx.peer.read();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(frames[0].is(FrameType::ping));
  EXPECT_FALSE(frames[0].header.has(flags::ack));
  PingPayload p;
  std::copy(frames[0].payload.begin(), frames[0].payload.end(), p.begin());
  fx.peer.ping(true, p);
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(*fx.s.next_deadline(), fx.t0 + 60s);
  fx.s.on_timer(fx.t0 + 60s);
  ASSERT_EQ(fx.peer.read().size(), 1u);
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.s.on_timer(fx.t0 + 65s);  // no ACK for the second PING
  EXPECT_EQ(r.error.kind, ErrorKind::timeout);
  EXPECT_EQ(r.error.phase, TimeoutPhase::ping);
  EXPECT_FALSE(fx.s.can_accept_requests());
}

TEST(H2Session, PushPromiseIsConnectionError) {
  Fixture fx;
  Recorder a, b;
  fx.s.submit(get("/a"), true, &a);
  fx.s.submit(get("/b"), true, &b);
  fx.peer.read();
  Bytes wire;
  encode_push_promise(wire, 1, 2, fx.peer.encode_block({{":method", "GET"}, {":path", "/p"}}), true);
  fx.peer.raw(wire);
  auto res = fx.peer.flush();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(error_code_of(res.error()), ErrorCode::protocol_error);
  EXPECT_EQ(a.error_calls, 1);
  EXPECT_EQ(b.error_calls, 1);
  EXPECT_EQ(a.error.kind, ErrorKind::protocol);
  auto g = find_frame(fx.peer.read(), FrameType::goaway);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(goaway_code(*g), 1u);
  EXPECT_EQ(u32(g->payload), 0u);
  Recorder late;
  EXPECT_EQ(fx.s.submit(get(), true, &late), 0u);
  EXPECT_EQ(late.error.kind, ErrorKind::refused);
  EXPECT_FALSE(fx.s.receive(Bytes{0}).ok()) << "stays failed";
  EXPECT_TRUE(fx.s.finished());
}

TEST(H2Session, OversizedContinuationIsConnectionError) {
  SessionConfig c = small_config();
  c.max_header_block = 4096;
  Fixture fx(c);
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  Bytes wire;
  encode_headers(wire, 1, bytes(1000, 0x40), false, false);
  for (int i = 0; i < 3; ++i) encode_continuation(wire, 1, bytes(1000, 0x40), false);
  encode_continuation(wire, 1, bytes(1000, 0x40), false);  // 5000 > 4096, END_HEADERS never comes
  fx.peer.raw(wire);
  auto res = fx.peer.flush();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::too_large);
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(r.error.kind, ErrorKind::too_large);
  EXPECT_TRUE(find_frame(fx.peer.read(), FrameType::goaway).has_value());
  EXPECT_LE(fx.s.stats().header_block_capacity, 4096u + 1000u);
}

TEST(H2Session, DataBeyondWindowIsFlowControlError) {
  Fixture fx;  // our connection window: 262144, stream window 65536
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  fx.peer.response(1, 200);
  for (int i = 0; i < 4; ++i) fx.peer.data(1, std::string(16384, 'd'), false);  // exactly the stream window
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(r.body.size(), 65536u);
  fx.peer.data(1, "!", false);
  ASSERT_TRUE(fx.peer.flush().ok()) << "stream-level violation";
  EXPECT_EQ(r.error_calls, 1);
  auto rst = find_frame(fx.peer.read(), FrameType::rst_stream, 1);
  ASSERT_TRUE(rst.has_value());
  EXPECT_EQ(rst_code(*rst), static_cast<uint32_t>(ErrorCode::flow_control_error));
}

TEST(H2Session, DataBeyondConnectionWindowIsConnectionError) {
  SessionConfig c = small_config();
  c.settings = {{2, 0}, {4, 1 << 20}};
  c.connection_window_update = 0;  // connection window 65535 < stream window
  Fixture fx(c);
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  fx.peer.response(1, 200);
  for (int i = 0; i < 4; ++i) fx.peer.data(1, std::string(16384, 'd'), false);  // 65536 > 65535
  auto res = fx.peer.flush();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(error_code_of(res.error()), ErrorCode::flow_control_error);
  EXPECT_EQ(r.error_calls, 1);
}

TEST(H2Session, WindowUpdateZero) {
  Fixture fx;
  Recorder r, other;
  fx.s.submit(post(), false, &r);
  fx.s.submit(get(), true, &other);
  fx.peer.read();
  fx.peer.raw(Bytes{0, 0, 4, 8, 0, 0, 0, 0, 1, 0, 0, 0, 0});  // WINDOW_UPDATE(stream 1, 0)
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(other.ended(), 0);
  auto rst = find_frame(fx.peer.read(), FrameType::rst_stream, 1);
  ASSERT_TRUE(rst.has_value());
  EXPECT_EQ(rst_code(*rst), 1u);
  fx.peer.raw(Bytes{0, 0, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // on stream 0: connection error
  auto res = fx.peer.flush();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(error_code_of(res.error()), ErrorCode::protocol_error);
  EXPECT_EQ(other.error_calls, 1);
}

TEST(H2Session, ConsumeEmitsWindowUpdatesAndSlowReaderStallsOnlyItsStream) {
  Fixture fx;  // stream window 65536, connection window 262144
  Recorder slow, fast;
  uint64_t rs = fx.s.submit(get("/slow"), true, &slow);
  uint64_t rf = fx.s.submit(get("/fast"), true, &fast);
  fast.data_hook = [&](std::span<const uint8_t> d) { fx.s.consume(rf, d.size()); };
  fx.peer.read();
  fx.peer.response(1, 200);
  fx.peer.response(3, 200);
  for (int i = 0; i < 4; ++i) fx.peer.data(1, std::string(16384, 's'), false);  // slow stream: full window
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_TRUE(fx.peer.read().empty()) << "nothing consumed, nothing returned";

  // The fast stream keeps flowing: each half window consumed earns a stream WINDOW_UPDATE.
  uint64_t stream3_credit = 0, conn_credit = 0;
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 2; ++i) fx.peer.data(3, std::string(16384, 'f'), false);
    ASSERT_TRUE(fx.peer.flush().ok());
    for (const auto& f : fx.peer.read()) {
      ASSERT_TRUE(f.is(FrameType::window_update));
      EXPECT_NE(f.header.stream_id, 1u) << "the slow stream gets no credit";
      (f.header.stream_id == 3 ? stream3_credit : conn_credit) += u32(f.payload);
    }
  }
  EXPECT_EQ(fast.body.size(), 8u * 32768u);
  EXPECT_EQ(stream3_credit, 8u * 32768u);
  EXPECT_EQ(conn_credit, 262144u) << "connection credit follows consumption (2 x half of 262144)";
  EXPECT_EQ(fast.error_calls, 0);

  // The slow reader catches up: credit for its stream appears only now.
  fx.s.consume(rs, 20000);
  EXPECT_TRUE(fx.peer.read().empty()) << "below half the window";
  fx.s.consume(rs, 20000);
  auto frames = fx.peer.read();
  auto wu = find_frame(frames, FrameType::window_update, 1);
  ASSERT_TRUE(wu.has_value());
  EXPECT_EQ(u32(wu->payload), 40000u);
  fx.s.consume(rs, 1u << 30);  // more than was delivered: clamped
  fx.peer.data(1, "", true);
  fx.peer.data(3, "", true);
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(slow.complete_calls, 1);
  EXPECT_EQ(fast.complete_calls, 1);
}

TEST(H2Session, RequestValidationNeverTouchesTheWire) {
  Fixture fx;
  fx.peer.read();
  struct Case {
    const char* name;
    std::function<void(RequestHead&)> mutate;
    ErrorKind kind;
  };
  std::vector<Case> cases = {
      {"uppercase name", [](RequestHead& h) { h.headers.push_back({"X-Upper", "1"}); }, ErrorKind::invalid_header},
      {"CR in value", [](RequestHead& h) { h.headers.push_back({"x-a", "a\rb"}); }, ErrorKind::invalid_header},
      {"LF in value", [](RequestHead& h) { h.headers.push_back({"x-a", "a\nb"}); }, ErrorKind::invalid_header},
      {"NUL in value", [](RequestHead& h) { h.headers.push_back({"x-a", std::string("a\0b", 3)}); },
       ErrorKind::invalid_header},
      {"connection", [](RequestHead& h) { h.headers.push_back({"connection", "keep-alive"}); },
       ErrorKind::invalid_header},
      {"keep-alive", [](RequestHead& h) { h.headers.push_back({"keep-alive", "5"}); }, ErrorKind::invalid_header},
      {"transfer-encoding", [](RequestHead& h) { h.headers.push_back({"transfer-encoding", "chunked"}); },
       ErrorKind::invalid_header},
      {"upgrade", [](RequestHead& h) { h.headers.push_back({"upgrade", "websocket"}); }, ErrorKind::invalid_header},
      {"proxy-connection", [](RequestHead& h) { h.headers.push_back({"proxy-connection", "x"}); },
       ErrorKind::invalid_header},
      {"te gzip", [](RequestHead& h) { h.headers.push_back({"te", "gzip"}); }, ErrorKind::invalid_header},
      {"pseudo in headers", [](RequestHead& h) { h.headers.push_back({":path", "/x"}); }, ErrorKind::invalid_header},
      {"empty name", [](RequestHead& h) { h.headers.push_back({"", "x"}); }, ErrorKind::invalid_header},
      {"CRLF in path", [](RequestHead& h) { h.path = "/a\r\nb"; }, ErrorKind::invalid_header},
      {"no path", [](RequestHead& h) { h.path.clear(); }, ErrorKind::invalid_argument},
      {":protocol without CONNECT", [](RequestHead& h) { h.protocol = "websocket"; }, ErrorKind::invalid_argument},
  };
  for (const auto& c : cases) {
    RequestHead h = get();
    c.mutate(h);
    Recorder r;
    EXPECT_EQ(fx.s.submit(h, true, &r), 0u) << c.name;
    EXPECT_EQ(r.error_calls, 1) << c.name;
    EXPECT_EQ(r.error.kind, c.kind) << c.name;
    EXPECT_TRUE(fx.s.pending_output().empty()) << c.name;
  }
  RequestHead ok = get();
  ok.headers.push_back({"te", "trailers"});
  Recorder r;
  EXPECT_NE(fx.s.submit(ok, true, &r), 0u);
  EXPECT_EQ(r.error_calls, 0);
}

TEST(H2Session, MalformedResponseHeadersResetTheStream) {
  struct Case {
    const char* name;
    std::vector<HeaderField> fields;
  };
  std::vector<Case> cases = {
      {"uppercase", {{":status", "200"}, {"Content-Type", "x"}}},
      {"missing status", {{"content-type", "x"}}},
      {"connection-specific", {{":status", "200"}, {"connection", "close"}}},
      {"transfer-encoding", {{":status", "200"}, {"transfer-encoding", "chunked"}}},
      {"bad status", {{":status", "2x0"}}},
      {"request pseudo", {{":status", "200"}, {":path", "/"}}},
      {"pseudo after regular", {{"x-a", "1"}, {":status", "200"}}},
      {"101", {{":status", "101"}}},
  };
  for (const auto& c : cases) {
    Fixture fx;
    Recorder r;
    fx.s.submit(get(), true, &r);
    fx.peer.read();
    fx.peer.headers(1, c.fields, true);
    ASSERT_TRUE(fx.peer.flush().ok()) << c.name;
    EXPECT_EQ(r.error_calls, 1) << c.name;
    EXPECT_EQ(r.error.kind, ErrorKind::protocol) << c.name;
    EXPECT_EQ(r.headers_calls, 0) << c.name;
    auto rst = find_frame(fx.peer.read(), FrameType::rst_stream, 1);
    ASSERT_TRUE(rst.has_value()) << c.name;
    EXPECT_EQ(rst_code(*rst), 1u) << c.name;
    EXPECT_TRUE(fx.s.can_accept_requests()) << c.name;
  }
}

// Response fields whose wire bytes repeat are not validated again (hpack::FieldList::checked_flags); one byte
// changed at the same position must be validated afresh, however similar the field is to the accepted one.
TEST(H2Session, RepeatedLiteralsSkipValidationButChangedOnesDoNot) {
  Fixture fx;
  // :status 200, then a literal without indexing with a literal name: no table entry, so the wire repeats.
  auto block = [](std::string_view name, std::string_view value) {
    Bytes b{0x88, 0x00, static_cast<uint8_t>(name.size())};
    b.insert(b.end(), name.begin(), name.end());
    b.push_back(static_cast<uint8_t>(value.size()));
    b.insert(b.end(), value.begin(), value.end());
    return b;
  };
  struct Case {
    const char* name;
    std::string_view field, value;
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"first", "x-a", "fine", true},        {"repeat", "x-a", "fine", true},
      {"CR", "x-a", "fi\rn", false},         {"repeat after a reject", "x-a", "fine", true},
      {"LF, same length", "x-a", "fin\n", false}, {"uppercase name", "X-a", "fine", false},
      {"connection-specific", "upgrade", "h2c", false}, {"again", "x-a", "fine", true},
  };
  uint32_t stream = 1;
  for (const auto& c : cases) {
    Recorder r;
    fx.s.submit(get(), true, &r);
    fx.peer.read();
    Bytes frame;
    encode_headers(frame, stream, block(c.field, c.value), true, true);
    fx.peer.raw(frame);
    ASSERT_TRUE(fx.peer.flush().ok()) << c.name;
    EXPECT_EQ(r.headers_calls, c.accepted ? 1 : 0) << c.name;
    EXPECT_EQ(r.error_calls, c.accepted ? 0 : 1) << c.name;
    if (!c.accepted) {
      EXPECT_EQ(r.error.kind, ErrorKind::protocol) << c.name;
    }
    stream += 2;
  }
}

TEST(H2Session, ContentLengthMismatchIsStreamError) {
  Fixture fx;
  Recorder r;
  fx.s.submit(get(), true, &r);
  fx.peer.read();
  fx.peer.response(1, 200, {{"content-length", "10"}});
  fx.peer.data(1, "short", true);
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(r.complete_calls, 0);
}

TEST(H2Session, RequestBodyChunkedAtPeerMaxFrameSize) {
  Fixture fx(small_config(), {{4, 1 << 20}});
  Recorder r;
  uint64_t req = fx.s.submit(post(), false, &r);
  EXPECT_EQ(fx.s.send_data(req, bytes(20000), false), 20000u);
  EXPECT_EQ(fx.s.send_data(req, bytes(20000), true), 20000u);
  auto frames = fx.peer.read();
  std::vector<size_t> sizes;
  std::vector<bool> ends;
  for (const auto& f : frames)
    if (f.is(FrameType::data)) {
      sizes.push_back(f.payload.size());
      ends.push_back(f.header.has(flags::end_stream));
    }
  EXPECT_EQ(sizes, (std::vector<size_t>{16384, 3616, 16384, 3616}));
  EXPECT_EQ(ends, (std::vector<bool>{false, false, false, true})) << "END_STREAM on the last chunk only";
}

TEST(H2Session, EmptyEndOfBodyAndRequestTrailers) {
  Fixture fx;
  Recorder a, b;
  uint64_t ra = fx.s.submit(post("/a"), false, &a);
  uint64_t rb = fx.s.submit(post("/b"), false, &b);
  EXPECT_EQ(fx.s.send_data(ra, bytes(3), false), 3u);
  EXPECT_EQ(fx.s.send_data(ra, {}, true), 0u);
  EXPECT_EQ(fx.s.send_data(rb, bytes(3), false), 3u);
  fx.s.send_trailers(rb, {{"x-checksum", "abc"}});
  auto frames = fx.peer.read();
  auto blocks = fx.peer.take_blocks();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[2].stream_id, 3u);
  EXPECT_TRUE(blocks[2].end_stream);
  EXPECT_EQ(blocks[2].get("x-checksum"), "abc");
  EXPECT_FALSE(blocks[2].priority) << "trailers carry no priority";
  ASSERT_TRUE(frames[2].is(FrameType::data));
  EXPECT_FALSE(frames[2].header.has(flags::end_stream));
  ASSERT_TRUE(frames[3].is(FrameType::data));
  EXPECT_TRUE(frames[3].header.has(flags::end_stream));
  EXPECT_TRUE(frames[3].payload.empty());
}

TEST(H2Session, LargeRequestHeadersUseContinuation) {
  Fixture fx;
  RequestHead h = get();
  h.headers.push_back({"x-big", std::string(40000, 'b')});
  Recorder r;
  fx.s.submit(h, true, &r);
  fx.peer.read();
  auto blocks = fx.peer.take_blocks();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_GE(blocks[0].frames, 2);
  EXPECT_EQ(blocks[0].get("x-big").size(), 40000u);
}

TEST(H2Session, EarlyResponseThenRstNoErrorCompletes) {
  Fixture fx;
  Recorder r;
  uint64_t req = fx.s.submit(post(), false, &r);
  EXPECT_EQ(fx.s.send_data(req, bytes(10), false), 10u);
  fx.peer.read();
  fx.peer.response(1, 413, {}, true);
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.ended(), 0) << "our body is still open";
  fx.peer.rst(1, ErrorCode::no_error);
  ASSERT_TRUE(fx.peer.flush().ok());
  EXPECT_EQ(r.complete_calls, 1);
  EXPECT_EQ(fx.s.active_streams(), 0u);
}

TEST(H2Session, ExtendedConnectWaitsForPeerSettings) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.read();
  RequestHead ws;
  ws.method = "CONNECT";
  ws.protocol = "websocket";
  ws.scheme = "https";
  ws.authority = "example.test";
  ws.path = "/chat";
  ws.headers = {{"sec-websocket-version", "13"}};
  Recorder r;
  uint64_t req = s.submit(ws, false, &r);
  ASSERT_NE(req, 0u);
  EXPECT_EQ(s.queued(), 1u) << "held until the peer says whether RFC 8441 is on";
  peer.settings({{8, 1}});
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_TRUE(s.extended_connect_allowed());
  peer.read();
  auto blocks = peer.take_blocks();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].get(":protocol"), "websocket");
  EXPECT_EQ(blocks[0].get(":method"), "CONNECT");
  EXPECT_EQ(blocks[0].fields[4].name, ":protocol") << "unlisted pseudo-headers follow the profile's order";
  EXPECT_FALSE(blocks[0].end_stream);
  // A byte tunnel both ways, flow-controlled.
  peer.response(1, 200);
  peer.data(1, "from-server", false);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(r.body, "from-server");
  EXPECT_EQ(s.send_data(req, bytes(5, 't'), false), 5u);
  auto frames = peer.read();
  ASSERT_TRUE(find_frame(frames, FrameType::data, 1).has_value());
  EXPECT_EQ(r.ended(), 0);
}

TEST(H2Session, ExtendedConnectRefusedWithoutPeerSetting) {
  Fixture fx;  // the peer's SETTINGS had no ENABLE_CONNECT_PROTOCOL
  RequestHead ws;
  ws.method = "CONNECT";
  ws.protocol = "websocket";
  ws.scheme = "https";
  ws.authority = "example.test";
  ws.path = "/chat";
  Recorder r;
  fx.s.submit(ws, false, &r);
  EXPECT_EQ(r.error_calls, 1);
  EXPECT_EQ(r.error.kind, ErrorKind::protocol);
  EXPECT_TRUE(fx.peer.read().empty());
}

TEST(H2Session, PeerSettingsViolations) {
  struct Case {
    Setting setting;
    ErrorCode code;
  };
  for (const auto& c : std::vector<Case>{{{2, 1}, ErrorCode::protocol_error},
                                         {{4, 0x80000000u}, ErrorCode::flow_control_error},
                                         {{5, 16383}, ErrorCode::protocol_error},
                                         {{5, 1u << 24}, ErrorCode::protocol_error},
                                         {{8, 2}, ErrorCode::protocol_error}}) {
    ClientSession s(small_config());
    s.start();
    TestPeer peer(s);
    peer.read();
    peer.settings({c.setting});
    auto res = peer.flush();
    ASSERT_FALSE(res.ok()) << c.setting.first;
    EXPECT_EQ(error_code_of(res.error()), c.code) << c.setting.first;
  }
}

TEST(H2Session, TransportClosedFailsEveryRequestOnce) {
  Fixture fx(small_config(), {{3, 1}});
  Recorder a, b;
  fx.s.submit(get("/a"), true, &a);
  fx.s.submit(get("/b"), true, &b);
  fx.s.transport_closed();
  EXPECT_EQ(a.error.kind, ErrorKind::closed);
  EXPECT_EQ(b.error.kind, ErrorKind::refused) << "never sent: safe to retry";
  fx.s.transport_closed();
  EXPECT_EQ(a.ended() + b.ended(), 2);
}

TEST(H2Session, ListenerMaySubmitFromItsCallback) {
  Fixture fx;
  Recorder first, second;
  first.end_hook = [&] { fx.s.submit(get("/second"), true, &second); };
  fx.s.submit(get("/first"), true, &first);
  fx.peer.read();
  fx.peer.response(1, 200, {}, true);
  ASSERT_TRUE(fx.peer.flush().ok());
  fx.peer.read();
  auto blocks = fx.peer.take_blocks();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].get(":path"), "/second");
  EXPECT_EQ(blocks[1].stream_id, 3u);
}

TEST(H2Session, PingFloodWithoutDrainingIsCappedd) {
  SessionConfig c = small_config();
  c.max_unsent_control_frames = 100;
  Fixture fx(c);
  for (int i = 0; i < 101; ++i) fx.peer.ping(false, PingPayload{});
  auto res = fx.peer.flush();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(error_code_of(res.error()), ErrorCode::enhance_your_calm);
}

TEST(H2Session, HundredThousandSequentialExchangesKeepMemoryFlat) {
  Fixture fx(chrome_config());
  SessionStats warm{};
  Recorder r;
  r.data_hook = nullptr;
  const int kCycles = 100000;
  for (int i = 0; i < kCycles; ++i) {
    r = Recorder{};
    uint64_t req = fx.s.submit(get("/item"), true, &r);
    ASSERT_NE(req, 0u);
    fx.peer.read();
    auto blocks = fx.peer.take_blocks();
    ASSERT_EQ(blocks.size(), 1u);
    uint32_t id = blocks[0].stream_id;
    ASSERT_EQ(id, static_cast<uint32_t>(2 * i + 1));
    fx.peer.response(id, 200, {{"content-type", "text/plain"}, {"content-length", "5"}});
    fx.peer.data(id, "hello", true);
    ASSERT_TRUE(fx.peer.flush().ok());
    ASSERT_EQ(r.complete_calls, 1);
    fx.s.consume(req, 5);
    if (i == 1000) warm = fx.s.stats();
  }
  SessionStats end = fx.s.stats();
  EXPECT_EQ(end.stream_slots, 1u);
  EXPECT_EQ(end.live_streams, 0u);
  EXPECT_EQ(end.stream_index, 0u);
  EXPECT_EQ(end.queued, 0u);
  EXPECT_EQ(end.stream_slots, warm.stream_slots);
  EXPECT_EQ(end.output_capacity, warm.output_capacity);
  EXPECT_EQ(end.header_block_capacity, warm.header_block_capacity);
  EXPECT_EQ(end.decoded_fields_capacity, warm.decoded_fields_capacity);
  EXPECT_EQ(end.encoded_block_capacity, warm.encoded_block_capacity);
  EXPECT_TRUE(fx.s.can_accept_requests());
}

}  // namespace
}  // namespace wraith::h2

namespace wraith::h2 {
namespace {

using namespace wraith::h2::testing;

std::string to_hex(std::span<const uint8_t> b) {
  std::string s;
  char buf[3];
  for (uint8_t x : b) {
    std::snprintf(buf, sizeof buf, "%02x", x);
    s += buf;
  }
  return s;
}

RequestHead request_from_fixture(const nlohmann::json& req) {
  RequestHead h;
  for (const auto& kv : req["headers"]) {
    std::string name = kv[0].get<std::string>(), value = kv[1].get<std::string>();
    if (name == ":method") h.method = value;
    else if (name == ":scheme") h.scheme = value;
    else if (name == ":authority") h.authority = value;
    else if (name == ":path") h.path = value;
    else if (name == ":protocol") h.protocol = value;
    else h.headers.push_back({name, value});
  }
  const auto& p = req["headers_frame"]["priority"];
  h.priority = Priority{p["exclusive"].get<int>() == 1, p["depends_on"].get<uint32_t>(), p["weight"].get<uint16_t>()};
  return h;
}

// Engine + Chrome profile data reproduce Chromium's HEADERS frames byte for byte, across the dynamic table's
// evolution from the first request to the second.
TEST(H2Session, HeadersFramesMatchChromiumCapturesByteForByte) {
  for (const char* name : {"chromium-156.json", "chromium-156-sni.json", "chromium-156-ua.json"}) {
    auto fx = fixture(name);
    SessionConfig c;
    for (const auto& s : fx["h2"]["settings"]) c.settings.emplace_back(s["id"].get<uint16_t>(), s["value"].get<uint32_t>());
    c.connection_window_update = fx["h2"]["initial_window_update"].get<uint32_t>();
    c.pseudo_header_order = fx["request"]["pseudo_header_order"].get<std::vector<std::string>>();
    c.hpack = hpack::EncoderPolicy::chrome();
    ClientSession s(c);
    s.start();
    TestPeer peer(s);
    const auto& requests = fx["requests"];
    for (size_t i = 0; i < requests.size(); ++i) {
      const auto& req = requests[i];
      Recorder r;
      s.submit(request_from_fixture(req), req["headers_frame"]["end_stream"].get<bool>(), &r);
      auto frames = peer.read();
      auto h = find_frame(frames, FrameType::headers);
      ASSERT_TRUE(h.has_value()) << name << " request " << i;
      EXPECT_EQ(h->header.stream_id, req["stream_id"].get<uint32_t>()) << name;
      EXPECT_EQ(h->header.flags, req["headers_frame"]["flags"].get<int>()) << name;
      Frame view{h->header, h->payload};
      auto decoded = decode_headers(view);
      ASSERT_TRUE(decoded.ok());
      EXPECT_EQ(to_hex(decoded->fragment), req["headers_frame"]["header_block_hex"].get<std::string>())
          << name << " request " << i;
      if (i == 0) {
        peer.settings({});
        peer.settings_ack();
      }
      peer.response(h->header.stream_id, 200, {}, true);
      ASSERT_TRUE(peer.flush().ok());
      EXPECT_EQ(r.complete_calls, 1);
    }
  }
}

}  // namespace
}  // namespace wraith::h2

namespace wraith::h2 {
namespace {

using namespace wraith::h2::testing;

TEST(H2Session, OurGoawayLetsOpenStreamsFinish) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  peer.handshake({{3, 1}});
  peer.read();
  Recorder a, b;
  s.submit(get("/a"), true, &a);
  s.submit(get("/b"), true, &b);
  s.goaway(ErrorCode::no_error);
  EXPECT_FALSE(s.can_accept_requests());
  EXPECT_EQ(b.error.kind, ErrorKind::refused);
  auto frames = peer.read();
  auto g = find_frame(frames, FrameType::goaway);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(u32(g->payload), 0u);
  EXPECT_EQ(goaway_code(*g), 0u);
  EXPECT_FALSE(s.finished());
  peer.response(1, 200, {}, true);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(a.complete_calls, 1);
  EXPECT_TRUE(s.finished());
}

TEST(H2Session, SubmitBeforeStartLeavesWithThePreface) {
  ClientSession s(small_config());
  Recorder r;
  ASSERT_NE(s.submit(get("/early"), true, &r), 0u);
  EXPECT_TRUE(s.pending_output().empty());
  EXPECT_EQ(s.queued(), 1u);
  s.start();
  TestPeer peer(s);
  auto frames = peer.read();
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(frames[0].is(FrameType::settings));
  EXPECT_TRUE(frames[1].is(FrameType::window_update));
  EXPECT_TRUE(frames[2].is(FrameType::headers));
}

// The driver batches new requests only while nothing else waits to be written: the session says how many
// HEADERS are queued and whether they are all that is queued.
TEST(H2Session, CountsQueuedRequestsAndWhetherTheyAreAllThatIsQueued) {
  ClientSession s(small_config());
  s.start();
  TestPeer peer(s);
  EXPECT_EQ(s.unsent_requests(), 0u);
  EXPECT_FALSE(s.only_requests_pending()) << "the preface and SETTINGS are not requests";
  peer.handshake();
  EXPECT_FALSE(s.only_requests_pending()) << "the SETTINGS ACK is queued";
  peer.read();
  EXPECT_TRUE(s.only_requests_pending()) << "nothing queued";
  std::vector<std::unique_ptr<Recorder>> recs;
  for (int i = 0; i < 3; ++i) {
    recs.push_back(std::make_unique<Recorder>());
    ASSERT_NE(s.submit(get("/r" + std::to_string(i)), true, recs.back().get()), 0u);
  }
  EXPECT_EQ(s.unsent_requests(), 3u);
  EXPECT_TRUE(s.only_requests_pending());
  peer.read();
  EXPECT_EQ(s.unsent_requests(), 0u);

  // A request with a body: its DATA is not a request head to hold.
  recs.push_back(std::make_unique<Recorder>());
  uint64_t upload = s.submit(get("/upload"), false, recs.back().get());
  ASSERT_NE(upload, 0u);
  EXPECT_TRUE(s.only_requests_pending());
  const std::string body = "abc";
  s.send_data(upload, std::span(reinterpret_cast<const uint8_t*>(body.data()), body.size()), true);
  EXPECT_EQ(s.unsent_requests(), 1u);
  EXPECT_FALSE(s.only_requests_pending());
  peer.read();

  // A PING ACK queued behind a new request's HEADERS makes it urgent.
  recs.push_back(std::make_unique<Recorder>());
  ASSERT_NE(s.submit(get("/r3"), true, recs.back().get()), 0u);
  peer.ping(false, PingPayload{1, 2, 3, 4, 5, 6, 7, 8});
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(s.unsent_requests(), 1u);
  EXPECT_FALSE(s.only_requests_pending());

  // A partial write leaves bytes that may start mid-frame: no longer counted as requests.
  const size_t pending = s.pending_output().size();
  s.output_sent(pending - 1);
  EXPECT_EQ(s.unsent_requests(), 0u);
  EXPECT_FALSE(s.only_requests_pending());
  s.output_sent(1);
  EXPECT_TRUE(s.only_requests_pending());
}

// What the driver may wait for before reading: body bytes the peer owes and may send now.
TEST(H2Session, CountsOwedBodyBytesWithinTheWindowsAndOwedHeads) {
  ClientSession s(small_config());  // 64 KiB stream windows, 256 KiB for the connection
  s.start();
  TestPeer peer(s);
  peer.handshake();
  std::vector<std::unique_ptr<Recorder>> recs;
  for (int i = 0; i < 3; ++i) {
    recs.push_back(std::make_unique<Recorder>());
    ASSERT_NE(s.submit(get("/r" + std::to_string(i)), true, recs.back().get()), 0u);
  }
  peer.read();
  EXPECT_EQ(s.body_bytes_due(), 0u) << "no response heads yet: no size known";
  EXPECT_TRUE(s.owes_heads(3));
  EXPECT_FALSE(s.owes_heads(4));
  peer.response(1, 200, {{"content-length", "50000"}});
  peer.response(3, 200, {{"content-length", "100000"}});
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(s.body_bytes_due(), 50000u + 65536u) << "stream 3 owes more than its window lets it send";
  EXPECT_TRUE(s.owes_heads(1));
  EXPECT_FALSE(s.owes_heads(2));
  peer.response(5, 200, {{"content-length", "10"}});
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(s.body_bytes_due(), 50000u + 65536u + 10u);
  EXPECT_FALSE(s.owes_heads(1));
  EXPECT_TRUE(s.owes_heads(0));
  peer.data(1, std::string(10000, 'x'), false);
  peer.data(1, std::string(10000, 'x'), false);
  peer.data(5, "0123456789", true);
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(s.body_bytes_due(), 30000u + 65536u) << "what arrived is no longer owed; ended streams owe nothing";

  // A response without content-length could end at any byte: it adds nothing.
  recs.push_back(std::make_unique<Recorder>());
  ASSERT_NE(s.submit(get("/chunks"), true, recs.back().get()), 0u);
  peer.read();
  peer.response(7, 200, {});
  ASSERT_TRUE(peer.flush().ok());
  EXPECT_EQ(s.body_bytes_due(), 30000u + 65536u);
}

}  // namespace
}  // namespace wraith::h2
