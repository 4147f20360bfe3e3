// Test helpers for the inspector: an Inspector on a background thread that collects reports, and a raw
// client (TLS with the chromium156 profile, or plain TCP) that writes exactly the bytes a test chooses and
// reads HTTP/2 frames back.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "h2/frame/frame_header.h"
#include "h2/frame/priority_fields.h"
#include "h2/frame/reader.h"
#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "inspect/inspector.h"
#include "net/stream.h"

namespace wraith::inspect::testing {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

nlohmann::json load_fixture(const std::string& name);

class RunningInspector {
 public:
  explicit RunningInspector(InspectorOptions options = {});
  ~RunningInspector();
  std::uint16_t port() const { return inspector_->port(); }
  // Waits until at least n reports arrived.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = 10s);
  std::vector<nlohmann::json> reports();
  nlohmann::json report(std::size_t i) { return reports().at(i); }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::unique_ptr<Inspector> inspector_;
  std::mutex mutex_;
  std::vector<nlohmann::json> reports_;
  std::thread thread_;
};

class RawClient {
 public:
  static std::unique_ptr<RawClient> tcp(std::uint16_t port);
  // TLS with the built-in chromium156 profile (certificate checks off: the inspector's cert is self-signed).
  static std::unique_ptr<RawClient> tls(std::uint16_t port, const std::string& host = "127.0.0.1");

  bool write(std::span<const std::uint8_t> bytes);
  bool write(std::string_view text);
  // One read: bytes, or empty on timeout / when the peer closed (then closed() is true).
  std::vector<std::uint8_t> read(std::chrono::milliseconds timeout);
  // Reads until the peer closes or `timeout` passes; everything read.
  std::string read_all(std::chrono::milliseconds timeout);
  bool closed() const { return closed_; }
  std::string alpn() const { return stream_ ? stream_->alpn() : std::string(); }
  void close();

 private:
  asio::io_context io_;
  std::unique_ptr<net::Stream> stream_;
  bool closed_ = false;
};

struct ReceivedFrame {
  h2::FrameHeader header;
  std::vector<std::uint8_t> payload;
};

// Frame-level view of a server's answers on a RawClient.
class H2Client {
 public:
  explicit H2Client(RawClient& raw) : raw_(raw) {}
  // True at once if a frame already received satisfies pred; else reads frames until one does. False on
  // timeout, close or a frame error.
  bool read_until(const std::function<bool(const ReceivedFrame&)>& pred, std::chrono::milliseconds timeout = 5s);
  // Reads until stream `id` ended (END_STREAM on DATA or HEADERS).
  bool read_response(std::uint32_t id, std::chrono::milliseconds timeout = 5s);
  nlohmann::json body_json(std::uint32_t id) const;

  std::vector<ReceivedFrame> frames;
  std::map<std::uint32_t, std::string> bodies;
  std::map<std::uint32_t, bool> ended;
  std::map<std::uint32_t, std::vector<h2::hpack::HeaderField>> headers;
  bool auto_ack_settings = true;     // answer the server's SETTINGS with an ACK, as Chrome does
  bool auto_window_update = false;   // hand DATA credit back (for tiny windows)
  bool saw_goaway = false;
  std::uint32_t goaway_code = 0;

 private:
  RawClient& raw_;
  h2::FrameReader reader_;
  h2::hpack::Decoder decoder_;
};

// Chrome's connection preface as captured in `fixture`: the magic, its SETTINGS and its WINDOW_UPDATE.
std::vector<std::uint8_t> chrome_preface(const nlohmann::json& fixture);
// The fixture's first request headers (pseudo-headers included, in order) with :authority and :path replaced.
Headers fixture_request_headers(const nlohmann::json& fixture, const std::string& authority, const std::string& path);
// One HEADERS frame (END_HEADERS) carrying `headers` encoded by `encoder`.
void append_headers(std::vector<std::uint8_t>& out, std::uint32_t stream, h2::hpack::Encoder& encoder,
                    const Headers& headers, bool end_stream, const std::optional<h2::PriorityFields>& priority);
// The first request's priority from the fixture's HEADERS frame.
std::optional<h2::PriorityFields> fixture_priority(const nlohmann::json& fixture);

// Runs compare_http and, for TLS reports, compare_client_hellos; returns the describe() of every differing field.
std::vector<std::string> differences(const nlohmann::json& ours, const nlohmann::json& reference, bool tls);

}  // namespace wraith::inspect::testing
