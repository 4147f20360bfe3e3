// The h2 receive path through h2::ClientSession (sans-IO), with the chromium156 profile's session config:
//  - BM_Data16KFrame: one 16 KiB DATA frame in, receive() + the listener's consume() + draining the
//    WINDOW_UPDATEs it queues; time per frame.
//  - BM_SmallResponse: one whole small exchange (submit with Chrome's navigation headers, HEADERS out,
//    HEADERS + 100-byte DATA in, on_complete); time per request, the engine's share of W2.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "client/profile_mapping.h"
#include "h2/frame/data.h"
#include "h2/frame/headers.h"
#include "h2/frame/settings.h"
#include "h2/session.h"
#include "wraith/profile.h"

namespace {

using namespace wraith;
using namespace wraith::h2;
using Bytes = std::vector<uint8_t>;

struct Counter : StreamListener {
  ClientSession* session = nullptr;
  uint64_t request = 0;
  size_t bytes = 0, completed = 0, errors = 0;
  void on_headers(uint16_t, std::span<const hpack::HeaderField>) override {}
  void on_data(std::span<const uint8_t> d, bool) override {
    bytes += d.size();
    session->consume(request, d.size());
  }
  void on_complete() override { ++completed; }
  void on_error(const Error&) override { ++errors; }
};

SessionConfig chrome_config() {
  auto profile = builtin_profile("chromium156");
  auto config = client::h2_session_config(*profile);
  return *config;
}

RequestHead navigation_request() {
  auto profile = builtin_profile("chromium156");
  RequestHead h{"GET", "https", "bench.test", "/small", "", {}, {}};
  for (const auto& [name, value] : profile->kinds.at("navigate").h2_headers)
    h.headers.push_back({name, value.find('{') == std::string::npos ? value : "none"});
  return h;
}

// A session past the handshake: the server's SETTINGS and its ACK of ours have been received.
void handshake(ClientSession& s) {
  s.start();
  Bytes in;
  encode_settings(in, std::vector<Setting>{{3, 1000}, {4, 1 << 30}});
  encode_settings_ack(in);
  if (!s.receive(in).ok()) std::abort();
  s.output_sent(s.pending_output().size());
}

// HEADERS(:status 200, content-length 100) as HPACK: indexed :status 200 (static index 8), then
// content-length (static name index 28) as a literal without indexing.
Bytes response_block() { return {0x88, 0x0f, 0x0d, 0x03, '1', '0', '0'}; }

void BM_Data16KFrame(benchmark::State& state) {
  ClientSession s(chrome_config());
  handshake(s);
  Counter c;
  c.session = &s;
  c.request = s.submit(navigation_request(), true, &c);
  s.output_sent(s.pending_output().size());
  Bytes in;
  encode_headers(in, 1, Bytes{0x88}, false, true);
  if (!s.receive(in).ok()) std::abort();
  constexpr int kFrames = 64;
  Bytes wire, payload(16384, 'd');
  for (int i = 0; i < kFrames; ++i) encode_data(wire, 1, payload, false);
  for (auto _ : state) {
    if (!s.receive(wire).ok()) state.SkipWithError("receive failed");
    s.output_sent(s.pending_output().size());
  }
  if (c.bytes != static_cast<size_t>(state.iterations()) * kFrames * 16384) state.SkipWithError("bytes mismatch");
  state.SetItemsProcessed(state.iterations() * kFrames);
  state.SetBytesProcessed(state.iterations() * kFrames * 16384);
}
BENCHMARK(BM_Data16KFrame);

void BM_SmallResponse(benchmark::State& state) {
  ClientSession s(chrome_config());
  handshake(s);
  RequestHead head = navigation_request();
  Bytes block = response_block(), body(100, 'b'), in;
  in.reserve(1024);
  Counter c;
  c.session = &s;
  uint32_t stream = 1;
  for (auto _ : state) {
    c.request = s.submit(head, true, &c);
    s.output_sent(s.pending_output().size());
    in.clear();
    encode_headers(in, stream, block, false, true);
    encode_data(in, stream, body, true);
    if (!s.receive(in).ok()) state.SkipWithError("receive failed");
    s.output_sent(s.pending_output().size());
    stream += 2;
  }
  if (c.completed != static_cast<size_t>(state.iterations()) || c.errors) state.SkipWithError("requests not completed");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SmallResponse);

}  // namespace
