// An HTTP/1.1 request head exactly as the client wrote it (RFC 9112 sections 2-5): the raw lines, header
// names in their case and order, and the spacing after each colon. The inspector's h1 fingerprint is
// these details, so nothing is normalised away (the h1/ layer parses responses, not requests).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wraith/error.h"

namespace wraith::inspect {

struct H1RequestHead {
  std::string request_line;
  std::string method;
  std::string target;
  std::string version;                    // "HTTP/1.1"
  std::vector<std::string> raw_lines;     // header lines without their line ending
  std::vector<std::pair<std::string, std::string>> headers;  // name as sent, value without surrounding blanks
  std::vector<int> spaces_after_colon;    // per header line: SP/HTAB count between ':' and the value
  bool bare_lf = false;                   // some line ended in LF without CR
};

// Finds the end of a head at the start of `buffer` (leading empty lines allowed, RFC 9112 2.2): the size
// of the head including its final empty line, or 0 when more bytes are needed.
std::size_t find_head_end(std::string_view buffer);

// Parses a head as delimited by find_head_end. ErrorKind::protocol for a malformed request line, a header
// line without a colon or with blanks before it, an empty or non-token name, obsolete line folding, or
// a CR/NUL inside a line.
Result<H1RequestHead> parse_request_head(std::string_view head);

// The value of the first field named `name` (ASCII case-insensitive), or nullptr.
const std::string* find_header(const H1RequestHead& head, std::string_view name);

}  // namespace wraith::inspect
