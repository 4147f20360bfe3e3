// Profiles built from capture-page reports (capture/profile_builder.h).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "capture/browser_run.h"
#include "capture/capture_report.h"
#include "capture/profile_builder.h"
#include "replay.h"
#include "wraith/profile.h"

using namespace wraith;
using namespace wraith::inspect::testing;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

Profile parse(const nlohmann::json& document) {
  auto p = parse_profile_json(document.dump(), "built");
  if (!p) throw std::runtime_error(p.error().describe());
  return *p;
}

}  // namespace

// The committed capture (desktop UA) yields exactly the built-in chromium156 profile's wire behaviour.
TEST(CaptureProfile, CommittedCaptureReproducesTheBuiltinProfile) {
  auto built = capture::build_profile(load_fixture("chromium-156-form.json"), "captured");
  ASSERT_TRUE(built) << built.error().describe();
  const Profile ours = parse(built->document);
  const Profile builtin = *builtin_profile("chromium156");
  const auto& a = ours.tls;
  const auto& b = builtin.tls;
  EXPECT_EQ(a.cipher_suites, b.cipher_suites);
  EXPECT_EQ(a.min_version, b.min_version);
  EXPECT_EQ(a.max_version, b.max_version);
  EXPECT_EQ(a.groups, b.groups);
  EXPECT_EQ(a.key_share_groups, b.key_share_groups);
  EXPECT_EQ(a.signature_algorithms, b.signature_algorithms);
  EXPECT_EQ(a.grease, b.grease);
  EXPECT_EQ(a.grease_signature_algorithm, b.grease_signature_algorithm);
  EXPECT_EQ(a.permute_extensions, b.permute_extensions);
  EXPECT_EQ(a.alpn, b.alpn);
  EXPECT_EQ(a.alps_protocols, b.alps_protocols);
  EXPECT_EQ(a.alps_new_codepoint, b.alps_new_codepoint);
  EXPECT_EQ(a.cert_compression, b.cert_compression);
  EXPECT_EQ(a.ech_grease, b.ech_grease);
  EXPECT_EQ(a.ocsp_stapling, b.ocsp_stapling);
  EXPECT_EQ(a.signed_cert_timestamps, b.signed_cert_timestamps);
  EXPECT_EQ(a.trust_anchors, b.trust_anchors);
  EXPECT_EQ(a.trust_anchor_ids, b.trust_anchor_ids);
  EXPECT_EQ(a.session_tickets, b.session_tickets);
  EXPECT_EQ(ours.h2.settings, builtin.h2.settings);
  EXPECT_EQ(ours.h2.connection_window_update, builtin.h2.connection_window_update);
  EXPECT_EQ(ours.h2.pseudo_header_order, builtin.h2.pseudo_header_order);
  EXPECT_EQ(ours.h2.headers_priority, builtin.h2.headers_priority);
  EXPECT_EQ(ours.h2.hpack.default_literal, builtin.h2.hpack.default_literal);
  EXPECT_EQ(ours.h2.hpack.pseudo_header_literal, builtin.h2.hpack.pseudo_header_literal);
  EXPECT_EQ(ours.h2.hpack.per_name, builtin.h2.hpack.per_name);
  for (const char* kind : {"navigate", "fetch", "xhr", "image", "form"}) {
    ASSERT_TRUE(ours.kinds.count(kind)) << kind;
    const auto& k = ours.kinds.at(kind);
    const auto& r = builtin.kinds.at(kind);
    EXPECT_EQ(k.weight, r.weight) << kind;
    EXPECT_EQ(k.exclusive, r.exclusive) << kind;
    EXPECT_EQ(k.depends_on, r.depends_on) << kind;
    // The capture has no cookie and (navigation) no referer, so the builder places those from Chrome's rule;
    // the fetch template also carries origin / content-type / content-length slots only a POST fetch shows.
    auto without_unseen = [](HeaderList list) {
      std::erase_if(list, [](const auto& h) {
        return h.first == "origin" || h.first == "content-type" || h.first == "content-length" ||
               h.first == "Origin" || h.first == "Content-Type" || h.first == "Content-Length";
      });
      return list;
    };
    const bool post = std::string(kind) == "form";
    EXPECT_EQ(post ? k.h2_headers : without_unseen(k.h2_headers), post ? r.h2_headers : without_unseen(r.h2_headers)) << kind;
    EXPECT_EQ(post ? k.h1_headers : without_unseen(k.h1_headers), post ? r.h1_headers : without_unseen(r.h1_headers)) << kind;
  }
  EXPECT_EQ(built->document["client_hints"]["brands"], nlohmann::json::array({"Chromium"}));
  EXPECT_EQ(built->document["client_hints"]["platform"], "Linux");
  EXPECT_EQ(built->document["client_hints"]["major_version"], 156);
}

// curl (OpenSSL 3.0) offers FFDHE groups, padding, encrypt_then_mac and post_handshake_auth: refused.
TEST(CaptureProfile, RefusesWhatBoringSslCannotEmit) {
  const auto curl = load_fixture("curl.json");
  const auto problems = capture::unsupported_features(curl);
  std::string all;
  for (const auto& p : problems) all += p + "; ";
  EXPECT_NE(all.find("FFDHE group 0x0100"), std::string::npos) << all;
  EXPECT_NE(all.find("padding"), std::string::npos) << all;
  EXPECT_NE(all.find("extension 22"), std::string::npos) << all;
  auto built = capture::build_profile(curl, "curl");
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(built.error().message.find("FFDHE"), std::string::npos);
  EXPECT_TRUE(capture::unsupported_features(load_fixture("chromium-156.json")).empty());
}

// The round trip of issue 5: capture Debian's Chromium, write the profile, load it from the file, and
// wraith with it is that browser on every stable field (TLS hello, preface, every kind's request).
TEST(CaptureProfile, LiveCaptureRoundTripsThroughAFile) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium;
  capture::BrowserRunOptions options;
  options.browser = kChromium;
  options.label = "roundtrip";
  auto report = capture::run_browser_capture(options);
  ASSERT_TRUE(report) << report.error().describe();
  auto built = capture::build_profile(*report, "captured-chromium");
  ASSERT_TRUE(built) << built.error().describe();
  const std::string path = std::filesystem::temp_directory_path() / ("wraith-captured-" + std::to_string(getpid()) + ".json");
  std::ofstream(path) << built->document.dump(1) << "\n";
  auto loaded = load_profile_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  RunningInspector inspector;
  ClientConfig config;
  config.profile_data = *loaded;
  const auto ours = capture::testing::replay_capture_page(inspector, config);
  ASSERT_TRUE(ours.is_object());
  std::string all;
  for (const auto& d : capture::testing::replay_differences(ours, *report)) all += d + "\n";
  EXPECT_TRUE(all.empty()) << all;
}

// Over HTTP/1.1 (the inspector offers only http/1.1): Chromium's header case and order per kind, live,
// against the built-in chromium156 profile's h1 templates.
TEST(CaptureProfile, Http1KindsMatchALiveHttp1Capture) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium;
  capture::BrowserRunOptions options;
  options.browser = kChromium;
  options.label = "h1";
  options.http1_only = true;
  options.extra_flags = {"--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/156.0.0.0 Safari/537.36"};
  auto report = capture::run_browser_capture(options);
  ASSERT_TRUE(report) << report.error().describe();
  ASSERT_EQ((*report)["http_version"], "http/1.1");
  inspect::InspectorOptions inspector_options;
  inspector_options.alpn = {"http/1.1"};
  RunningInspector inspector(inspector_options);
  ClientConfig config;
  config.profile = "chromium156";
  const auto ours = capture::testing::replay_capture_page(inspector, config);
  ASSERT_TRUE(ours.is_object());
  ASSERT_EQ(ours["http_version"], "http/1.1");
  std::string all;
  for (const auto& d : capture::testing::replay_differences(ours, *report)) all += d + "\n";
  EXPECT_TRUE(all.empty()) << all;
}
