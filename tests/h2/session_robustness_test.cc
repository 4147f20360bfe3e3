// Hostile input: random frame sequences (random types, flags, stream ids, payloads, read splits) never crash the
// session, and every request still ends exactly once.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "test_peer.h"

namespace wraith::h2 {
namespace {

using namespace wraith::h2::testing;

TEST(H2SessionRobustness, RandomFramesNeverBreakTheExactlyOnceRule) {
  std::mt19937 rng(20261201);
  auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  for (int iteration = 0; iteration < 3000; ++iteration) {
    SessionConfig c;
    c.settings = {{2, 0}, {4, 65536}};
    c.max_header_block = 2048;
    ClientSession s(c);
    s.start();
    TestPeer peer(s);
    peer.handshake();
    std::vector<std::unique_ptr<Recorder>> recs;
    std::vector<uint64_t> ids;
    for (int i = 0; i < 4; ++i) {
      recs.push_back(std::make_unique<Recorder>());
      RequestHead h = testing_request("/" + std::to_string(i));
      if (i % 2) h.method = "POST";
      ids.push_back(s.submit(h, i % 2 == 0, recs.back().get()));
    }
    peer.read();
    // A plausible start half of the time, so deeper states get exercised.
    if (pick(2)) peer.response(1, 200);
    Bytes wire;
    const int frames = 1 + static_cast<int>(pick(12));
    for (int f = 0; f < frames; ++f) {
      uint8_t type = static_cast<uint8_t>(pick(12));
      uint8_t fl = static_cast<uint8_t>(rng());
      static const uint32_t kStreams[] = {0, 1, 3, 5, 7, 2, 9, 0x7fffffff};
      uint32_t stream = kStreams[pick(8)];
      Bytes payload(pick(3) == 0 ? pick(3000) : pick(24));
      for (auto& b : payload) b = static_cast<uint8_t>(rng());
      if (type == 8 && payload.size() >= 4 && pick(2)) payload.resize(4);
      if (type == 6 && pick(2)) payload.resize(8);
      if (type == 4 && pick(2)) payload.resize(payload.size() / 6 * 6);
      encode_frame_header(wire, static_cast<uint32_t>(payload.size()), static_cast<FrameType>(type), fl, stream);
      wire.insert(wire.end(), payload.begin(), payload.end());
    }
    peer.raw(wire);
    Result<void> res = pick(2) ? peer.flush() : peer.flush_bytewise();
    (void)res;  // either outcome is fine; what matters is what the listeners saw
    for (size_t i = 0; i < recs.size(); ++i) {
      ASSERT_LE(recs[i]->ended(), 1) << "iteration " << iteration;
      if (pick(2)) s.send_data(ids[i], Bytes(100, 'p'), true);
      if (pick(3) == 0) s.consume(ids[i], 10);
    }
    if (pick(2)) s.cancel(ids[pick(4)]);
    s.transport_closed();
    for (size_t i = 0; i < recs.size(); ++i) ASSERT_EQ(recs[i]->ended(), 1) << "iteration " << iteration;
    EXPECT_EQ(s.active_streams(), 0u);
    EXPECT_EQ(s.queued(), 0u);
  }
}

TEST(H2SessionRobustness, RandomReadSplitsGiveTheSameResult) {
  std::mt19937 rng(7);
  for (int iteration = 0; iteration < 200; ++iteration) {
    SessionConfig c;
    c.settings = {{2, 0}, {4, 1 << 20}};
    c.connection_window_update = 1 << 20;
    ClientSession s(c);
    s.start();
    TestPeer peer(s);
    peer.handshake();
    Recorder r;
    s.submit(testing_request(), true, &r);
    peer.read();
    peer.headers(1, {{":status", "200"}, {"x-a", std::string(500, 'a')}, {"x-b", "b"}}, false, 1 + rng() % 200);
    std::string body;
    for (int i = 0; i < 5; ++i) {
      std::string chunk(rng() % 3000, static_cast<char>('a' + i));
      body += chunk;
      peer.data(1, chunk, false, rng() % 2 ? std::optional<uint8_t>(static_cast<uint8_t>(rng() % 50)) : std::nullopt);
    }
    peer.headers(1, {{"x-trailer", "t"}}, true);
    ASSERT_TRUE(peer.flush_random(rng).ok());
    EXPECT_EQ(r.status, 200);
    ASSERT_EQ(r.headers.size(), 2u);
    EXPECT_EQ(r.headers[0].value, std::string(500, 'a'));
    EXPECT_EQ(r.body, body);
    ASSERT_EQ(r.trailers.size(), 1u);
    EXPECT_EQ(r.complete_calls, 1);
  }
}

}  // namespace
}  // namespace wraith::h2
