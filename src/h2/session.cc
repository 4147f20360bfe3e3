// ClientSession: requests, the send side, flow-control bookkeeping, timers and teardown.
// The receive side (frame handlers) is in session_recv.cc.
#include <algorithm>
#include <array>

#include "h2/frame/data.h"
#include "h2/frame/frame_error.h"
#include "h2/frame/goaway.h"
#include "h2/frame/headers.h"
#include "h2/frame/rst_stream.h"
#include "h2/frame/settings.h"
#include "h2/frame/window_update.h"
#include "h2/header_rules.h"
#include "h2/session.h"
#include "h2/stream.h"

namespace wraith::h2 {
namespace {

std::optional<uint32_t> find_setting(const SessionConfig& cfg, SettingId id) {
  std::optional<uint32_t> v;
  for (const auto& [k, value] : cfg.settings)
    if (k == static_cast<uint16_t>(id)) v = value;
  return v;
}

hpack::Decoder::Limits decoder_limits(const SessionConfig& cfg) {
  hpack::Decoder::Limits l;
  l.max_table_size = find_setting(cfg, SettingId::header_table_size).value_or(kDefaultHeaderTableSize);
  // Without an advertised MAX_HEADER_LIST_SIZE the block cap is still a bound on the decoded list.
  l.max_header_list_size = find_setting(cfg, SettingId::max_header_list_size)
                               .value_or(static_cast<uint32_t>(std::min<size_t>(cfg.max_header_block, UINT32_MAX)));
  return l;
}

Error request_error(ErrorKind kind, const char* message, uint32_t stream_id) {
  Error e(kind, message, "h2");
  e.stream_id = stream_id;
  return e;
}

}  // namespace

ClientSession::ClientSession(SessionConfig config)
    : cfg_(std::move(config)),
      encoder_(cfg_.hpack),
      decoder_(decoder_limits(cfg_)),
      reader_(find_setting(cfg_, SettingId::max_frame_size).value_or(kDefaultMaxFrameSize)),
      peer_max_concurrent_(cfg_.initial_max_concurrent_streams) {
  if (auto w = find_setting(cfg_, SettingId::initial_window_size)) our_initial_window_ = *w;
  conn_recv_target_ = int64_t{kDefaultWindowSize} + cfg_.connection_window_update;
  conn_recv_window_ = kDefaultWindowSize;
}

ClientSession::~ClientSession() = default;

// ---- output buffer ----

std::span<const uint8_t> ClientSession::pending_output() const {
  return std::span<const uint8_t>(out_).subspan(out_sent_);
}

void ClientSession::output_sent(size_t n) {
  out_sent_ = std::min(out_.size(), out_sent_ + n);
  // Even a partial write resets these: what is left may begin mid-frame, so it no longer counts as requests only.
  unsent_requests_ = 0;
  unsent_request_bytes_ = 0;
  if (out_sent_ == out_.size()) {
    out_.clear();  // keeps capacity: the next burst reuses it
    out_sent_ = 0;
    unsent_control_frames_ = 0;
  } else if (out_sent_ > out_.size() / 2) {
    out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(out_sent_));
    out_sent_ = 0;
  }
  if (writer_blocked_on_output_ && output_room() >= cfg_.max_buffered_output / 2) {
    writer_blocked_on_output_ = false;
    notify_writable(nullptr);
  }
}

uint64_t ClientSession::body_bytes_due() const {
  uint64_t due = 0;
  for (const auto& [id, slot] : by_stream_id_) {
    const Stream& s = *slots_[slot];
    if (s.remote_ended || !s.final_headers || !s.content_length) continue;
    const uint64_t rest = *s.content_length - s.data_received;
    due += std::min<uint64_t>(rest, static_cast<uint64_t>(std::max<int64_t>(0, s.recv_window)));
  }
  return std::min<uint64_t>(due, static_cast<uint64_t>(std::max<int64_t>(0, conn_recv_window_)));
}

bool ClientSession::owes_heads(size_t n) const {
  if (n == 0) return true;
  if (n > by_stream_id_.size()) return false;
  for (const auto& [id, slot] : by_stream_id_)
    if (!slots_[slot]->final_headers && --n == 0) return true;
  return false;
}

size_t ClientSession::output_room() const {
  size_t unsent = out_.size() - out_sent_;
  return unsent >= cfg_.max_buffered_output ? 0 : cfg_.max_buffered_output - unsent;
}

Result<void> ClientSession::note_control_frame() {
  if (++unsent_control_frames_ > cfg_.max_unsent_control_frames) {
    Error e = connection_error(ErrorCode::enhance_your_calm, "peer provokes control frames faster than we write them");
    e.kind = ErrorKind::too_large;
    return e;
  }
  return {};
}

// ---- lifecycle ----

void ClientSession::start(Clock::time_point now) {
  if (started_) return;
  started_ = true;
  last_now_ = now;
  const auto* preface = reinterpret_cast<const uint8_t*>(kClientPreface.data());
  out_.insert(out_.end(), preface, preface + kClientPreface.size());
  encode_settings(out_, cfg_.settings);
  if (cfg_.connection_window_update) {
    encode_window_update(out_, 0, cfg_.connection_window_update);
    conn_recv_window_ += cfg_.connection_window_update;
  }
  settings_ack_pending_ = true;
  if (cfg_.settings_ack_timeout.count() > 0) settings_deadline_ = now + cfg_.settings_ack_timeout;
  if (cfg_.ping_interval.count() > 0) next_ping_at_ = now + cfg_.ping_interval;
  drain_queue();
}

bool ClientSession::can_accept_requests() const {
  return !conn_error_ && !goaway_received_ && !goaway_sent_ && next_stream_id_ <= kMaxStreamId;
}

bool ClientSession::finished() const {
  if (conn_error_) return true;
  return (goaway_received_ || goaway_sent_) && active_ == 0 && queue_.empty();
}

SessionStats ClientSession::stats() const {
  SessionStats s;
  s.stream_slots = slots_.size();
  s.live_streams = slots_.size() - free_slots_.size();
  s.stream_index = by_stream_id_.size();
  s.queued = queue_.size();
  s.output_capacity = out_.capacity();
  s.header_block_capacity = block_.capacity();
  s.decoded_fields_capacity = fields_.capacity();
  s.encoded_block_capacity = encoded_.capacity();
  return s;
}

// ---- stream records ----

uint32_t ClientSession::alloc_slot() {
  if (!free_slots_.empty()) {
    uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  auto s = std::make_unique<Stream>();
  s->slot = static_cast<uint32_t>(slots_.size());
  slots_.push_back(std::move(s));
  return slots_.back()->slot;
}

ClientSession::Stream* ClientSession::find(uint64_t request) {
  uint32_t slot = static_cast<uint32_t>(request & 0xffffffffu);
  uint32_t gen = static_cast<uint32_t>(request >> 32);
  if (slot >= slots_.size()) return nullptr;
  Stream* s = slots_[slot].get();
  return s->live && s->generation == gen ? s : nullptr;
}

ClientSession::Stream* ClientSession::live_by_id(uint32_t stream_id) {
  auto it = std::lower_bound(by_stream_id_.begin(), by_stream_id_.end(), stream_id,
                             [](const auto& entry, uint32_t id) { return entry.first < id; });
  return it == by_stream_id_.end() || it->first != stream_id ? nullptr : slots_[it->second].get();
}

// ---- submitting and opening streams ----

uint64_t ClientSession::submit(const RequestHead& head, bool end_stream, StreamListener* listener) {
  return submit(view_of(head), end_stream, listener);
}

RequestView ClientSession::view_of(const RequestHead& head) {
  head_views_.clear();
  for (const auto& f : head.headers) head_views_.push_back({f.name, f.value});
  return RequestView{head.method, head.scheme, head.authority, head.path, head.protocol, head_views_, head.priority};
}

uint64_t ClientSession::submit(const RequestView& head, bool end_stream, StreamListener* listener) {
  if (!listener) return 0;
  if (auto ok = check_request(head); !ok) {
    listener->on_error(ok.error());
    return 0;
  }
  if (!can_accept_requests()) {
    listener->on_error(Error(ErrorKind::refused, conn_error_ ? "connection failed" : "connection is going away", "h2"));
    return 0;
  }
  if (queue_.size() >= cfg_.max_queued_requests) {
    listener->on_error(Error(ErrorKind::refused, "request queue full", "h2"));
    return 0;
  }
  Stream& s = *slots_[alloc_slot()];
  s.live = true;
  s.listener = listener;
  s.end_stream_on_headers = end_stream;
  s.extended_connect = !head.protocol.empty();
  s.head_request = head.method == "HEAD";
  uint64_t id = s.request_id();
  // The common case: a stream slot is free and nothing waits before us, so HEADERS are encoded straight from
  // the caller's views. (Extended CONNECT always queues: it needs the peer's SETTINGS first.)
  if (started_ && queue_.empty() && !draining_ && active_ < peer_max_concurrent_ && !s.extended_connect) {
    open_stream(s, head);
    return id;
  }
  s.head.method = head.method;
  s.head.scheme = head.scheme;
  s.head.authority = head.authority;
  s.head.path = head.path;
  s.head.protocol = head.protocol;
  s.head.headers.clear();
  for (const auto& f : head.headers) s.head.headers.push_back({std::string(f.name), std::string(f.value)});
  s.head.priority = head.priority;
  queue_.push_back(s.slot);
  drain_queue();
  return id;
}

void ClientSession::drain_queue() {
  if (draining_) return;  // a callback below re-entered; the running loop picks new entries up
  draining_ = true;
  while (started_ && !queue_.empty() && can_accept_requests() && active_ < peer_max_concurrent_) {
    Stream& s = *slots_[queue_.front()];
    // Whether extended CONNECT is allowed is only known from the peer's SETTINGS: wait for them, in order.
    if (s.extended_connect && !peer_settings_received_) break;
    queue_.pop_front();
    if (s.extended_connect && !peer_connect_protocol_) {
      fail_with(s, Error(ErrorKind::protocol, "peer did not enable extended CONNECT (RFC 8441)", "h2"));
      continue;
    }
    open_stream(s, view_of(s.head));
  }
  draining_ = false;
  if (next_stream_id_ > kMaxStreamId && !queue_.empty()) refuse_queued("stream ids exhausted on this connection");
}

// Chrome (net/spdy/http2_priority_dependencies.cc, OnStreamCreation / PriorityLowerBound): the parent is the
// last-created open stream of the same priority, else of the nearest higher one. Weights stand for Chrome's
// priority levels (256 highest). Open streams are by_stream_id_, in creation order, so the newest is last; the
// stream being opened is already there with sent_weight 0, which matches nothing.
uint32_t ClientSession::chained_parent(uint16_t weight) const {
  uint32_t parent = 0;
  uint32_t parent_weight = UINT32_MAX;
  for (auto it = by_stream_id_.rbegin(); it != by_stream_id_.rend(); ++it) {
    const uint16_t w = slots_[it->second]->sent_weight;
    if (w == weight) return it->first;  // nothing can be nearer than an equal priority
    if (w > weight && w < parent_weight) {
      parent = it->first;
      parent_weight = w;
    }
  }
  return parent;
}

void ClientSession::write_header_block(uint32_t stream_id, bool end_stream, const std::optional<Priority>& priority) {
  encoded_.clear();
  encoder_.encode(views_, encoded_);
  std::optional<PriorityFields> prio;
  if (priority) prio = PriorityFields{priority->exclusive, priority->depends_on, priority->weight};
  encode_header_block(out_, stream_id, encoded_, end_stream, prio, peer_max_frame_size_);
}

void ClientSession::open_stream(Stream& s, const RequestView& h) {
  s.id = next_stream_id_;
  next_stream_id_ += 2;
  highest_opened_ = s.id;
  by_stream_id_.emplace_back(s.id, s.slot);  // ids only grow: the vector stays sorted
  ++active_;
  s.send_window = peer_initial_window_;
  s.recv_window = our_initial_window_;

  // Pseudo-headers in the profile's order, then the caller's fields in their order.
  const bool plain_connect = h.method == "CONNECT" && h.protocol.empty();
  auto value_of = [&](std::string_view name) -> std::optional<std::string_view> {
    if (name == ":method") return h.method;
    if (name == ":authority" && !h.authority.empty()) return h.authority;
    if (name == ":scheme" && !plain_connect) return h.scheme;
    if (name == ":path" && !plain_connect) return h.path;
    if (name == ":protocol" && !h.protocol.empty()) return h.protocol;
    return std::nullopt;
  };
  static constexpr std::array<std::string_view, 5> kDefaultOrder = {":method", ":authority", ":scheme", ":path",
                                                                     ":protocol"};
  views_.clear();
  for (const std::string& name : cfg_.pseudo_header_order) {
    if (auto v = value_of(name)) views_.push_back({name, *v});
  }
  for (std::string_view name : kDefaultOrder) {
    bool listed = std::find(cfg_.pseudo_header_order.begin(), cfg_.pseudo_header_order.end(), name) !=
                  cfg_.pseudo_header_order.end();
    if (listed) continue;
    if (auto v = value_of(name)) views_.push_back({name, *v});
  }
  views_.insert(views_.end(), h.headers.begin(), h.headers.end());

  const bool end = s.end_stream_on_headers && !s.has_pending_trailers;
  std::optional<Priority> prio;
  if (cfg_.headers_priority_flag) {
    prio = h.priority;
    if (cfg_.chain_priorities) prio->depends_on = chained_parent(prio->weight);
    s.sent_weight = prio->weight;
  }
  const size_t queued_before = out_.size();
  write_header_block(s.id, end, prio);
  ++unsent_requests_;
  unsent_request_bytes_ += out_.size() - queued_before;
  views_.clear();
  s.head.headers.clear();  // a queued head is not needed once HEADERS is out
  if (end) {
    s.local_ended = true;
  } else if (s.has_pending_trailers) {
    send_trailer_block(s, s.pending_trailers);
    s.pending_trailers.clear();
    s.has_pending_trailers = false;
  } else if (s.want_write) {
    s.want_write = false;
    s.listener->on_writable();
  }
}

// ---- request body ----

size_t ClientSession::send_data(uint64_t request, std::span<const uint8_t> data, bool end_stream) {
  Stream* s = find(request);
  if (!s || s->local_ended || conn_error_) return 0;
  if (s->id == 0) {  // still queued
    if (data.empty() && end_stream) {
      s->end_stream_on_headers = true;
    } else {
      s->want_write = true;
    }
    return 0;
  }
  int64_t room = std::max<int64_t>(0, std::min(conn_send_window_, s->send_window));
  size_t n = std::min<size_t>(data.size(), static_cast<size_t>(room));
  if (n > output_room()) {
    n = output_room();
    writer_blocked_on_output_ = true;
  }
  const bool fin = end_stream && n == data.size();
  if (n == 0 && !fin) {
    s->want_write = true;
    return 0;
  }
  size_t off = 0;
  do {
    size_t chunk = std::min<size_t>(n - off, peer_max_frame_size_);
    encode_data(out_, s->id, data.subspan(off, chunk), fin && off + chunk == n);
    off += chunk;
  } while (off < n);
  conn_send_window_ -= static_cast<int64_t>(n);
  s->send_window -= static_cast<int64_t>(n);
  s->want_write = n < data.size();
  if (fin) local_end(*s);
  return n;
}

void ClientSession::send_trailer_block(Stream& s, const std::vector<hpack::HeaderField>& trailers) {
  views_.clear();
  for (const auto& f : trailers) views_.push_back({f.name, f.value});
  write_header_block(s.id, true, std::nullopt);
  views_.clear();
  s.local_ended = true;
}

void ClientSession::send_trailers(uint64_t request, std::vector<hpack::HeaderField> trailers) {
  Stream* s = find(request);
  if (!s || s->local_ended || conn_error_) return;
  if (auto ok = check_outgoing_trailers(trailers); !ok) {
    if (s->id) {
      encode_rst_stream(out_, s->id, ErrorCode::internal_error);
    } else {
      queue_.erase(std::find(queue_.begin(), queue_.end(), s->slot));
    }
    Error e = ok.error();
    e.stream_id = s->id;
    fail_with(*s, std::move(e));
    return;
  }
  if (s->id == 0) {
    s->pending_trailers = std::move(trailers);
    s->has_pending_trailers = true;
    return;
  }
  send_trailer_block(*s, trailers);
  local_end(*s);
}

void ClientSession::local_end(Stream& s) {
  s.local_ended = true;
  s.want_write = false;
  if (s.remote_ended) finish(s, nullptr);
}

// ---- receive windows ----

void ClientSession::release_connection_window(uint64_t n) {
  if (n == 0 || conn_error_) return;
  conn_recv_unacked_ += n;
  // Like Chrome: return credit once half of the window has been consumed, not per frame.
  if (conn_recv_unacked_ >= static_cast<uint64_t>(conn_recv_target_ / 2)) {
    encode_window_update(out_, 0, static_cast<uint32_t>(conn_recv_unacked_));
    conn_recv_window_ += static_cast<int64_t>(conn_recv_unacked_);
    conn_recv_unacked_ = 0;
  }
}

void ClientSession::release_stream_window(Stream& s, uint64_t n) {
  if (n == 0 || s.remote_ended || conn_error_) return;  // a finished sender needs no more credit
  s.recv_unacked += n;
  if (s.recv_unacked >= static_cast<uint64_t>(our_initial_window_ / 2)) {
    encode_window_update(out_, s.id, static_cast<uint32_t>(s.recv_unacked));
    s.recv_window += static_cast<int64_t>(s.recv_unacked);
    s.recv_unacked = 0;
  }
}

void ClientSession::consume(uint64_t request, size_t n) {
  Stream* s = find(request);
  if (!s) return;  // ended: its unconsumed bytes were released when it ended
  uint64_t k = std::min<uint64_t>(n, s->recv_unconsumed);
  s->recv_unconsumed -= k;
  release_stream_window(*s, k);
  release_connection_window(k);
}

// ---- ending requests ----

void ClientSession::finish(Stream& s, const Error* error) {
  if (!s.live) return;
  if (s.id) {
    auto it = std::lower_bound(by_stream_id_.begin(), by_stream_id_.end(), s.id,
                               [](const auto& entry, uint32_t id) { return entry.first < id; });
    if (it != by_stream_id_.end() && it->first == s.id) by_stream_id_.erase(it);
    --active_;
  }
  // Data the app still holds no longer counts against the connection: it is the app's memory now.
  release_connection_window(s.recv_unconsumed);
  StreamListener* listener = s.listener;
  free_slots_.push_back(s.slot);
  s.reset();
  // The record is recycled before the callback, so the listener may submit again from inside it.
  if (error) {
    listener->on_error(*error);
  } else {
    listener->on_complete();
  }
  drain_queue();
}

void ClientSession::fail_with(Stream& s, Error error) {
  if (error.layer.empty()) error.layer = "h2";
  finish(s, &error);
}

void ClientSession::cancel(uint64_t request) {
  Stream* s = find(request);
  if (!s) return;
  if (s->id) {
    if (!conn_error_) encode_rst_stream(out_, s->id, ErrorCode::cancel);
  } else {
    queue_.erase(std::find(queue_.begin(), queue_.end(), s->slot));
  }
  fail_with(*s, request_error(ErrorKind::cancelled, "request cancelled", s->id));
}

void ClientSession::refuse_queued(const char* why) {
  std::vector<uint32_t> queued(queue_.begin(), queue_.end());  // rare path
  queue_.clear();
  for (uint32_t slot : queued) {
    Stream& s = *slots_[slot];
    if (s.live) fail_with(s, Error(ErrorKind::refused, why, "h2"));
  }
}

void ClientSession::notify_writable(Stream* only) {
  if (conn_error_) return;
  if (only) {
    if (only->want_write && only->id && conn_send_window_ > 0 && only->send_window > 0 && output_room() > 0) {
      only->want_write = false;
      only->listener->on_writable();
    }
    return;
  }
  std::vector<uint32_t>& wanting = writable_scratch_;
  wanting.clear();
  for (const auto& [id, slot] : by_stream_id_)
    if (slots_[slot]->want_write) wanting.push_back(slot);
  std::sort(wanting.begin(), wanting.end(),
            [&](uint32_t a, uint32_t b) { return slots_[a]->id < slots_[b]->id; });
  for (uint32_t slot : wanting) {
    Stream& s = *slots_[slot];
    if (!s.live || !s.want_write || conn_send_window_ <= 0 || output_room() == 0) continue;
    if (s.send_window <= 0) continue;
    s.want_write = false;
    s.listener->on_writable();
  }
}

// The connection is ending: stop its timers and hand back everything still pending, open streams in id
// order and queued ones apart. Collected first, so callbacks never see a half-torn-down table.
ClientSession::Pending ClientSession::detach_pending() {
  settings_deadline_.reset();
  next_ping_at_.reset();
  ping_deadline_.reset();
  Pending pending;
  pending.open.reserve(by_stream_id_.size());
  for (const auto& [id, slot] : by_stream_id_) pending.open.push_back(slot);
  std::sort(pending.open.begin(), pending.open.end(),
            [&](uint32_t a, uint32_t b) { return slots_[a]->id < slots_[b]->id; });
  pending.queued.assign(queue_.begin(), queue_.end());
  queue_.clear();
  return pending;
}

Error ClientSession::fail_connection(Error error) {
  if (conn_error_) return *conn_error_;
  if (error.layer.empty()) error.layer = "h2";
  ErrorCode code = static_cast<ErrorCode>(error.peer_code);
  error.stream_id = 0;
  conn_error_ = error;
  // We accept no pushed streams, so the last peer-initiated stream we processed is always 0.
  encode_goaway(out_, 0, code);
  goaway_sent_ = true;
  auto [open, queued] = detach_pending();
  for (uint32_t slot : open) {
    Stream& s = *slots_[slot];
    if (!s.live) continue;
    Error e = error;
    e.stream_id = s.id;
    fail_with(s, std::move(e));
  }
  for (uint32_t slot : queued) {
    Stream& s = *slots_[slot];
    if (!s.live) continue;
    Error e(ErrorKind::refused, "connection failed before the request was sent: " + error.describe(), "h2");
    fail_with(s, std::move(e));
  }
  return *conn_error_;
}

void ClientSession::transport_closed(Error reason) {
  if (conn_error_) return;
  if (reason.layer.empty()) reason.layer = "h2";
  conn_error_ = reason;
  auto [open, queued] = detach_pending();
  for (uint32_t slot : open) {
    Stream& s = *slots_[slot];
    if (!s.live) continue;
    Error e = reason;
    e.stream_id = s.id;
    // A stream above the peer's GOAWAY last_stream_id was never processed: retryable.
    if (goaway_received_ && s.id > goaway_last_stream_) e.kind = ErrorKind::refused;
    fail_with(s, std::move(e));
  }
  for (uint32_t slot : queued) {
    Stream& s = *slots_[slot];
    if (s.live) fail_with(s, Error(ErrorKind::refused, "connection closed before the request was sent", "h2"));
  }
}

void ClientSession::goaway(ErrorCode code) {
  if (goaway_sent_ || conn_error_) return;
  encode_goaway(out_, 0, code);
  goaway_sent_ = true;
  refuse_queued("connection is going away");
}

// ---- timers ----

void ClientSession::on_timer(Clock::time_point now) {
  last_now_ = now;
  if (conn_error_) return;
  if (settings_deadline_ && now >= *settings_deadline_) {
    Error e = connection_error(ErrorCode::settings_timeout, "peer never acknowledged our SETTINGS");
    e.kind = ErrorKind::timeout;
    e.phase = TimeoutPhase::settings_ack;
    fail_connection(std::move(e));
    return;
  }
  if (ping_deadline_ && now >= *ping_deadline_) {
    Error e = connection_error(ErrorCode::no_error, "keepalive PING unanswered");
    e.kind = ErrorKind::timeout;
    e.phase = TimeoutPhase::ping;
    fail_connection(std::move(e));
    return;
  }
  if (next_ping_at_ && now >= *next_ping_at_ && !ping_deadline_) {
    ++pings_sent_;
    for (int i = 0; i < 8; ++i) ping_payload_[static_cast<size_t>(i)] = static_cast<uint8_t>(pings_sent_ >> (56 - 8 * i));
    encode_ping(out_, false, ping_payload_);
    next_ping_at_.reset();
    ping_deadline_ = now + cfg_.ping_timeout;
  }
}

std::optional<Clock::time_point> ClientSession::next_deadline() const {
  if (conn_error_) return std::nullopt;
  std::optional<Clock::time_point> d;
  for (const auto& t : {settings_deadline_, ping_deadline_, next_ping_at_})
    if (t && (!d || *t < *d)) d = t;
  return d;
}

}  // namespace wraith::h2
