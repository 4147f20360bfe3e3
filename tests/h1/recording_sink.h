// Test sink that turns parser events into comparable strings (adjacent body pieces coalesced, so
// different feed splits produce identical transcripts).
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "h1/response_parser.h"

namespace wraith::h1::test {

inline const char* body_kind_name(BodyKind k) {
  switch (k) {
    case BodyKind::none: return "none";
    case BodyKind::content_length: return "length";
    case BodyKind::chunked: return "chunked";
    case BodyKind::until_close: return "close";
    case BodyKind::tunnel: return "tunnel";
  }
  return "?";
}

class RecordingSink : public Sink {
 public:
  std::vector<std::string> events;
  std::string body;
  int completions = 0;
  std::optional<ResponseHead> head;
  // Every body span must point into [input_begin, input_end) when set: proof of no copy.
  const std::uint8_t* input_begin = nullptr;
  const std::uint8_t* input_end = nullptr;
  bool body_outside_input = false;

  void on_status(const StatusLine& s) override {
    events.push_back("status " + std::to_string(s.version_major) + "." + std::to_string(s.version_minor) + " " +
                     std::to_string(s.code) + " [" + std::string(s.reason) + "]");
  }
  void on_header(std::string_view n, std::string_view v) override {
    events.push_back("header [" + std::string(n) + "] [" + std::string(v) + "]");
  }
  void on_informational(int code) override { events.push_back("informational " + std::to_string(code)); }
  void on_headers_complete(const ResponseHead& h) override {
    head = h;
    events.push_back(std::string("head ") + std::to_string(h.code) + " body=" + body_kind_name(h.body) + " cl=" +
                     (h.content_length ? std::to_string(*h.content_length) : "-") + " ka=" + (h.keep_alive ? "1" : "0"));
  }
  void on_body(std::span<const std::uint8_t> d) override {
    if (input_begin && !d.empty() && (d.data() < input_begin || d.data() + d.size() > input_end)) body_outside_input = true;
    std::string piece(reinterpret_cast<const char*>(d.data()), d.size());
    body += piece;
    if (!events.empty() && events.back().rfind("body ", 0) == 0) events.back() += piece;
    else events.push_back("body " + piece);
  }
  void on_trailer(std::string_view n, std::string_view v) override {
    events.push_back("trailer [" + std::string(n) + "] [" + std::string(v) + "]");
  }
  void on_message_complete() override {
    ++completions;
    events.push_back("complete");
  }
};

struct Outcome {
  std::vector<std::string> events;
  std::optional<Error> error;
  std::size_t consumed = 0;  // bytes the parser used before completing (or all, if it did not)
  bool complete = false;
  bool keep_alive = false;
  int completions = 0;
};

// Feeds `input` in pieces of the given sizes (cycled); eof=true calls finish_eof() at the end.
inline Outcome run(std::string_view input, const std::vector<std::size_t>& pieces, bool eof,
                   std::string_view method = "GET", Limits limits = {}) {
  ResponseParser parser(limits);
  parser.set_request_method(method);
  RecordingSink sink;
  Outcome out;
  std::size_t pos = 0, piece = 0;
  // Copy each piece into its own buffer, as a socket read would deliver it.
  while (pos < input.size()) {
    std::size_t n = std::min(pieces[piece++ % pieces.size()], input.size() - pos);
    std::vector<std::uint8_t> buf(input.begin() + static_cast<std::ptrdiff_t>(pos),
                                  input.begin() + static_cast<std::ptrdiff_t>(pos + n));
    sink.input_begin = buf.data();
    sink.input_end = buf.data() + buf.size();
    auto r = parser.feed(buf, sink);
    if (!r) {
      out.error = r.error();
      break;
    }
    out.consumed += *r;
    if (*r < n) break;  // complete: the rest is not ours
    pos += n;
  }
  if (!out.error && eof) {
    auto r = parser.finish_eof(sink);
    if (!r) out.error = r.error();
  }
  out.events = sink.events;
  if (sink.body_outside_input) out.events.push_back("BODY COPIED");
  out.complete = parser.complete();
  out.keep_alive = parser.keep_alive();
  out.completions = sink.completions;
  return out;
}

inline Outcome run_whole(std::string_view input, bool eof = false, std::string_view method = "GET",
                         Limits limits = {}) {
  return run(input, {input.size() ? input.size() : 1}, eof, method, limits);
}

}  // namespace wraith::h1::test
