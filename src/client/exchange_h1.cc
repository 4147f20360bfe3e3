#include "client/exchange.h"
#include "h1/request_writer.h"
#include "h1/response_parser.h"
#include "net/watchdog.h"
#include "net/stream.h"

namespace wraith::client {

namespace {

// Collects the parser's events; header views are copied once into the response.
class ResponseCollector final : public h1::Sink {
 public:
  ResponseCollector(BodySink& sink, std::uint64_t max_body) : sink_(sink), max_body_(max_body) {}

  void on_header(std::string_view name, std::string_view value) override { head.headers.emplace_back(name, value); }
  void on_informational(int) override { head.headers.clear(); }
  void on_headers_complete(const h1::ResponseHead& h) override {
    head.status = h.code;
    if (h.content_length && *h.content_length > max_body_ && h.body != h1::BodyKind::none) {
      fail(Error(ErrorKind::too_large, "server announced a " + std::to_string(*h.content_length) +
                                           "-byte body, over the limit of " + std::to_string(max_body_), "h1"));
      return;
    }
    if (auto ok = sink_.begin(head.status, head.headers); !ok) fail(ok.take_error());
  }
  void on_body(std::span<const std::uint8_t> data) override {
    if (error) return;
    if (auto ok = sink_.feed(data); !ok) fail(ok.take_error());
  }
  void on_trailer(std::string_view name, std::string_view value) override { head.trailers.emplace_back(name, value); }
  void on_message_complete() override { complete = true; }

  void fail(Error e) {
    if (!error) error = std::move(e);
  }

  ExchangeHead head;
  std::optional<Error> error;
  bool complete = false;

 private:
  BodySink& sink_;
  std::uint64_t max_body_;
};

// A connection that fails before a single response byte came back may simply have gone stale in the
// pool: report it as refused, which the client retries (once, on a fresh connection).
Error stale_or(Error e, bool received_anything) {
  if (!received_anything && (e.kind == ErrorKind::closed || e.kind == ErrorKind::io)) {
    e.kind = ErrorKind::refused;
    e.message = "connection closed before any response byte (" + e.message + ")";
  }
  return e;
}

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

asio::awaitable<Result<ExchangeHead>> exchange_h1(net::Stream& stream, const ExchangeInput& in, BodySink& sink) {
  const RequestPlan& plan = *in.plan;
  auto fields = plan.h1_fields();  // checked there: only the request line is left to check below
  if (!fields) co_return fields.take_error();
  std::vector<h1::HeaderLine> lines;
  lines.reserve(fields->size() + 1);
  for (const auto& f : *fields) lines.push_back({f.name, f.value});
  const bool streamed = in.body_source && *in.body_source && in.body->empty();
  if (streamed) lines.push_back({"Transfer-Encoding", "chunked"});
  const std::string target = in.absolute_form ? plan.url.scheme() + "://" + plan.url.authority() + plan.url.target()
                                              : plan.url.target();
  if (auto ok = h1::validate_request_head(plan.method, target, {}); !ok) co_return ok.take_error();
  std::string head;
  h1::write_request_head(plan.method, target, lines, head);
  if (in.wire_log) {
    std::size_t start = 0;
    for (std::size_t end; (end = head.find("\r\n", start)) != std::string::npos && end != start; start = end + 2)
      in.wire_log("> " + head.substr(start, end - start));
  }
  head += *in.body;  // one write for head and a whole body

  // One watchdog for the whole exchange: a phase that overruns closes the stream, failing the pending
  // operation, which is then reported as that phase's timeout.
  net::Watchdog watchdog(stream.get_executor(), [&stream] { stream.close(); });
  auto write = [&](std::span<const std::uint8_t> data) -> asio::awaitable<Result<void>> {
    watchdog.arm(in.timeouts.write_idle);
    auto done = co_await stream.write_all(data);
    if (watchdog.expired()) co_return timeout_error(TimeoutPhase::write_idle, "writing the request");
    co_return done;
  };
  if (auto ok = co_await write(bytes_of(head)); !ok) co_return stale_or(ok.take_error(), false);
  if (streamed) {
    std::string chunk;
    for (;;) {
      auto next = (*in.body_source)();
      if (!next) co_return next.take_error();
      chunk.clear();
      if (next->empty()) {
        h1::append_last_chunk({}, chunk);
      } else {
        h1::append_chunk(*next, chunk);
      }
      if (auto ok = co_await write(bytes_of(chunk)); !ok) co_return ok.take_error();
      if (next->empty()) break;
    }
  }

  h1::ResponseParser parser;
  parser.set_request_method(plan.method);
  ResponseCollector collector(sink, in.max_body);
  // Not zero-filled: reads write it before anything looks at it.
  constexpr std::size_t kBufferSize = 64 * 1024;
  auto buffer = std::make_unique_for_overwrite<std::uint8_t[]>(kBufferSize);
  bool reusable = true;
  while (!parser.complete() && !collector.error) {
    const bool started = parser.received_anything();
    watchdog.arm(started ? in.timeouts.read_idle : in.timeouts.first_byte);
    auto n = co_await stream.read_some(std::span(buffer.get(), kBufferSize));
    if (watchdog.expired())
      co_return timeout_error(started ? TimeoutPhase::read_idle : TimeoutPhase::first_byte,
                              started ? "no response data" : "no response");
    if (!n) co_return stale_or(n.take_error(), parser.received_anything());
    if (*n == 0) {
      auto eof = parser.finish_eof(collector);
      if (!eof) co_return stale_or(eof.take_error(), parser.received_anything());
      reusable = false;
      break;
    }
    auto used = parser.feed(std::span(buffer.get(), *n), collector);
    if (!used) co_return used.take_error();
    if (*used != *n) reusable = false;  // bytes beyond the response: never reuse this connection
  }
  if (collector.error) co_return *collector.error;
  if (auto ok = sink.finish(); !ok) co_return ok.take_error();
  collector.head.connection_reusable = reusable && parser.keep_alive();
  co_return std::move(collector.head);
}

}  // namespace wraith::client
