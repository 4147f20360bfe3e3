// The hot path must not allocate: parsing a response (whole or split across reads, once the line
// buffer has grown) and writing a request head into a reserved string. Global operator new is counted
// in this binary only.
#include <gtest/gtest.h>

// GCC cannot see that the replaced operator new below returns malloc'ed memory.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <cstdlib>
#include <functional>
#include <new>

#include "h1/request_writer.h"
#include "h1/response_parser.h"

namespace {
bool g_counting = false;
void* volatile g_escape = nullptr;  // keeps the self-check's allocation from being optimised away
std::size_t g_allocations = 0;

void* counted_alloc(std::size_t n) {
  if (g_counting) ++g_allocations;
  void* p = std::malloc(n ? n : 1);
  return p;
}
}  // namespace

// Every replaceable form goes through malloc/free so allocation and release always pair (ASan checks).
void* operator new(std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace wraith::h1;

namespace {

struct NullSink : Sink {
  std::size_t events = 0;
  void on_status(const StatusLine&) override { ++events; }
  void on_header(std::string_view, std::string_view) override { ++events; }
  void on_body(std::span<const std::uint8_t>) override { ++events; }
  void on_trailer(std::string_view, std::string_view) override { ++events; }
  void on_message_complete() override { ++events; }
};

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

const std::string kResponse =
    "HTTP/1.1 200 OK\r\nDate: Tue, 01 Dec 2026 08:00:00 GMT\r\nContent-Type: text/html\r\n"
    "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\nSet-Cookie: a=b; Path=/\r\n\r\n"
    "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";

std::size_t count_allocations(const std::function<void()>& fn) {
  g_allocations = 0;
  g_counting = true;
  fn();
  g_counting = false;
  return g_allocations;
}

}  // namespace

TEST(H1NoAlloc, WholeResponseParsesWithoutAllocating) {
  ResponseParser parser;
  NullSink sink;
  auto in = bytes(kResponse);
  std::size_t n = count_allocations([&] {
    for (int i = 0; i < 100; ++i) {
      parser.reset();
      auto r = parser.feed(in, sink);
      if (!r || !parser.complete()) std::abort();
    }
  });
  EXPECT_EQ(n, 0u);
  EXPECT_GT(sink.events, 0u);
}

TEST(H1NoAlloc, SplitReadsStopAllocatingOnceTheLineBufferHasGrown) {
  ResponseParser parser;
  NullSink sink;
  auto in = bytes(kResponse);
  auto feed_split = [&] {
    parser.reset();
    for (std::size_t pos = 0; pos < in.size(); pos += 7) {
      auto r = parser.feed(in.subspan(pos, std::min<std::size_t>(7, in.size() - pos)), sink);
      if (!r) std::abort();
    }
    if (!parser.complete()) std::abort();
  };
  feed_split();  // warm-up: the partial-line buffer reaches its working size
  EXPECT_EQ(count_allocations([&] {
              for (int i = 0; i < 100; ++i) feed_split();
            }),
            0u);
}

TEST(H1NoAlloc, CountingWorks) {
  // The counter must see allocations, or the two tests above prove nothing.
  EXPECT_GT(count_allocations([] {
              auto* s = new std::string(1000, 'x');
              g_escape = s;
              delete s;
            }),
            0u);
}

TEST(H1NoAlloc, RequestHeadIntoReservedString) {
  const HeaderLine headers[] = {{"Host", "example.com"}, {"Connection", "keep-alive"}, {"User-Agent", "x"},
                                {"Accept", "*/*"}};
  std::string out;
  out.reserve(4096);
  EXPECT_EQ(count_allocations([&] {
              for (int i = 0; i < 100; ++i) {
                out.clear();
                if (!validate_request_head("GET", "/", headers)) std::abort();
                write_request_head("GET", "/", headers, out);
              }
            }),
            0u);
  EXPECT_EQ(out.rfind("GET / HTTP/1.1\r\nHost: example.com\r\n", 0), 0u);
}
