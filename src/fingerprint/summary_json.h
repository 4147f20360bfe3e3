// JSON views for the inspector, the demo and test failure output.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "fingerprint/client_hello.h"
#include "fingerprint/compare.h"

namespace wraith::fingerprint {

// Readable summary: header fields, extensions in wire order (type, name, length), the decoded views,
// GREASE positions and the JA3/JA3N/JA4 fingerprints. GREASE values appear as "GREASE"; absent extensions
// as null.
nlohmann::json to_json(const ClientHello& hello);

// {"all_match": bool, "differing": [field names], "fields": [{"field","ours","reference","match"}]}
nlohmann::json to_json(const std::vector<FieldComparison>& comparison);

}  // namespace wraith::fingerprint
