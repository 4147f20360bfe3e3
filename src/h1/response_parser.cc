#include "h1/response_parser.h"

#include <cstring>
#include <string>

#include "h1/field_rules.h"

namespace wraith::h1 {
namespace {

constexpr std::uint64_t kMaxChunkSize = 0x7fffffffffffffffull;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One pass over the bytes, eight at a time (SWAR zero-byte test on v and on v ^ CR): on header-sized
// strings this is several times cheaper than two memchr calls.
bool has_cr_or_nul(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  constexpr std::uint64_t kCr = kOnes * '\r';
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    std::uint64_t x = v ^ kCr;
    if ((((v - kOnes) & ~v) | ((x - kOnes) & ~x)) & kHighs) return true;
  }
  for (; n; ++p, --n) {
    if (*p == '\r' || *p == '\0') return true;
  }
  return false;
}

// Splits "name: value" with RFC 9112 5.1 rules: no whitespace before the colon, OWS around the value.
// Returns an error message or nullptr.
const char* split_field(std::string_view line, std::string_view& name, std::string_view& value) {
  if (line.front() == ' ' || line.front() == '\t') return "obsolete line folding (obs-fold) is not accepted";
  // Name scan and token check in one pass; the first non-tchar must be the colon.
  std::size_t i = 0;
  while (i < line.size() && is_tchar(static_cast<unsigned char>(line[i]))) ++i;
  if (i == line.size()) return "header line without a colon";
  if (line[i] != ':') {
    return line.find(':') == std::string_view::npos
               ? "header line without a colon"
               : "invalid header name (whitespace before the colon or a non-token character)";
  }
  if (i == 0) return "empty header name";
  name = line.substr(0, i);
  value = trim_ows(line.substr(i + 1));
  if (has_cr_or_nul(value)) return "CR or NUL in header value";
  return nullptr;
}

// Lowercase first letter test before the full comparison: most names are not framing headers.
bool is_name(std::string_view name, std::string_view lower) {
  return (name[0] | 0x20) == lower[0] && iequals(name, lower);
}

}  // namespace

ResponseParser::ResponseParser(Limits limits) : limits_(limits) { start_head(); }

void ResponseParser::set_request_method(std::string_view method) {
  if (method == "HEAD") method_ = Method::head;
  else if (method == "CONNECT") method_ = Method::connect;
  else method_ = Method::other;
}

void ResponseParser::reset() {
  method_ = Method::other;
  state_ = State::status_line;
  lines_.clear();
  error_ = Error();
  informational_ = 0;
  body_ = BodyKind::none;
  remaining_ = 0;
  keep_alive_ = false;
  received_any_ = false;
  start_head();
}

void ResponseParser::start_head() {
  head_bytes_ = 0;
  field_count_ = 0;
  code_ = 0;
  version_minor_ = 1;
  content_length_.reset();
  transfer_encoding_ = false;
  chunked_last_ = false;
  connection_close_ = false;
  connection_keep_alive_ = false;
}

bool ResponseParser::reject(ErrorKind kind, std::string message) {
  state_ = State::failed;
  error_ = Error(kind, std::move(message), "h1");
  return false;
}

Result<std::size_t> ResponseParser::fail(ErrorKind kind, std::string message) {
  reject(kind, std::move(message));
  return error_;
}

Result<std::size_t> ResponseParser::feed(std::span<const std::uint8_t> data, Sink& sink) {
  if (state_ == State::failed) return error_;
  if (!data.empty()) received_any_ = true;
  const std::uint8_t* bytes = data.data();
  const std::size_t size = data.size();
  std::size_t pos = 0;
  std::string_view line;

  while (pos < size) {
    switch (state_) {
      case State::status_line:
      case State::headers:
      case State::trailers: {
        // A line may use what is left of the block budget or max_line, whichever is smaller, so a huge
        // head fails as soon as it crosses the limit without ever being held in memory.
        std::size_t budget = limits_.max_header_block > head_bytes_ ? limits_.max_header_block - head_bytes_ : 0;
        bool block_bound = budget <= limits_.max_line;
        std::size_t max_len = block_bound ? budget : limits_.max_line;
        auto status = lines_.next(bytes, size, pos, max_len, line);
        if (status == LineReader::Status::need_more) return size;
        if (status == LineReader::Status::too_long) {
          const char* what = state_ == State::trailers ? "trailer section" : "response header block";
          return fail(ErrorKind::too_large,
                      block_bound ? std::string(what) + " exceeds " + std::to_string(limits_.max_header_block) + " bytes"
                                  : "header line exceeds " + std::to_string(limits_.max_line) + " bytes");
        }
        head_bytes_ += lines_.last_raw_size();
        bool ok = state_ == State::status_line ? on_status_line(line, sink)
                  : state_ == State::headers   ? on_header_line(line, sink)
                                               : on_trailer_line(line, sink);
        if (!ok) return error_;
        break;
      }
      case State::chunk_size: {
        auto status = lines_.next(bytes, size, pos, limits_.max_chunk_line, line);
        if (status == LineReader::Status::need_more) return size;
        if (status == LineReader::Status::too_long) {
          return fail(ErrorKind::too_large, "chunk-size line exceeds " + std::to_string(limits_.max_chunk_line) + " bytes");
        }
        if (!on_chunk_size_line(line)) return error_;
        break;
      }
      case State::body_fixed:
      case State::chunk_data: {
        std::size_t avail = size - pos;
        std::size_t n = remaining_ < avail ? static_cast<std::size_t>(remaining_) : avail;
        sink.on_body(data.subspan(pos, n));
        pos += n;
        remaining_ -= n;
        if (remaining_ == 0) {
          if (state_ == State::chunk_data) state_ = State::chunk_cr;
          else finish_message(sink);
        }
        break;
      }
      case State::body_close:
        sink.on_body(data.subspan(pos));
        pos = size;
        break;
      case State::chunk_cr:
        // The CRLF after chunk data; a bare LF is tolerated like everywhere else (RFC 9112 2.2).
        if (bytes[pos] == '\r') {
          state_ = State::chunk_lf;
          ++pos;
        } else if (bytes[pos] == '\n') {
          state_ = State::chunk_size;
          ++pos;
        } else {
          return fail(ErrorKind::protocol, "chunk data not followed by CRLF");
        }
        break;
      case State::chunk_lf:
        if (bytes[pos] != '\n') return fail(ErrorKind::protocol, "chunk data not followed by CRLF");
        state_ = State::chunk_size;
        ++pos;
        break;
      case State::complete:
        return pos;
      case State::failed:
        return error_;
    }
  }
  return pos;
}

bool ResponseParser::on_status_line(std::string_view line, Sink& sink) {
  if (line.empty()) {
    // Stray CRLFs between responses are tolerated (RFC 9112 2.2 asks the same of servers for requests);
    // they still count against the header block budget.
    return true;
  }
  if (has_cr_or_nul(line)) return reject(ErrorKind::protocol, "CR or NUL in status line");
  // HTTP-version SP status-code [SP reason-phrase]; "HTTP" is case-sensitive (RFC 9112 2.3).
  if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0 || !is_digit(line[5]) || line[6] != '.' ||
      !is_digit(line[7]) || line[8] != ' ') {
    return reject(ErrorKind::protocol, "malformed status line: '" + std::string(line.substr(0, 64)) + "'");
  }
  if (line[5] != '1') return reject(ErrorKind::protocol, "unsupported HTTP major version in status line");
  std::size_t p = 9;
  while (p < line.size() && line[p] == ' ') ++p;  // lenient: several spaces before the code
  if (p + 3 > line.size() || !is_digit(line[p]) || !is_digit(line[p + 1]) || !is_digit(line[p + 2]) ||
      (p + 3 < line.size() && line[p + 3] != ' ')) {
    return reject(ErrorKind::protocol, "malformed status code in '" + std::string(line.substr(0, 64)) + "'");
  }
  int code = (line[p] - '0') * 100 + (line[p + 1] - '0') * 10 + (line[p + 2] - '0');
  if (code < 100) return reject(ErrorKind::protocol, "status code below 100");
  StatusLine status;
  status.version_major = 1;
  status.version_minor = line[7] - '0';
  status.code = code;
  status.reason = p + 4 <= line.size() ? line.substr(p + 4) : std::string_view{};
  code_ = code;
  version_minor_ = status.version_minor;
  state_ = State::headers;
  sink.on_status(status);
  return true;
}

bool ResponseParser::note_framing_header(std::string_view name, std::string_view value) {
  switch (name.size()) {
    case 14:
      if (is_name(name, "content-length")) {
        auto n = parse_content_length(value);
        if (!n) return reject(ErrorKind::protocol, "invalid or conflicting Content-Length '" + std::string(value.substr(0, 64)) + "'");
        if (content_length_ && *content_length_ != *n) return reject(ErrorKind::protocol, "conflicting Content-Length values");
        content_length_ = *n;
      }
      break;
    case 17:
      if (is_name(name, "transfer-encoding")) {
        bool failed = false;
        for_each_list_element(value, [&](std::string_view coding) {
          std::string_view token = trim_ows(coding.substr(0, coding.find(';')));
          bool is_chunked = iequals(token, "chunked");
          // RFC 9112 6.1: chunked must not be applied twice, and only the final coding frames the body.
          if (is_chunked && chunked_last_) failed = true;
          if (transfer_encoding_ && !is_chunked && chunked_last_) failed = true;
          chunked_last_ = is_chunked;
          transfer_encoding_ = true;
        });
        if (failed) return reject(ErrorKind::protocol, "Transfer-Encoding applies a coding after chunked");
      }
      break;
    case 10:
      if (is_name(name, "connection")) {
        for_each_list_element(value, [&](std::string_view option) {
          if (iequals(option, "close")) connection_close_ = true;
          else if (iequals(option, "keep-alive")) connection_keep_alive_ = true;
        });
      }
      break;
    default:
      break;
  }
  return true;
}

bool ResponseParser::on_header_line(std::string_view line, Sink& sink) {
  if (line.empty()) return on_head_end(sink);
  std::string_view name, value;
  if (const char* problem = split_field(line, name, value)) return reject(ErrorKind::protocol, problem);
  if (++field_count_ > limits_.max_headers) {
    return reject(ErrorKind::too_large, "more than " + std::to_string(limits_.max_headers) + " header fields");
  }
  if (!note_framing_header(name, value)) return false;
  sink.on_header(name, value);
  return true;
}

bool ResponseParser::on_head_end(Sink& sink) {
  if (code_ >= 100 && code_ < 200 && code_ != 101) {
    if (++informational_ > limits_.max_informational) {
      return reject(ErrorKind::protocol, "too many 1xx responses");
    }
    sink.on_informational(code_);
    start_head();
    state_ = State::status_line;
    return true;
  }
  bool http10 = version_minor_ == 0;
  bool persistent = http10 ? (connection_keep_alive_ && !connection_close_) : !connection_close_;
  // RFC 9112 6.3: both framing headers "ought to be handled as an error"; we follow chunked (as the
  // brief and Chromium do) but never reuse a connection whose framing was ambiguous.
  if (transfer_encoding_ && content_length_) persistent = false;

  if (code_ == 101 || (method_ == Method::connect && code_ >= 200 && code_ < 300)) {
    body_ = BodyKind::tunnel;
    persistent = false;
  } else if (method_ == Method::head || code_ == 204 || code_ == 304) {
    body_ = BodyKind::none;
  } else if (transfer_encoding_) {
    // RFC 9112 6.3 item 4: if chunked is not the final coding the body runs until close.
    body_ = chunked_last_ ? BodyKind::chunked : BodyKind::until_close;
  } else if (content_length_) {
    body_ = BodyKind::content_length;
    remaining_ = *content_length_;
  } else {
    body_ = BodyKind::until_close;
  }
  if (body_ == BodyKind::until_close) persistent = false;
  keep_alive_ = persistent;

  ResponseHead head;
  head.code = code_;
  head.version_minor = version_minor_;
  head.body = body_;
  head.content_length = content_length_;
  head.keep_alive = keep_alive_;
  sink.on_headers_complete(head);

  switch (body_) {
    case BodyKind::none:
    case BodyKind::tunnel:
      finish_message(sink);
      break;
    case BodyKind::content_length:
      if (remaining_ == 0) finish_message(sink);
      else state_ = State::body_fixed;
      break;
    case BodyKind::chunked:
      state_ = State::chunk_size;
      break;
    case BodyKind::until_close:
      state_ = State::body_close;
      break;
  }
  return true;
}

bool ResponseParser::on_chunk_size_line(std::string_view line) {
  // chunk-size [ BWS ";" chunk-ext ] — extensions are ignored (none is defined that a client needs).
  std::uint64_t size = 0;
  std::size_t p = 0;
  while (p < line.size() && hex_digit(line[p]) >= 0) {
    if (size > (kMaxChunkSize >> 4)) return reject(ErrorKind::protocol, "chunk size too large");
    size = (size << 4) | static_cast<std::uint64_t>(hex_digit(line[p]));
    ++p;
  }
  if (p == 0) return reject(ErrorKind::protocol, "missing or invalid chunk size");
  while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
  if (p < line.size() && line[p] != ';') return reject(ErrorKind::protocol, "invalid character after chunk size");
  if (has_cr_or_nul(line.substr(p))) return reject(ErrorKind::protocol, "CR or NUL in chunk extension");
  if (size == 0) {
    state_ = State::trailers;
    head_bytes_ = 0;
    field_count_ = 0;
  } else {
    remaining_ = size;
    state_ = State::chunk_data;
  }
  return true;
}

bool ResponseParser::on_trailer_line(std::string_view line, Sink& sink) {
  if (line.empty()) {
    finish_message(sink);
    return true;
  }
  std::string_view name, value;
  if (const char* problem = split_field(line, name, value)) return reject(ErrorKind::protocol, problem);
  if (++field_count_ > limits_.max_headers) {
    return reject(ErrorKind::too_large, "more than " + std::to_string(limits_.max_headers) + " trailer fields");
  }
  sink.on_trailer(name, value);
  return true;
}

void ResponseParser::finish_message(Sink& sink) {
  state_ = State::complete;
  sink.on_message_complete();
}

Result<void> ResponseParser::finish_eof(Sink& sink) {
  switch (state_) {
    case State::complete:
      return {};
    case State::failed:
      return error_;
    case State::body_close:
      finish_message(sink);
      return {};
    case State::status_line:
      if (!received_any_) {
        state_ = State::failed;
        error_ = Error(ErrorKind::closed, "connection closed before any response byte", "h1");
        return error_;
      }
      [[fallthrough]];
    default: {
      const char* where = state_ == State::status_line || state_ == State::headers ? "response head"
                          : state_ == State::body_fixed                            ? "Content-Length body"
                          : state_ == State::trailers                              ? "trailers"
                                                                                   : "chunked body";
      state_ = State::failed;
      error_ = Error(ErrorKind::closed, std::string("connection closed in the middle of the ") + where, "h1");
      return error_;
    }
  }
}

}  // namespace wraith::h1
