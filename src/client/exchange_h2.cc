#include <deque>

#include "client/exchange.h"
#include "h2/driver/connection.h"
#include "net/signal.h"

namespace wraith::client {

Error timeout_error(TimeoutPhase phase, const std::string& what) {
  Error e(ErrorKind::timeout, what, "client");
  e.phase = phase;
  return e;
}

namespace {

// Collects what the session reports for one stream; the exchange coroutine waits on `signal`.
class StreamState final : public h2::StreamListener {
 public:
  StreamState(asio::any_io_executor executor, BodySink& sink, std::uint64_t max_body)
      : signal(std::move(executor)), sink_(sink), max_body_(max_body) {}

  void on_headers(uint16_t status, std::span<const h2::hpack::HeaderField> fields) override {
    head.status = status;
    head.headers.reserve(fields.size());
    for (const auto& f : fields) {
      head.headers.emplace_back(f.name, f.value);
      if (f.name.size() == 14 && f.name == "content-length" && std::strtoull(f.value.c_str(), nullptr, 10) > max_body_)
        fail(Error(ErrorKind::too_large, "server announced a " + f.value + "-byte body, over the limit of " +
                                             std::to_string(max_body_), "h2"));
    }
    if (auto ok = sink_.begin(head.status, head.headers); !ok) fail(ok.take_error());
    signal.notify();
  }
  void on_data(std::span<const uint8_t> data, bool) override {
    // Decoded straight from the frame (one copy into the body); the window reopens once used.
    if (!error && !data.empty()) {
      if (auto ok = sink_.feed(data); !ok) fail(ok.take_error());
      consumed += data.size();
    }
    signal.notify();
  }
  void on_trailers(std::span<const h2::hpack::HeaderField> fields) override {
    for (const auto& f : fields) head.trailers.emplace_back(f.name, f.value);
  }
  void on_complete() override {
    done = true;
    signal.notify();
  }
  void on_error(const Error& e) override {
    if (!error) error = e;
    done = true;
    signal.notify();
  }
  void on_writable() override { signal.notify(); }

  void fail(Error e) {
    if (!error) error = std::move(e);
    wants_cancel = true;
  }

  net::Signal signal;
  ExchangeHead head;
  std::optional<Error> error;
  bool done = false;
  bool wants_cancel = false;
  std::size_t consumed = 0;

 private:
  BodySink& sink_;
  std::uint64_t max_body_;
};

}  // namespace

asio::awaitable<Result<ExchangeHead>> exchange_h2(std::shared_ptr<h2::Connection> connection, const ExchangeInput& in,
                                                  BodySink& sink) {
  auto& session = connection->session();
  StreamState state(connection->stream().get_executor(), sink, in.max_body);
  const bool has_body = !in.body->empty() || (in.body_source && *in.body_source);
  const RequestPlan& plan = *in.plan;
  // Views into the plan (template, computed values, user headers): the session encodes them at once. The vector
  // is reused request after request on this thread: it is read only until submit returns (the session encodes
  // the fields or copies a queued request's), with no suspension in between.
  static thread_local FieldViews fields;
  fields.clear();
  std::vector<std::string> lowered;
  if (auto ok = plan.h2_fields(fields, lowered); !ok) co_return ok.take_error();
  h2::RequestView head{plan.method, plan.url.scheme(), plan.computed.authority, plan.url.target(), {}, fields,
                       {plan.kind->exclusive, plan.kind->depends_on, plan.kind->weight}, true};
  if (in.wire_log) {
    in.wire_log("> :method: " + plan.method);
    in.wire_log("> :authority: " + plan.computed.authority);
    in.wire_log("> :scheme: " + plan.url.scheme());
    in.wire_log("> :path: " + plan.url.target());
    for (const auto& f : fields) in.wire_log("> " + std::string(f.name) + ": " + std::string(f.value));
  }
  std::uint64_t id = session.submit(head, !has_body, &state);
  connection->flush();
  if (id == 0) co_return state.error ? *state.error : Error(ErrorKind::refused, "request not accepted", "h2");

  // Request body: push until the windows close, then wait for on_writable.
  if (has_body) {
    // A whole body is sent straight from the request (no copy); a streamed one chunk by chunk. Either way
    // END_STREAM rides on the last DATA frame.
    std::vector<std::uint8_t> chunk;  // the current streamed chunk
    std::span<const std::uint8_t> current;
    std::size_t offset = 0;
    bool source_done = !in.body->empty();
    if (source_done) current = std::span(reinterpret_cast<const std::uint8_t*>(in.body->data()), in.body->size());
    for (;;) {
      if (state.done) break;
      if (offset == current.size() && !source_done) {
        auto next = (*in.body_source)();
        if (!next) {
          session.cancel(id);
          connection->flush();
          co_return next.take_error();
        }
        chunk = std::move(*next);
        if (chunk.empty()) source_done = true;
        current = chunk;
        offset = 0;
      }
      std::span<const std::uint8_t> rest = current.subspan(offset);
      bool last = source_done;
      std::size_t accepted = session.send_data(id, rest, last);
      offset += accepted;
      connection->flush();
      if (last && offset == current.size()) break;
      if (accepted < rest.size() || rest.empty()) {
        auto woke = co_await state.signal.wait_for(in.timeouts.write_idle);
        if (!woke) {
          session.cancel(id);
          connection->flush();
          co_return timeout_error(TimeoutPhase::write_idle, "request body stalled");
        }
      }
    }
  }

  // Response: headers within first_byte, then data with read_idle between events.
  bool got_headers = false;
  while (!state.done) {
    auto limit = got_headers ? in.timeouts.read_idle : in.timeouts.first_byte;
    bool woke = state.signal.take();  // (Signal::wait_for inline: no coroutine frame per wait)
    if (!woke) {
      (void)co_await state.signal.arm(limit);
      woke = state.signal.take();
    }
    if (state.wants_cancel && !state.done) {
      session.cancel(id);
      connection->flush();
      break;
    }
    if (state.consumed) {
      session.consume(id, state.consumed);
      state.consumed = 0;
      connection->flush();
    }
    if (state.head.status) got_headers = true;
    if (!woke && !state.done) {
      session.cancel(id);
      connection->flush();
      co_return timeout_error(got_headers ? TimeoutPhase::read_idle : TimeoutPhase::first_byte,
                              got_headers ? "no response data" : "no response headers");
    }
  }
  if (state.error) {
    Error e = *state.error;
    co_return e;
  }
  if (auto ok = sink.finish(); !ok) co_return ok.take_error();
  co_return std::move(state.head);
}

}  // namespace wraith::client
