// Field-by-field comparison of two ClientHellos with everything that legitimately varies per connection
// normalised away (GREASE values, random, session id, key-share bytes, ECH config id/enc/payload bytes and
// payload length within Chromium's set, extension order, server name). Used by every fidelity test and the demo.
#pragma once

#include <string>
#include <vector>

#include "fingerprint/client_hello.h"

namespace wraith::fingerprint {

struct FieldComparison {
  std::string field;      // e.g. "cipher_suites", "ext 0x0012 body"
  std::string ours;       // normalised, human-readable value
  std::string reference;
  bool match = false;     // decided on the normalised value, which may be coarser than the text shown
};

// Fields in a fixed order: ja4, ja3n, legacy_version, ..., then one "ext 0xNNNN body" per extension type
// without a dedicated field (present in either hello), compared byte for byte.
std::vector<FieldComparison> compare_client_hellos(const ClientHello& ours, const ClientHello& reference);

bool all_match(const std::vector<FieldComparison>& fields);
// Names of the fields that differ, in comparison order.
std::vector<std::string> differing_fields(const std::vector<FieldComparison>& fields);

// "cipher_suites: GREASE,0x1301,... | GREASE,0x1301,... | match"
std::string describe(const FieldComparison& field);
// One describe() line per field (only the differing ones if only_differences), newline-terminated.
std::string describe(const std::vector<FieldComparison>& fields, bool only_differences = false);

}  // namespace wraith::fingerprint
