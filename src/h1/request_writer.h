// HTTP/1.1 request serialisation. The writer never reorders, re-cases or adds headers: order, case and
// presence are the profile's decision (Chrome writes "Host" first, then "Connection: keep-alive", names
// in its own mixed case), so the bytes are exactly what the caller lists.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "h1/field_rules.h"
#include "wraith/error.h"

namespace wraith::h1 {

struct HeaderLine {
  std::string_view name, value;
};

// Checks everything write_request_head() trusts: the method is a token, the target has no spaces or
// controls, every header passes validate_header(). ErrorKind::invalid_header (or invalid_argument for
// the request line).
Result<void> validate_request_head(std::string_view method, std::string_view target,
                                   std::span<const HeaderLine> headers);

// Appends "METHOD target HTTP/1.1\r\n" + "Name: value\r\n"... + "\r\n" to `out`, one space after each
// colon (as Chrome does), in the given order and case. Call validate_request_head() first.
void write_request_head(std::string_view method, std::string_view target, std::span<const HeaderLine> headers,
                        std::string& out);

// Chunked request bodies (RFC 9112 7.1). append_chunk() ignores empty data, since a zero-size chunk
// would end the body; append_last_chunk() writes "0\r\n", the trailer fields and the final CRLF.
void append_chunk(std::span<const std::uint8_t> data, std::string& out);
void append_last_chunk(std::span<const HeaderLine> trailers, std::string& out);

}  // namespace wraith::h1
