#include "inspect/compare_h2.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "inspect/ja4h.h"

namespace wraith::inspect {
namespace {

using fingerprint::FieldComparison;
using nlohmann::json;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool excluded(const std::string& name) {
  const std::string n = lower(name);
  for (const auto& [x, why] : excluded_header_values())
    if (x == n) return true;
  return false;
}

// The value at a '/'-separated path, or null when any step is missing.
const json& at(const json& doc, const std::string& path) {
  static const json null_value;
  const json* node = &doc;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::string key = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!node->is_object()) return null_value;
    auto it = node->find(key);
    if (it == node->end()) return null_value;
    node = &*it;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return *node;
}

std::string text(const json& v) {
  if (v.is_null()) return "absent";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); })) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ",") + e.get<std::string>();
    return out.empty() ? "(empty)" : out;
  }
  return v.dump();
}

void add(std::vector<FieldComparison>& out, std::string field, const json& ours, const json& reference) {
  FieldComparison f;
  f.field = std::move(field);
  f.ours = text(ours);
  f.reference = text(reference);
  f.match = ours == reference;
  out.push_back(std::move(f));
}

void add_text(std::vector<FieldComparison>& out, std::string field, std::string ours, std::string reference) {
  FieldComparison f;
  f.field = std::move(field);
  f.match = ours == reference;
  f.ours = std::move(ours);
  f.reference = std::move(reference);
  out.push_back(std::move(f));
}

std::string settings_text(const json& settings) {
  if (!settings.is_array()) return "absent";
  std::string out;
  for (const auto& s : settings)
    out += (out.empty() ? "" : ";") + std::to_string(s.value("id", 0)) + ":" + std::to_string(s.value("value", 0u));
  return out;
}

// "name: indexed #2 static", "name: literal_incremental name#58 value:huffman", "name: literal_incremental
// name:literal(huffman) value:raw"
std::string hpack_text(const json& field, bool compare_value_huffman) {
  std::string repr = field.value("repr", "?");
  if (repr == "indexed")
    return repr + " #" + std::to_string(field.value("index", 0)) + " " + field.value("table", "?");
  std::string out = repr;
  const json& name_index = at(field, "name_index");
  if (name_index.is_number()) out += " name#" + std::to_string(name_index.get<std::uint32_t>());
  else out += std::string(" name:literal(") + (field.value("huffman_name", false) ? "huffman" : "raw") + ")";
  if (compare_value_huffman) out += std::string(" value:") + (field.value("huffman_value", false) ? "huffman" : "raw");
  return out;
}

// Header (name, value) pairs by lowercase name, values of repeated names joined by '\n', in first-seen order.
std::vector<std::pair<std::string, std::string>> header_values(const json& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!headers.is_array()) return out;
  for (const auto& pair : headers) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) continue;
    std::string name = lower(pair[0].get<std::string>());
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
    if (it == out.end()) out.emplace_back(name, pair[1].get<std::string>());
    else it->second += "\n" + pair[1].get<std::string>();
  }
  return out;
}

// Names in reference order first, then the extra ones ours has.
std::vector<std::string> union_names(const std::vector<std::pair<std::string, std::string>>& ours,
                                     const std::vector<std::pair<std::string, std::string>>& reference) {
  std::vector<std::string> names;
  for (const auto& [n, v] : reference) names.push_back(n);
  for (const auto& [n, v] : ours)
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  return names;
}

std::string lookup(const std::vector<std::pair<std::string, std::string>>& values, const std::string& name) {
  for (const auto& [n, v] : values)
    if (n == name) return v;
  return "absent";
}

void compare_header_values(std::vector<FieldComparison>& out, const json& ours, const json& reference) {
  auto o = header_values(at(ours, "request/headers"));
  auto r = header_values(at(reference, "request/headers"));
  for (const auto& name : union_names(o, r)) {
    if (excluded(name)) continue;
    add_text(out, "header " + name, lookup(o, name), lookup(r, name));
  }
}

void compare_hpack(std::vector<FieldComparison>& out, const json& ours, const json& reference) {
  // Per name, the representations of its occurrences in order.
  auto collect = [](const json& doc) {
    std::vector<std::pair<std::string, std::string>> reprs;
    const json& fields = at(doc, "request/hpack/fields");
    if (!fields.is_array()) return reprs;
    for (const auto& f : fields) {
      std::string name = f.value("name", "?");
      std::string t = hpack_text(f, !excluded(name));
      auto it = std::find_if(reprs.begin(), reprs.end(), [&](const auto& p) { return p.first == name; });
      if (it == reprs.end()) reprs.emplace_back(name, t);
      else it->second += " | " + t;
    }
    return reprs;
  };
  auto o = collect(ours);
  auto r = collect(reference);
  for (const auto& name : union_names(o, r)) add_text(out, "hpack " + name, lookup(o, name), lookup(r, name));
  add(out, "hpack.table_size_updates", at(ours, "request/hpack/table_size_updates"),
      at(reference, "request/hpack/table_size_updates"));
}

void compare_h2(std::vector<FieldComparison>& out, const json& ours, const json& reference) {
  add_text(out, "h2.settings", settings_text(at(ours, "h2/settings")), settings_text(at(reference, "h2/settings")));
  add(out, "h2.initial_window_update", at(ours, "h2/initial_window_update"), at(reference, "h2/initial_window_update"));
  add(out, "h2.preface_frame_sequence", at(ours, "h2/preface_frame_sequence"), at(reference, "h2/preface_frame_sequence"));
  add(out, "h2.priority_frames_before_first_headers", at(ours, "h2/priority_frames_before_first_headers"),
      at(reference, "h2/priority_frames_before_first_headers"));
  add(out, "h2.akamai", at(ours, "h2/akamai/string"), at(reference, "h2/akamai/string"));
  add(out, "h2.client_acked_our_settings", at(ours, "h2/client_acked_our_settings"),
      at(reference, "h2/client_acked_our_settings"));
}

// The fields of doc["request"] (h2).
void compare_h2_request(std::vector<FieldComparison>& out, const json& ours, const json& reference) {
  for (const char* key : {"flag_names", "priority", "padded", "continuation_frames"})
    add(out, std::string("headers_frame.") + key, at(ours, std::string("request/headers_frame/") + key),
        at(reference, std::string("request/headers_frame/") + key));
  add(out, "request.method", at(ours, "request/method"), at(reference, "request/method"));
  add(out, "request.scheme", at(ours, "request/scheme"), at(reference, "request/scheme"));
  add(out, "request.protocol", at(ours, "request/protocol"), at(reference, "request/protocol"));
  add(out, "request.pseudo_header_order", at(ours, "request/pseudo_header_order"),
      at(reference, "request/pseudo_header_order"));
  add(out, "request.header_order", at(ours, "request/header_order"), at(reference, "request/header_order"));
  compare_header_values(out, ours, reference);
  compare_hpack(out, ours, reference);
}

// A raw header line with an excluded value masked, so its name case and spacing are still compared.
std::string masked_line(const std::string& line) {
  std::size_t colon = line.find(':');
  if (colon == std::string::npos || !excluded(line.substr(0, colon))) return line;
  std::size_t v = colon + 1;
  while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
  return line.substr(0, v) + "<per-connection>";
}

void compare_h1(std::vector<FieldComparison>& out, const json& ours, const json& reference) {
  add(out, "request.method", at(ours, "request/method"), at(reference, "request/method"));
  add(out, "request.http_version", at(ours, "request/http_version"), at(reference, "request/http_version"));
  add(out, "request.header_order", at(ours, "request/header_order"), at(reference, "request/header_order"));
  add(out, "request.header_order_lower", at(ours, "request/header_order_lower"),
      at(reference, "request/header_order_lower"));
  add(out, "request.spaces_after_colon", at(ours, "request/spaces_after_colon"),
      at(reference, "request/spaces_after_colon"));
  auto lines = [](const json& doc) {
    std::vector<std::pair<std::string, std::string>> byname;
    const json& raw = at(doc, "request/raw_header_lines");
    if (!raw.is_array()) return byname;
    for (const auto& l : raw) {
      if (!l.is_string()) continue;
      std::string line = l.get<std::string>();
      std::string name = lower(line.substr(0, line.find(':')));
      auto it = std::find_if(byname.begin(), byname.end(), [&](const auto& p) { return p.first == name; });
      if (it == byname.end()) byname.emplace_back(name, masked_line(line));
      else it->second += "\n" + masked_line(line);
    }
    return byname;
  };
  auto o = lines(ours);
  auto r = lines(reference);
  for (const auto& name : union_names(o, r)) add_text(out, "raw line " + name, lookup(o, name), lookup(r, name));
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& excluded_header_values() {
  static const std::vector<std::pair<std::string, std::string>> list = {
      {":authority", "host:port of the capture server; the port is ephemeral"},
      {"host", "host:port of the capture server; the port is ephemeral"},
      {":path", "carries the capture's ?label= query"},
      {"referer", "contains the origin, so the ephemeral port"},
      {"origin", "contains the origin, so the ephemeral port"},
      {"cookie", "per-session state"},
  };
  return list;
}

std::vector<FieldComparison> compare_http(const json& ours, const json& reference) {
  std::vector<FieldComparison> out;
  add(out, "http_version", at(ours, "http_version"), at(reference, "http_version"));
  const bool h2 = at(reference, "http_version") == "h2" || at(ours, "http_version") == "h2";
  if (h2) {
    compare_h2(out, ours, reference);
    compare_h2_request(out, ours, reference);
  } else {
    compare_h1(out, ours, reference);
  }
  auto ja4h_of = [](const json& doc) {
    const json& version = at(doc, "http_version");
    return version.is_string() ? ja4h(at(doc, "request"), version.get<std::string>()) : std::string("absent");
  };
  add_text(out, "ja4h", ja4h_of(ours), ja4h_of(reference));
  return out;
}

std::vector<FieldComparison> compare_request(const json& ours, const json& reference, std::size_t index) {
  std::vector<FieldComparison> out;
  auto pick = [index](const json& doc) {
    json view;
    view["http_version"] = at(doc, "http_version");
    const json& requests = at(doc, "requests");
    view["request"] = requests.is_array() && index < requests.size() ? requests[index] : json();
    return view;
  };
  const json o = pick(ours), r = pick(reference);
  add(out, "request present", json(o["request"].is_object()), json(r["request"].is_object()));
  if (!o["request"].is_object() || !r["request"].is_object()) return out;
  const bool h2 = r["http_version"] == "h2" || o["http_version"] == "h2";
  if (h2) compare_h2_request(out, o, r);
  else compare_h1(out, o, r);
  return out;
}

}  // namespace wraith::inspect
