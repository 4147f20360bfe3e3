// Frame codec: encode/decode round trips for every type, and every length/flag/stream rule the reader or the
// per-type decoders enforce (RFC 9113 sections 4 and 6).
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "h2/frame/continuation.h"
#include "h2/frame/data.h"
#include "h2/frame/frame_error.h"
#include "h2/frame/goaway.h"
#include "h2/frame/headers.h"
#include "h2/frame/ping.h"
#include "h2/frame/priority.h"
#include "h2/frame/push_promise.h"
#include "h2/frame/reader.h"
#include "h2/frame/rst_stream.h"
#include "h2/frame/settings.h"
#include "h2/frame/window_update.h"

namespace wraith::h2 {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Reads every frame from `wire`; fails the test on an error.
std::vector<Frame> read_all(FrameReader& r, const Bytes& wire) {
  std::vector<Frame> frames;
  r.feed(wire);
  Frame f;
  for (;;) {
    auto got = r.next(f);
    EXPECT_TRUE(got.ok()) << got.error().describe();
    if (!got.ok() || !*got) break;
    frames.push_back(f);
  }
  return frames;
}

// Frames point into their wire bytes; this keeps a copy of each parsed buffer alive for the test's duration.
Frame read_one(const Bytes& wire, uint32_t max_frame = kDefaultMaxFrameSize) {
  static std::deque<Bytes> keep_alive;
  keep_alive.push_back(wire);
  FrameReader r(max_frame);
  auto frames = read_all(r, keep_alive.back());
  EXPECT_EQ(frames.size(), 1u);
  return frames.empty() ? Frame{} : frames[0];
}

// The first error the reader reports for `wire`.
Error reader_error(const Bytes& wire, uint32_t max_frame = kDefaultMaxFrameSize) {
  FrameReader r(max_frame);
  r.feed(wire);
  Frame f;
  for (;;) {
    auto got = r.next(f);
    if (!got.ok()) return got.error();
    if (!*got) break;
  }
  ADD_FAILURE() << "no error";
  return {};
}

void expect_conn_error(const Error& e, ErrorCode code) {
  EXPECT_EQ(e.kind, ErrorKind::protocol);
  EXPECT_EQ(error_code_of(e), code) << e.describe();
  EXPECT_FALSE(is_stream_error(e)) << e.describe();
}

void expect_stream_error(const Error& e, ErrorCode code, uint32_t stream) {
  EXPECT_EQ(error_code_of(e), code) << e.describe();
  EXPECT_EQ(e.stream_id, stream) << e.describe();
}

// A raw frame with an arbitrary header, to build frames our encoders refuse to produce.
Bytes raw_frame(uint8_t type, uint8_t flags, uint32_t stream, const Bytes& payload) {
  Bytes out;
  encode_frame_header(out, static_cast<uint32_t>(payload.size()), static_cast<FrameType>(type), flags, stream);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

TEST(H2Frame, HeaderRoundTripAndReservedBit) {
  Bytes out;
  encode_frame_header(out, 0x123456, FrameType::headers, 0x25, 0x7fffffff);
  ASSERT_EQ(out.size(), kFrameHeaderSize);
  EXPECT_EQ(out, (Bytes{0x12, 0x34, 0x56, 0x01, 0x25, 0x7f, 0xff, 0xff, 0xff}));
  out[5] |= 0x80;  // reserved bit set by the peer: ignored
  FrameHeader h = decode_frame_header(out.data());
  EXPECT_EQ(h.length, 0x123456u);
  EXPECT_TRUE(h.is(FrameType::headers));
  EXPECT_EQ(h.flags, 0x25);
  EXPECT_EQ(h.stream_id, 0x7fffffffu);
}

TEST(H2Frame, DataRoundTripPlainAndPadded) {
  Bytes body = bytes_of("hello");
  Bytes out;
  encode_data(out, 3, body, true);
  EXPECT_EQ(out.size(), kFrameHeaderSize + 5);
  auto d = decode_data(read_one(out));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->stream_id, 3u);
  EXPECT_TRUE(d->end_stream);
  EXPECT_EQ(Bytes(d->data.begin(), d->data.end()), body);
  EXPECT_EQ(d->flow_controlled_length, 5u);

  out.clear();
  encode_data(out, 5, body, false, uint8_t{10});
  Frame f = read_one(out);
  EXPECT_EQ(f.header.length, 16u);
  EXPECT_TRUE(f.header.has(flags::padded));
  d = decode_data(f);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->end_stream);
  EXPECT_EQ(Bytes(d->data.begin(), d->data.end()), body);
  EXPECT_EQ(d->flow_controlled_length, 16u);  // padding counts against flow control

  out.clear();
  encode_data(out, 5, {}, true, uint8_t{0});  // PADDED with Pad Length 0 and no data
  d = decode_data(read_one(out));
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->data.empty());
  EXPECT_EQ(d->flow_controlled_length, 1u);
}

TEST(H2Frame, DataPaddingErrors) {
  // Pad Length 5 with only 4 bytes after it.
  Frame f = read_one(raw_frame(0, flags::padded, 1, {5, 1, 2, 3, 4}));
  auto d = decode_data(f);
  ASSERT_FALSE(d.ok());
  expect_conn_error(d.error(), ErrorCode::protocol_error);
  // Padding equal to the remaining length is allowed (empty data).
  d = decode_data(read_one(raw_frame(0, flags::padded, 1, {4, 0, 0, 0, 0})));
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->data.empty());
  // PADDED flag without the Pad Length byte.
  d = decode_data(read_one(raw_frame(0, flags::padded, 1, {})));
  ASSERT_FALSE(d.ok());
  expect_conn_error(d.error(), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(0, 0, 0, {1})), ErrorCode::protocol_error);  // DATA on stream 0
}

TEST(H2Frame, HeadersWithPriorityAndPadding) {
  Bytes block = bytes_of("\x82\x87\x84");
  Bytes out;
  PriorityFields prio{true, 0, 256};
  encode_headers(out, 1, block, true, true, prio, uint8_t{3});
  Frame f = read_one(out);
  EXPECT_EQ(f.header.flags, flags::end_stream | flags::end_headers | flags::priority | flags::padded);
  EXPECT_EQ(f.header.length, 1u + 5u + 3u + 3u);
  auto h = decode_headers(f);
  ASSERT_TRUE(h.ok()) << h.error().describe();
  EXPECT_TRUE(h->end_stream);
  EXPECT_TRUE(h->end_headers);
  ASSERT_TRUE(h->priority);
  EXPECT_EQ(*h->priority, prio);
  EXPECT_EQ(Bytes(h->fragment.begin(), h->fragment.end()), block);

  // Weight 256 is 0xff on the wire, weight 1 is 0x00; exclusive is the top bit of the dependency.
  out.clear();
  encode_headers(out, 3, block, false, true, PriorityFields{true, 0, 256});
  EXPECT_EQ(out[kFrameHeaderSize], 0x80);
  EXPECT_EQ(out[kFrameHeaderSize + 4], 0xff);
  out.clear();
  encode_headers(out, 3, block, false, false, PriorityFields{false, 1, 1});
  EXPECT_EQ(out[kFrameHeaderSize + 3], 0x01);
  EXPECT_EQ(out[kFrameHeaderSize + 4], 0x00);

  out.clear();
  encode_headers(out, 7, block, false, true);
  h = decode_headers(read_one(out));
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->priority);
  EXPECT_FALSE(h->end_stream);
}

TEST(H2Frame, HeadersErrors) {
  // PRIORITY flag but only 4 bytes.
  auto h = decode_headers(read_one(raw_frame(1, flags::priority | flags::end_headers, 1, {0, 0, 0, 0})));
  ASSERT_FALSE(h.ok());
  expect_conn_error(h.error(), ErrorCode::frame_size_error);
  // Padding eating into the priority fields.
  h = decode_headers(read_one(raw_frame(1, flags::priority | flags::padded | flags::end_headers, 1,
                                        {2, 0, 0, 0, 0, 15, 0})));
  ASSERT_FALSE(h.ok());
  expect_conn_error(h.error(), ErrorCode::protocol_error);
  // Self-dependency is a stream error.
  Bytes out;
  encode_headers(out, 5, {}, false, true, PriorityFields{false, 5, 16});
  h = decode_headers(read_one(out));
  ASSERT_FALSE(h.ok());
  expect_stream_error(h.error(), ErrorCode::protocol_error, 5);
  expect_conn_error(reader_error(raw_frame(1, flags::end_headers, 0, {})), ErrorCode::protocol_error);
}

TEST(H2Frame, PriorityFrame) {
  Bytes out;
  encode_priority(out, 3, PriorityFields{false, 1, 42});
  auto p = decode_priority(read_one(out));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->stream_id, 3u);
  EXPECT_EQ(p->fields, (PriorityFields{false, 1, 42}));
  expect_stream_error(reader_error(raw_frame(2, 0, 3, {0, 0, 0, 1})), ErrorCode::frame_size_error, 3);
  expect_conn_error(reader_error(raw_frame(2, 0, 0, {0, 0, 0, 1, 0})), ErrorCode::protocol_error);
  encode_priority(out = {}, 3, PriorityFields{false, 3, 1});
  auto self = decode_priority(read_one(out));
  ASSERT_FALSE(self.ok());
  expect_stream_error(self.error(), ErrorCode::protocol_error, 3);
}

TEST(H2Frame, RstStream) {
  Bytes out;
  encode_rst_stream(out, 9, ErrorCode::cancel);
  auto r = decode_rst_stream(read_one(out));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stream_id, 9u);
  EXPECT_EQ(r->error_code, 8u);
  expect_conn_error(reader_error(raw_frame(3, 0, 1, {0, 0, 8})), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(3, 0, 1, {0, 0, 0, 0, 8})), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(3, 0, 0, {0, 0, 0, 8})), ErrorCode::protocol_error);
}

TEST(H2Frame, SettingsKeepOrder) {
  std::vector<Setting> s = {{1, 65536}, {2, 0}, {4, 6291456}, {6, 262144}};
  Bytes out;
  encode_settings(out, s);
  EXPECT_EQ(out.size(), kFrameHeaderSize + 24);
  auto f = decode_settings(read_one(out));
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->ack);
  ASSERT_EQ(f->count(), 4u);
  for (size_t i = 0; i < s.size(); ++i) EXPECT_EQ(f->at(i), s[i]);

  out.clear();
  encode_settings_ack(out);
  f = decode_settings(read_one(out));
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->ack);
  EXPECT_EQ(f->count(), 0u);
}

TEST(H2Frame, SettingsErrors) {
  expect_conn_error(reader_error(raw_frame(4, 0, 0, Bytes(7))), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(4, flags::ack, 0, Bytes(6))), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(4, 0, 1, Bytes(6))), ErrorCode::protocol_error);
}

TEST(H2Frame, PushPromise) {
  Bytes block = bytes_of("\x82");
  Bytes out;
  encode_push_promise(out, 1, 2, block, true, uint8_t{2});
  auto p = decode_push_promise(read_one(out));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->stream_id, 1u);
  EXPECT_EQ(p->promised_stream_id, 2u);
  EXPECT_TRUE(p->end_headers);
  EXPECT_EQ(Bytes(p->fragment.begin(), p->fragment.end()), block);
  auto short_pp = decode_push_promise(read_one(raw_frame(5, flags::end_headers, 1, {0, 0, 2})));
  ASSERT_FALSE(short_pp.ok());
  expect_conn_error(short_pp.error(), ErrorCode::frame_size_error);
}

TEST(H2Frame, Ping) {
  PingPayload opaque = {1, 2, 3, 4, 5, 6, 7, 8};
  Bytes out;
  encode_ping(out, true, opaque);
  auto p = decode_ping(read_one(out));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->ack);
  EXPECT_EQ(p->opaque, opaque);
  expect_conn_error(reader_error(raw_frame(6, 0, 0, Bytes(7))), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(6, 0, 0, Bytes(9))), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(6, 0, 3, Bytes(8))), ErrorCode::protocol_error);
}

TEST(H2Frame, Goaway) {
  Bytes debug = bytes_of("bye");
  Bytes out;
  encode_goaway(out, 7, ErrorCode::enhance_your_calm, debug);
  out[kFrameHeaderSize] |= 0x80;  // reserved bit on Last-Stream-ID
  auto g = decode_goaway(read_one(out));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->last_stream_id, 7u);
  EXPECT_EQ(g->error_code, 0xbu);
  EXPECT_EQ(Bytes(g->debug_data.begin(), g->debug_data.end()), debug);
  expect_conn_error(reader_error(raw_frame(7, 0, 0, Bytes(7))), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(7, 0, 1, Bytes(8))), ErrorCode::protocol_error);
}

TEST(H2Frame, WindowUpdate) {
  Bytes out;
  encode_window_update(out, 0, 15663105);
  EXPECT_EQ(out, (Bytes{0, 0, 4, 8, 0, 0, 0, 0, 0, 0x00, 0xef, 0x00, 0x01}));
  auto w = decode_window_update(read_one(out));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->increment, 15663105u);
  out[kFrameHeaderSize] |= 0x80;  // reserved bit ignored
  w = decode_window_update(read_one(out));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->increment, 15663105u);

  auto zero0 = decode_window_update(read_one(raw_frame(8, 0, 0, {0, 0, 0, 0})));
  ASSERT_FALSE(zero0.ok());
  expect_conn_error(zero0.error(), ErrorCode::protocol_error);
  auto zero3 = decode_window_update(read_one(raw_frame(8, 0, 3, {0x80, 0, 0, 0})));
  ASSERT_FALSE(zero3.ok());
  expect_stream_error(zero3.error(), ErrorCode::protocol_error, 3);
  expect_conn_error(reader_error(raw_frame(8, 0, 1, Bytes(5))), ErrorCode::frame_size_error);
  expect_conn_error(reader_error(raw_frame(8, 0, 0, Bytes(3))), ErrorCode::frame_size_error);
}

TEST(H2Frame, HeaderBlockSplitsIntoContinuation) {
  Bytes block(40000);
  for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<uint8_t>(i * 7);
  Bytes out;
  encode_header_block(out, 1, block, true, PriorityFields{true, 0, 256}, 16384);
  FrameReader r;
  auto frames = read_all(r, out);
  ASSERT_EQ(frames.size(), 3u);
  auto h = decode_headers(frames[0]);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->end_stream);
  EXPECT_FALSE(h->end_headers);
  EXPECT_EQ(frames[0].header.length, 16384u);
  Bytes joined(h->fragment.begin(), h->fragment.end());
  for (size_t i = 1; i < frames.size(); ++i) {
    ASSERT_TRUE(frames[i].header.is(FrameType::continuation));
    auto c = decode_continuation(frames[i]);
    EXPECT_EQ(c.end_headers, i + 1 == frames.size());
    joined.insert(joined.end(), c.fragment.begin(), c.fragment.end());
  }
  EXPECT_EQ(joined, block);

  out.clear();  // a small block stays a single HEADERS with END_HEADERS
  encode_header_block(out, 3, Bytes{0x82}, false, std::nullopt, 16384);
  auto single = decode_headers(read_one(out));
  ASSERT_TRUE(single.ok());
  EXPECT_TRUE(single->end_headers);
}

TEST(H2FrameReader, ByteAtATimeMatchesWhole) {
  Bytes wire;
  encode_settings(wire, std::vector<Setting>{{3, 100}});
  encode_data(wire, 1, bytes_of("abcdefgh"), false, uint8_t{4});
  encode_ping(wire, false, PingPayload{9, 9, 9, 9, 9, 9, 9, 9});
  encode_window_update(wire, 1, 77);
  FrameReader whole;
  auto expected = read_all(whole, wire);
  ASSERT_EQ(expected.size(), 4u);

  FrameReader r;
  std::vector<FrameHeader> headers;
  std::vector<Bytes> payloads;
  for (uint8_t b : wire) {
    r.feed(std::span<const uint8_t>(&b, 1));
    Frame f;
    for (;;) {
      auto got = r.next(f);
      ASSERT_TRUE(got.ok());
      if (!*got) break;
      headers.push_back(f.header);
      payloads.emplace_back(f.payload.begin(), f.payload.end());
    }
    EXPECT_LE(r.buffered(), kFrameHeaderSize + 20);
  }
  ASSERT_EQ(headers.size(), expected.size());
  for (size_t i = 0; i < headers.size(); ++i) {
    EXPECT_EQ(headers[i].type, expected[i].header.type);
    EXPECT_EQ(headers[i].length, expected[i].header.length);
    EXPECT_EQ(payloads[i], Bytes(expected[i].payload.begin(), expected[i].payload.end()));
  }
  EXPECT_EQ(r.buffered(), 0u);
}

TEST(H2FrameReader, WholeFramesAreNotCopied) {
  Bytes wire;
  encode_data(wire, 1, bytes_of("zero-copy"), true);
  encode_data(wire, 3, bytes_of("second"), true);
  FrameReader r;
  auto frames = read_all(r, wire);
  ASSERT_EQ(frames.size(), 2u);
  for (const Frame& f : frames) {
    EXPECT_GE(f.payload.data(), wire.data());
    EXPECT_LE(f.payload.data() + f.payload.size(), wire.data() + wire.size());
  }
  EXPECT_EQ(r.buffered(), 0u);
}

TEST(H2FrameReader, SplitAcrossTwoFeeds) {
  Bytes wire;
  encode_data(wire, 1, Bytes(1000, 0xab), false);
  encode_data(wire, 1, Bytes(10, 0xcd), true);
  FrameReader r;
  Bytes first(wire.begin(), wire.begin() + 500), second(wire.begin() + 500, wire.end());
  auto a = read_all(r, first);
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(r.buffered(), 500u);
  auto b = read_all(r, second);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].payload.size(), 1000u);
  EXPECT_EQ(b[1].payload.size(), 10u);
  EXPECT_TRUE(b[1].header.has(flags::end_stream));
}

TEST(H2FrameReader, LengthAboveMaxFrameSize) {
  Bytes wire;
  encode_data(wire, 1, Bytes(16385, 0), false);
  expect_conn_error(reader_error(wire), ErrorCode::frame_size_error);
  // Rejected from the header alone, before the payload arrives.
  Bytes header_only(wire.begin(), wire.begin() + kFrameHeaderSize);
  expect_conn_error(reader_error(header_only), ErrorCode::frame_size_error);
  // A larger advertised limit accepts it.
  FrameReader big(1 << 20);
  EXPECT_EQ(read_all(big, wire).size(), 1u);
}

TEST(H2FrameReader, UnknownTypesAreSkipped) {
  Bytes wire = raw_frame(0xfa, 0xff, 0, bytes_of("extension"));
  encode_ping(wire, false, PingPayload{});
  FrameReader r;
  auto frames = read_all(r, wire);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].header.is(FrameType::ping));
}

TEST(H2FrameReader, FieldBlockMustBeContiguous) {
  Bytes start;
  encode_headers(start, 1, bytes_of("\x82"), false, false);

  Bytes interleaved = start;
  encode_ping(interleaved, false, PingPayload{});
  expect_conn_error(reader_error(interleaved), ErrorCode::protocol_error);

  Bytes other_stream = start;
  encode_continuation(other_stream, 3, bytes_of("\x84"), true);
  expect_conn_error(reader_error(other_stream), ErrorCode::protocol_error);

  Bytes extension = start;
  Bytes ext = raw_frame(0xfa, 0, 1, {});
  extension.insert(extension.end(), ext.begin(), ext.end());
  expect_conn_error(reader_error(extension), ErrorCode::protocol_error);

  Bytes orphan;
  encode_continuation(orphan, 1, bytes_of("\x84"), true);
  expect_conn_error(reader_error(orphan), ErrorCode::protocol_error);

  Bytes ok = start;
  encode_continuation(ok, 1, bytes_of("\x84"), false);
  encode_continuation(ok, 1, bytes_of("\x87"), true);
  encode_ping(ok, false, PingPayload{});
  FrameReader r;
  EXPECT_EQ(read_all(r, ok).size(), 4u);
  EXPECT_FALSE(r.in_field_block());
}

TEST(H2FrameReader, StaysFailedAfterConnectionError) {
  Bytes wire = raw_frame(6, 0, 0, Bytes(3));
  encode_ping(wire, false, PingPayload{});
  FrameReader r;
  r.feed(wire);
  Frame f;
  EXPECT_FALSE(r.next(f).ok());
  EXPECT_FALSE(r.next(f).ok());
}

TEST(H2FrameReader, ContinuesAfterStreamError) {
  Bytes wire = raw_frame(2, 0, 3, Bytes(4));  // PRIORITY of the wrong length: stream error only
  encode_ping(wire, false, PingPayload{});
  FrameReader r;
  r.feed(wire);
  Frame f;
  auto first = r.next(f);
  ASSERT_FALSE(first.ok());
  EXPECT_TRUE(is_stream_error(first.error()));
  auto second = r.next(f);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(*second);
  EXPECT_TRUE(f.header.is(FrameType::ping));
}

// The driver's slicing: whole frames only, at least the asked-for bytes, never past the input.
TEST(FrameHeader, EndOfFramesStopsOnlyAtBoundaries) {
  std::vector<uint8_t> bytes;
  encode_frame_header(bytes, 10, FrameType::data, 0, 1);
  bytes.resize(bytes.size() + 10);
  const size_t first = bytes.size();  // 19
  encode_frame_header(bytes, 100, FrameType::data, 0, 3);
  bytes.resize(bytes.size() + 100);
  const size_t second = bytes.size();  // 128
  EXPECT_EQ(end_of_frames(bytes, 0, 1), first);
  EXPECT_EQ(end_of_frames(bytes, 0, first), first);
  EXPECT_EQ(end_of_frames(bytes, 0, first + 1), second);  // the second frame is taken whole
  EXPECT_EQ(end_of_frames(bytes, first, 0), first);
  EXPECT_EQ(end_of_frames(bytes, 0, 1 << 20), second);
  bytes.resize(second + 4);  // a header cut short
  EXPECT_EQ(end_of_frames(bytes, second, 1), bytes.size());
  bytes.resize(second);
  encode_frame_header(bytes, 50, FrameType::data, 0, 5);  // a payload cut short
  bytes.resize(bytes.size() + 20);
  EXPECT_EQ(end_of_frames(bytes, second, 1), bytes.size());
}

}  // namespace
}  // namespace wraith::h2
