#include "util/ascii.h"
#include "inspect/h1_request_head.h"

#include <cctype>

namespace wraith::inspect {
namespace {

Error bad(const std::string& what) { return Error(ErrorKind::protocol, "h1 request: " + what, "inspect"); }

bool is_tchar(unsigned char c) {
  if (std::isalnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~':
      return true;
  }
  return false;
}

using util::iequals;

}  // namespace

std::size_t find_head_end(std::string_view buffer) {
  std::size_t pos = 0;
  // Skip empty lines before the request line.
  for (;;) {
    if (buffer.substr(pos, 2) == "\r\n") pos += 2;
    else if (buffer.substr(pos, 1) == "\n") pos += 1;
    else break;
  }
  for (std::size_t at = buffer.find('\n', pos); at != std::string_view::npos; at = buffer.find('\n', at + 1)) {
    // The line after this LF is empty?
    if (at + 1 < buffer.size() && buffer[at + 1] == '\n') return at + 2;
    if (at + 2 < buffer.size() && buffer[at + 1] == '\r' && buffer[at + 2] == '\n') return at + 3;
  }
  return 0;
}

Result<H1RequestHead> parse_request_head(std::string_view head) {
  H1RequestHead out;
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t lf = head.find('\n', pos);
    if (lf == std::string_view::npos) return bad("head without a final line ending");
    std::string_view line = head.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    else out.bare_lf = true;
    pos = lf + 1;
    if (line.empty()) {
      if (lines.empty()) continue;  // leading empty line
      break;                        // end of head
    }
    for (char c : line)
      if (c == '\r' || c == '\0') return bad("CR or NUL inside a line");
    lines.push_back(line);
  }
  if (lines.empty()) return bad("no request line");

  out.request_line = std::string(lines[0]);
  std::string_view rl = lines[0];
  std::size_t sp1 = rl.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : rl.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || rl.find(' ', sp2 + 1) != std::string_view::npos)
    return bad("request line is not 'method SP target SP version'");
  out.method = std::string(rl.substr(0, sp1));
  out.target = std::string(rl.substr(sp1 + 1, sp2 - sp1 - 1));
  out.version = std::string(rl.substr(sp2 + 1));
  if (out.method.empty() || out.target.empty()) return bad("empty method or target");
  for (unsigned char c : out.method)
    if (!is_tchar(c)) return bad("method is not a token");
  if (out.version.size() != 8 || out.version.compare(0, 5, "HTTP/") != 0 || !std::isdigit(static_cast<unsigned char>(out.version[5])) ||
      out.version[6] != '.' || !std::isdigit(static_cast<unsigned char>(out.version[7])))
    return bad("bad HTTP version");

  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line[0] == ' ' || line[0] == '\t') return bad("obsolete line folding");
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bad("header line without a colon");
    std::string_view name = line.substr(0, colon);
    if (name.empty()) return bad("empty header name");
    for (unsigned char c : name)
      if (!is_tchar(c)) return bad("header name is not a token (blank before the colon?)");
    std::size_t v = colon + 1;
    int spaces = 0;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) {
      ++v;
      ++spaces;
    }
    std::string_view value = line.substr(v);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    out.raw_lines.emplace_back(line);
    out.headers.emplace_back(std::string(name), std::string(value));
    out.spaces_after_colon.push_back(spaces);
  }
  return out;
}

const std::string* find_header(const H1RequestHead& head, std::string_view name) {
  for (const auto& [n, v] : head.headers)
    if (iequals(n, name)) return &v;
  return nullptr;
}

}  // namespace wraith::inspect
