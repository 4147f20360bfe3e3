#include "inspect/h2_server_session.h"

#include <algorithm>
#include <cctype>

#include "fingerprint/akamai.h"
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
#include "inspect/h2_json.h"
#include "inspect/page.h"
#include "inspect/h2_names.h"
#include "util/hex.h"

namespace wraith::inspect {

namespace {

// A connection window big enough that uploads never wait on us (we hand every byte straight back anyway).
constexpr std::uint32_t kConnectionWindow = 16 * 1024 * 1024;
constexpr std::uint32_t kStreamWindow = 1024 * 1024;
constexpr std::size_t kMaxErrorsRecorded = 100;

Error as_connection_error(Error e) {
  e.stream_id = 0;
  return e;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

}  // namespace

H2ServerSession::H2ServerSession(ConnectionReport& report, const InspectorLimits& limits)
    : report_(report),
      limits_(limits),
      decoder_(h2::hpack::Decoder::Limits{.max_table_size = h2::kDefaultHeaderTableSize,
                                          .max_header_list_size = limits.max_header_list,
                                          .max_string = limits.max_header_block}),
      encoder_(h2::hpack::EncoderPolicy{}),
      our_initial_window_(kStreamWindow) {}

std::vector<std::pair<std::uint16_t, std::uint32_t>> H2ServerSession::server_settings() const {
  return {{static_cast<std::uint16_t>(h2::SettingId::max_concurrent_streams), limits_.max_concurrent_streams},
          {static_cast<std::uint16_t>(h2::SettingId::initial_window_size), our_initial_window_},
          {static_cast<std::uint16_t>(h2::SettingId::max_header_list_size), limits_.max_header_list},
          {static_cast<std::uint16_t>(h2::SettingId::enable_connect_protocol), 1}};
}

void H2ServerSession::start() {
  auto& h2 = h2_doc();
  h2["preface_ok"] = false;
  h2["preface_t_ms"] = nullptr;
  h2["settings"] = nlohmann::json::array();
  h2["settings_frames"] = 0;
  h2["initial_window_update"] = nullptr;
  h2["priority_frames_before_first_headers"] = nlohmann::json::array();
  h2["preface_frame_sequence"] = nlohmann::json::array();
  h2["preface_frames"] = nlohmann::json::array();
  h2["frames"] = nlohmann::json::array();
  h2["frames_dropped"] = 0;
  h2["frames_before_first_request_complete"] = 0;
  h2["client_acked_our_settings"] = false;
  h2["goaway"] = nullptr;
  h2["goaway_sent"] = nullptr;
  h2["errors"] = nlohmann::json::array();
  report_.doc()["request"] = nullptr;
  report_.doc()["requests"] = nlohmann::json::array();

  auto ours = server_settings();
  nlohmann::json listed = nlohmann::json::array();
  std::vector<h2::Setting> wire;
  for (auto [id, value] : ours) {
    listed.push_back({{"id", id}, {"name", setting_name(id)}, {"value", value}});
    wire.emplace_back(id, value);
  }
  h2["server_settings"] = listed;
  h2::encode_settings(out_, wire);
  h2::encode_window_update(out_, 0, kConnectionWindow - h2::kDefaultWindowSize);
  conn_recv_window_ = kConnectionWindow;
}

void H2ServerSession::receive(std::span<const std::uint8_t> bytes) {
  if (wants_close()) return;
  if (!preface_done_) {
    const auto& preface = h2::kClientPreface;
    while (!bytes.empty() && preface_matched_ < preface.size()) {
      if (bytes[0] != static_cast<std::uint8_t>(preface[preface_matched_])) {
        connection_error(h2::connection_error(h2::ErrorCode::protocol_error, "invalid HTTP/2 connection preface"));
        return;
      }
      ++preface_matched_;
      bytes = bytes.subspan(1);
    }
    if (preface_matched_ < preface.size()) return;
    preface_done_ = true;
    h2_doc()["preface_ok"] = true;
    h2_doc()["preface_t_ms"] = report_.t_ms();
  }
  reader_.feed(bytes);
  for (;;) {
    h2::Frame frame;
    auto next = reader_.next(frame);
    if (!next) {
      const Error& e = next.error();
      if (h2::is_stream_error(e)) {
        stream_error(e.stream_id, h2::error_code_of(e), e.message);
        continue;
      }
      connection_error(e);
      return;
    }
    if (!*next) break;
    record_frame(frame);
    if (auto r = process(frame); !r) {
      if (h2::is_stream_error(r.error())) {
        stream_error(r.error().stream_id, h2::error_code_of(r.error()), r.error().message);
      } else {
        connection_error(r.error());
        return;
      }
    }
    if (wants_close()) return;
  }
  flush_streams();
}

void H2ServerSession::record_frame(const h2::Frame& frame) {
  auto& h2 = h2_doc();
  nlohmann::json j = frame_json(frame, frame_seq_++, report_.t_ms());
  if (!first_request_complete_) {
    h2["frames_before_first_request_complete"] = h2["frames_before_first_request_complete"].get<std::uint64_t>() + 1;
    if (h2["preface_frames"].size() < limits_.max_frames_recorded) {
      h2["preface_frames"].push_back(j);
      h2["preface_frame_sequence"].push_back(sequence_name(frame.header));
    }
  }
  if (h2["frames"].size() < limits_.max_frames_recorded) h2["frames"].push_back(std::move(j));
  else h2["frames_dropped"] = h2["frames_dropped"].get<std::uint64_t>() + 1;
}

Result<void> H2ServerSession::process(const h2::Frame& frame) {
  if (!h2::is_known_frame_type(frame.header.type)) return {};
  switch (static_cast<h2::FrameType>(frame.header.type)) {
    case h2::FrameType::data: return on_data(frame);
    case h2::FrameType::headers: return on_headers(frame);
    case h2::FrameType::priority: return on_priority(frame);
    case h2::FrameType::rst_stream: return on_rst_stream(frame);
    case h2::FrameType::settings: return on_settings(frame);
    case h2::FrameType::push_promise:
      return h2::connection_error(h2::ErrorCode::protocol_error, "PUSH_PROMISE from a client");
    case h2::FrameType::ping: return on_ping(frame);
    case h2::FrameType::goaway: return on_goaway(frame);
    case h2::FrameType::window_update: return on_window_update(frame);
    case h2::FrameType::continuation: return on_continuation(frame);
  }
  return {};
}

Result<void> H2ServerSession::on_settings(const h2::Frame& frame) {
  auto s = h2::decode_settings(frame);
  if (!s) return s.take_error();
  auto& h2 = h2_doc();
  if (s->ack) {
    h2["client_acked_our_settings"] = true;
    return {};
  }
  for (std::size_t i = 0; i < s->count(); ++i) {
    auto [id, value] = s->at(i);
    switch (static_cast<h2::SettingId>(id)) {
      case h2::SettingId::header_table_size:
        encoder_.set_peer_max_table_size(value);
        break;
      case h2::SettingId::enable_push:
        if (value > 1) return h2::connection_error(h2::ErrorCode::protocol_error, "ENABLE_PUSH not 0 or 1");
        break;
      case h2::SettingId::initial_window_size: {
        if (value > h2::kMaxWindowSize)
          return h2::connection_error(h2::ErrorCode::flow_control_error, "INITIAL_WINDOW_SIZE above 2^31-1");
        const std::int64_t delta = static_cast<std::int64_t>(value) - peer_initial_window_;
        peer_initial_window_ = value;
        for (auto& [sid, stream] : streams_) {
          stream.send_window += delta;
          if (stream.send_window > h2::kMaxWindowSize)
            return h2::connection_error(h2::ErrorCode::flow_control_error, "stream window above 2^31-1");
        }
        break;
      }
      case h2::SettingId::max_frame_size:
        if (value < h2::kDefaultMaxFrameSize || value > h2::kLargestMaxFrameSize)
          return h2::connection_error(h2::ErrorCode::protocol_error, "MAX_FRAME_SIZE out of range");
        peer_max_frame_size_ = value;
        break;
      default:
        break;  // unknown settings (GREASE included) are ignored, RFC 9113 6.5.2
    }
  }
  if (h2["settings_frames"].get<std::uint64_t>() == 0) h2["settings"] = settings_json(frame.payload);
  h2["settings_frames"] = h2["settings_frames"].get<std::uint64_t>() + 1;
  h2::encode_settings_ack(out_);
  return {};
}

Result<void> H2ServerSession::on_window_update(const h2::Frame& frame) {
  auto w = h2::decode_window_update(frame);
  if (!w) return w.take_error();
  if (w->stream_id == 0) {
    if (!first_headers_seen_ && h2_doc()["initial_window_update"].is_null())
      h2_doc()["initial_window_update"] = w->increment;
    conn_send_window_ += w->increment;
    if (conn_send_window_ > h2::kMaxWindowSize)
      return h2::connection_error(h2::ErrorCode::flow_control_error, "connection window above 2^31-1");
    return {};
  }
  if (w->stream_id > last_client_stream_)
    return h2::connection_error(h2::ErrorCode::protocol_error, "WINDOW_UPDATE on an idle stream");
  auto it = streams_.find(w->stream_id);
  if (it == streams_.end()) return {};  // closed stream: allowed, ignored
  it->second.send_window += w->increment;
  if (it->second.send_window > h2::kMaxWindowSize)
    return h2::stream_error(h2::ErrorCode::flow_control_error, w->stream_id, "stream window above 2^31-1");
  return {};
}

Result<void> H2ServerSession::on_headers(const h2::Frame& frame) {
  auto h = h2::decode_headers(frame);
  // Even a stream-scoped HEADERS error leaves its field block undecoded, and so the HPACK table out of sync.
  if (!h) return as_connection_error(h.take_error());
  first_headers_seen_ = true;
  if (h->fragment.size() > limits_.max_header_block)
    return h2::connection_error(h2::ErrorCode::enhance_your_calm, "header block larger than the limit");
  block_.assign(h->fragment.begin(), h->fragment.end());
  block_stream_ = h->stream_id;
  block_flags_ = frame.header.flags;
  block_priority_ = h->priority;
  block_pad_length_.reset();
  if (frame.header.has(h2::flags::padded)) block_pad_length_ = frame.payload[0];
  block_continuations_ = 0;
  block_t_ms_ = report_.t_ms();
  if (h->end_headers) return finish_header_block();
  return {};
}

Result<void> H2ServerSession::on_continuation(const h2::Frame& frame) {
  auto c = h2::decode_continuation(frame);
  if (block_.size() + c.fragment.size() > limits_.max_header_block)
    return h2::connection_error(h2::ErrorCode::enhance_your_calm,
                                "header block larger than the limit of " + std::to_string(limits_.max_header_block) +
                                    " bytes");
  block_.insert(block_.end(), c.fragment.begin(), c.fragment.end());
  ++block_continuations_;
  if (c.end_headers) return finish_header_block();
  return {};
}

Result<void> H2ServerSession::finish_header_block() {
  first_request_complete_ = true;
  std::vector<h2::hpack::HeaderField> fields;
  std::vector<h2::hpack::Decoder::FieldInfo> infos;
  bool list_too_large = false;
  if (auto r = decoder_.decode(block_, fields, &infos); !r) {
    if (r.error().kind != ErrorKind::too_large)
      return h2::connection_error(h2::ErrorCode::compression_error, r.error().message);
    list_too_large = true;
  }
  const bool end_stream = (block_flags_ & h2::flags::end_stream) != 0;
  if (auto it = streams_.find(block_stream_); it != streams_.end()) {  // trailers
    Stream& stream = it->second;
    if (stream.remote_closed) {
      stream_error(stream.id, h2::ErrorCode::stream_closed, "HEADERS after END_STREAM");
      return {};
    }
    if (!end_stream) {
      stream_error(stream.id, h2::ErrorCode::protocol_error, "trailers without END_STREAM");
      return {};
    }
    if (stream.request_index != SIZE_MAX) {
      auto& entry = report_.doc()["requests"][stream.request_index];
      nlohmann::json trailers = nlohmann::json::array();
      for (const auto& f : fields) trailers.push_back({f.name, f.value});
      entry["trailers"] = std::move(trailers);
      entry["completed_t_ms"] = report_.t_ms();
    }
    stream.remote_closed = true;
    if (!stream.response_queued) respond(stream, 200);
    maybe_retire(stream.id);
    return {};
  }
  if (block_stream_ % 2 == 0)
    return h2::connection_error(h2::ErrorCode::protocol_error, "client opened an even-numbered stream");
  if (block_stream_ <= last_client_stream_)
    return h2::connection_error(h2::ErrorCode::stream_closed, "HEADERS on a closed stream");
  last_client_stream_ = block_stream_;
  return open_request(fields, infos, list_too_large);
}

Result<void> H2ServerSession::open_request(std::vector<h2::hpack::HeaderField>& fields,
                                           std::vector<h2::hpack::Decoder::FieldInfo>& infos, bool list_too_large) {
  ++requests_seen_;
  const bool end_stream = (block_flags_ & h2::flags::end_stream) != 0;
  nlohmann::json entry;
  entry["stream_id"] = block_stream_;
  entry["t_ms"] = block_t_ms_;
  for (const char* key : {"method", "scheme", "authority", "path", "protocol"}) entry[key] = nullptr;
  nlohmann::json pseudo_order = nlohmann::json::array(), header_order = nlohmann::json::array();
  nlohmann::json headers = nlohmann::json::array(), hpack_fields = nlohmann::json::array();
  nlohmann::json uppercase = nlohmann::json::array();
  bool seen_regular = false, out_of_order = false;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    headers.push_back({f.name, f.value});
    if (i < infos.size()) hpack_fields.push_back(hpack_field_json(f.name, infos[i]));
    if (std::any_of(f.name.begin(), f.name.end(), [](unsigned char c) { return std::isupper(c); }))
      uppercase.push_back(f.name);
    if (!f.name.empty() && f.name[0] == ':') {
      pseudo_order.push_back(f.name);
      if (seen_regular) out_of_order = true;
      std::string key = f.name.substr(1);
      if (key == "method" || key == "scheme" || key == "authority" || key == "path" || key == "protocol")
        entry[key] = f.value;
    } else {
      seen_regular = true;
      header_order.push_back(f.name);
    }
  }
  entry["pseudo_header_order"] = std::move(pseudo_order);
  entry["header_order"] = std::move(header_order);
  entry["headers"] = std::move(headers);
  nlohmann::json frame_info;
  frame_info["flags"] = block_flags_;
  frame_info["flag_names"] = flag_names(static_cast<std::uint8_t>(h2::FrameType::headers), block_flags_);
  frame_info["end_stream"] = end_stream;
  frame_info["priority"] = block_priority_ ? priority_json(*block_priority_) : nlohmann::json();
  frame_info["padded"] = block_pad_length_.has_value();
  frame_info["pad_length"] = block_pad_length_ ? nlohmann::json(*block_pad_length_) : nlohmann::json();
  frame_info["continuation_frames"] = block_continuations_;
  frame_info["header_block_length"] = block_.size();
  frame_info["header_block_hex"] = util::to_hex(block_);
  entry["headers_frame"] = std::move(frame_info);
  nlohmann::json updates = nlohmann::json::array();
  for (auto size : leading_table_size_updates(block_)) updates.push_back(size);
  entry["hpack"] = {{"fields", std::move(hpack_fields)}, {"table_size_updates", std::move(updates)}};
  entry["body_length"] = 0;
  entry["out_of_order_pseudo_headers"] = out_of_order;
  entry["uppercase_header_names"] = std::move(uppercase);
  entry["completed_t_ms"] = end_stream ? nlohmann::json(report_.t_ms()) : nlohmann::json();
  if (list_too_large) entry["error"] = "header list larger than " + std::to_string(limits_.max_header_list) + " bytes";

  Stream stream;
  stream.id = block_stream_;
  stream.remote_closed = end_stream;
  stream.send_window = peer_initial_window_;
  stream.recv_window = our_initial_window_;
  stream.is_connect = entry["method"] == "CONNECT";
  auto& requests = report_.doc()["requests"];
  if (requests.size() < limits_.max_requests_recorded) {
    stream.request_index = requests.size();
    requests.push_back(std::move(entry));
  } else {
    report_.doc()["requests_dropped"] = requests_seen_ - requests.size();
  }
  if (streams_.size() >= limits_.max_concurrent_streams) {
    stream_error(stream.id, h2::ErrorCode::refused_stream, "over MAX_CONCURRENT_STREAMS");
    return {};
  }
  auto& stored = streams_.emplace(stream.id, std::move(stream)).first->second;
  if (list_too_large) respond(stored, 431);
  else if (stored.remote_closed || stored.is_connect) respond(stored, 200);
  maybe_retire(stored.id);
  return {};
}

Result<void> H2ServerSession::on_data(const h2::Frame& frame) {
  auto d = h2::decode_data(frame);
  if (!d) return d.take_error();
  const std::int64_t len = d->flow_controlled_length;
  if (len > conn_recv_window_)
    return h2::connection_error(h2::ErrorCode::flow_control_error, "DATA beyond the connection window");
  if (len > 0) h2::encode_window_update(out_, 0, static_cast<std::uint32_t>(len));  // handed straight back
  if (d->stream_id > last_client_stream_)
    return h2::connection_error(h2::ErrorCode::protocol_error, "DATA on an idle stream");
  auto it = streams_.find(d->stream_id);
  if (it == streams_.end()) return {};  // a stream we reset or finished: ignored (RFC 9113 5.4.2)
  Stream& stream = it->second;
  if (stream.remote_closed)
    return h2::stream_error(h2::ErrorCode::stream_closed, stream.id, "DATA after END_STREAM");
  if (len > stream.recv_window)
    return h2::stream_error(h2::ErrorCode::flow_control_error, stream.id, "DATA beyond the stream window");
  stream.body_bytes += d->data.size();
  if (stream.request_index != SIZE_MAX) report_.doc()["requests"][stream.request_index]["body_length"] = stream.body_bytes;
  if (stream.body_bytes > limits_.max_body_bytes) {
    stream_error(stream.id, h2::ErrorCode::enhance_your_calm, "request body larger than the limit");
    return {};
  }
  if (d->end_stream) {
    stream.remote_closed = true;
    if (stream.request_index != SIZE_MAX)
      report_.doc()["requests"][stream.request_index]["completed_t_ms"] = report_.t_ms();
    if (!stream.response_queued) respond(stream, 200);
    maybe_retire(stream.id);
  } else if (len > 0) {
    h2::encode_window_update(out_, stream.id, static_cast<std::uint32_t>(len));
  }
  return {};
}

Result<void> H2ServerSession::on_rst_stream(const h2::Frame& frame) {
  auto r = h2::decode_rst_stream(frame);
  if (!r) return r.take_error();
  if (r->stream_id > last_client_stream_)
    return h2::connection_error(h2::ErrorCode::protocol_error, "RST_STREAM on an idle stream");
  auto it = streams_.find(r->stream_id);
  if (it == streams_.end()) return {};
  if (it->second.request_index != SIZE_MAX)
    report_.doc()["requests"][it->second.request_index]["reset_by_client"] = error_code_name(r->error_code);
  streams_.erase(it);
  if (goaway_received_ && streams_.empty()) close_with("client-goaway");
  return {};
}

Result<void> H2ServerSession::on_priority(const h2::Frame& frame) {
  auto p = h2::decode_priority(frame);
  if (!p) return p.take_error();
  if (!first_headers_seen_) {
    auto& list = h2_doc()["priority_frames_before_first_headers"];
    if (list.size() < limits_.max_frames_recorded)
      list.push_back({{"stream_id", p->stream_id}, {"exclusive", p->fields.exclusive ? 1 : 0},
                      {"depends_on", p->fields.depends_on}, {"weight", p->fields.weight}});
  }
  return {};
}

Result<void> H2ServerSession::on_goaway(const h2::Frame& frame) {
  auto g = h2::decode_goaway(frame);
  if (!g) return g.take_error();
  std::string debug(reinterpret_cast<const char*>(g->debug_data.data()), std::min<std::size_t>(g->debug_data.size(), 256));
  h2_doc()["goaway"] = {{"last_stream_id", g->last_stream_id}, {"error_code", g->error_code},
                        {"error_name", error_code_name(g->error_code)}, {"debug", debug}};
  goaway_received_ = true;
  if (streams_.empty()) close_with("client-goaway");
  return {};
}

Result<void> H2ServerSession::on_ping(const h2::Frame& frame) {
  auto p = h2::decode_ping(frame);
  if (!p) return p.take_error();
  if (!p->ack) h2::encode_ping(out_, true, p->opaque);
  return {};
}

void H2ServerSession::stream_error(std::uint32_t stream_id, h2::ErrorCode code, const std::string& message) {
  h2::encode_rst_stream(out_, stream_id, code);
  if (auto it = streams_.find(stream_id); it != streams_.end()) {
    if (it->second.request_index != SIZE_MAX)
      report_.doc()["requests"][it->second.request_index]["reset_by_server"] = h2::to_string(code);
    streams_.erase(it);
  }
  auto& errors = h2_doc()["errors"];
  if (errors.size() < kMaxErrorsRecorded)
    errors.push_back({{"t_ms", report_.t_ms()}, {"stream", stream_id}, {"code", h2::to_string(code)}, {"message", message}});
}

void H2ServerSession::connection_error(const Error& error) {
  if (goaway_sent_) return;
  goaway_sent_ = true;
  const auto code = error.peer_code != 0 ? h2::error_code_of(error) : h2::ErrorCode::protocol_error;
  const std::string& message = error.message;
  h2::encode_goaway(out_, last_client_stream_, code,
                    std::span(reinterpret_cast<const std::uint8_t*>(message.data()), std::min<std::size_t>(message.size(), 200)));
  h2_doc()["goaway_sent"] = {{"last_stream_id", last_client_stream_}, {"error_name", h2::to_string(code)}, {"debug", message}};
  auto& errors = h2_doc()["errors"];
  if (errors.size() < kMaxErrorsRecorded)
    errors.push_back({{"t_ms", report_.t_ms()}, {"stream", 0}, {"code", h2::to_string(code)}, {"message", message}});
  report_.add_error("h2", message);
  streams_.clear();
  close_with(std::string("protocol-error"));
}

void H2ServerSession::respond(Stream& stream, int status) {
  sync_summary();
  std::optional<PageAnswer> page;
  if (status == 200 && stream.request_index != SIZE_MAX)
    page = page_answer(report_.doc()["requests"][stream.request_index].value("path", std::string()));
  std::string content_type = "application/json";
  if (page) {
    stream.body = std::move(page->body);
    content_type = std::move(page->content_type);
  } else {
    nlohmann::json body = report_.snapshot();
    body["this_request"] = stream.request_index != SIZE_MAX ? report_.doc()["requests"][stream.request_index] : nlohmann::json();
    stream.body = body.dump();
  }
  const std::string status_text = std::to_string(status);
  const std::string length = std::to_string(stream.body.size());
  const h2::hpack::HeaderView fields[] = {
      {":status", status_text},         {"content-type", content_type}, {"content-length", length},
      {"cache-control", "no-store"},    {"server", "wraith-inspect"}};
  scratch_.clear();
  encoder_.encode(fields, scratch_);
  h2::encode_header_block(out_, stream.id, scratch_, false, std::nullopt, peer_max_frame_size_);
  stream.sent = 0;
  stream.response_queued = true;
}

void H2ServerSession::flush_streams() {
  if (wants_close()) return;
  std::vector<std::uint32_t> finished;
  for (auto& [id, stream] : streams_) {
    if (!stream.response_queued || stream.local_closed) continue;
    while (stream.sent < stream.body.size() && conn_send_window_ > 0 && stream.send_window > 0) {
      std::size_t n = std::min<std::size_t>(stream.body.size() - stream.sent, peer_max_frame_size_);
      n = std::min<std::size_t>(n, static_cast<std::size_t>(std::min(conn_send_window_, stream.send_window)));
      const bool last = stream.sent + n == stream.body.size();
      h2::encode_data(out_, id, std::span(reinterpret_cast<const std::uint8_t*>(stream.body.data()) + stream.sent, n), last);
      stream.sent += n;
      conn_send_window_ -= static_cast<std::int64_t>(n);
      stream.send_window -= static_cast<std::int64_t>(n);
    }
    if (stream.body.empty()) h2::encode_data(out_, id, {}, true);
    if (stream.sent == stream.body.size()) {
      stream.local_closed = true;
      std::string().swap(stream.body);
      if (stream.remote_closed) finished.push_back(id);
    }
  }
  for (auto id : finished) streams_.erase(id);
  if (goaway_received_ && streams_.empty()) close_with("client-goaway");
}

void H2ServerSession::maybe_retire(std::uint32_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it != streams_.end() && it->second.remote_closed && it->second.local_closed) streams_.erase(it);
}

void H2ServerSession::sync_summary() {
  auto& doc = report_.doc();
  auto& requests = doc["requests"];
  doc["request"] = requests.empty() ? nlohmann::json() : requests[0];
  if (!preface_done_) return;
  auto& h2 = h2_doc();
  fingerprint::H2Fingerprint fp;
  for (const auto& s : h2["settings"])
    fp.settings.push_back({s["id"].get<std::uint16_t>(), s["value"].get<std::uint32_t>()});
  fp.window_update = h2["initial_window_update"].is_null() ? 0 : h2["initial_window_update"].get<std::uint32_t>();
  for (const auto& p : h2["priority_frames_before_first_headers"])
    fp.priority_frames.push_back({p["stream_id"].get<std::uint32_t>(), p["exclusive"].get<int>() != 0,
                                  p["depends_on"].get<std::uint32_t>(), p["weight"].get<std::uint16_t>()});
  if (!requests.empty())
    for (const auto& name : requests[0]["pseudo_header_order"]) fp.pseudo_header_order.push_back(name.get<std::string>());
  const std::string akamai = fingerprint::akamai_string(fp);
  auto parts = split(akamai, '|');
  parts.resize(4);
  h2["akamai"] = {{"settings", parts[0]}, {"window_update", parts[1]}, {"priority", parts[2]},
                  {"pseudo_header_order", parts[3]}, {"string", akamai}};
}

void H2ServerSession::on_idle_timeout() {
  if (!goaway_sent_) {
    goaway_sent_ = true;
    static constexpr std::string_view kDebug = "idle timeout";
    h2::encode_goaway(out_, last_client_stream_, h2::ErrorCode::no_error,
                      std::span(reinterpret_cast<const std::uint8_t*>(kDebug.data()), kDebug.size()));
    h2_doc()["goaway_sent"] = {{"last_stream_id", last_client_stream_}, {"error_name", "NO_ERROR"}, {"debug", kDebug}};
  }
  close_with("idle-timeout");
}

void H2ServerSession::on_closed(const std::string&) { sync_summary(); }

}  // namespace wraith::inspect
