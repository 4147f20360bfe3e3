// A wraith profile (the JSON format of profiles/*.json) built from a capture-page connection report: TLS from
// the raw ClientHello, HTTP/2 from the preface and the first HEADERS, one kind per captured request, client
// hints from the user-agent and sec-ch-ua headers.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wraith/error.h"

namespace wraith::capture {

struct BuiltProfile {
  nlohmann::json document;             // loadable with parse_profile_json / load_profile_file
  std::vector<std::string> notes;      // what was inferred rather than seen (e.g. where cookie goes)
};

// What in the ClientHello (or h2 preface) wraith's BoringSSL-based stack cannot reproduce; empty = nothing.
std::vector<std::string> unsupported_features(const nlohmann::json& report);

// ErrorKind::invalid_argument when unsupported_features() is not empty (the message lists them all) or the
// report lacks the hello, the h2 preface or the navigation.
Result<BuiltProfile> build_profile(const nlohmann::json& report, const std::string& name);

}  // namespace wraith::capture
