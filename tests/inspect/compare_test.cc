// compare_http on the ground-truth captures themselves: runs of the same browser agree on every stable
// field, a different client (curl) or a changed field is caught and named.
#include <algorithm>

#include <gtest/gtest.h>

#include "inspect/compare_h2.h"
#include "test_client.h"

using namespace wraith;
using namespace wraith::inspect;
using namespace wraith::inspect::testing;

namespace {

std::vector<std::string> differing(const nlohmann::json& a, const nlohmann::json& b) {
  return fingerprint::differing_fields(compare_http(a, b));
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST(InspectCompare, IndependentChromiumRunsAgreeOnEveryStableField) {
  auto run1 = load_fixture("chromium-156-run1.json");
  for (const char* other : {"chromium-156-run2.json", "chromium-156-run3.json", "chromium-156-sni.json"}) {
    auto fields = compare_http(load_fixture(other), run1);
    EXPECT_TRUE(fingerprint::all_match(fields)) << other << "\n" << fingerprint::describe(fields, true);
    EXPECT_GT(fields.size(), 40u);
  }
}

TEST(InspectCompare, HeadlessAndHeadfulDifferOnlyInUserAgent) {
  auto headful = load_fixture("chromium-156-headful.json");
  auto ua = load_fixture("chromium-156-ua.json");
  EXPECT_TRUE(differing(headful, ua).empty()) << fingerprint::describe(compare_http(headful, ua), true);
  auto diffs = differing(load_fixture("chromium-156.json"), headful);
  EXPECT_EQ(diffs, std::vector<std::string>{"header user-agent"});
}

TEST(InspectCompare, CurlDiffersWhereItShould) {
  auto diffs = differing(load_fixture("curl.json"), load_fixture("chromium-156.json"));
  for (const char* field : {"h2.settings", "h2.initial_window_update", "h2.akamai", "headers_frame.flag_names",
                            "headers_frame.priority", "request.pseudo_header_order", "request.header_order",
                            "header user-agent", "header sec-ch-ua", "hpack sec-ch-ua"})
    EXPECT_TRUE(contains(diffs, field)) << field;
  EXPECT_FALSE(contains(diffs, "header :authority"));  // excluded: per-connection port
  EXPECT_FALSE(contains(diffs, "h2.preface_frame_sequence"));  // both send SETTINGS, WINDOW_UPDATE, HEADERS
}

TEST(InspectCompare, EachStableH2FieldIsChecked) {
  const auto reference = load_fixture("chromium-156.json");
  struct Mutation {
    const char* expect;
    std::function<void(nlohmann::json&)> apply;
  };
  const std::vector<Mutation> mutations = {
      {"h2.settings", [](auto& d) { d["h2"]["settings"][1]["value"] = 1; }},
      {"h2.initial_window_update", [](auto& d) { d["h2"]["initial_window_update"] = 65535; }},
      {"h2.preface_frame_sequence", [](auto& d) { d["h2"]["preface_frame_sequence"].push_back("PRIORITY(s3)"); }},
      {"h2.priority_frames_before_first_headers",
       [](auto& d) { d["h2"]["priority_frames_before_first_headers"].push_back({{"stream_id", 3}}); }},
      {"headers_frame.priority", [](auto& d) { d["request"]["headers_frame"]["priority"]["weight"] = 220; }},
      {"headers_frame.continuation_frames", [](auto& d) { d["request"]["headers_frame"]["continuation_frames"] = 1; }},
      {"request.pseudo_header_order", [](auto& d) { std::swap(d["request"]["pseudo_header_order"][1], d["request"]["pseudo_header_order"][2]); }},
      {"request.header_order", [](auto& d) { std::swap(d["request"]["header_order"][0], d["request"]["header_order"][1]); }},
      {"header accept-language", [](auto& d) { d["request"]["headers"][15][1] = "de"; }},
      {"hpack :path", [](auto& d) { d["request"]["hpack"]["fields"][3]["repr"] = "literal_incremental"; }},
      {"hpack accept", [](auto& d) { d["request"]["hpack"]["fields"][9]["huffman_value"] = false; }},
      {"hpack :method", [](auto& d) { d["request"]["hpack"]["fields"][0]["table"] = "dynamic"; }},
      {"hpack.table_size_updates", [](auto& d) { d["request"]["hpack"]["table_size_updates"].push_back(0); }},
      {"h2.client_acked_our_settings", [](auto& d) { d["h2"]["client_acked_our_settings"] = false; }},
  };
  for (const auto& m : mutations) {
    auto ours = reference;
    m.apply(ours);
    auto diffs = differing(ours, reference);
    EXPECT_TRUE(contains(diffs, m.expect)) << m.expect << " not caught; differing: " << diffs.size();
  }
  // Per-connection values are excluded on purpose.
  auto ours = reference;
  ours["request"]["headers"][1][1] = "127.0.0.1:1";  // :authority
  ours["request"]["headers"][3][1] = "/?label=other";  // :path
  ours["request"]["hpack"]["fields"][3]["huffman_value"] = false;
  EXPECT_TRUE(differing(ours, reference).empty());
}

TEST(InspectCompare, EachStableH1FieldIsChecked) {
  const auto reference = load_fixture("chromium-156-http1.json");
  EXPECT_TRUE(differing(reference, reference).empty());
  auto ours = reference;
  ours["request"]["raw_header_lines"][3] = "sec-ch-ua-mobile:  ?0";  // spacing
  EXPECT_TRUE(contains(differing(ours, reference), "raw line sec-ch-ua-mobile"));
  ours = reference;
  ours["request"]["raw_header_lines"][5] = "upgrade-insecure-requests: 1";  // case
  EXPECT_TRUE(contains(differing(ours, reference), "raw line upgrade-insecure-requests"));
  ours = reference;
  ours["request"]["raw_header_lines"][0] = "host: 127.0.0.1:1";  // Host value is excluded, its case is not
  EXPECT_TRUE(contains(differing(ours, reference), "raw line host"));
  ours["request"]["raw_header_lines"][0] = "Host: 10.0.0.1:443";
  EXPECT_TRUE(differing(ours, reference).empty());
  ours["request"]["header_order"][0] = "Connection";
  EXPECT_TRUE(contains(differing(ours, reference), "request.header_order"));
}

TEST(InspectCompare, ExclusionsAreNamedWithReasons) {
  for (const auto& [name, why] : excluded_header_values()) {
    EXPECT_FALSE(name.empty());
    EXPECT_FALSE(why.empty());
  }
  EXPECT_EQ(excluded_header_values().size(), 6u);
}

TEST(InspectCompare, LaterRequestsCompareOnTheirOwn) {
  auto run1 = load_fixture("chromium-156-run1.json");
  auto sni = load_fixture("chromium-156-sni.json");
  ASSERT_GT(run1["requests"].size(), 1u);
  auto fields = compare_request(sni, run1, 1);  // both favicons
  EXPECT_TRUE(fingerprint::all_match(fields)) << fingerprint::describe(fields, true);
  EXPECT_GT(fields.size(), 30u);
  auto first_vs_second = run1;
  first_vs_second["requests"][1] = run1["requests"][0];
  auto diffs = fingerprint::differing_fields(compare_request(first_vs_second, run1, 1));
  EXPECT_TRUE(contains(diffs, "headers_frame.priority"));  // weight 256 vs 220
  EXPECT_TRUE(contains(diffs, "hpack user-agent"));        // literal vs dynamic-indexed
  auto missing = compare_request(run1, run1, 7);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_TRUE(missing[0].match);  // absent on both sides
}
