// HTTP/1.1 codec micro-benchmarks: response parsing (whole reads and TCP-segment-sized reads) and
// request head writing. Bytes/s counts the response bytes parsed.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "h1/request_writer.h"
#include "h1/response_parser.h"

using namespace wraith::h1;

namespace {

// A realistic head: what a CDN returns for an HTML page (17 fields, ~700 bytes).
std::string typical_head(const std::string& framing) {
  return "HTTP/1.1 200 OK\r\n"
         "Date: Tue, 01 Dec 2026 08:00:00 GMT\r\n"
         "Content-Type: text/html; charset=utf-8\r\n" +
         framing +
         "Connection: keep-alive\r\n"
         "Cache-Control: private, max-age=0\r\n"
         "Content-Encoding: br\r\n"
         "Vary: Accept-Encoding\r\n"
         "Server: cloudflare\r\n"
         "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload\r\n"
         "X-Content-Type-Options: nosniff\r\n"
         "X-Frame-Options: SAMEORIGIN\r\n"
         "Referrer-Policy: strict-origin-when-cross-origin\r\n"
         "Set-Cookie: session=0123456789abcdef0123456789abcdef; Path=/; Secure; HttpOnly; SameSite=Lax\r\n"
         "Alt-Svc: h3=\":443\"; ma=86400\r\n"
         "CF-Cache-Status: DYNAMIC\r\n"
         "CF-RAY: 8f0e1d2c3b4a5968-FRA\r\n"
         "Report-To: {\"endpoints\":[{\"url\":\"https://a.nel.cloudflare.com/report/v4?s=abc\"}],\"group\":\"cf-nel\"}\r\n"
         "\r\n";
}

struct CountingSink : Sink {
  std::size_t headers = 0, body = 0, done = 0;
  void on_header(std::string_view, std::string_view) override { ++headers; }
  void on_body(std::span<const std::uint8_t> d) override { body += d.size(); }
  void on_message_complete() override { ++done; }
};

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

void parse_in_segments(benchmark::State& state, const std::string& wire) {
  const std::size_t segment = static_cast<std::size_t>(state.range(0));
  ResponseParser parser;
  CountingSink sink;
  for (auto _ : state) {
    parser.reset();
    auto all = bytes(wire);
    for (std::size_t pos = 0; pos < all.size(); pos += segment) {
      auto r = parser.feed(all.subspan(pos, std::min(segment, all.size() - pos)), sink);
      if (!r) state.SkipWithError(r.error().message.c_str());
    }
    benchmark::DoNotOptimize(sink.done);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
  state.counters["responses/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ParseHeadOnly(benchmark::State& state) {
  parse_in_segments(state, typical_head("Content-Length: 0\r\n"));
}
BENCHMARK(BM_ParseHeadOnly)->Arg(1 << 20)->Arg(1400)->Arg(64);

void BM_ParseContentLength(benchmark::State& state) {
  std::string body(16 * 1024, 'x');
  parse_in_segments(state, typical_head("Content-Length: " + std::to_string(body.size()) + "\r\n") + body);
}
BENCHMARK(BM_ParseContentLength)->Arg(1 << 20)->Arg(16384)->Arg(1400);

void BM_ParseChunked(benchmark::State& state) {
  std::string wire = typical_head("Transfer-Encoding: chunked\r\n");
  std::vector<std::uint8_t> chunk(4096, 'y');
  for (int i = 0; i < 4; ++i) append_chunk(chunk, wire);
  append_last_chunk({}, wire);
  parse_in_segments(state, wire);
}
BENCHMARK(BM_ParseChunked)->Arg(1 << 20)->Arg(1400);

void BM_WriteChromeRequestHead(benchmark::State& state) {
  // The header list Chromium 156 sends on an HTTP/1.1 navigation (tests/fixtures/chromium-156-http1.json).
  const HeaderLine headers[] = {
      {"Host", "example.com"},
      {"Connection", "keep-alive"},
      {"sec-ch-ua", "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\""},
      {"sec-ch-ua-mobile", "?0"},
      {"sec-ch-ua-platform", "\"Linux\""},
      {"Upgrade-Insecure-Requests", "1"},
      {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"},
      {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"},
      {"Sec-Fetch-Site", "none"},
      {"Sec-Fetch-Mode", "navigate"},
      {"Sec-Fetch-User", "?1"},
      {"Sec-Fetch-Dest", "document"},
      {"Accept-Encoding", "gzip, deflate, br, zstd"},
      {"Accept-Language", "en-US,en;q=0.9"},
  };
  std::string out;
  for (auto _ : state) {
    out.clear();
    auto ok = validate_request_head("GET", "/path?query=1", headers);
    benchmark::DoNotOptimize(ok.ok());
    write_request_head("GET", "/path?query=1", headers, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_WriteChromeRequestHead);

}  // namespace
