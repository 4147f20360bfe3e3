// HTTP/2 frame codec (src/h2/frame): encoding into a reused buffer and decoding through FrameReader, per frame.
#include <benchmark/benchmark.h>

#include <vector>

#include "h2/frame/data.h"
#include "h2/frame/headers.h"
#include "h2/frame/ping.h"
#include "h2/frame/reader.h"
#include "h2/frame/settings.h"
#include "h2/frame/window_update.h"

namespace {

using namespace wraith::h2;
using Bytes = std::vector<uint8_t>;

// Chrome's SETTINGS (the chromium156 profile's values, as in tests/fixtures).
const std::vector<Setting> kChromeSettings = {{1, 65536}, {2, 0}, {4, 6291456}, {6, 262144}};

void BM_EncodeData16K(benchmark::State& state) {
  Bytes payload(16384, 'd'), out;
  out.reserve(64 * 1024);
  for (auto _ : state) {
    out.clear();
    encode_data(out, 1, payload, false);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * 16384);
}
BENCHMARK(BM_EncodeData16K);

void BM_EncodeHeadersFrame(benchmark::State& state) {
  Bytes block(400, 'h'), out;  // about one HPACK-encoded Chrome navigation block
  out.reserve(4096);
  PriorityFields prio{};
  prio.weight = 256;
  prio.exclusive = true;
  for (auto _ : state) {
    out.clear();
    encode_header_block(out, 1, block, true, prio, 16384);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_EncodeHeadersFrame);

void BM_EncodeControlFrames(benchmark::State& state) {  // SETTINGS + WINDOW_UPDATE + PING ack
  Bytes out;
  out.reserve(4096);
  PingPayload ping{};
  for (auto _ : state) {
    out.clear();
    encode_settings(out, kChromeSettings);
    encode_window_update(out, 0, 15663105);
    encode_ping(out, true, ping);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(BM_EncodeControlFrames);

// Decoding: a buffer of `count` frames read by one FrameReader, each DATA frame run through decode_data.
void decode_all(benchmark::State& state, const Bytes& wire, size_t frames, size_t chunk) {
  FrameReader reader(kLargestMaxFrameSize);
  for (auto _ : state) {
    size_t seen = 0;
    for (size_t off = 0; off < wire.size(); off += chunk) {
      reader.feed(std::span<const uint8_t>(wire).subspan(off, std::min(chunk, wire.size() - off)));
      Frame f;
      for (;;) {
        auto got = reader.next(f);
        if (!got.ok() || !*got) break;
        if (f.header.is(FrameType::data)) {
          auto d = decode_data(f);
          benchmark::DoNotOptimize(d);
        }
        ++seen;
      }
    }
    if (seen != frames) state.SkipWithError("frame count mismatch");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(frames));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(wire.size()));
}

void BM_DecodeData16K(benchmark::State& state) {
  Bytes wire;
  for (int i = 0; i < 64; ++i) encode_data(wire, 1, Bytes(16384, 'd'), false);
  decode_all(state, wire, 64, wire.size());  // whole frames in one read
}
BENCHMARK(BM_DecodeData16K);

void BM_DecodeData16KStraddling(benchmark::State& state) {  // socket reads of 16 KiB: every frame straddles
  Bytes wire;
  for (int i = 0; i < 64; ++i) encode_data(wire, 1, Bytes(16384, 'd'), false);
  decode_all(state, wire, 64, 16384);
}
BENCHMARK(BM_DecodeData16KStraddling);

void BM_DecodeSmallFrames(benchmark::State& state) {  // a small-response mix: HEADERS + DATA(100) per stream
  Bytes wire, block(20, 'h');
  for (uint32_t s = 1; s < 200; s += 2) {
    encode_header_block(wire, s, block, false, std::nullopt, 16384);
    encode_data(wire, s, Bytes(100, 'd'), true);
  }
  decode_all(state, wire, 200, wire.size());
}
BENCHMARK(BM_DecodeSmallFrames);

}  // namespace
