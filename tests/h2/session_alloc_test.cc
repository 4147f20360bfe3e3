// Steady-state hot paths allocate nothing: receiving DATA (with consume and WINDOW_UPDATEs) and sending DATA.
// Counts every global operator new in this binary; only the measured windows look at the counter.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

// The replacements below pair malloc with free on purpose; GCC cannot see that through operator new.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "test_peer.h"

namespace {
std::atomic<size_t> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace wraith::h2 {
namespace {

using namespace wraith::h2::testing;

// Consumes as it receives and stores nothing.
struct Sink : StreamListener {
  ClientSession* session = nullptr;
  uint64_t request = 0;
  size_t bytes = 0;
  int writable = 0;
  void on_headers(uint16_t, std::span<const hpack::HeaderField>) override {}
  void on_data(std::span<const uint8_t> d, bool) override {
    bytes += d.size();
    session->consume(request, d.size());
  }
  void on_error(const Error&) override {}
  void on_writable() override { ++writable; }
};

SessionConfig config() {
  SessionConfig c;
  c.settings = {{2, 0}, {4, 65536}};
  c.connection_window_update = 262144 - 65535;
  return c;
}

TEST(H2SessionAlloc, ReceivingDataAllocatesNothing) {
  ClientSession s(config());
  s.start();
  TestPeer peer(s);
  peer.handshake();
  peer.read();
  Sink sink;
  sink.session = &s;
  sink.request = s.submit(testing_request(), true, &sink);
  peer.read();
  peer.response(1, 200);
  ASSERT_TRUE(peer.flush().ok());
  // Warm-up: let the output buffer and window bookkeeping reach their working size.
  for (int i = 0; i < 8; ++i) peer.data(1, std::string(16384, 'w'), false);
  ASSERT_TRUE(peer.flush().ok());
  peer.read();

  Bytes wire;
  for (int i = 0; i < 200; ++i) encode_data(wire, 1, Bytes(8192, 'd'), false, i % 2 ? std::optional<uint8_t>(7) : std::nullopt);
  auto feed = [&] {
    for (size_t off = 0; off < wire.size(); off += 4096) {  // arbitrary read sizes, frames straddling reads
      size_t n = std::min<size_t>(4096, wire.size() - off);
      ASSERT_TRUE(s.receive(std::span<const uint8_t>(wire).subspan(off, n)).ok());
      s.output_sent(s.pending_output().size());
    }
  };
  feed();  // warm-up round: the straddle buffer reaches its working size
  size_t before = g_allocations.load();
  feed();
  size_t allocations = g_allocations.load() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_EQ(sink.bytes, 8u * 16384u + 2u * 200u * 8192u);
}

TEST(H2SessionAlloc, SendingDataAllocatesNothing) {
  ClientSession s(config());
  s.start();
  TestPeer peer(s);
  peer.handshake({{4, 1 << 30}});
  peer.window_update(0, (1u << 30));
  ASSERT_TRUE(peer.flush().ok());
  peer.read();
  Sink sink;
  sink.session = &s;
  RequestHead h = testing_request();
  h.method = "POST";
  sink.request = s.submit(h, false, &sink);
  Bytes chunk(50000, 'u');
  ASSERT_EQ(s.send_data(sink.request, chunk, false), chunk.size());  // warm-up
  s.output_sent(s.pending_output().size());
  size_t before = g_allocations.load();
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(s.send_data(sink.request, chunk, false), chunk.size());
    s.output_sent(s.pending_output().size());
  }
  EXPECT_EQ(g_allocations.load() - before, 0u);
}

TEST(H2Session, OutputBackpressureBoundsBufferedBody) {
  SessionConfig c = config();
  c.max_buffered_output = 100000;
  ClientSession s(c);
  s.start();
  TestPeer peer(s);
  peer.handshake({{4, 1 << 30}});
  peer.window_update(0, (1u << 30));
  ASSERT_TRUE(peer.flush().ok());
  peer.read();
  Sink sink;
  sink.session = &s;
  RequestHead h = testing_request();
  h.method = "POST";
  sink.request = s.submit(h, false, &sink);
  Bytes big(1 << 20, 'b');
  size_t first = s.send_data(sink.request, big, false);
  EXPECT_LT(first, 100000u);
  EXPECT_LE(s.pending_output().size(), 100000u + 1000u);
  EXPECT_EQ(s.send_data(sink.request, big, false), 0u) << "buffer full";
  EXPECT_EQ(sink.writable, 0);
  s.output_sent(s.pending_output().size());  // the driver wrote it all
  EXPECT_EQ(sink.writable, 1);
  EXPECT_GT(s.send_data(sink.request, big, false), 0u);
}

}  // namespace
}  // namespace wraith::h2
