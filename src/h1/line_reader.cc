#include "h1/line_reader.h"

#include <cstring>

namespace wraith::h1 {

LineReader::Status LineReader::next(const std::uint8_t* data, std::size_t size, std::size_t& pos,
                                    std::size_t max_len, std::string_view& out) {
  if (consumed_partial_) {
    partial_.clear();
    consumed_partial_ = false;
  }
  const std::uint8_t* start = data + pos;
  std::size_t avail = size - pos;
  // Only look as far as the limit allows: an endless line fails after max_len bytes, not at EOF.
  std::size_t room = max_len >= partial_.size() ? max_len - partial_.size() : 0;
  std::size_t scan = avail < room + 1 ? avail : room + 1;
  const void* lf = scan ? std::memchr(start, '\n', scan) : nullptr;
  if (!lf) {
    if (avail > room) return Status::too_long;
    partial_.append(reinterpret_cast<const char*>(start), avail);
    pos = size;
    return Status::need_more;
  }
  std::size_t n = static_cast<std::size_t>(static_cast<const std::uint8_t*>(lf) - start);
  if (n > room) return Status::too_long;
  pos += n + 1;
  last_raw_size_ = partial_.size() + n + 1;
  if (partial_.empty()) {
    out = std::string_view(reinterpret_cast<const char*>(start), n);
  } else {
    partial_.append(reinterpret_cast<const char*>(start), n);
    out = partial_;
    consumed_partial_ = true;
  }
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return Status::line;
}

}  // namespace wraith::h1
