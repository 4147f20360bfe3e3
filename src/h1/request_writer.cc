#include "h1/request_writer.h"

namespace wraith::h1 {

Result<void> validate_request_head(std::string_view method, std::string_view target,
                                   std::span<const HeaderLine> headers) {
  if (!is_token(method)) return Error(ErrorKind::invalid_argument, "request method is not a token", "h1");
  if (target.empty()) return Error(ErrorKind::invalid_argument, "empty request target", "h1");
  for (char c : target) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return Error(ErrorKind::invalid_argument, "request target contains a space or control character", "h1");
    }
  }
  for (const HeaderLine& h : headers) {
    if (auto r = validate_header(h.name, h.value); !r) return r;
  }
  return {};
}

void write_request_head(std::string_view method, std::string_view target, std::span<const HeaderLine> headers,
                        std::string& out) {
  // One reservation for the whole head, so appending never reallocates midway.
  std::size_t size = method.size() + 1 + target.size() + 11 + 2;
  for (const HeaderLine& h : headers) size += h.name.size() + 2 + h.value.size() + 2;
  out.reserve(out.size() + size);
  out.append(method);
  out.push_back(' ');
  out.append(target);
  out.append(" HTTP/1.1\r\n");
  for (const HeaderLine& h : headers) {
    out.append(h.name);
    out.append(": ");
    out.append(h.value);
    out.append("\r\n");
  }
  out.append("\r\n");
}

void append_chunk(std::span<const std::uint8_t> data, std::string& out) {
  if (data.empty()) return;
  // Chromium's HttpStreamParser::EncodeChunk formats the size with "%X": uppercase hex, no padding.
  char size_line[20];
  int n = 0;
  char digits[16];
  for (std::uint64_t v = data.size(); v; v >>= 4) digits[n++] = "0123456789ABCDEF"[v & 15];
  int len = 0;
  while (n) size_line[len++] = digits[--n];
  size_line[len++] = '\r';
  size_line[len++] = '\n';
  out.reserve(out.size() + static_cast<std::size_t>(len) + data.size() + 2);
  out.append(size_line, static_cast<std::size_t>(len));
  out.append(reinterpret_cast<const char*>(data.data()), data.size());
  out.append("\r\n");
}

void append_last_chunk(std::span<const HeaderLine> trailers, std::string& out) {
  out.append("0\r\n");
  for (const HeaderLine& h : trailers) {
    out.append(h.name);
    out.append(": ");
    out.append(h.value);
    out.append("\r\n");
  }
  out.append("\r\n");
}

}  // namespace wraith::h1
