// ClientSession: the receive side. Frames come from FrameReader (framing rules already checked); these handlers
// apply stream state, flow control and settings, and turn violations into stream or connection errors.
#include <algorithm>
#include <string>

#include "h2/frame/continuation.h"
#include "h2/frame/data.h"
#include "h2/frame/frame_error.h"
#include "h2/frame/goaway.h"
#include "h2/frame/headers.h"
#include "h2/frame/ping.h"
#include "h2/frame/priority.h"
#include "h2/frame/rst_stream.h"
#include "h2/frame/settings.h"
#include "h2/frame/window_update.h"
#include "h2/header_rules.h"
#include "h2/session.h"
#include "h2/stream.h"

namespace wraith::h2 {
namespace {

Error block_too_large() {
  Error e = connection_error(ErrorCode::enhance_your_calm, "header block exceeds max_header_block");
  e.kind = ErrorKind::too_large;
  return e;
}

}  // namespace

Result<void> ClientSession::receive(std::span<const uint8_t> bytes) {
  if (conn_error_) return *conn_error_;
  reader_.feed(bytes);
  Frame frame;
  for (;;) {
    auto got = reader_.next(frame);
    Result<void> handled;
    if (!got.ok()) {
      handled = got.take_error();
    } else if (!*got) {
      break;
    } else {
      handled = handle_frame(frame);
    }
    if (!handled.ok()) {
      Error e = handled.take_error();
      if (is_stream_error(e)) {
        auto escalated = stream_failure(std::move(e));
        if (!escalated.ok()) return fail_connection(escalated.take_error());
      } else {
        return fail_connection(std::move(e));
      }
    }
    if (conn_error_) return *conn_error_;  // a callback closed the transport
  }
  return {};
}

bool ClientSession::is_idle_stream(uint32_t stream_id) const {
  // Even streams would be pushed ones, which we never allow; odd ones above the last we opened are idle.
  return stream_id % 2 == 0 || stream_id > highest_opened_;
}

Result<void> ClientSession::stream_failure(Error error) {
  Stream* s = live_by_id(error.stream_id);
  if (!s) {
    if (is_idle_stream(error.stream_id))
      return connection_error(ErrorCode::protocol_error, "error on an idle stream: " + error.message);
    return {};  // the stream already ended on our side; nothing to reset
  }
  encode_rst_stream(out_, s->id, error_code_of(error));
  fail_with(*s, std::move(error));
  return note_control_frame();
}

Result<void> ClientSession::handle_frame(const Frame& frame) {
  switch (static_cast<FrameType>(frame.header.type)) {
    case FrameType::data: return on_data_frame(frame);
    case FrameType::headers: return on_headers_frame(frame);
    case FrameType::continuation: return on_continuation_frame(frame);
    case FrameType::priority: {
      auto p = decode_priority(frame);  // validated, then ignored: RFC 9113 deprecates the priority tree
      if (!p.ok()) return p.take_error();
      return {};
    }
    case FrameType::rst_stream: return on_rst_stream_frame(frame);
    case FrameType::settings: return on_settings_frame(frame);
    case FrameType::push_promise:
      return connection_error(ErrorCode::protocol_error, "PUSH_PROMISE received although we sent ENABLE_PUSH=0");
    case FrameType::ping: return on_ping_frame(frame);
    case FrameType::goaway: return on_goaway_frame(frame);
    case FrameType::window_update: return on_window_update_frame(frame);
  }
  return {};
}

// ---- DATA ----

Result<void> ClientSession::on_data_frame(const Frame& frame) {
  auto d = decode_data(frame);
  if (!d.ok()) return d.take_error();
  const uint32_t len = d->flow_controlled_length;
  if (len > conn_recv_window_)
    return connection_error(ErrorCode::flow_control_error, "DATA beyond the connection window");
  conn_recv_window_ -= len;
  Stream* s = live_by_id(d->stream_id);
  if (!s) {
    if (is_idle_stream(d->stream_id)) return connection_error(ErrorCode::protocol_error, "DATA on an idle stream");
    release_connection_window(len);  // a stream we already ended: drop the bytes, keep the connection window whole
    return {};
  }
  auto reject = [&](ErrorCode code, const char* why) {
    release_connection_window(len);
    return stream_error(code, s->id, why);
  };
  if (s->remote_ended) return reject(ErrorCode::stream_closed, "DATA after END_STREAM");
  if (!s->final_headers) return reject(ErrorCode::protocol_error, "DATA before the response headers");
  if (len > s->recv_window) return reject(ErrorCode::flow_control_error, "DATA beyond the stream window");
  if (s->content_length && s->data_received + d->data.size() > *s->content_length)
    return reject(ErrorCode::protocol_error, "DATA exceeds content-length");
  s->recv_window -= len;
  if (size_t pad = len - d->data.size()) {  // padding is never handed to the app: return its credit now
    release_stream_window(*s, pad);
    release_connection_window(pad);
  }
  s->data_received += d->data.size();
  s->recv_unconsumed += d->data.size();
  const uint64_t request = s->request_id();
  if (!d->data.empty() || d->end_stream) s->listener->on_data(d->data, d->end_stream);
  s = find(request);
  if (s && d->end_stream) return remote_end(*s);
  return {};
}

// ---- HEADERS / CONTINUATION ----

Result<void> ClientSession::on_headers_frame(const Frame& frame) {
  auto h = decode_headers(frame);
  if (!h.ok()) {
    // Even a stream-level HEADERS error would leave its field block undecoded and HPACK out of sync, so it ends
    // the connection (RFC 9113 5.4.1 allows treating any stream error as a connection error).
    Error e = h.take_error();
    e.stream_id = 0;
    return e;
  }
  if (h->fragment.size() > cfg_.max_header_block) return block_too_large();
  if (!h->end_headers) {
    block_.assign(h->fragment.begin(), h->fragment.end());
    block_stream_ = h->stream_id;
    block_end_stream_ = h->end_stream;
    return {};
  }
  return on_field_block(h->fragment, h->stream_id, h->end_stream);  // the common case: no copy
}

Result<void> ClientSession::on_continuation_frame(const Frame& frame) {
  ContinuationFrame c = decode_continuation(frame);  // the reader guarantees it continues block_stream_
  if (block_.size() + c.fragment.size() > cfg_.max_header_block) return block_too_large();
  block_.insert(block_.end(), c.fragment.begin(), c.fragment.end());
  if (!c.end_headers) return {};
  auto r = on_field_block(block_, block_stream_, block_end_stream_);
  block_.clear();
  block_stream_ = 0;
  return r;
}

Result<void> ClientSession::on_field_block(std::span<const uint8_t> block, uint32_t stream_id, bool end_stream) {
  fields_.clear();
  auto decoded = decoder_.decode(block, fields_);
  Stream* s = live_by_id(stream_id);
  if (!decoded.ok()) {
    Error e = decoded.take_error();
    if (e.kind == ErrorKind::too_large) {  // the decoder kept its table in sync: only this stream fails
      if (!s) return {};
      Error se = stream_error(ErrorCode::protocol_error, stream_id, "response header list too large: " + e.message);
      se.kind = ErrorKind::too_large;
      return se;
    }
    return connection_error(ErrorCode::compression_error, "HPACK: " + e.message);
  }
  if (!s) {
    if (is_idle_stream(stream_id)) return connection_error(ErrorCode::protocol_error, "HEADERS on an idle stream");
    return {};  // a stream we already ended (cancelled, reset): decoded only to keep HPACK in sync
  }
  if (s->remote_ended) return stream_error(ErrorCode::stream_closed, stream_id, "HEADERS after END_STREAM");
  return on_response_fields(*s, end_stream);
}

Result<void> ClientSession::on_response_fields(Stream& s, bool end_stream) {
  const uint64_t request = s.request_id();
  std::span<const hpack::HeaderField> fields(fields_);
  if (!s.final_headers) {
    auto head = check_response_head(fields, fields_.checked_flags());
    if (!head.ok()) return stream_error(ErrorCode::protocol_error, s.id, head.error().message);
    auto regular = fields.subspan(head->first_regular);
    if (head->status < 200) {
      if (head->status == 101) return stream_error(ErrorCode::protocol_error, s.id, "101 is not allowed in HTTP/2");
      if (end_stream) return stream_error(ErrorCode::protocol_error, s.id, "1xx response with END_STREAM");
      s.listener->on_informational(head->status, regular);
      return {};
    }
    s.final_headers = true;
    const bool bodiless = s.head_request || head->status == 204 || head->status == 304;
    if (!bodiless) s.content_length = head->content_length;
    s.listener->on_headers(head->status, regular);
  } else {
    if (!end_stream) return stream_error(ErrorCode::protocol_error, s.id, "trailers without END_STREAM");
    if (auto ok = check_response_trailers(fields); !ok)
      return stream_error(ErrorCode::protocol_error, s.id, ok.error().message);
    s.listener->on_trailers(fields);
  }
  Stream* again = find(request);  // the callback may have cancelled it
  if (again && end_stream) return remote_end(*again);
  return {};
}

Result<void> ClientSession::remote_end(Stream& s) {
  s.remote_ended = true;
  if (s.content_length && s.data_received != *s.content_length)
    return stream_error(ErrorCode::protocol_error, s.id, "body shorter than content-length");
  if (s.local_ended) finish(s, nullptr);
  return {};
}

// ---- RST_STREAM, GOAWAY ----

Result<void> ClientSession::on_rst_stream_frame(const Frame& frame) {
  auto r = decode_rst_stream(frame);
  if (!r.ok()) return r.take_error();
  Stream* s = live_by_id(r->stream_id);
  if (!s) {
    if (is_idle_stream(r->stream_id)) return connection_error(ErrorCode::protocol_error, "RST_STREAM on an idle stream");
    return {};
  }
  const auto code = static_cast<ErrorCode>(r->error_code);
  if (code == ErrorCode::no_error && s->remote_ended) {
    finish(*s, nullptr);  // RFC 9113 8.1: the response is complete, the peer just wants no more request body
    return {};
  }
  Error e(code == ErrorCode::refused_stream ? ErrorKind::refused : ErrorKind::stream_reset,
          std::string("stream reset by peer: ") + to_string(code), "h2");
  e.stream_id = s->id;
  e.peer_code = r->error_code;
  fail_with(*s, std::move(e));
  return {};
}

Result<void> ClientSession::on_goaway_frame(const Frame& frame) {
  auto g = decode_goaway(frame);
  if (!g.ok()) return g.take_error();
  goaway_received_ = true;
  goaway_last_stream_ = std::min(goaway_last_stream_, g->last_stream_id);
  // Streams above last_stream_id were never processed: refused, so the client retries them elsewhere.
  std::vector<uint32_t> unprocessed;  // rare path
  for (const auto& [id, slot] : by_stream_id_)
    if (id > goaway_last_stream_) unprocessed.push_back(slot);
  std::sort(unprocessed.begin(), unprocessed.end(),
            [&](uint32_t a, uint32_t b) { return slots_[a]->id < slots_[b]->id; });
  for (uint32_t slot : unprocessed) {
    Stream& s = *slots_[slot];
    if (!s.live) continue;
    Error e(ErrorKind::refused, "not processed by the peer (GOAWAY)", "h2");
    e.stream_id = s.id;
    e.peer_code = g->error_code;
    fail_with(s, std::move(e));
  }
  refuse_queued("peer sent GOAWAY before the request was sent");
  return {};
}

// ---- SETTINGS ----

Result<void> ClientSession::apply_peer_setting(uint16_t id, uint32_t value, bool& window_grew) {
  switch (static_cast<SettingId>(id)) {
    case SettingId::header_table_size:
      encoder_.set_peer_max_table_size(value);
      break;
    case SettingId::enable_push:
      if (value != 0) return connection_error(ErrorCode::protocol_error, "server sent SETTINGS_ENABLE_PUSH != 0");
      break;
    case SettingId::max_concurrent_streams:
      peer_max_concurrent_ = value;
      break;
    case SettingId::initial_window_size: {
      if (value > kMaxWindowSize)
        return connection_error(ErrorCode::flow_control_error, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
      const int64_t delta = int64_t{value} - peer_initial_window_;
      // RFC 9113 6.9.2: the delta applies to every open stream's window, which may go negative.
      for (const auto& [sid, slot] : by_stream_id_) {
        Stream& s = *slots_[slot];
        if (s.send_window + delta > kMaxWindowSize)
          return connection_error(ErrorCode::flow_control_error, "INITIAL_WINDOW_SIZE change overflows a window");
        s.send_window += delta;
      }
      peer_initial_window_ = value;
      if (delta > 0) window_grew = true;
      break;
    }
    case SettingId::max_frame_size:
      if (value < kDefaultMaxFrameSize || value > kLargestMaxFrameSize)
        return connection_error(ErrorCode::protocol_error, "SETTINGS_MAX_FRAME_SIZE out of range");
      peer_max_frame_size_ = value;
      break;
    case SettingId::max_header_list_size:
      break;  // advisory (RFC 9113 6.5.2)
    case SettingId::enable_connect_protocol:
      if (value > 1) return connection_error(ErrorCode::protocol_error, "SETTINGS_ENABLE_CONNECT_PROTOCOL above 1");
      if (peer_connect_protocol_ && value == 0)
        return connection_error(ErrorCode::protocol_error, "SETTINGS_ENABLE_CONNECT_PROTOCOL withdrawn (RFC 8441 3)");
      peer_connect_protocol_ = value == 1;
      break;
    default:
      break;  // unknown settings are ignored (RFC 9113 6.5.2)
  }
  return {};
}

Result<void> ClientSession::on_settings_frame(const Frame& frame) {
  auto st = decode_settings(frame);
  if (!st.ok()) return st.take_error();
  if (st->ack) {
    settings_ack_pending_ = false;
    settings_deadline_.reset();
    return {};
  }
  bool window_grew = false;
  for (size_t i = 0; i < st->count(); ++i) {
    auto [id, value] = st->at(i);
    if (auto ok = apply_peer_setting(id, value, window_grew); !ok) return ok;
  }
  encode_settings_ack(out_);
  peer_settings_received_ = true;
  if (auto ok = note_control_frame(); !ok) return ok;
  drain_queue();
  if (window_grew) notify_writable(nullptr);
  return {};
}

// ---- PING, WINDOW_UPDATE ----

Result<void> ClientSession::on_ping_frame(const Frame& frame) {
  auto p = decode_ping(frame);
  if (!p.ok()) return p.take_error();
  if (p->ack) {
    if (ping_deadline_ && p->opaque == ping_payload_) {
      ping_deadline_.reset();
      if (cfg_.ping_interval.count() > 0) next_ping_at_ = last_now_ + cfg_.ping_interval;
    }
    return {};
  }
  encode_ping(out_, true, p->opaque);
  return note_control_frame();
}

Result<void> ClientSession::on_window_update_frame(const Frame& frame) {
  auto w = decode_window_update(frame);
  if (!w.ok()) return w.take_error();
  if (w->stream_id == 0) {
    if (conn_send_window_ + w->increment > kMaxWindowSize)
      return connection_error(ErrorCode::flow_control_error, "connection window above 2^31-1");
    conn_send_window_ += w->increment;
    notify_writable(nullptr);
    return {};
  }
  Stream* s = live_by_id(w->stream_id);
  if (!s) {
    if (is_idle_stream(w->stream_id)) return connection_error(ErrorCode::protocol_error, "WINDOW_UPDATE on an idle stream");
    return {};
  }
  if (s->send_window + w->increment > kMaxWindowSize)
    return stream_error(ErrorCode::flow_control_error, s->id, "stream window above 2^31-1");
  s->send_window += w->increment;
  notify_writable(s);
  return {};
}

}  // namespace wraith::h2
