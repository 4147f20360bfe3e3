#include "capture/profile_builder.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "capture/capture_report.h"
#include "fingerprint/client_hello.h"
#include "util/hex.h"
#include "wraith/profile.h"

namespace wraith::capture {
namespace {

using nlohmann::json;
namespace ext = fingerprint::ext;

std::string hex16(std::uint16_t v) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "%04x", v);
  return buf;
}

json u16_list(const std::vector<std::uint16_t>& values) {
  json out = json::array();
  for (auto v : values)
    if (!fingerprint::is_grease(v)) out.push_back(hex16(v));
  return out;
}

Result<fingerprint::ClientHello> hello_of(const json& report) {
  const auto it = report.find("tls_raw_client_hello_hex");
  if (it == report.end() || !it->is_string()) return Error(ErrorKind::invalid_argument, "the report has no ClientHello");
  auto bytes = util::from_hex(it->get<std::string>());
  if (!bytes) return Error(ErrorKind::invalid_argument, "the report's ClientHello is not hex");
  return fingerprint::parse_client_hello(*bytes);
}

// Extensions wraith's TLS profile knows how to produce (BoringSSL as built from Chromium's source).
const std::set<std::uint16_t>& emittable_extensions() {
  static const std::set<std::uint16_t> known = {
      ext::server_name, ext::status_request, ext::supported_groups, ext::ec_point_formats,
      ext::signature_algorithms, ext::alpn, 0x0012 /* signed_certificate_timestamp */, 0x0017 /* extended_master_secret */,
      ext::compress_certificate, ext::session_ticket, ext::pre_shared_key, ext::supported_versions,
      ext::psk_key_exchange_modes, ext::key_share, ext::alps_old, ext::alps_new, ext::trust_anchors,
      ext::encrypted_client_hello, 0xff01 /* renegotiation_info */};
  return known;
}

// BoringSSL's extension order when it does not permute (its kExtensions table); Chrome permutes, so a
// browser hello in exactly this order was not permuted.
const std::vector<std::uint16_t>& boringssl_fixed_order() {
  static const std::vector<std::uint16_t> order = {
      ext::server_name, ext::encrypted_client_hello, 0x0017, 0xff01, ext::supported_groups, ext::ec_point_formats,
      ext::session_ticket, ext::alpn, ext::status_request, ext::signature_algorithms, 0x0012, ext::key_share,
      ext::psk_key_exchange_modes, ext::supported_versions, ext::compress_certificate, ext::alps_old, ext::alps_new,
      ext::trust_anchors, ext::pre_shared_key};
  return order;
}

// Chrome's Title-Case for HTTP/1.1 names (sec-ch-* stay lowercase, as Blink sets them).
std::string h1_name(const std::string& lower) {
  if (lower.rfind("sec-ch-", 0) == 0) return lower;
  std::string out = lower;
  bool start = true;
  for (auto& c : out) {
    if (start) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = c == '-';
  }
  return out;
}

// Header values computed per request or derived from client_hints.
const std::map<std::string, std::string>& placeholders() {
  static const std::map<std::string, std::string> p = {
      {"sec-ch-ua", "{sec-ch-ua}"},         {"sec-ch-ua-mobile", "{sec-ch-ua-mobile}"},
      {"sec-ch-ua-platform", "{sec-ch-ua-platform}"}, {"user-agent", "{user-agent}"},
      {"sec-fetch-site", "{sec-fetch-site}"}, {"origin", "{origin}"},
      {"referer", "{referer}"},             {"cookie", "{cookie}"},
      {"content-type", "{content-type}"},   {"content-length", "{content-length}"}};
  return p;
}

// Inserts `name` before the first of `before` present (else at the end) when the capture did not show it.
void insert_missing(HeaderList& headers, const std::string& name, std::initializer_list<const char*> before) {
  for (const auto& [n, v] : headers)
    if (n == name) return;
  auto pos = headers.end();
  for (const char* b : before) {
    pos = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == b; });
    if (pos != headers.end()) break;
  }
  headers.insert(pos, {name, placeholders().at(name)});
}

json headers_json(const HeaderList& list) {
  json out = json::array();
  for (const auto& [n, v] : list) out.push_back({n, v});
  return out;
}

json kind_json(const json& request, std::vector<std::string>& notes, const std::string& kind) {
  HeaderList h2;
  for (const auto& pair : request["headers"]) {
    const auto name = pair.at(0).get<std::string>();
    if (!name.empty() && name[0] == ':') continue;
    const auto p = placeholders().find(name);
    h2.emplace_back(name, p != placeholders().end() ? p->second : pair.at(1).get<std::string>());
  }
  // Seen only in some contexts (a cookie in the jar, a referring page): Chrome puts referer right before
  // accept-encoding and cookie right after accept-language.
  const bool had_referer = std::any_of(h2.begin(), h2.end(), [](const auto& h) { return h.first == "referer"; });
  const bool had_cookie = std::any_of(h2.begin(), h2.end(), [](const auto& h) { return h.first == "cookie"; });
  insert_missing(h2, "referer", {"accept-encoding"});
  insert_missing(h2, "cookie", {"priority"});
  if (!had_referer) notes.push_back(kind + ": referer not seen; placed before accept-encoding");
  if (!had_cookie) notes.push_back(kind + ": cookie not seen; placed before priority");
  HeaderList h1 = {{"Host", "{authority}"}, {"Connection", "keep-alive"}};
  for (const auto& [n, v] : h2)
    if (n != "priority") h1.emplace_back(h1_name(n), v);
  const auto& priority = request["headers_frame"]["priority"];
  json k = {{"h2_headers", headers_json(h2)}, {"h1_headers", headers_json(h1)}};
  if (priority.is_object()) {
    k["weight"] = priority.value("weight", 256);
    k["exclusive"] = priority.value("exclusive", 0) != 0;
    k["depends_on"] = priority.value("depends_on", 0);
  }
  return k;
}

std::string header_value(const json& request, const std::string& name) {
  for (const auto& pair : request["headers"])
    if (pair.at(0) == name) return pair.at(1).get<std::string>();
  return "";
}

// sec-ch-ua: '"Not:A-Brand";v="8", "Chromium";v="156"'. The GREASE brand is the one with characters
// outside letters, digits and spaces (Chromium's brand GREASE); the others are the real brands.
json brands_of(const std::string& sec_ch_ua) {
  json brands = json::array();
  std::size_t pos = 0;
  while ((pos = sec_ch_ua.find('"', pos)) != std::string::npos) {
    const auto end = sec_ch_ua.find('"', pos + 1);
    if (end == std::string::npos) break;
    const std::string brand = sec_ch_ua.substr(pos + 1, end - pos - 1);
    pos = sec_ch_ua.find(',', end);
    const bool grease = std::any_of(brand.begin(), brand.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != ' '; });
    if (!grease && brand.rfind("v=", 0) != 0) brands.push_back(brand);
    if (pos == std::string::npos) break;
  }
  std::sort(brands.begin(), brands.end());
  return brands;
}

std::string literal_kind(const std::string& repr) {
  if (repr == "literal_without_indexing") return "without_indexing";
  if (repr == "literal_never_indexed") return "never_indexed";
  return "incremental";
}

}  // namespace

std::vector<std::string> unsupported_features(const json& report) {
  std::vector<std::string> problems;
  auto hello = hello_of(report);
  if (!hello) return {hello.error().message};
  for (const auto& e : hello->extensions) {
    if (fingerprint::is_grease(e.type) || emittable_extensions().count(e.type)) continue;
    if (e.type == ext::delegated_credentials) problems.push_back("delegated_credentials (extension 34)");
    else if (e.type == ext::record_size_limit) problems.push_back("record_size_limit (extension 28)");
    else if (e.type == ext::padding) problems.push_back("padding (extension 21) with a fixed length");
    else problems.push_back("extension " + std::to_string(e.type));
  }
  if (hello->supported_groups)
    for (auto g : *hello->supported_groups)
      if (g >= 0x0100 && g <= 0x01ff) problems.push_back("FFDHE group 0x" + hex16(g));
  if (!hello->compression_methods.empty() &&
      (hello->compression_methods.size() != 1 || hello->compression_methods[0] != 0))
    problems.push_back("compression methods other than null");
  if (report.value("http_version", std::string()) != "h2") problems.push_back("the browser did not use HTTP/2");
  return problems;
}

Result<BuiltProfile> build_profile(const json& report, const std::string& name) {
  auto problems = unsupported_features(report);
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    return Error(ErrorKind::invalid_argument, "the browser uses what wraith cannot reproduce: " + all, "capture");
  }
  auto hello = hello_of(report);
  if (!hello) return hello.error();
  const auto nav_index = request_index_of(report, "navigate");
  if (!nav_index) return Error(ErrorKind::invalid_argument, "the report has no capture-page navigation", "capture");
  const json& navigation = report["requests"][*nav_index];

  BuiltProfile built;
  json tls;
  tls["cipher_suites"] = u16_list(hello->cipher_suites);
  std::vector<std::uint16_t> versions;
  for (auto v : hello->supported_versions.value_or(std::vector<std::uint16_t>{hello->legacy_version}))
    if (!fingerprint::is_grease(v)) versions.push_back(v);
  if (versions.empty()) return Error(ErrorKind::invalid_argument, "no TLS version offered", "capture");
  tls["min_version"] = hex16(*std::min_element(versions.begin(), versions.end()));
  tls["max_version"] = hex16(*std::max_element(versions.begin(), versions.end()));
  tls["groups"] = u16_list(hello->supported_groups.value_or(std::vector<std::uint16_t>{}));
  std::vector<std::uint16_t> shares;
  for (const auto& k : hello->key_shares.value_or(std::vector<fingerprint::KeyShareEntry>{})) shares.push_back(k.group);
  tls["key_share_groups"] = u16_list(shares);
  const auto sigalgs = hello->signature_algorithms.value_or(std::vector<std::uint16_t>{});
  tls["signature_algorithms"] = u16_list(sigalgs);
  tls["grease"] = !hello->cipher_suites.empty() && fingerprint::is_grease(hello->cipher_suites[0]);
  tls["grease_signature_algorithm"] = !sigalgs.empty() && fingerprint::is_grease(sigalgs[0]);
  std::vector<std::uint16_t> order;
  for (const auto& e : hello->extensions)
    if (!fingerprint::is_grease(e.type)) order.push_back(e.type);
  std::vector<std::uint16_t> fixed;
  for (auto t : boringssl_fixed_order())
    if (std::find(order.begin(), order.end(), t) != order.end()) fixed.push_back(t);
  tls["permute_extensions"] = fixed != order;
  tls["alpn"] = hello->alpn.value_or(std::vector<std::string>{});
  json alps = json::array();
  bool new_codepoint = true;
  for (const auto& a : hello->alps) {
    for (const auto& p : a.protocols) alps.push_back(p);
    new_codepoint = a.codepoint == ext::alps_new;
  }
  tls["alps_protocols"] = alps;
  tls["alps_new_codepoint"] = new_codepoint;
  json compression = json::array();
  for (auto c : hello->compress_certificate.value_or(std::vector<std::uint16_t>{})) compression.push_back(c);
  tls["cert_compression"] = compression;
  tls["ech_grease"] = hello->ech.has_value();
  tls["ocsp_stapling"] = hello->status_request.has_value();
  tls["signed_cert_timestamps"] = hello->has_extension(0x0012);
  tls["trust_anchors"] = hello->trust_anchor_ids.has_value();
  json anchors = json::array();
  for (const auto& id : hello->trust_anchor_ids.value_or(std::vector<std::vector<std::uint8_t>>{}))
    anchors.push_back(util::to_hex(id));
  tls["trust_anchor_ids"] = anchors;
  tls["session_tickets"] = hello->session_ticket_length.has_value();

  const json& h2doc = report["h2"];
  json settings = json::array();
  for (const auto& s : h2doc["settings"]) settings.push_back({s["id"], s["value"]});
  json h2 = {{"settings", settings},
             {"connection_window_update", h2doc["initial_window_update"].is_number() ? h2doc["initial_window_update"] : json(0)},
             {"pseudo_header_order", navigation["pseudo_header_order"]}};
  const auto& flags = navigation["headers_frame"]["flag_names"];
  h2["headers_priority"] = std::find(flags.begin(), flags.end(), "PRIORITY") != flags.end();
  // HPACK: literal kinds as seen on the navigation (first request: every field is a literal or static hit).
  std::string pseudo_literal = "without_indexing", default_literal = "incremental";
  json per_name = json::array();
  for (const auto& f : navigation["hpack"]["fields"]) {
    const std::string repr = f.value("repr", std::string());
    if (repr == "indexed") continue;
    const std::string field = f.value("name", std::string());
    if (field == ":path") pseudo_literal = literal_kind(repr);
    if (field == "user-agent") default_literal = literal_kind(repr);
  }
  for (const auto& f : navigation["hpack"]["fields"]) {
    const std::string repr = f.value("repr", std::string()), field = f.value("name", std::string());
    if (repr == "indexed" || field.empty()) continue;
    const std::string want = field[0] == ':' ? pseudo_literal : default_literal;
    if (literal_kind(repr) != want) per_name.push_back({field, literal_kind(repr)});
  }
  h2["hpack"] = {{"index_exact_matches", true}, {"default_literal", default_literal},
                 {"pseudo_header_literal", pseudo_literal}, {"per_name", per_name},
                 {"huffman", "shorter"}, {"crumble_cookies", true}};
  built.notes.push_back("hpack: Huffman \"shorter\" and cookie crumbling assumed (Chromium's behaviour; no cookie was sent)");

  json kinds = json::object();
  kinds["navigate"] = kind_json(navigation, built.notes, "navigate");
  for (const char* kind : kCaptureKinds)
    if (auto i = request_index_of(report, kind)) kinds[kind] = kind_json(report["requests"][*i], built.notes, kind);

  const std::string ua = header_value(navigation, "user-agent");
  int major = 0;
  if (auto p = ua.find("Chrome/"); p != std::string::npos) major = std::atoi(ua.c_str() + p + 7);
  std::string platform = header_value(navigation, "sec-ch-ua-platform");
  if (platform.size() >= 2 && platform.front() == '"') platform = platform.substr(1, platform.size() - 2);
  json hints = {{"major_version", major},
                {"brands", brands_of(header_value(navigation, "sec-ch-ua"))},
                {"platform", platform},
                {"mobile", header_value(navigation, "sec-ch-ua-mobile") == "?1"},
                {"user_agent", ua}};
  built.document = {{"name", name},
                    {"description", "captured from " + ua},
                    {"tls", tls},
                    {"h2", h2},
                    {"client_hints", hints},
                    {"kinds", kinds}};
  return built;
}

}  // namespace wraith::capture
