// The sans-I/O sessions under random input: whatever arrives, they either go on or ask to close, their
// output and report stay bounded, and nothing crashes (run under ASan+UBSan in CI).
#include <random>

#include <gtest/gtest.h>

#include "h2/frame/frame_header.h"
#include "h2/frame/data.h"
#include "h2/frame/headers.h"
#include "h2/frame/ping.h"
#include "h2/frame/rst_stream.h"
#include "h2/frame/settings.h"
#include "h2/frame/types.h"
#include "h2/frame/window_update.h"
#include "inspect/h1_server_session.h"
#include "inspect/h2_server_session.h"
#include "inspect/report.h"

using namespace wraith;
using namespace wraith::inspect;

TEST(InspectRobustness, RandomFramesAfterAValidPreface) {
  std::mt19937 rng(20261201);
  InspectorLimits limits;
  limits.max_frames_recorded = 50;
  int closed = 0;
  std::size_t requests = 0;
  for (int round = 0; round < 300; ++round) {
    ConnectionReport report(1, "test", 0);
    H2ServerSession session(report, limits);
    session.start();
    std::vector<std::uint8_t> input(h2::kClientPreface.begin(), h2::kClientPreface.end());
    std::uint32_t next_stream = 1;
    for (int f = 0; f < 40; ++f) {
      if (rng() % 12 != 0) {  // mostly plausible frames, so the deeper states (streams, bodies, windows) are reached
        const std::uint8_t get_block[] = {0x82, 0x86, 0x84, 0x41, 0x01, 'x'};  // GET http / authority "x"
        switch (rng() % 6) {
          case 0: h2::encode_headers(input, next_stream, get_block, rng() % 2, true); next_stream += 2; break;
          case 1: {
            std::vector<std::uint8_t> body(rng() % 100, 'b');
            h2::encode_data(input, next_stream > 2 ? next_stream - 2 : 1, body, rng() % 2);
            break;
          }
          case 2: h2::encode_window_update(input, rng() % 2 || next_stream == 1 ? 0 : next_stream - 2, 1 + rng() % 70000); break;
          case 3: h2::encode_rst_stream(input, next_stream > 2 ? next_stream - 2 : 1, h2::ErrorCode::cancel); break;
          case 4: h2::encode_settings(input, std::vector<h2::Setting>{{4, rng() % 200000}, {1, rng() % 8192}}); break;
          case 5: h2::encode_ping(input, rng() % 2, {}); break;
        }
        continue;
      }
      const std::uint32_t length = rng() % 48;
      const auto type = static_cast<h2::FrameType>(rng() % 11);
      const std::uint8_t flags = static_cast<std::uint8_t>(rng());
      const std::uint32_t stream = rng() % 4 == 0 ? 0 : rng() % 8;
      h2::encode_frame_header(input, length, type, flags, stream);
      for (std::uint32_t i = 0; i < length; ++i) input.push_back(static_cast<std::uint8_t>(rng()));
    }
    // Fed in random slices, as a socket would deliver them.
    std::size_t at = 0;
    while (at < input.size() && !session.wants_close()) {
      std::size_t n = std::min<std::size_t>(1 + rng() % 64, input.size() - at);
      session.receive(std::span(input.data() + at, n));
      at += n;
      EXPECT_LT(session.output().size(), 4u << 20);
      session.output().clear();
    }
    if (session.wants_close()) ++closed;
    session.on_closed("test");
    auto doc = report.finalize(session.wants_close() ? session.close_reason() : "client-end");
    EXPECT_LE(doc["h2"]["frames"].size(), limits.max_frames_recorded);
    EXPECT_LE(doc["errors"].size(), 100u);
    requests += doc["requests"].size();
  }
  EXPECT_GT(requests, 200u);  // and the request paths were reached too
  EXPECT_GT(closed, 50);  // random frames are mostly protocol errors: the GOAWAY path really ran
}

TEST(InspectRobustness, RandomBytesIntoHttp1) {
  std::mt19937 rng(7);
  InspectorLimits limits;
  limits.max_header_block = 2048;
  const char* pieces[] = {"GET / HTTP/1.1\r\n", "Host: x\r\n", "\r\n", "Transfer-Encoding: chunked\r\n",
                          "Content-Length: 5\r\n", "5\r\nhello\r\n", "0\r\n\r\n", ":", " ", "\n", "\r", "\x00"};
  for (int round = 0; round < 300; ++round) {
    ConnectionReport report(1, "test", 0);
    H1ServerSession session(report, limits);
    session.start();
    for (int i = 0; i < 60 && !session.wants_close(); ++i) {
      std::string chunk;
      if (rng() % 3 == 0) {
        for (int k = 0; k < 20; ++k) chunk += static_cast<char>(rng());
      } else {
        chunk = pieces[rng() % std::size(pieces)];
      }
      session.receive(std::span(reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size()));
      while (session.has_backlog()) session.receive({});
      session.output().clear();
    }
    session.on_closed("test");
    (void)report.finalize("client-end");
  }
}
