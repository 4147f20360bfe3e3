// HTTP/2 field rules (RFC 9113 8.2, 8.3): what we refuse to send and what makes a response malformed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "h2/hpack/header_field.h"
#include "wraith/error.h"

namespace wraith::h2 {

struct RequestView;

// Connection-specific fields HTTP/2 forbids (RFC 9113 8.2.2); `te` is allowed only as "trailers".
bool is_connection_specific(std::string_view lowercase_name);
// A regular field we may send: a lowercase token name (no ':'), a value without CR, LF or NUL.
Result<void> check_outgoing_field(std::string_view name, std::string_view value);
// The request as a whole: method/scheme/path/authority/protocol combinations (RFC 9113 8.3.1, 8.5; RFC 8441 4).
// Fields are checked unless head.headers_checked.
Result<void> check_request(const RequestView& head);
// Trailers we send: regular fields only.
Result<void> check_outgoing_trailers(std::span<const hpack::HeaderField> trailers);

// A decoded response header section. Returns the status, or an error message for a malformed one.
struct ResponseHead {
  uint16_t status = 0;
  size_t first_regular = 0;  // index of the first non-pseudo field
  std::optional<uint64_t> content_length;
};
// `checked`, when given, is parallel to fields (hpack::FieldList::checked_flags): a field whose flag is set passed
// the per-field rules before and is unchanged, so they are skipped; fields that pass get their flag set.
Result<ResponseHead> check_response_head(std::span<const hpack::HeaderField> fields, std::span<uint8_t> checked = {});
// A decoded trailer section: no pseudo-headers, same name/value rules.
Result<void> check_response_trailers(std::span<const hpack::HeaderField> fields);

}  // namespace wraith::h2
