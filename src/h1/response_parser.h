// Incremental, sans-IO HTTP/1.1 response parser: bytes in, events out (RFC 9112).
//
// Events go to a Sink as views: header names/values view the caller's input (or, only for a line split
// across feeds, an internal line buffer) and are valid during the callback; body data always views the
// caller's input, never copied. Nothing is allocated per header; the only buffer is the partial-line one,
// bounded by Limits::max_line.
//
// obs-fold (a header line starting with SP/HTAB) is rejected as ErrorKind::protocol rather than unfolded:
// RFC 9112 5.2 allows either, folding is deprecated and practically unused, it is a classic smuggling
// and response-splitting vector, and unfolding would require holding every header back until the next
// line is seen (copying it when that line is in the next read), which breaks zero-copy header events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "h1/line_reader.h"
#include "wraith/error.h"

namespace wraith::h1 {

struct Limits {
  std::size_t max_header_block = 256 * 1024;  // status line + headers of one head (and trailers, apart)
  std::size_t max_line = 64 * 1024;           // any single line of the head or trailers
  std::size_t max_headers = 512;              // fields per head / per trailer section
  std::size_t max_chunk_line = 16 * 1024;     // chunk-size line including extensions
  std::size_t max_informational = 32;         // 1xx heads before the final one
};

struct StatusLine {
  int version_major = 1;
  int version_minor = 1;
  int code = 0;
  std::string_view reason;
};

enum class BodyKind {
  none,            // HEAD, 1xx, 204, 304
  content_length,  // exactly content_length bytes
  chunked,         // Transfer-Encoding ending in chunked
  until_close,     // no length: the body ends when the connection does (finish_eof)
  tunnel,          // 101 Switching Protocols or 2xx to CONNECT: the rest of the stream is not HTTP
};

// What the head decided, handed to Sink::on_headers_complete before any body byte is delivered, so a
// client can refuse an announced 10 GB body right there.
struct ResponseHead {
  int code = 0;
  int version_minor = 1;
  BodyKind body = BodyKind::none;
  std::optional<std::uint64_t> content_length;  // as announced (also for HEAD/304), even if chunked wins
  bool keep_alive = false;                      // the connection can carry another request afterwards
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void on_status(const StatusLine&) {}
  virtual void on_header(std::string_view name, std::string_view value) {}
  // End of a 1xx head other than 101 (100 Continue, 103 Early Hints, ...): another head follows.
  virtual void on_informational(int code) {}
  virtual void on_headers_complete(const ResponseHead&) {}
  virtual void on_body(std::span<const std::uint8_t> data) {}
  virtual void on_trailer(std::string_view name, std::string_view value) {}
  // Exactly once per response (for 101/CONNECT tunnels, right after the head).
  virtual void on_message_complete() {}
};

class ResponseParser {
 public:
  explicit ResponseParser(Limits limits = {});

  // The method of the request this response answers; HEAD means no body, CONNECT with 2xx means tunnel.
  // Set before feeding (default GET).
  void set_request_method(std::string_view method);

  // Parses as much of `data` as belongs to the current response and returns how many bytes were used.
  // Less than data.size() only once the response is complete: the rest belongs to the next response,
  // or to the new protocol after a tunnel. After an error every call returns the same error.
  Result<std::size_t> feed(std::span<const std::uint8_t> data, Sink& sink);

  // The peer closed the connection. Completes a close-delimited body; anywhere else before completion
  // it is ErrorKind::closed ("before any byte" is told apart, as such a request may be retried).
  Result<void> finish_eof(Sink& sink);

  // Ready for the next response on the same connection (buffers are kept, limits too; method -> GET).
  void reset();

  bool complete() const { return state_ == State::complete; }
  bool upgraded() const { return complete() && body_ == BodyKind::tunnel; }
  bool received_anything() const { return received_any_; }
  // Meaningful once complete: HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
  // "Connection: keep-alive"; never after a close-delimited body, a tunnel, or both TE and CL.
  bool keep_alive() const { return keep_alive_; }
  int status_code() const { return code_; }
  std::optional<std::uint64_t> content_length() const { return content_length_; }
  BodyKind body_kind() const { return body_; }
  // Bytes of a partial line held across feeds; never above Limits::max_line.
  std::size_t buffered() const { return lines_.buffered(); }

 private:
  enum class State { status_line, headers, body_fixed, body_close, chunk_size, chunk_data, chunk_cr, chunk_lf,
                     trailers, complete, failed };
  enum class Method { other, head, connect };

  Result<std::size_t> fail(ErrorKind kind, std::string message);
  bool reject(ErrorKind kind, std::string message);  // records the error, returns false
  void start_head();
  // Each returns false after reject().
  bool on_status_line(std::string_view line, Sink& sink);
  bool on_header_line(std::string_view line, Sink& sink);
  bool on_head_end(Sink& sink);
  bool on_chunk_size_line(std::string_view line);
  bool on_trailer_line(std::string_view line, Sink& sink);
  bool note_framing_header(std::string_view name, std::string_view value);
  void finish_message(Sink& sink);

  Limits limits_;
  Method method_ = Method::other;
  State state_ = State::status_line;
  LineReader lines_;
  Error error_;

  // Per head.
  std::size_t head_bytes_ = 0;
  std::size_t field_count_ = 0;
  int code_ = 0;
  int version_minor_ = 1;
  std::optional<std::uint64_t> content_length_;
  bool transfer_encoding_ = false;
  bool chunked_last_ = false;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  // Per response.
  std::size_t informational_ = 0;
  BodyKind body_ = BodyKind::none;
  std::uint64_t remaining_ = 0;
  bool keep_alive_ = false;
  bool received_any_ = false;
};

}  // namespace wraith::h1
