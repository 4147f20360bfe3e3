// The inspector's HTTP/2 server side (RFC 9113), sans I/O. It records every frame the client sends and how
// each header field was HPACK-encoded, and answers every request with 200 and the report so far as JSON.
//
// Behaviour a client can rely on: our SETTINGS go first (MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE,
// MAX_HEADER_LIST_SIZE, ENABLE_CONNECT_PROTOCOL=1) with a connection WINDOW_UPDATE; the client's SETTINGS are
// acknowledged and PINGs answered; responses honour the client's connection and stream windows and its
// MAX_FRAME_SIZE; request bodies are counted and their window handed straight back. Any connection error
// (malformed frame, HPACK failure, oversized header block, flow-control violation) ends with GOAWAY.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "h2/frame/frame_header.h"
#include "h2/frame/priority_fields.h"
#include "h2/frame/reader.h"
#include "h2/frame/types.h"
#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "inspect/options.h"
#include "inspect/report.h"
#include "inspect/session.h"
#include "wraith/error.h"

namespace wraith::inspect {

class H2ServerSession final : public Session {
 public:
  // The report must outlive the session; the session owns doc["h2"], doc["request"], doc["requests"].
  H2ServerSession(ConnectionReport& report, const InspectorLimits& limits);

  void start() override;
  void receive(std::span<const std::uint8_t> bytes) override;
  void on_idle_timeout() override;
  void on_closed(const std::string& reason) override;

  // Our SETTINGS, in the order sent (also in the report as h2.server_settings).
  std::vector<std::pair<std::uint16_t, std::uint32_t>> server_settings() const;

 private:
  struct Stream {
    std::uint32_t id = 0;
    std::size_t request_index = SIZE_MAX;  // into doc["requests"]; SIZE_MAX when not recorded
    bool remote_closed = false;            // END_STREAM received
    bool response_queued = false;
    bool local_closed = false;             // our END_STREAM sent
    std::int64_t send_window = 0;
    std::int64_t recv_window = 0;
    std::uint64_t body_bytes = 0;
    std::string body;                      // response body still to send from `sent`
    std::size_t sent = 0;
    bool is_connect = false;
  };

  Result<void> process(const h2::Frame& frame);
  Result<void> on_settings(const h2::Frame& frame);
  Result<void> on_window_update(const h2::Frame& frame);
  Result<void> on_headers(const h2::Frame& frame);
  Result<void> on_continuation(const h2::Frame& frame);
  Result<void> on_data(const h2::Frame& frame);
  Result<void> on_rst_stream(const h2::Frame& frame);
  Result<void> on_priority(const h2::Frame& frame);
  Result<void> on_goaway(const h2::Frame& frame);
  Result<void> on_ping(const h2::Frame& frame);
  Result<void> finish_header_block();
  Result<void> open_request(std::vector<h2::hpack::HeaderField>& fields,
                            std::vector<h2::hpack::Decoder::FieldInfo>& infos, bool list_too_large);

  void record_frame(const h2::Frame& frame);
  void stream_error(std::uint32_t stream_id, h2::ErrorCode code, const std::string& message);
  void connection_error(const Error& error);
  void respond(Stream& stream, int status);
  void flush_streams();
  void maybe_retire(std::uint32_t stream_id);
  void sync_summary();
  nlohmann::json& h2_doc() { return report_.doc()["h2"]; }

  ConnectionReport& report_;
  InspectorLimits limits_;
  h2::FrameReader reader_;
  h2::hpack::Decoder decoder_;
  h2::hpack::Encoder encoder_;

  std::size_t preface_matched_ = 0;
  bool preface_done_ = false;
  std::uint64_t frame_seq_ = 0;
  bool first_headers_seen_ = false;     // a HEADERS frame arrived (ends "before first headers")
  bool first_request_complete_ = false; // the first header block ended (ends preface_frames)
  bool goaway_sent_ = false;
  bool goaway_received_ = false;

  // Header block being assembled (HEADERS + CONTINUATION).
  std::vector<std::uint8_t> block_;
  std::uint32_t block_stream_ = 0;
  std::uint8_t block_flags_ = 0;
  std::optional<h2::PriorityFields> block_priority_;
  std::optional<std::size_t> block_pad_length_;
  std::size_t block_continuations_ = 0;
  std::int64_t block_t_ms_ = 0;

  std::map<std::uint32_t, Stream> streams_;
  std::uint32_t last_client_stream_ = 0;
  std::int64_t conn_send_window_ = h2::kDefaultWindowSize;
  std::int64_t conn_recv_window_ = h2::kDefaultWindowSize;
  std::int64_t peer_initial_window_ = h2::kDefaultWindowSize;
  std::uint32_t peer_max_frame_size_ = h2::kDefaultMaxFrameSize;
  std::uint32_t our_initial_window_;
  std::uint64_t requests_seen_ = 0;

  std::vector<std::uint8_t> scratch_;
};

}  // namespace wraith::inspect
