#include "h1/response_parser.h"

#include <gtest/gtest.h>

#include "recording_sink.h"

using namespace wraith;
using namespace wraith::h1;
using wraith::h1::test::Outcome;
using wraith::h1::test::RecordingSink;
using wraith::h1::test::run_whole;

namespace {

using Events = std::vector<std::string>;

void expect_error(const Outcome& o, ErrorKind kind, const char* why) {
  ASSERT_TRUE(o.error.has_value()) << why;
  EXPECT_EQ(o.error->kind, kind) << why << ": " << o.error->describe();
  EXPECT_EQ(o.error->layer, "h1");
  EXPECT_EQ(o.completions, 0) << why;
}

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

TEST(H1Response, StatusHeadersAndContentLengthBody) {
  auto o = run_whole("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-MiXeD-Case:  spaced value \t\r\n"
                     "Content-Length: 5\r\n\r\nhello");
  ASSERT_FALSE(o.error) << o.error->describe();
  EXPECT_EQ(o.events, (Events{"status 1.1 200 [OK]", "header [Content-Type] [text/plain]",
                              "header [X-MiXeD-Case] [spaced value]", "header [Content-Length] [5]",
                              "head 200 body=length cl=5 ka=1", "body hello", "complete"}));
  EXPECT_TRUE(o.complete);
  EXPECT_TRUE(o.keep_alive);
}

TEST(H1Response, ReasonPhraseOptionalAndLenient) {
  EXPECT_EQ(run_whole("HTTP/1.1 204\r\n\r\n").events.front(), "status 1.1 204 []");
  EXPECT_EQ(run_whole("HTTP/1.1 404 Not  Found \r\n\r\n").events.front(), "status 1.1 404 [Not  Found ]");
  EXPECT_EQ(run_whole("HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n").events.front(), "status 1.1 200 [OK]");
}

TEST(H1Response, BareLfLineEndingsAccepted) {
  auto o = run_whole("HTTP/1.1 200 OK\nA: b\nContent-Length: 2\n\nhi");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events, (Events{"status 1.1 200 [OK]", "header [A] [b]", "header [Content-Length] [2]",
                              "head 200 body=length cl=2 ka=1", "body hi", "complete"}));
}

TEST(H1Response, BodyIsAViewIntoTheCallersBuffer) {
  std::string input = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody";
  ResponseParser p;
  RecordingSink sink;
  const std::uint8_t* seen = nullptr;
  struct Capture : RecordingSink {
    const std::uint8_t** out;
    void on_body(std::span<const std::uint8_t> d) override { *out = d.data(); }
  } capture;
  capture.out = &seen;
  auto in = bytes(input);
  ASSERT_TRUE(p.feed(in, capture).ok());
  EXPECT_EQ(seen, in.data() + input.size() - 4);
}

TEST(H1Response, ChunkedWithExtensionsAndTrailersKeptApart) {
  auto o = run_whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5;name=value;flag\r\nhello\r\n"
                     "6 ; ext=\"quoted\"\r\n world\r\n"
                     "000\r\nX-Checksum: abc\r\nServer-Timing: t;dur=1\r\n\r\n");
  ASSERT_FALSE(o.error) << o.error->describe();
  EXPECT_EQ(o.events, (Events{"status 1.1 200 [OK]", "header [Transfer-Encoding] [chunked]",
                              "head 200 body=chunked cl=- ka=1", "body hello world",
                              "trailer [X-Checksum] [abc]", "trailer [Server-Timing] [t;dur=1]", "complete"}));
}

TEST(H1Response, ChunkSizesInHexEitherCase) {
  std::string body(0x1aB, 'x');
  auto o = run_whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1aB\r\n" + body + "\r\n0\r\n\r\n");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events[3], "body " + body);
}

TEST(H1Response, TransferEncodingOverridesContentLengthAndForbidsReuse) {
  auto o = run_whole("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                     "3\r\nabc\r\n0\r\n\r\n");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events[3], "head 200 body=chunked cl=100 ka=0");
  EXPECT_EQ(o.events[4], "body abc");
  EXPECT_TRUE(o.complete);
  EXPECT_FALSE(o.keep_alive);
}

TEST(H1Response, TransferEncodingNotEndingInChunkedReadsUntilClose) {
  auto o = run_whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nrawbytes", true);
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events[2], "head 200 body=close cl=- ka=0");
  EXPECT_EQ(o.events[3], "body rawbytes");
  EXPECT_TRUE(o.complete);
  expect_error(run_whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), ErrorKind::protocol,
               "coding after chunked");
  expect_error(run_whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
               ErrorKind::protocol, "chunked twice");
}

TEST(H1Response, IdenticalDuplicateContentLengthsAccepted) {
  auto o = run_whole("HTTP/1.1 200 OK\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events[3], "head 200 body=length cl=3 ka=1");
  auto l = run_whole("HTTP/1.1 200 OK\r\nContent-Length: 3, 3,3\r\n\r\nabc");
  ASSERT_FALSE(l.error);
  EXPECT_TRUE(l.complete);
}

TEST(H1Response, DifferingContentLengthsRejected) {
  expect_error(run_whole("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
               ErrorKind::protocol, "two lines");
  expect_error(run_whole("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd"), ErrorKind::protocol, "list");
}

TEST(H1Response, InvalidContentLengthRejected) {
  for (const char* v : {"", "abc", "-1", "+5", "1 2", "0x10", "5,", ",5", "5;", "1.0", "99999999999999999999",
                        "9223372036854775808"}) {
    expect_error(run_whole(std::string("HTTP/1.1 200 OK\r\nContent-Length: ") + v + "\r\n\r\n"),
                 ErrorKind::protocol, v);
  }
  auto max = run_whole("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n");
  ASSERT_FALSE(max.error);
}

TEST(H1Response, ContentLengthKnownBeforeAnyBodyByte) {
  // A client with a 1 GiB limit can refuse a 10 GB announcement as soon as the head is in.
  ResponseParser p;
  RecordingSink sink;
  std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n";
  auto r = p.feed(bytes(head), sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, head.size());
  ASSERT_TRUE(sink.head.has_value());
  EXPECT_EQ(sink.head->content_length, 10000000000ull);
  EXPECT_EQ(p.content_length(), 10000000000ull);
  EXPECT_FALSE(p.complete());
}

TEST(H1Response, CloseDelimitedBodyEndsAtEof) {
  ResponseParser p;
  RecordingSink sink;
  ASSERT_TRUE(p.feed(bytes("HTTP/1.1 200 OK\r\nServer: x\r\n\r\npart1"), sink).ok());
  ASSERT_TRUE(p.feed(bytes("part2"), sink).ok());
  EXPECT_FALSE(p.complete());
  EXPECT_EQ(sink.completions, 0);
  ASSERT_TRUE(p.finish_eof(sink).ok());
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(sink.body, "part1part2");
  EXPECT_FALSE(p.keep_alive());
  EXPECT_EQ(p.body_kind(), BodyKind::until_close);
  ASSERT_TRUE(p.finish_eof(sink).ok());
  EXPECT_EQ(sink.completions, 1);
}

TEST(H1Response, EofBeforeCompletionIsClosedError) {
  expect_error(run_whole("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true), ErrorKind::closed, "CL");
  expect_error(run_whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", true), ErrorKind::closed,
               "chunked");
  expect_error(run_whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n", true),
               ErrorKind::closed, "trailers");
  expect_error(run_whole("HTTP/1.1 200 OK\r\nContent-", true), ErrorKind::closed, "head");
  ResponseParser p;
  RecordingSink sink;
  auto r = p.finish_eof(sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::closed);
  EXPECT_NE(r.error().message.find("before any response byte"), std::string::npos);
  EXPECT_FALSE(p.received_anything());
}

TEST(H1Response, HeadResponseHasNoBodyDespiteContentLength) {
  std::string input = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\nHTTP/1.1 200 OK\r\n";
  auto o = run_whole(input, false, "HEAD");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events, (Events{"status 1.1 200 [OK]", "header [Content-Length] [1234]",
                              "head 200 body=none cl=1234 ka=1", "complete"}));
  EXPECT_EQ(o.consumed, input.find("HTTP/1.1", 1));  // the next response's bytes are left alone
}

TEST(H1Response, NoBodyFor204And304) {
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    std::string input = std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n";
    auto o = run_whole(input + "leftover");
    ASSERT_FALSE(o.error) << status;
    EXPECT_EQ(o.events.back(), "complete");
    EXPECT_EQ(o.consumed, input.size()) << status;
    EXPECT_EQ(o.completions, 1);
  }
}

TEST(H1Response, InformationalResponsesReportedThenFinal) {
  auto o = run_whole("HTTP/1.1 100 Continue\r\n\r\n"
                     "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events, (Events{"status 1.1 100 [Continue]", "informational 100", "status 1.1 103 [Early Hints]",
                              "header [Link] [</style.css>; rel=preload]", "informational 103", "status 1.1 200 [OK]",
                              "header [Content-Length] [2]", "head 200 body=length cl=2 ka=1", "body ok",
                              "complete"}));
  EXPECT_EQ(o.completions, 1);
}

TEST(H1Response, TooManyInformationalResponsesRejected) {
  std::string input;
  for (int i = 0; i < 40; ++i) input += "HTTP/1.1 103 Early Hints\r\n\r\n";
  expect_error(run_whole(input), ErrorKind::protocol, "endless 1xx");
}

TEST(H1Response, SwitchingProtocolsStopsAndLeavesTheRest) {
  std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
  std::string input = head + "\x81\x05hello";
  ResponseParser p;
  RecordingSink sink;
  auto r = p.feed(bytes(input), sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, head.size());
  EXPECT_TRUE(p.upgraded());
  EXPECT_FALSE(p.keep_alive());
  EXPECT_EQ(sink.body, "");
  EXPECT_EQ(sink.completions, 1);
  EXPECT_EQ(sink.events[3], "head 101 body=tunnel cl=- ka=0");
  auto again = p.feed(bytes("more"), sink);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

TEST(H1Response, ConnectSuccessIsATunnel) {
  std::string head = "HTTP/1.1 200 Connection established\r\n\r\n";
  auto o = run_whole(head + "\x16\x03\x01", false, "CONNECT");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.consumed, head.size());
  EXPECT_EQ(o.events[1], "head 200 body=tunnel cl=- ka=0");
  // A refused CONNECT carries an ordinary body.
  auto refused = run_whole("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno", false, "CONNECT");
  EXPECT_EQ(refused.events[2], "head 407 body=length cl=2 ka=1");
}

TEST(H1Response, ObsFoldRejected) {
  expect_error(run_whole("HTTP/1.1 200 OK\r\nX-Long: part one\r\n  part two\r\nContent-Length: 0\r\n\r\n"),
               ErrorKind::protocol, "space fold");
  expect_error(run_whole("HTTP/1.1 200 OK\r\nX-Long: a\r\n\tb\r\n\r\n"), ErrorKind::protocol, "tab fold");
  expect_error(run_whole("HTTP/1.1 200 OK\r\n Leading: ws\r\n\r\n"), ErrorKind::protocol, "ws after status line");
}

TEST(H1Response, MalformedStatusLinesRejected) {
  for (std::string line : {std::string("HTTP/1.1200 OK"), std::string("http/1.1 200 OK"), std::string("HTTP/2.0 200 OK"),
                           std::string("HTTP/1 200 OK"), std::string("HTTP/1.1 20 OK"), std::string("HTTP/1.1 2000 OK"),
                           std::string("HTTP/1.1 abc OK"), std::string("HTTP/1.1 099 Low"), std::string("ICY 200 OK"),
                           std::string("HTTP/1.1"), std::string("<html>"), std::string("HTTP/1.1 200 O\rK"),
                           std::string("HTTP/1.1 200 \0OK", 16)}) {
    expect_error(run_whole(line + "\r\n\r\n"), ErrorKind::protocol, line.c_str());
  }
}

TEST(H1Response, MalformedHeaderLinesRejected) {
  for (std::string line : {std::string("NoColon"), std::string("Space Before: x"), std::string("Tab\t: x"),
                           std::string(": empty"), std::string("Bad\x01Name: x"), std::string("X: a\rb"),
                           std::string("X: a\0b", 6), std::string("Na(me): x")}) {
    expect_error(run_whole("HTTP/1.1 200 OK\r\n" + line + "\r\nContent-Length: 0\r\n\r\n"), ErrorKind::protocol,
                 line.c_str());
  }
  auto ok = run_whole("HTTP/1.1 200 OK\r\nX-Obs: caf\xc3\xa9\r\nEmpty:\r\nContent-Length: 0\r\n\r\n");
  ASSERT_FALSE(ok.error);
  EXPECT_EQ(ok.events[1], "header [X-Obs] [caf\xc3\xa9]");
  EXPECT_EQ(ok.events[2], "header [Empty] []");
}

TEST(H1Response, StrayBlankLinesBeforeStatusTolerated) {
  auto o = run_whole("\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.completions, 1);
}

TEST(H1Response, HugeHeaderBlockRejectedWithBoundedMemory) {
  // 300 KiB of well-formed header lines, fed in 1 KiB reads: the parser must fail once the 256 KiB
  // block limit is crossed and never hold more than one line.
  ResponseParser p;
  RecordingSink sink;
  ASSERT_TRUE(p.feed(bytes("HTTP/1.1 200 OK\r\n"), sink).ok());
  std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
  std::size_t fed = 0, max_buffered = 0;
  std::optional<Error> error;
  for (int i = 0; i < 300 && !error; ++i) {
    for (std::size_t off = 0; off < line.size() && !error; off += 700) {
      auto piece = bytes(line).subspan(off, std::min<std::size_t>(700, line.size() - off));
      auto r = p.feed(piece, sink);
      fed += piece.size();
      max_buffered = std::max(max_buffered, p.buffered());
      if (!r) error = r.error();
    }
  }
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::too_large);
  EXPECT_LE(fed, 256u * 1024 + line.size());
  EXPECT_LE(max_buffered, line.size());
}

TEST(H1Response, EndlessLineRejectedAtLineLimit) {
  Limits limits;
  ResponseParser p(limits);
  RecordingSink sink;
  ASSERT_TRUE(p.feed(bytes("HTTP/1.1 200 OK\r\nX: "), sink).ok());
  std::string chunk(4096, 'z');
  std::optional<Error> error;
  std::size_t fed = 0;
  while (!error && fed < 10 * 1024 * 1024) {
    auto r = p.feed(bytes(chunk), sink);
    fed += chunk.size();
    EXPECT_LE(p.buffered(), limits.max_line);
    if (!r) error = r.error();
  }
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::too_large);
  EXPECT_LE(fed, limits.max_line + chunk.size());
  // Also in one read: the limit is found without scanning the whole input.
  auto whole = run_whole("HTTP/1.1 200 OK\r\nX: " + std::string(100 * 1024, 'z') + "\r\n\r\n");
  expect_error(whole, ErrorKind::too_large, "one read");
  EXPECT_NE(whole.error->message.find("line"), std::string::npos);
}

TEST(H1Response, TooManyHeadersRejected) {
  Limits limits;
  limits.max_headers = 10;
  std::string input = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 11; ++i) input += "X-" + std::to_string(i) + ": v\r\n";
  expect_error(run_whole(input + "\r\n", false, "GET", limits), ErrorKind::too_large, "11 > 10");
  std::string ten = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 9; ++i) ten += "X-" + std::to_string(i) + ": v\r\n";
  auto ok = run_whole(ten + "Content-Length: 0\r\n\r\n", false, "GET", limits);
  EXPECT_FALSE(ok.error);
}

TEST(H1Response, TrailerSectionBounded) {
  Limits limits;
  limits.max_header_block = 1024;
  std::string input = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  for (int i = 0; i < 40; ++i) input += "X-Trailer-" + std::to_string(i) + ": " + std::string(40, 't') + "\r\n";
  expect_error(run_whole(input + "\r\n", false, "GET", limits), ErrorKind::too_large, "trailers");
}

TEST(H1Response, BadChunkFramingRejected) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  expect_error(run_whole(head + "zz\r\n"), ErrorKind::protocol, "not hex");
  expect_error(run_whole(head + "\r\n"), ErrorKind::protocol, "empty size");
  expect_error(run_whole(head + "-5\r\n"), ErrorKind::protocol, "negative");
  expect_error(run_whole(head + "5x\r\nhello\r\n"), ErrorKind::protocol, "junk after size");
  expect_error(run_whole(head + "10000000000000000\r\n"), ErrorKind::protocol, "overflowing size");
  expect_error(run_whole(head + "8000000000000000\r\n"), ErrorKind::protocol, "size above 2^63-1");
  expect_error(run_whole(head + "5\r\nhelloXX0\r\n\r\n"), ErrorKind::protocol, "no CRLF after data");
  expect_error(run_whole(head + "5\r\nhello\rX"), ErrorKind::protocol, "CR without LF");
  expect_error(run_whole(head + "5;" + std::string(20000, 'e') + "\r\nhello\r\n"), ErrorKind::too_large,
               "overlong chunk extension");
  expect_error(run_whole(head + std::string(20000, '0') + "5\r\n"), ErrorKind::too_large, "overlong size line");
  auto ok = run_whole(head + "5\r\nhello\n0\n\n");
  EXPECT_FALSE(ok.error);
  EXPECT_TRUE(ok.complete);
}

TEST(H1Response, KeepAliveRules) {
  struct Case { const char* head; bool keep_alive; } cases[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n", true},
      {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n", false},
      {"HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n", false},
      {"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n", true},
      {"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n", false},
      {"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n", true},
      {"HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n", false},
      {"HTTP/1.1 304 Not Modified\r\n", true},
      {"HTTP/1.0 204 No Content\r\n", false},
  };
  for (const auto& c : cases) {
    auto o = run_whole(std::string(c.head) + "\r\n");
    ASSERT_FALSE(o.error) << c.head;
    ASSERT_TRUE(o.complete) << c.head;
    EXPECT_EQ(o.keep_alive, c.keep_alive) << c.head;
  }
  auto close_delimited = run_whole("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\nbody", true);
  EXPECT_FALSE(close_delimited.keep_alive);
}

TEST(H1Response, CompleteExactlyOnceAndLeftoverUntouched) {
  std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na";
  std::string second = "HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nb";
  std::string input = first + second;
  ResponseParser p;
  RecordingSink sink;
  auto r = p.feed(bytes(input), sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, first.size());
  EXPECT_EQ(sink.completions, 1);
  auto again = p.feed(bytes(input).subspan(*r), sink);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  ASSERT_TRUE(p.finish_eof(sink).ok());
  EXPECT_EQ(sink.completions, 1);
  // reset() readies the parser for the next response on the connection.
  p.reset();
  RecordingSink next;
  auto r2 = p.feed(bytes(input).subspan(*r), next);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(*r2, second.size());
  EXPECT_EQ(next.body, "b");
  EXPECT_EQ(p.status_code(), 201);
  EXPECT_EQ(next.completions, 1);
}

TEST(H1Response, ErrorsAreSticky) {
  ResponseParser p;
  RecordingSink sink;
  auto r = p.feed(bytes("HTTX/1.1 200 OK\r\n"), sink);
  ASSERT_FALSE(r.ok());
  auto again = p.feed(bytes("HTTP/1.1 200 OK\r\n\r\n"), sink);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, r.error().message);
  EXPECT_FALSE(p.finish_eof(sink).ok());
  EXPECT_EQ(sink.completions, 0);
}

TEST(H1Response, HeaderNamesMatchedCaseInsensitively) {
  auto o = run_whole("HTTP/1.1 200 OK\r\ntRaNsFeR-eNcOdInG: CHUNKED\r\nCONNECTION: CLOSE\r\n\r\n0\r\n\r\n");
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.events[3], "head 200 body=chunked cl=- ka=0");
}
