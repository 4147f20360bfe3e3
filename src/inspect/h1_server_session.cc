#include "inspect/h1_server_session.h"

#include <algorithm>
#include <optional>
#include <cctype>
#include <set>

#include "inspect/page.h"

namespace wraith::inspect {
namespace {

constexpr std::size_t kMaxChunkLine = 1024;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_token(const std::string& value, const std::string& token) {
  std::string v = lower(value);
  std::size_t start = 0;
  while (start <= v.size()) {
    std::size_t comma = v.find(',', start);
    std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item == token) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

H1ServerSession::H1ServerSession(ConnectionReport& report, const InspectorLimits& limits)
    : report_(report), limits_(limits) {}

void H1ServerSession::start() {
  report_.doc()["request"] = nullptr;
  report_.doc()["requests"] = nlohmann::json::array();
}

void H1ServerSession::receive(std::span<const std::uint8_t> bytes) {
  if (wants_close()) return;
  buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  process();
}

void H1ServerSession::process() {
  answered_this_step_ = 0;
  backlog_ = false;
  while (!wants_close()) {
    if (state_ == State::head) {
      if (buffer_.empty()) return;
      if (answered_this_step_ >= kRequestsPerStep) {
        backlog_ = true;
        return;
      }
      std::size_t end = find_head_end(buffer_);
      if (end == 0) {
        if (buffer_.size() > limits_.max_header_block) reject(431, "request head larger than the limit");
        return;
      }
      if (end > limits_.max_header_block) {
        reject(431, "request head larger than the limit");
        return;
      }
      auto head = parse_request_head(std::string_view(buffer_).substr(0, end));
      buffer_.erase(0, end);
      if (!head) {
        reject(400, head.error().message);
        return;
      }
      begin_request(std::move(*head));
      continue;
    }
    if (!consume_body()) return;
  }
}

void H1ServerSession::begin_request(H1RequestHead head) {
  ++requests_seen_;
  body_bytes_ = 0;
  trailer_bytes_ = 0;
  nlohmann::json entry;
  entry["request_line"] = head.request_line;
  entry["method"] = head.method;
  entry["path"] = head.target;
  entry["http_version"] = head.version;
  nlohmann::json headers = nlohmann::json::array(), order = nlohmann::json::array(), order_lower = nlohmann::json::array();
  for (const auto& [name, value] : head.headers) {
    headers.push_back({name, value});
    order.push_back(name);
    order_lower.push_back(lower(name));
  }
  entry["headers"] = std::move(headers);
  entry["header_order"] = std::move(order);
  entry["header_order_lower"] = std::move(order_lower);
  entry["raw_header_lines"] = head.raw_lines;
  std::set<int> spacing(head.spaces_after_colon.begin(), head.spaces_after_colon.end());
  entry["spaces_after_colon"] = std::vector<int>(spacing.begin(), spacing.end());
  entry["bare_lf_line_endings"] = head.bare_lf;
  entry["body_length"] = 0;
  entry["t_ms"] = report_.t_ms();
  entry["completed_t_ms"] = nullptr;
  auto& requests = report_.doc()["requests"];
  request_index_ = SIZE_MAX;
  if (requests.size() < limits_.max_requests_recorded) {
    request_index_ = requests.size();
    requests.push_back(std::move(entry));
  } else {
    report_.doc()["requests_dropped"] = requests_seen_ - requests.size();
  }
  state_ = State::body_length;  // the head is consumed: errors from here on belong to this request

  const std::string* connection = find_header(head, "connection");
  if (head.version == "HTTP/1.0") close_after_ = !(connection && has_token(*connection, "keep-alive"));
  else close_after_ = connection && has_token(*connection, "close");

  const std::string* te = find_header(head, "transfer-encoding");
  const std::string* cl = find_header(head, "content-length");
  if (te) {
    if (!has_token(*te, "chunked")) {
      reject(400, "transfer-encoding without chunked");
      return;
    }
    state_ = State::chunk_size;
    return;
  }
  if (cl) {
    if (cl->empty() || cl->size() > 18 || !std::all_of(cl->begin(), cl->end(), [](unsigned char c) { return std::isdigit(c); })) {
      reject(400, "bad content-length");
      return;
    }
    remaining_ = std::stoull(*cl);
    if (remaining_ > limits_.max_body_bytes) {
      reject(413, "request body larger than the limit");
      return;
    }
    state_ = State::body_length;
    return;
  }
  remaining_ = 0;
  state_ = State::body_length;
}

bool H1ServerSession::consume_body() {
  auto count = [this](std::uint64_t n) {
    body_bytes_ += n;
    if (request_index_ != SIZE_MAX) report_.doc()["requests"][request_index_]["body_length"] = body_bytes_;
  };
  switch (state_) {
    case State::body_length: {
      std::uint64_t n = std::min<std::uint64_t>(remaining_, buffer_.size());
      count(n);
      buffer_.erase(0, n);
      remaining_ -= n;
      if (remaining_ > 0) return false;
      finish_request();
      return true;
    }
    case State::chunk_size: {
      std::size_t lf = buffer_.find('\n');
      if (lf == std::string::npos) {
        if (buffer_.size() > kMaxChunkLine) reject(400, "chunk size line too long");
        return false;
      }
      std::string line = buffer_.substr(0, lf);
      buffer_.erase(0, lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::size_t digits = 0;
      std::uint64_t size = 0;
      while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits])) && digits < 15) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(line[digits])));
        size = size * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
        ++digits;
      }
      if (digits == 0 || (digits < line.size() && line[digits] != ';' && line[digits] != ' ' && line[digits] != '\t')) {
        reject(400, "bad chunk size");
        return false;
      }
      if (body_bytes_ + size > limits_.max_body_bytes) {
        reject(413, "request body larger than the limit");
        return false;
      }
      remaining_ = size;
      state_ = size == 0 ? State::trailers : State::chunk_data;
      return true;
    }
    case State::chunk_data: {
      std::uint64_t n = std::min<std::uint64_t>(remaining_, buffer_.size());
      count(n);
      buffer_.erase(0, n);
      remaining_ -= n;
      if (remaining_ > 0) return false;
      state_ = State::chunk_data_end;
      return true;
    }
    case State::chunk_data_end: {
      if (buffer_.empty()) return false;
      if (buffer_.compare(0, 2, "\r\n") == 0) buffer_.erase(0, 2);
      else if (buffer_[0] == '\n') buffer_.erase(0, 1);
      else if (buffer_.size() < 2 && buffer_[0] == '\r') return false;
      else {
        reject(400, "chunk data not followed by CRLF");
        return false;
      }
      state_ = State::chunk_size;
      return true;
    }
    case State::trailers: {
      std::size_t lf = buffer_.find('\n');
      if (lf == std::string::npos) {
        if (trailer_bytes_ + buffer_.size() > limits_.max_header_block) reject(431, "trailers larger than the limit");
        return false;
      }
      std::string line = buffer_.substr(0, lf);
      buffer_.erase(0, lf + 1);
      trailer_bytes_ += lf + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        finish_request();
        return true;
      }
      if (trailer_bytes_ > limits_.max_header_block) {
        reject(431, "trailers larger than the limit");
        return false;
      }
      if (request_index_ != SIZE_MAX) report_.doc()["requests"][request_index_]["trailers"].push_back(line);
      return true;
    }
    case State::head:
    case State::done:
      return false;
  }
  return false;
}

void H1ServerSession::finish_request() {
  if (request_index_ != SIZE_MAX) report_.doc()["requests"][request_index_]["completed_t_ms"] = report_.t_ms();
  respond(200, "OK");
  ++answered_this_step_;
  state_ = State::head;
  if (close_after_) close_with("client-asked-close");
}

void H1ServerSession::reject(int status, const std::string& message) {
  report_.add_error("h1", message);
  if (request_index_ != SIZE_MAX && state_ != State::head)
    report_.doc()["requests"][request_index_]["error"] = message;
  const char* reason = status == 400 ? "Bad Request" : status == 413 ? "Content Too Large" : "Request Header Fields Too Large";
  close_after_ = true;
  respond(status, reason);
  state_ = State::done;
  buffer_.clear();
  close_with(std::string("rejected-") + std::to_string(status));
}

void H1ServerSession::respond(int status, const char* reason) {
  auto& doc = report_.doc();
  doc["request"] = doc["requests"].empty() ? nlohmann::json() : doc["requests"][0];
  const bool has_request = request_index_ != SIZE_MAX && state_ != State::head;
  std::optional<PageAnswer> page;
  if (status == 200 && has_request) page = page_answer(doc["requests"][request_index_].value("path", std::string()));
  std::string text, content_type = "application/json";
  if (page) {
    text = std::move(page->body);
    content_type = std::move(page->content_type);
  } else {
    nlohmann::json body = report_.snapshot();
    body["this_request"] = has_request ? doc["requests"][request_index_] : nlohmann::json();
    text = body.dump();
  }
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                     "\r\nContent-Type: " + content_type + "\r\nContent-Length: " + std::to_string(text.size()) +
                     "\r\nCache-Control: no-store\r\nServer: wraith-inspect\r\nConnection: " +
                     (close_after_ ? "close" : "keep-alive") + "\r\n\r\n";
  out_.insert(out_.end(), head.begin(), head.end());
  out_.insert(out_.end(), text.begin(), text.end());
}

void H1ServerSession::on_idle_timeout() { close_with("idle-timeout"); }

void H1ServerSession::on_closed(const std::string&) {
  auto& doc = report_.doc();
  doc["request"] = doc["requests"].empty() ? nlohmann::json() : doc["requests"][0];
}

}  // namespace wraith::inspect
