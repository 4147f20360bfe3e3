// However the bytes are split across reads, the parser must report the same events.
#include <gtest/gtest.h>

#include <random>

#include "recording_sink.h"

using namespace wraith;
using namespace wraith::h1;
using wraith::h1::test::Outcome;
using wraith::h1::test::run;
using wraith::h1::test::run_whole;

namespace {

struct Sample {
  const char* name;
  std::string bytes;
  bool eof;
  const char* method;
};

std::vector<Sample> samples() {
  std::string big_chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer: test\r\n\r\n";
  for (int i = 1; i < 40; ++i) {
    char size[16];
    std::snprintf(size, sizeof size, "%x", i * 7);
    big_chunked += std::string(size) + (i % 3 ? "" : ";ext=1") + "\r\n" + std::string(static_cast<std::size_t>(i * 7), char('a' + i % 26)) + "\r\n";
  }
  big_chunked += "0\r\nTrailer-One: 1\r\nTrailer-Two: two\r\n\r\n";
  return {
      {"content-length", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 11\r\n\r\nhello world", false, "GET"},
      {"chunked", big_chunked, false, "GET"},
      {"informational", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\nHTTP/1.1 204 No Content\r\nX: y\r\n\r\n", false, "GET"},
      {"close-delimited", "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nall of this until the end", true, "GET"},
      {"head", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", false, "HEAD"},
      {"bare-lf", "HTTP/1.1 200 OK\nA: b\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", false, "GET"},
      {"upgrade", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x00", false, "GET"},
      {"leftover", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n", false, "GET"},
      {"error-cl", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", false, "GET"},
      {"error-fold", "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", false, "GET"},
      {"error-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", false, "GET"},
      {"error-eof", "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nabc", true, "GET"},
  };
}

void expect_same(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_EQ(a.events, b.events) << what;
  EXPECT_EQ(a.error.has_value(), b.error.has_value()) << what;
  if (a.error && b.error) {
    EXPECT_EQ(a.error->kind, b.error->kind) << what;
    EXPECT_EQ(a.error->message, b.error->message) << what;
  }
  EXPECT_EQ(a.complete, b.complete) << what;
  EXPECT_EQ(a.keep_alive, b.keep_alive) << what;
  EXPECT_EQ(a.completions, b.completions) << what;
  if (!a.error) {
    EXPECT_EQ(a.consumed, b.consumed) << what;
  }
}

}  // namespace

TEST(H1ResponseSplit, ByteAtATimeMatchesOneFeed) {
  for (const auto& s : samples()) {
    Outcome whole = run_whole(s.bytes, s.eof, s.method);
    Outcome bytewise = run(s.bytes, {1}, s.eof, s.method);
    expect_same(whole, bytewise, s.name);
    EXPECT_LE(whole.completions, 1) << s.name;
    EXPECT_EQ(std::find(whole.events.begin(), whole.events.end(), "BODY COPIED"), whole.events.end()) << s.name;
  }
}

TEST(H1ResponseSplit, SamplesBehaveAsExpectedWhole) {
  // Guard against the comparison passing because both runs are equally wrong.
  for (const auto& s : samples()) {
    Outcome o = run_whole(s.bytes, s.eof, s.method);
    bool should_fail = std::string_view(s.name).rfind("error", 0) == 0;
    EXPECT_EQ(o.error.has_value(), should_fail) << s.name << (o.error ? ": " + o.error->describe() : "");
    EXPECT_EQ(o.completions, should_fail ? 0 : 1) << s.name;
  }
}

TEST(H1ResponseSplit, RandomSplitsMatchOneFeed) {
  std::mt19937 rng(20261201);
  for (const auto& s : samples()) {
    Outcome whole = run_whole(s.bytes, s.eof, s.method);
    for (int round = 0; round < 200; ++round) {
      std::uniform_int_distribution<std::size_t> len(1, 1 + static_cast<std::size_t>(round % 5 == 0 ? 64 : 9));
      std::vector<std::size_t> pieces(32);
      for (auto& p : pieces) p = len(rng);
      expect_same(whole, run(s.bytes, pieces, s.eof, s.method), std::string(s.name) + " round " + std::to_string(round));
    }
  }
}

TEST(H1ResponseSplit, EverySplitPointOfAChunkedResponse) {
  std::string input = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nwiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n";
  Outcome whole = run_whole(input);
  ASSERT_FALSE(whole.error);
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    expect_same(whole, run(input, {cut, input.size()}, false), "cut at " + std::to_string(cut));
  }
}

TEST(H1ResponseSplit, RandomGarbageNeverCrashes) {
  // Mutated valid responses: any outcome is fine as long as it is a value (ASan/UBSan watch the rest),
  // complete at most once, and identical whether fed whole or bytewise.
  std::mt19937 rng(7);
  auto all = samples();
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = all[static_cast<std::size_t>(i) % all.size()].bytes;
    int mutations = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations && !bytes.empty(); ++m) {
      std::size_t at = rng() % bytes.size();
      switch (rng() % 3) {
        case 0: bytes[at] = static_cast<char>(rng() & 0xff); break;
        case 1: bytes.erase(at, 1); break;
        default: bytes.insert(at, 1, "\r\n:; 0aF\t"[rng() % 9]); break;
      }
    }
    Outcome whole = run_whole(bytes, i % 2 == 0);
    EXPECT_LE(whole.completions, 1);
    expect_same(whole, run(bytes, {1}, i % 2 == 0), "mutation " + std::to_string(i));
  }
}
