// Errors are values: every failure carries a kind, the layer it came from and enough context to act on.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace wraith {

enum class ErrorKind {
  invalid_argument,   // caller passed something unusable (bad option, unknown profile, ...)
  invalid_url,        // malformed URL
  invalid_header,     // header name/value the protocol forbids (CR/LF/NUL, uppercase on h2, ...)
  resolve,            // DNS failure
  connect,            // TCP connect failed or refused
  tls,                // handshake or record-layer failure
  certificate,        // verification failed (untrusted, expired, hostname mismatch)
  protocol,           // the peer violated HTTP/1.1 or HTTP/2
  stream_reset,       // the peer reset our stream (peer_code holds the h2 error code)
  refused,            // the request was never processed by the peer (safe to retry)
  timeout,            // a deadline passed (phase says which)
  proxy,              // proxy refused, needs auth, or replied badly
  decode,             // content decoding failed
  too_large,          // a size limit was exceeded
  cancelled,          // the caller dropped or cancelled the request
  closed,             // the connection closed before the exchange completed
  io,                 // other socket-level failure
  config,             // unreadable file or invalid configuration
  redirect,           // too many redirects / bad Location
};

// Which deadline fired, for ErrorKind::timeout.
enum class TimeoutPhase { none, resolve, connect, tls, first_byte, read_idle, write_idle, total, pool_acquire, settings_ack, ping };

const char* to_string(ErrorKind kind);
const char* to_string(TimeoutPhase phase);

struct Error {
  ErrorKind kind = ErrorKind::io;
  std::string message;
  std::string layer;            // "tls", "h2", "h1", "net", "client", ...
  TimeoutPhase phase = TimeoutPhase::none;
  std::uint32_t stream_id = 0;  // h2 stream, when the error belongs to one
  std::uint32_t peer_code = 0;  // h2 error code received or sent, TLS alert, ...

  Error() = default;
  Error(ErrorKind k, std::string msg, std::string lay = {}) : kind(k), message(std::move(msg)), layer(std::move(lay)) {}

  // "tls: certificate: hostname mismatch (stream 3, code 0x8)"
  std::string describe() const;
};

// Result<T>: a value or an Error. (std::expected is C++23; g++ 12 has none.)
template <class T>
class [[nodiscard]] Result {
 public:
  // Default-constructed results hold an error: asio needs one for operations that end in an exception.
  Result() : v_(std::in_place_index<1>, Error(ErrorKind::io, "no result")) {}
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Success costs one null pointer: a Result<void> is returned and moved on every step of every request, and an
// inline Error (two strings) made each of those moves copy ~70 bytes. Errors are rare and may allocate.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::make_unique<Error>(std::move(error))) {}
  Result(const Result& other) : error_(other.error_ ? std::make_unique<Error>(*other.error_) : nullptr) {}
  Result& operator=(const Result& other) {
    if (this != &other) error_ = other.error_ ? std::make_unique<Error>(*other.error_) : nullptr;
    return *this;
  }
  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;

  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  // Meant for a failed result; on a success they give an empty Error (as before), never a null dereference.
  const Error& error() const {
    static const Error none;
    return error_ ? *error_ : none;
  }
  Error&& take_error() {
    if (!error_) error_ = std::make_unique<Error>();
    return std::move(*error_);
  }

 private:
  std::unique_ptr<Error> error_;
};

}  // namespace wraith
