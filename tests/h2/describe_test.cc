// FrameDescriber: the -v line per frame a client writes. Expected lines for the first flight come from the
// captured Chromium frames in the fixtures (the inspector's own parse), the rest from hand-built frames.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "h2/frame/describe.h"
#include "h2/frame/frame_header.h"

namespace wraith::h2 {
namespace {

using Bytes = std::vector<uint8_t>;

void put32(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

Bytes frame(FrameType type, uint8_t flag_bits, uint32_t stream, const Bytes& payload) {
  Bytes out;
  encode_frame_header(out, static_cast<uint32_t>(payload.size()), type, flag_bits, stream);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes preface() { return Bytes(kClientPreface.begin(), kClientPreface.end()); }

std::vector<std::string> describe_all(const Bytes& wire) {
  FrameDescriber d;
  return d.feed(wire);
}

// The wire bytes of a fixture's first flight, and the line each frame should get, both from the capture.
struct Flight {
  Bytes wire;
  std::vector<std::string> lines;
};

Flight flight_from(const nlohmann::json& frames) {
  Flight f;
  f.wire = preface();
  f.lines.push_back("PREFACE \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\" length=24");
  for (const auto& j : frames) {
    const std::string type = j["type"];
    const uint32_t stream = j["stream"], length = j["length"];
    const uint8_t flag_bits = j["flags"];
    std::string line = type + " stream=" + std::to_string(stream) + " length=" + std::to_string(length);
    std::string names;
    for (const auto& n : j["flag_names"]) names += (names.empty() ? "" : "|") + n.get<std::string>();
    if (!names.empty()) line += " flags=" + names;
    Bytes payload;
    if (type == "SETTINGS") {
      for (const auto& s : j["settings"]) {
        payload.push_back(static_cast<uint8_t>(s["id"].get<int>() >> 8));
        payload.push_back(static_cast<uint8_t>(s["id"].get<int>()));
        put32(payload, s["value"]);
        line += " " + s["name"].get<std::string>() + "=" + std::to_string(s["value"].get<uint32_t>());
      }
      auto bytes = frame(FrameType::settings, flag_bits, stream, payload);
      f.wire.insert(f.wire.end(), bytes.begin(), bytes.end());
    } else if (type == "WINDOW_UPDATE") {
      put32(payload, j["increment"]);
      line += " increment=" + std::to_string(j["increment"].get<uint32_t>());
      auto bytes = frame(FrameType::window_update, flag_bits, stream, payload);
      f.wire.insert(f.wire.end(), bytes.begin(), bytes.end());
    } else if (type == "HEADERS") {
      if (flag_bits & flags::priority) {
        const auto& p = j["priority"];
        const uint32_t exclusive = p["exclusive"], depends_on = p["depends_on"], weight = p["weight"];
        put32(payload, (exclusive << 31) | depends_on);
        payload.push_back(static_cast<uint8_t>(weight - 1));
        line += " exclusive=" + std::to_string(exclusive) + " depends_on=" + std::to_string(depends_on) +
                " weight=" + std::to_string(weight);
      }
      payload.resize(payload.size() + j["header_block_length"].get<std::size_t>(), 0x82);
      line += " header_block=" + std::to_string(j["header_block_length"].get<int>());
      auto bytes = frame(FrameType::headers, flag_bits, stream, payload);
      f.wire.insert(f.wire.end(), bytes.begin(), bytes.end());
    } else {
      ADD_FAILURE() << "fixture frame type " << type << " not expected before the first request";
    }
    EXPECT_EQ(payload.size(), length) << type;
    f.lines.push_back(line);
  }
  return f;
}

std::vector<std::filesystem::path> h2_fixtures() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(WRAITH_FIXTURES_DIR))
    if (entry.path().extension() == ".json" && entry.path().filename().string().find("http1") == std::string::npos)
      out.push_back(entry.path());
  return out;
}

TEST(FrameDescribe, FixtureFirstFlightsLineByLine) {
  auto fixtures = h2_fixtures();
  ASSERT_GE(fixtures.size(), 10u);
  for (const auto& path : fixtures) {
    std::ifstream in(path);
    auto doc = nlohmann::json::parse(in);
    const auto& frames = doc["h2"]["preface_frames"];
    ASSERT_EQ(frames.size(), 3u) << path;
    Flight f = flight_from(frames);
    EXPECT_EQ(describe_all(f.wire), f.lines) << path;
  }
}

TEST(FrameDescribe, ChromiumFlightReadsAsExpected) {
  // The README's summary of Chromium 156's first flight, spelled out once by hand.
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/chromium-156.json");
  Flight f = flight_from(nlohmann::json::parse(in)["h2"]["preface_frames"]);
  auto lines = describe_all(f.wire);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], "SETTINGS stream=0 length=24 HEADER_TABLE_SIZE=65536 ENABLE_PUSH=0 INITIAL_WINDOW_SIZE=6291456 "
                      "MAX_HEADER_LIST_SIZE=262144");
  EXPECT_EQ(lines[2], "WINDOW_UPDATE stream=0 length=4 increment=15663105");
  EXPECT_EQ(lines[3], "HEADERS stream=1 length=454 flags=END_STREAM|END_HEADERS|PRIORITY exclusive=1 depends_on=0 "
                      "weight=256 header_block=449");
}

TEST(FrameDescribe, SplitAnywhereGivesTheSameLines) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/chromium-156.json");
  Flight f = flight_from(nlohmann::json::parse(in)["h2"]["preface_frames"]);
  for (std::size_t cut = 0; cut <= f.wire.size(); ++cut) {
    FrameDescriber d;
    auto lines = d.feed(std::span(f.wire.data(), cut));
    auto rest = d.feed(std::span(f.wire.data() + cut, f.wire.size() - cut));
    lines.insert(lines.end(), rest.begin(), rest.end());
    ASSERT_EQ(lines, f.lines) << "cut at " << cut;
  }
  FrameDescriber bytewise;
  std::vector<std::string> lines;
  for (uint8_t b : f.wire)
    for (auto& l : bytewise.feed(std::span(&b, 1))) lines.push_back(l);
  EXPECT_EQ(lines, f.lines);
}

TEST(FrameDescribe, EveryFrameTypeAndItsFields) {
  Bytes wire = preface();
  auto add = [&wire](const Bytes& b) { wire.insert(wire.end(), b.begin(), b.end()); };
  add(frame(FrameType::settings, flags::ack, 0, {}));
  add(frame(FrameType::settings, 0, 0, {0x00, 0x03, 0, 0, 0, 100, 0x00, 0x05, 0, 0, 0x40, 0, 0x00, 0x08, 0, 0, 0, 1,
                                        0x00, 0x09, 0, 0, 0, 1, 0x1a, 0x2a, 0, 0, 0, 7}));
  add(frame(FrameType::data, flags::end_stream | flags::padded, 3, {2, 'h', 'i', 0, 0}));
  add(frame(FrameType::data, 0, 3, Bytes(10, 'x')));
  add(frame(FrameType::headers, flags::end_headers | flags::padded | flags::priority, 5,
            {1, 0x00, 0x00, 0x00, 0x03, 219, 0x82, 0}));
  add(frame(FrameType::headers, flags::end_stream, 7, {0x82, 0x84}));
  add(frame(FrameType::continuation, flags::end_headers, 7, {0x86}));
  add(frame(FrameType::priority, 0, 9, {0x80, 0, 0, 7, 15}));
  add(frame(FrameType::rst_stream, 0, 5, {0, 0, 0, 8}));
  add(frame(FrameType::rst_stream, 0, 5, {0, 0, 1, 0}));
  add(frame(FrameType::ping, flags::ack, 0, {1, 2, 3, 4, 0xa, 0xb, 0xc, 0xd}));
  add(frame(FrameType::goaway, 0, 0, {0, 0, 0, 9, 0, 0, 0, 0, 'b', 'y', 'e'}));
  add(frame(FrameType::window_update, 0, 3, {0x80, 0, 0x10, 0}));
  add(frame(FrameType::push_promise, flags::end_headers, 1, {0, 0, 0, 2, 0x82}));
  Bytes unknown;
  encode_frame_header(unknown, 2, FrameType::data, 0, 11);
  unknown[3] = 0xfa;  // an extension type
  unknown.push_back(1);
  unknown.push_back(2);
  add(unknown);
  add(frame(FrameType::data, 0x42, 13, {}));  // bits DATA does not define

  const std::vector<std::string> expected = {
      "PREFACE \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\" length=24",
      "SETTINGS stream=0 length=0 flags=ACK",
      "SETTINGS stream=0 length=30 MAX_CONCURRENT_STREAMS=100 MAX_FRAME_SIZE=16384 ENABLE_CONNECT_PROTOCOL=1 "
      "NO_RFC7540_PRIORITIES=1 6698=7",
      "DATA stream=3 length=5 flags=END_STREAM|PADDED pad=2 data=2",
      "DATA stream=3 length=10",
      "HEADERS stream=5 length=8 flags=END_HEADERS|PADDED|PRIORITY pad=1 exclusive=0 depends_on=3 weight=220 header_block=1",
      "HEADERS stream=7 length=2 flags=END_STREAM header_block=2",
      "CONTINUATION stream=7 length=1 flags=END_HEADERS",
      "PRIORITY stream=9 length=5 exclusive=1 depends_on=7 weight=16",
      "RST_STREAM stream=5 length=4 error=CANCEL",
      "RST_STREAM stream=5 length=4 error=0x100",
      "PING stream=0 length=8 flags=ACK opaque=010203040a0b0c0d",
      "GOAWAY stream=0 length=11 last_stream=9 error=NO_ERROR debug=3",
      "WINDOW_UPDATE stream=3 length=4 increment=4096",
      "PUSH_PROMISE stream=1 length=5 flags=END_HEADERS promised_stream=2",
      "UNKNOWN_TYPE_0xfa stream=11 length=2",
      "DATA stream=13 length=0 flags=0x42",
  };
  EXPECT_EQ(describe_all(wire), expected);
}

TEST(FrameDescribe, MalformedPayloadsAreSaidSoNotRead) {
  Bytes wire = preface();
  auto add = [&wire](const Bytes& b) { wire.insert(wire.end(), b.begin(), b.end()); };
  add(frame(FrameType::settings, 0, 0, {0, 1, 0, 0, 0}));
  add(frame(FrameType::window_update, 0, 0, {0, 0, 1}));
  add(frame(FrameType::headers, flags::priority, 1, {0x80, 0}));
  add(frame(FrameType::data, flags::padded, 1, {9, 'a'}));
  add(frame(FrameType::data, flags::padded, 1, {}));
  add(frame(FrameType::ping, 0, 0, {1, 2, 3}));
  add(frame(FrameType::goaway, 0, 0, {0, 0, 0}));
  add(frame(FrameType::rst_stream, 0, 1, {}));
  add(frame(FrameType::priority, 0, 1, {1}));
  add(frame(FrameType::push_promise, flags::padded, 1, {0, 0, 0}));
  auto lines = describe_all(wire);
  ASSERT_EQ(lines.size(), 11u);
  for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_NE(lines[i].find("(malformed)"), std::string::npos) << lines[i];
}

TEST(FrameDescribe, NotAPrefaceStopsDescribing) {
  Bytes wire = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};
  FrameDescriber d;
  auto lines = d.feed(wire);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("not an HTTP/2 client preface"), std::string::npos);
  EXPECT_TRUE(d.feed(frame(FrameType::settings, 0, 0, {})).empty());
  // A preface that goes wrong only in its second write.
  FrameDescriber late;
  EXPECT_TRUE(late.feed(std::span(preface().data(), 10)).empty());
  auto wrong = late.feed(Bytes(20, 'x'));
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_NE(wrong[0].find("not an HTTP/2 client preface"), std::string::npos);
}

TEST(FrameDescribe, TruncatedFramesWaitAndLongOnesAreCountedNotKept) {
  FrameDescriber d;
  EXPECT_EQ(d.feed(preface()).size(), 1u);
  auto settings = frame(FrameType::settings, 0, 0, {0, 1, 0, 0, 0x10, 0});
  EXPECT_TRUE(d.feed(std::span(settings.data(), 4)).empty());          // half a header
  EXPECT_TRUE(d.feed(std::span(settings.data() + 4, 7)).empty());      // header and part of the payload
  auto done = d.feed(std::span(settings.data() + 11, settings.size() - 11));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0], "SETTINGS stream=0 length=6 HEADER_TABLE_SIZE=4096");
  // The largest frame length there is, fed in pieces: one line at its very end.
  Bytes head;
  encode_frame_header(head, kLargestMaxFrameSize, FrameType::data, flags::end_stream, 1);
  EXPECT_TRUE(d.feed(head).empty());
  Bytes piece(1 << 20, 'z');
  std::size_t left = kLargestMaxFrameSize;
  std::vector<std::string> lines;
  while (left > 0) {
    std::size_t n = std::min(left, piece.size());
    lines = d.feed(std::span(piece.data(), n));
    left -= n;
    if (left > 0) {
      ASSERT_TRUE(lines.empty());
    }
  }
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "DATA stream=1 length=16777215 flags=END_STREAM");
  // A SETTINGS frame longer than what is kept lists what was kept and counts the rest.
  Bytes many;
  for (int i = 0; i < 100; ++i) {
    many.push_back(0);
    many.push_back(1);
    put32(many, static_cast<uint32_t>(i));
  }
  auto long_settings = d.feed(frame(FrameType::settings, 0, 0, many));
  ASSERT_EQ(long_settings.size(), 1u);
  EXPECT_NE(long_settings[0].find("HEADER_TABLE_SIZE=41 ... (58 more)"), std::string::npos) << long_settings[0];
}

TEST(FrameDescribe, RandomBytesAfterThePrefaceNeverCrash) {
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    FrameDescriber d;
    Bytes wire = preface();
    std::size_t size = rng() % 4096;
    for (std::size_t i = 0; i < size; ++i) wire.push_back(static_cast<uint8_t>(rng()));
    std::size_t at = 0;
    while (at < wire.size()) {
      std::size_t n = std::min<std::size_t>(wire.size() - at, 1 + rng() % 64);
      for (const auto& line : d.feed(std::span(wire.data() + at, n))) EXPECT_FALSE(line.empty());
      at += n;
    }
  }
}

}  // namespace
}  // namespace wraith::h2
