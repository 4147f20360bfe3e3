// Field-by-field comparison of the HTTP layer of two inspector reports (ours against a ground-truth
// fixture), over the fields that are stable from one connection to the next. The TLS layer is compared by
// fingerprint::compare_client_hellos on tls_raw_client_hello_hex.
//
// h2: http_version, h2.settings (ids and values in order), h2.initial_window_update,
// h2.preface_frame_sequence, h2.priority_frames_before_first_headers, h2.akamai, h2.client_acked_our_settings,
// the first request's HEADERS flags / priority / padding / CONTINUATION count, :method, :scheme,
// pseudo-header order, header order, every header value, how every field was HPACK-encoded
// (representation, index and table, name index, Huffman flags) and the table size updates.
// h1: http_version, method, version, header order (case kept and lowered), spacing after the colon, and
// every raw header line byte for byte (case, spacing, value). Both: JA4H of the first request.
//
// Values NOT compared, because they differ per connection by construction (their names, representation and
// position still are):
//   :authority / Host  the listening port is ephemeral, and the host is an IP in one capture, a name in another;
//   :path / target     carries the capture's "?label=..." query;
//   referer, origin    contain the origin, so the port again;
//   cookie             per-session state.
// For these fields the HPACK Huffman flag of the value is not compared either: "Huffman only when shorter"
// decides it from the value itself.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fingerprint/compare.h"

namespace wraith::inspect {

std::vector<fingerprint::FieldComparison> compare_http(const nlohmann::json& ours, const nlohmann::json& reference);

// The request-level fields alone (HEADERS frame, pseudo/header order and values, HPACK; for h1 the raw lines)
// of requests[index] in both reports: later requests on a connection (a favicon, a fetch) show the HPACK
// dynamic-table reuse and their own priority. A request missing on either side is the one differing field.
std::vector<fingerprint::FieldComparison> compare_request(const nlohmann::json& ours, const nlohmann::json& reference,
                                                          std::size_t index);

// The excluded header names (lowercase) with the reason, as listed above.
const std::vector<std::pair<std::string, std::string>>& excluded_header_values();

}  // namespace wraith::inspect
