// ClientSession: the HTTP/2 client engine, sans-IO. It owns HPACK state, stream states (RFC 9113 5.1), flow
// control and settings; an I/O driver feeds it socket bytes (receive), writes what it queues (pending_output /
// output_sent) and calls on_timer at next_deadline(). Callbacks run synchronously inside the call that caused
// them; a listener may call back into the session (submit, send_data, consume, cancel) from any callback.
//
// Every submitted request ends exactly once: StreamListener::on_complete or StreamListener::on_error.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "h2/frame/ping.h"
#include "h2/frame/reader.h"
#include "h2/frame/types.h"
#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "h2/hpack/encoder_policy.h"
#include "h2/hpack/header_field.h"
#include "wraith/error.h"

namespace wraith::h2 {

using Clock = std::chrono::steady_clock;

// Profile data: nothing browser-specific is hard-coded in the engine.
struct SessionConfig {
  std::vector<std::pair<uint16_t, uint32_t>> settings;  // our SETTINGS, sent in this order in the preface
  uint32_t connection_window_update = 0;               // preface WINDOW_UPDATE increment on stream 0 (0 = none)
  // Wire order of pseudo-headers; any not listed follow in the order :method :authority :scheme :path :protocol.
  std::vector<std::string> pseudo_header_order = {":method", ":authority", ":scheme", ":path"};
  hpack::EncoderPolicy hpack;
  bool headers_priority_flag = true;  // HEADERS carry the PRIORITY flag with RequestHead::priority
  // Chrome's Http2PriorityDependencies: a new stream depends, exclusively, on the most recently opened stream
  // still open whose weight is the lowest of those >= its own (0 when none), so open streams form one list in
  // priority order. Priority::depends_on is then ignored. Off: depends_on is sent as given.
  bool chain_priorities = false;
  std::chrono::milliseconds settings_ack_timeout{10000};  // 0 = never time out
  size_t max_header_block = 256 * 1024;                   // cap on one HEADERS+CONTINUATION block
  uint32_t initial_max_concurrent_streams = 100;  // assumed until the peer's SETTINGS say otherwise
  size_t max_queued_requests = 4096;              // submits beyond this fail with ErrorKind::refused
  std::chrono::milliseconds ping_interval{0};     // keepalive PING period, 0 = no keepalive
  std::chrono::milliseconds ping_timeout{10000};  // unanswered keepalive PING -> timeout (phase ping)
  // Frames the peer made us queue (PING/SETTINGS ACKs, RSTs) while the driver has not drained the output;
  // beyond this the peer is flooding us: ENHANCE_YOUR_CALM.
  size_t max_unsent_control_frames = 10000;
  // Backpressure on request bodies: send_data accepts nothing more while this much output is unsent
  // (on_writable fires once the driver has drained below it).
  size_t max_buffered_output = 1 << 20;
};

// RFC 9113 5.3 priority fields carried on HEADERS (when SessionConfig::headers_priority_flag).
struct Priority {
  bool exclusive = true;
  uint32_t depends_on = 0;
  uint16_t weight = 256;  // 1..256
};

struct RequestHead {
  std::string method, scheme, authority, path;
  std::string protocol;                      // RFC 8441 :protocol (extended CONNECT); empty = none
  std::vector<hpack::HeaderField> headers;   // regular headers, lowercase names, in wire order
  Priority priority;
};

// A request head borrowed for the submit call only: encoded at once when a stream can open, copied only when
// the request has to wait in the queue.
struct RequestView {
  std::string_view method, scheme, authority, path;
  std::string_view protocol;                      // RFC 8441 :protocol; empty = none
  std::span<const hpack::HeaderView> headers;     // regular headers, lowercase names, in wire order
  Priority priority;
  // The caller has run check_outgoing_field on every header (the request-wide rules are checked anyway).
  bool headers_checked = false;
};

class StreamListener {
 public:
  virtual ~StreamListener() = default;
  // Final response head (status >= 200); headers exclude pseudo-headers. Views valid during the call.
  virtual void on_headers(uint16_t status, std::span<const hpack::HeaderField> headers) = 0;
  // 1xx responses other than 101 (which HTTP/2 forbids); may come several times before on_headers.
  virtual void on_informational(uint16_t status, std::span<const hpack::HeaderField> headers) {}
  // Response body bytes (padding removed), valid during the call. Call ClientSession::consume once the app has
  // used them: that is what reopens the flow-control window. end_stream: no more DATA follows.
  virtual void on_data(std::span<const uint8_t> data, bool end_stream) = 0;
  // Trailing header section; never merged into the response headers.
  virtual void on_trailers(std::span<const hpack::HeaderField> trailers) {}
  // The exchange finished (both directions closed). Terminal.
  virtual void on_complete() {}
  // Terminal. kind: refused (never processed, safe to retry), stream_reset (peer_code), protocol, timeout,
  // too_large, invalid_header, cancelled, closed.
  virtual void on_error(const Error& error) = 0;
  // send_data accepted less than offered, and now more can be sent.
  virtual void on_writable() {}
};

// Sizes of internal containers, for tests and diagnostics (memory must stay flat).
struct SessionStats {
  size_t stream_slots = 0;       // allocated stream records (live + free)
  size_t live_streams = 0;       // active + queued
  size_t stream_index = 0;       // stream id -> record map entries
  size_t queued = 0;
  size_t output_capacity = 0;
  size_t header_block_capacity = 0;
  size_t decoded_fields_capacity = 0;
  size_t encoded_block_capacity = 0;
};

class ClientSession {
 public:
  explicit ClientSession(SessionConfig config);
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // Queues the connection preface, our SETTINGS and the connection WINDOW_UPDATE. Requests submitted before or
  // right after start() leave in the same pending_output() (Chrome sends preface+SETTINGS+WINDOW_UPDATE+HEADERS
  // in one write). `now` arms the SETTINGS-ACK timer and the keepalive.
  void start(Clock::time_point now = Clock::now());

  // Returns a local request id (never 0). The stream id is assigned when a slot is free under the peer's
  // MAX_CONCURRENT_STREAMS (queued in submission order until then). end_stream = no request body.
  // An invalid request (ErrorKind::invalid_header / invalid_argument) or one that cannot be accepted
  // (ErrorKind::refused: after GOAWAY or a connection error, or the queue is full) gets on_error before
  // submit returns, nothing reaches the wire, and 0 is returned.
  uint64_t submit(const RequestView& head, bool end_stream, StreamListener* listener);
  uint64_t submit(const RequestHead& head, bool end_stream, StreamListener* listener);

  // Streaming request body: queues DATA up to the flow-control windows (chunked at the peer's
  // MAX_FRAME_SIZE) and returns how many bytes were accepted; on_writable fires when more can go.
  // END_STREAM is set only when end_stream and every byte was accepted. A zero-length call with end_stream
  // ends the body. Returns 0 for a queued stream (on_writable fires once it opens) or an ended request.
  size_t send_data(uint64_t request, std::span<const uint8_t> data, bool end_stream);

  // Ends the request body with a trailer section (regular headers only). Invalid fields fail the request
  // with ErrorKind::invalid_header (RST_STREAM(INTERNAL_ERROR) if it was already on the wire).
  void send_trailers(uint64_t request, std::vector<hpack::HeaderField> trailers);

  // The app used n body bytes delivered by on_data: WINDOW_UPDATEs for the stream and the connection follow
  // once half of the respective window has been consumed. A slow reader stalls only its own stream.
  void consume(uint64_t request, size_t n);

  // Abandons a request: RST_STREAM(CANCEL) if it is on the wire, its slot is freed, and the listener gets
  // on_error(cancelled) once. No effect on an ended request.
  void cancel(uint64_t request);

  // Feeds socket bytes (borrowed for the call only) and dispatches callbacks. A connection error is returned
  // (and every pending request already failed, GOAWAY queued); afterwards the session stays failed.
  Result<void> receive(std::span<const uint8_t> bytes);

  // The transport closed (EOF or socket error): every remaining request fails, never-sent ones with refused.
  void transport_closed(Error reason = Error(ErrorKind::closed, "connection closed", "h2"));

  // Every frame queued since the last drain, coalesced in one buffer. Write it, then call output_sent.
  std::span<const uint8_t> pending_output() const;
  void output_sent(size_t n);
  // What pending_output() holds for new requests: their HEADERS (and CONTINUATION) frames, and whether that
  // is all of it (no ACK, WINDOW_UPDATE, DATA, RST_STREAM or GOAWAY waiting). Lets the driver batch requests.
  size_t unsent_requests() const { return unsent_requests_; }
  bool only_requests_pending() const { return unsent_request_bytes_ == out_.size() - out_sent_; }

  void on_timer(Clock::time_point now);
  std::optional<Clock::time_point> next_deadline() const;

  // Graceful shutdown from our side: GOAWAY(code); streams already open continue, queued ones are refused.
  void goaway(ErrorCode code = ErrorCode::no_error);

  bool can_accept_requests() const;
  // Nothing more will happen: a connection error, or GOAWAY and every stream ended. The driver may close.
  bool finished() const;
  size_t active_streams() const { return active_; }
  // DATA payload bytes the peer owes us and may send right now: for every open stream whose response head
  // gave a content-length, the rest of it, within its receive window and the connection's. Sure to come
  // unless a stream is reset, so the driver may wait for them before reading.
  uint64_t body_bytes_due() const;
  // At least n open streams still wait for their final response head.
  bool owes_heads(size_t n) const;
  // See FrameReader::bytes_to_boundary: where in the next receive() the current partial frame ends.
  std::optional<size_t> bytes_to_frame_boundary() const { return reader_.bytes_to_boundary(); }
  size_t queued() const { return queue_.size(); }
  bool extended_connect_allowed() const { return peer_connect_protocol_; }
  const std::optional<Error>& failure() const { return conn_error_; }  // the connection error, if any
  SessionStats stats() const;

  struct Stream;

 private:
  // session.cc: requests and the send side
  uint32_t alloc_slot();
  Stream* find(uint64_t request);
  Stream* live_by_id(uint32_t stream_id);
  void drain_queue();
  void open_stream(Stream& s, const RequestView& head);
  RequestView view_of(const RequestHead& head);  // headers viewed through head_views_
  uint32_t chained_parent(uint16_t weight) const;
  void write_header_block(uint32_t stream_id, bool end_stream, const std::optional<Priority>& priority);
  void send_trailer_block(Stream& s, const std::vector<hpack::HeaderField>& trailers);
  void finish(Stream& s, const Error* error);
  void fail_with(Stream& s, Error error);
  void local_end(Stream& s);
  void refuse_queued(const char* why);
  void notify_writable(Stream* only);
  size_t output_room() const;
  void release_connection_window(uint64_t n);
  void release_stream_window(Stream& s, uint64_t n);
  Error fail_connection(Error error);
  struct Pending {
    std::vector<uint32_t> open, queued;
  };
  Pending detach_pending();
  Result<void> note_control_frame();

  // session_recv.cc: the receive side
  Result<void> handle_frame(const Frame& frame);
  Result<void> on_data_frame(const Frame& frame);
  Result<void> on_headers_frame(const Frame& frame);
  Result<void> on_continuation_frame(const Frame& frame);
  Result<void> on_field_block(std::span<const uint8_t> block, uint32_t stream_id, bool end_stream);
  Result<void> on_response_fields(Stream& s, bool end_stream);
  Result<void> on_rst_stream_frame(const Frame& frame);
  Result<void> on_settings_frame(const Frame& frame);
  Result<void> apply_peer_setting(uint16_t id, uint32_t value, bool& window_grew);
  Result<void> on_ping_frame(const Frame& frame);
  Result<void> on_goaway_frame(const Frame& frame);
  Result<void> on_window_update_frame(const Frame& frame);
  Result<void> stream_failure(Error error);
  bool is_idle_stream(uint32_t stream_id) const;
  Result<void> remote_end(Stream& s);

  SessionConfig cfg_;
  hpack::Encoder encoder_;
  hpack::Decoder decoder_;
  FrameReader reader_;

  std::vector<uint8_t> out_;
  size_t out_sent_ = 0;
  size_t unsent_control_frames_ = 0;
  size_t unsent_requests_ = 0;       // new streams' HEADERS in out_ since the driver last took it all
  size_t unsent_request_bytes_ = 0;  // their bytes
  bool writer_blocked_on_output_ = false;  // some send_data was cut short by max_buffered_output

  std::vector<std::unique_ptr<Stream>> slots_;  // records are reused: no allocation per request once warm
  std::vector<uint32_t> free_slots_;
  // (stream id, slot) of every open stream, sorted by id: new ids are always the highest, so opening is a
  // push_back and the vector never reallocates once it has held the peak concurrency.
  std::vector<std::pair<uint32_t, uint32_t>> by_stream_id_;
  std::deque<uint32_t> queue_;       // slots waiting for a stream id, in submission order
  std::vector<uint32_t> writable_scratch_;  // slots owed on_writable, collected before callbacks run
  size_t active_ = 0;
  bool draining_ = false;

  // Field block being reassembled from HEADERS + CONTINUATION (only when it spans frames).
  std::vector<uint8_t> block_;
  uint32_t block_stream_ = 0;
  bool block_end_stream_ = false;
  hpack::FieldList fields_;                  // decoder output, reused (strings and all)
  std::vector<hpack::HeaderView> views_;     // encoder input, reused
  std::vector<hpack::HeaderView> head_views_;  // a queued RequestHead's headers as views, reused
  std::vector<uint8_t> encoded_;             // encoder output, reused

  // Peer settings and send-side flow control.
  uint32_t peer_max_frame_size_ = kDefaultMaxFrameSize;
  uint32_t peer_max_concurrent_;
  int64_t peer_initial_window_ = kDefaultWindowSize;
  bool peer_connect_protocol_ = false;
  bool peer_settings_received_ = false;
  int64_t conn_send_window_ = kDefaultWindowSize;

  // Our settings and receive-side flow control.
  int64_t our_initial_window_ = kDefaultWindowSize;
  int64_t conn_recv_window_ = kDefaultWindowSize;
  int64_t conn_recv_target_ = kDefaultWindowSize;
  uint64_t conn_recv_unacked_ = 0;

  uint32_t next_stream_id_ = 1;
  uint32_t highest_opened_ = 0;
  uint32_t goaway_last_stream_ = kMaxStreamId;
  bool goaway_received_ = false;
  bool goaway_sent_ = false;
  bool started_ = false;
  std::optional<Error> conn_error_;

  Clock::time_point last_now_{};
  bool settings_ack_pending_ = false;
  std::optional<Clock::time_point> settings_deadline_;
  std::optional<Clock::time_point> next_ping_at_;
  std::optional<Clock::time_point> ping_deadline_;
  PingPayload ping_payload_{};
  uint64_t pings_sent_ = 0;
};

}  // namespace wraith::h2
