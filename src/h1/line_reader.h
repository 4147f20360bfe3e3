// Cuts a byte stream into lines across feed() calls. A line that arrives whole is returned as a view into
// the caller's input (no copy); only a line split across reads is assembled in an internal buffer, whose
// size never exceeds the limit passed in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wraith::h1 {

class LineReader {
 public:
  enum class Status { line, need_more, too_long };

  // Looks for the end of the line that starts at data[pos]. On `line`, `out` holds the line without its
  // LF and without one CR before it, valid until the next call, and pos moves past the LF. On
  // `need_more` every remaining byte was buffered. `max_len` bounds the line (CR included, LF not).
  Status next(const std::uint8_t* data, std::size_t size, std::size_t& pos, std::size_t max_len,
              std::string_view& out);

  // Bytes of the last returned line as they were on the wire, terminators included.
  std::size_t last_raw_size() const { return last_raw_size_; }
  std::size_t buffered() const { return partial_.size(); }
  void clear() {
    partial_.clear();
    consumed_partial_ = false;
  }

 private:
  std::string partial_;
  bool consumed_partial_ = false;  // partial_ was handed out as a line and must be cleared next time
  std::size_t last_raw_size_ = 0;
};

}  // namespace wraith::h1
