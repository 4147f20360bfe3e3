#include "test_client.h"

#include <cstdlib>
#include <fstream>

#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>

#include "fingerprint/client_hello.h"
#include "fingerprint/compare.h"
#include "h2/frame/bytes.h"
#include "h2/frame/headers.h"
#include "h2/frame/settings.h"
#include "h2/frame/types.h"
#include "h2/frame/window_update.h"
#include "inspect/compare_h2.h"
#include "net/connect.h"
#include "net/deadline.h"
#include "net/tcp_stream.h"
#include "tls/connector.h"
#include "util/hex.h"
#include "wraith/profile.h"

namespace wraith::inspect::testing {

nlohmann::json load_fixture(const std::string& name) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/" + name);
  if (!in) throw std::runtime_error("missing fixture " + name);
  return nlohmann::json::parse(in);
}

RunningInspector::RunningInspector(InspectorOptions options) {
  // WRAITH_INSPECT_DUMP=dir keeps every report of a test run, for reading by hand.
  if (const char* dump = std::getenv("WRAITH_INSPECT_DUMP"); dump && options.out_dir.empty()) options.out_dir = dump;
  auto started = Inspector::start(io_, std::move(options));
  if (!started) throw std::runtime_error(started.error().describe());
  inspector_ = std::move(*started);
  inspector_->on_connection([this](const nlohmann::json& report) {
    std::lock_guard lock(mutex_);
    reports_.push_back(report);
  });
  thread_ = std::thread([this] { io_.run(); });
}

RunningInspector::~RunningInspector() {
  inspector_->stop();
  work_.reset();
  // Reports of connections still open are delivered as they close; give them a moment, then force it.
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (!io_.stopped() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  io_.stop();
  thread_.join();
}

bool RunningInspector::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      if (reports_.size() >= n) return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

std::vector<nlohmann::json> RunningInspector::reports() {
  std::lock_guard lock(mutex_);
  return reports_;
}

namespace {

struct Connected {
  Result<void> result;
  std::unique_ptr<net::Stream> stream;
};

template <class T>
T run(asio::io_context& io, asio::awaitable<T> op) {
  auto future = asio::co_spawn(io, std::move(op), asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

}  // namespace

std::unique_ptr<RawClient> RawClient::tcp(std::uint16_t port) {
  auto client = std::unique_ptr<RawClient>(new RawClient());
  auto out = run(client->io_, [port]() -> asio::awaitable<Connected> {
    auto socket = co_await net::connect_tcp("127.0.0.1", port, {});
    if (!socket) co_return Connected{socket.take_error(), nullptr};
    co_return Connected{Result<void>{}, std::make_unique<net::TcpStream>(std::move(*socket))};
  }());
  if (!out.result) throw std::runtime_error(out.result.error().describe());
  client->stream_ = std::move(out.stream);
  return client;
}

std::unique_ptr<RawClient> RawClient::tls(std::uint16_t port, const std::string& host) {
  static std::shared_ptr<tls::ClientContext> context = [] {
    auto profile = builtin_profile("chromium156");
    if (!profile) throw std::runtime_error(profile.error().describe());
    auto ctx = tls::ClientContext::create(profile->tls, profile->name, {.insecure = true});
    if (!ctx) throw std::runtime_error(ctx.error().describe());
    return *ctx;
  }();
  auto client = std::unique_ptr<RawClient>(new RawClient());
  auto out = run(client->io_, [port, host]() -> asio::awaitable<Connected> {
    tls::TlsConnectOptions options;
    options.tcp.resolve_overrides[host + ":" + std::to_string(port)] = "127.0.0.1";
    options.handshake_timeout = 10s;
    auto stream = co_await tls::connect_tls(*context, host, port, options);
    if (!stream) co_return Connected{stream.take_error(), nullptr};
    co_return Connected{Result<void>{}, std::move(*stream)};
  }());
  if (!out.result) throw std::runtime_error(out.result.error().describe());
  client->stream_ = std::move(out.stream);
  return client;
}

bool RawClient::write(std::span<const std::uint8_t> bytes) {
  if (closed_) return false;
  auto r = run(io_, [this, bytes]() -> asio::awaitable<Result<void>> { co_return co_await stream_->write_all(bytes); }());
  return r.ok();
}

bool RawClient::write(std::string_view text) {
  return write(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::vector<std::uint8_t> RawClient::read(std::chrono::milliseconds timeout) {
  if (closed_) return {};
  struct Outcome {
    std::vector<std::uint8_t> bytes;
    bool closed = false;
  };
  auto out = run(io_, [this, timeout]() -> asio::awaitable<Outcome> {
    std::vector<std::uint8_t> buf(65536);
    auto n = co_await net::with_deadline(stream_->read_some(buf), timeout);
    if (!n) co_return Outcome{};
    if (!*n || **n == 0) co_return Outcome{{}, true};
    buf.resize(**n);
    co_return Outcome{std::move(buf), false};
  }());
  if (out.closed) closed_ = true;
  return out.bytes;
}

std::string RawClient::read_all(std::chrono::milliseconds timeout) {
  std::string all;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) break;
    auto bytes = read(left);
    all.append(bytes.begin(), bytes.end());
  }
  return all;
}

void RawClient::close() {
  if (stream_) stream_->close();
  closed_ = true;
}

bool H2Client::read_until(const std::function<bool(const ReceivedFrame&)>& pred, std::chrono::milliseconds timeout) {
  for (const auto& f : frames)
    if (pred(f)) return true;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms || raw_.closed()) return false;
    auto bytes = raw_.read(left);
    if (bytes.empty()) continue;
    reader_.feed(bytes);
    bool done = false;
    for (;;) {
      h2::Frame frame;
      auto next = reader_.next(frame);
      if (!next) return false;
      if (!*next) break;
      ReceivedFrame f{frame.header, std::vector<std::uint8_t>(frame.payload.begin(), frame.payload.end())};
      const auto& h = frame.header;
      std::vector<std::uint8_t> reply;
      if (h.is(h2::FrameType::settings) && !h.has(h2::flags::ack) && auto_ack_settings) h2::encode_settings_ack(reply);
      if (h.is(h2::FrameType::headers)) {
        auto decoded = h2::decode_headers(frame);
        if (decoded) (void)decoder_.decode(decoded->fragment, headers[h.stream_id]);
        if (h.has(h2::flags::end_stream)) ended[h.stream_id] = true;
      }
      if (h.is(h2::FrameType::data)) {
        bodies[h.stream_id].append(frame.payload.begin(), frame.payload.end());
        if (h.has(h2::flags::end_stream)) ended[h.stream_id] = true;
        if (auto_window_update && h.length > 0) {
          h2::encode_window_update(reply, 0, h.length);
          if (!h.has(h2::flags::end_stream)) h2::encode_window_update(reply, h.stream_id, h.length);
        }
      }
      if (h.is(h2::FrameType::goaway) && f.payload.size() >= 8) {
        saw_goaway = true;
        goaway_code = h2::wire::get32(f.payload.data() + 4);
      }
      if (!reply.empty()) raw_.write(reply);
      frames.push_back(std::move(f));
      if (pred(frames.back())) done = true;
    }
    if (done) return true;
  }
}

bool H2Client::read_response(std::uint32_t id, std::chrono::milliseconds timeout) {
  if (ended[id]) return true;
  return read_until([this, id](const ReceivedFrame&) { return ended[id]; }, timeout);
}

nlohmann::json H2Client::body_json(std::uint32_t id) const {
  auto it = bodies.find(id);
  if (it == bodies.end()) return nullptr;
  return nlohmann::json::parse(it->second, nullptr, false);
}

std::vector<std::uint8_t> chrome_preface(const nlohmann::json& fixture) {
  std::vector<std::uint8_t> out(h2::kClientPreface.begin(), h2::kClientPreface.end());
  std::vector<h2::Setting> settings;
  for (const auto& s : fixture.at("h2").at("settings"))
    settings.emplace_back(s.at("id").get<std::uint16_t>(), s.at("value").get<std::uint32_t>());
  h2::encode_settings(out, settings);
  const auto& wu = fixture.at("h2").at("initial_window_update");
  if (!wu.is_null()) h2::encode_window_update(out, 0, wu.get<std::uint32_t>());
  return out;
}

Headers fixture_request_headers(const nlohmann::json& fixture, const std::string& authority, const std::string& path) {
  Headers out;
  for (const auto& pair : fixture.at("request").at("headers")) {
    std::string name = pair.at(0).get<std::string>();
    std::string value = pair.at(1).get<std::string>();
    if (name == ":authority") value = authority;
    if (name == ":path") value = path;
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

void append_headers(std::vector<std::uint8_t>& out, std::uint32_t stream, h2::hpack::Encoder& encoder,
                    const Headers& headers, bool end_stream, const std::optional<h2::PriorityFields>& priority) {
  std::vector<h2::hpack::HeaderView> views;
  for (const auto& [n, v] : headers) views.push_back({n, v});
  std::vector<std::uint8_t> block;
  encoder.encode(views, block);
  h2::encode_headers(out, stream, block, end_stream, true, priority);
}

std::optional<h2::PriorityFields> fixture_priority(const nlohmann::json& fixture) {
  const auto& p = fixture.at("request").at("headers_frame").at("priority");
  if (p.is_null()) return std::nullopt;
  return h2::PriorityFields{p.at("exclusive").get<int>() != 0, p.at("depends_on").get<std::uint32_t>(),
                            p.at("weight").get<std::uint16_t>()};
}

std::vector<std::string> differences(const nlohmann::json& ours, const nlohmann::json& reference, bool tls) {
  std::vector<std::string> out;
  for (const auto& f : compare_http(ours, reference))
    if (!f.match) out.push_back(fingerprint::describe(f));
  if (tls) {
    auto parse = [](const nlohmann::json& doc) -> std::optional<fingerprint::ClientHello> {
      if (!doc.value("tls_raw_client_hello_hex", nlohmann::json()).is_string()) return std::nullopt;
      auto bytes = util::from_hex(doc["tls_raw_client_hello_hex"].get<std::string>());
      if (!bytes) return std::nullopt;
      auto hello = fingerprint::parse_client_hello(*bytes);
      if (!hello) return std::nullopt;
      return *hello;
    };
    auto a = parse(ours), b = parse(reference);
    if (!a || !b) {
      out.push_back("tls_raw_client_hello_hex: missing or unparsable");
    } else {
      for (const auto& f : fingerprint::compare_client_hellos(*a, *b))
        if (!f.match) out.push_back(fingerprint::describe(f));
    }
  }
  return out;
}

}  // namespace wraith::inspect::testing
