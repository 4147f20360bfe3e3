// A scripted HTTP/2 server for session tests: it parses what the client queued (HPACK-decoding every request
// header block, so its decoder stays in sync) and writes server frames with the same frame codec.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "h2/frame/continuation.h"
#include "h2/frame/data.h"
#include "h2/frame/goaway.h"
#include "h2/frame/headers.h"
#include "h2/frame/ping.h"
#include "h2/frame/push_promise.h"
#include "h2/frame/reader.h"
#include "h2/frame/rst_stream.h"
#include "h2/frame/settings.h"
#include "h2/frame/window_update.h"
#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "h2/session.h"

namespace wraith::h2::testing {

using Bytes = std::vector<uint8_t>;
using hpack::HeaderField;

struct ClientFrame {
  FrameHeader header;
  Bytes payload;
  bool is(FrameType t) const { return header.is(t); }
};

// A request header block the client sent, decoded.
struct ClientBlock {
  uint32_t stream_id = 0;
  std::vector<HeaderField> fields;
  bool end_stream = false;
  std::optional<PriorityFields> priority;
  int frames = 0;  // HEADERS + CONTINUATION frames it took
  std::string get(std::string_view name) const {
    for (const auto& f : fields)
      if (f.name == name) return f.value;
    return {};
  }
};

class TestPeer {
 public:
  explicit TestPeer(ClientSession& session) : s_(session), reader_(kLargestMaxFrameSize) {}

  // Everything the client queued since the last call, drained from the session.
  std::vector<ClientFrame> read() {
    auto pending = s_.pending_output();
    Bytes buf(pending.begin(), pending.end());
    s_.output_sent(pending.size());
    std::span<const uint8_t> in(buf);
    if (!saw_preface_ && !in.empty()) {
      EXPECT_GE(in.size(), kClientPreface.size());
      EXPECT_EQ(std::string(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(kClientPreface.size())),
                std::string(kClientPreface));
      in = in.subspan(kClientPreface.size());
      saw_preface_ = true;
    }
    std::vector<ClientFrame> frames;
    reader_.feed(in);
    Frame f;
    for (;;) {
      auto got = reader_.next(f);
      EXPECT_TRUE(got.ok()) << got.error().describe();
      if (!got.ok() || !*got) break;
      frames.push_back({f.header, Bytes(f.payload.begin(), f.payload.end())});
      if (f.header.is(FrameType::headers)) {
        auto h = decode_headers(f);
        EXPECT_TRUE(h.ok());
        pending_block_ = {};
        pending_block_.stream_id = h->stream_id;
        pending_block_.end_stream = h->end_stream;
        pending_block_.priority = h->priority;
        pending_block_.frames = 1;
        block_.assign(h->fragment.begin(), h->fragment.end());
        if (h->end_headers) finish_block();
      } else if (f.header.is(FrameType::continuation)) {
        auto c = decode_continuation(f);
        ++pending_block_.frames;
        block_.insert(block_.end(), c.fragment.begin(), c.fragment.end());
        if (c.end_headers) finish_block();
      }
    }
    return frames;
  }

  // Request header blocks decoded so far (oldest first); take_blocks() empties the list.
  std::vector<ClientBlock> take_blocks() { return std::exchange(blocks_, {}); }

  // ---- server frames, buffered until flush() ----
  void settings(std::vector<Setting> s) { encode_settings(wire_, s); }
  void settings_ack() { encode_settings_ack(wire_); }
  void ping(bool ack, PingPayload p) { encode_ping(wire_, ack, p); }
  void rst(uint32_t stream, ErrorCode code) { encode_rst_stream(wire_, stream, code); }
  void goaway(uint32_t last, ErrorCode code) { encode_goaway(wire_, last, code); }
  void window_update(uint32_t stream, uint32_t inc) { encode_window_update(wire_, stream, inc); }
  void data(uint32_t stream, std::string_view body, bool end, std::optional<uint8_t> pad = std::nullopt) {
    encode_data(wire_, stream, std::span(reinterpret_cast<const uint8_t*>(body.data()), body.size()), end, pad);
  }
  void raw(const Bytes& bytes) { wire_.insert(wire_.end(), bytes.begin(), bytes.end()); }

  Bytes encode_block(const std::vector<HeaderField>& fields) {
    std::vector<hpack::HeaderView> views;
    for (const auto& f : fields) views.push_back({f.name, f.value});
    Bytes block;
    enc_.encode(views, block);
    return block;
  }
  // A header section (pseudo-headers included by the caller); split > 0 cuts the block into HEADERS +
  // CONTINUATION pieces of that size.
  void headers(uint32_t stream, const std::vector<HeaderField>& fields, bool end_stream, size_t split = 0) {
    Bytes block = encode_block(fields);
    if (split == 0 || split >= block.size()) {
      encode_headers(wire_, stream, block, end_stream, true);
      return;
    }
    std::span<const uint8_t> rest(block);
    encode_headers(wire_, stream, rest.first(split), end_stream, false);
    rest = rest.subspan(split);
    while (!rest.empty()) {
      size_t n = std::min(split, rest.size());
      encode_continuation(wire_, stream, rest.first(n), n == rest.size());
      rest = rest.subspan(n);
    }
  }
  void response(uint32_t stream, int status, std::vector<HeaderField> extra = {}, bool end_stream = false) {
    std::vector<HeaderField> fields = {{":status", std::to_string(status)}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    headers(stream, fields, end_stream);
  }

  // Hands the buffered server bytes to the client session.
  Result<void> flush() {
    Bytes bytes = std::exchange(wire_, {});
    return s_.receive(bytes);
  }
  Result<void> flush_bytewise() {
    Bytes bytes = std::exchange(wire_, {});
    for (uint8_t b : bytes) {
      auto r = s_.receive(std::span<const uint8_t>(&b, 1));
      if (!r.ok()) return r;
    }
    return {};
  }
  // Feeds the buffered bytes in random-sized reads.
  template <class Rng>
  Result<void> flush_random(Rng& rng) {
    Bytes bytes = std::exchange(wire_, {});
    size_t off = 0;
    while (off < bytes.size()) {
      size_t n = std::min<size_t>(bytes.size() - off, 1 + rng() % 700);
      auto r = s_.receive(std::span<const uint8_t>(bytes).subspan(off, n));
      if (!r.ok()) return r;
      off += n;
    }
    return {};
  }
  // The session's preface exchange: client preface read, empty server SETTINGS (plus `extra`) and ACK sent.
  void handshake(std::vector<Setting> server_settings = {}) {
    read();
    settings(std::move(server_settings));
    settings_ack();
    auto r = flush();
    EXPECT_TRUE(r.ok()) << r.error().describe();
  }

 private:
  static std::string hex(const Bytes& b) {
    std::string s;
    char buf[3];
    for (uint8_t x : b) {
      std::snprintf(buf, sizeof buf, "%02x", x);
      s += buf;
    }
    return s;
  }
  void finish_block() {
    auto r = dec_.decode(block_, pending_block_.fields);
    EXPECT_TRUE(r.ok()) << r.error().describe() << " block " << hex(block_);
    blocks_.push_back(std::move(pending_block_));
    pending_block_ = {};
  }

  ClientSession& s_;
  FrameReader reader_;
  bool saw_preface_ = false;
  hpack::Encoder enc_{hpack::EncoderPolicy{}};
  hpack::Decoder dec_;
  Bytes block_;
  ClientBlock pending_block_;
  std::vector<ClientBlock> blocks_;
  Bytes wire_;
};

inline RequestHead testing_request(std::string path = "/") {
  RequestHead h;
  h.method = "GET";
  h.scheme = "https";
  h.authority = "example.test";
  h.path = std::move(path);
  h.headers = {{"user-agent", "wraith-test"}, {"accept", "*/*"}};
  return h;
}

// Records every callback; ended() must never exceed 1.
struct Recorder : StreamListener {
  int headers_calls = 0, informational_calls = 0, trailers_calls = 0, complete_calls = 0, error_calls = 0;
  int writable_calls = 0, data_calls = 0;
  uint16_t status = 0;
  std::vector<uint16_t> informational;
  std::vector<HeaderField> headers, trailers;
  std::string body;
  bool data_end = false;
  Error error;
  std::function<void()> writable_hook;
  std::function<void(std::span<const uint8_t>)> data_hook;
  std::function<void()> end_hook;

  int ended() const { return complete_calls + error_calls; }
  void on_headers(uint16_t st, std::span<const HeaderField> h) override {
    ++headers_calls;
    status = st;
    headers.assign(h.begin(), h.end());
  }
  void on_informational(uint16_t st, std::span<const HeaderField>) override {
    ++informational_calls;
    informational.push_back(st);
  }
  void on_data(std::span<const uint8_t> d, bool end) override {
    ++data_calls;
    body.append(d.begin(), d.end());
    data_end = end;
    if (data_hook) data_hook(d);
  }
  void on_trailers(std::span<const HeaderField> t) override {
    ++trailers_calls;
    trailers.assign(t.begin(), t.end());
  }
  void on_complete() override {
    ++complete_calls;
    if (end_hook) end_hook();
  }
  void on_error(const Error& e) override {
    ++error_calls;
    error = e;
    if (end_hook) end_hook();
  }
  void on_writable() override {
    ++writable_calls;
    if (writable_hook) writable_hook();
  }
};

}  // namespace wraith::h2::testing
