// compare_client_hellos: captures of the same browser agree on every field; different clients and
// different connection kinds differ exactly where the README says they do.
#include <gtest/gtest.h>

#include <algorithm>

#include "fingerprint/compare.h"
#include "fingerprint/summary_json.h"
#include "test_support.h"

using namespace wraith::fingerprint;
using namespace wraith::fingerprint::testing;

namespace {

const FieldComparison* find_field(const std::vector<FieldComparison>& fields, const std::string& name) {
  for (const FieldComparison& f : fields)
    if (f.field == name) return &f;
  return nullptr;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

TEST(FingerprintCompare, ChromiumCapturesOfTheSameKindAllMatch) {
  const ClientHello run1 = parse_fixture_hello("chromium-156-run1.json");
  for (const char* other : {"chromium-156-run2.json", "chromium-156-run3.json", "chromium-156-ua.json",
                            "chromium-156-headful.json", "chromium-156-http1.json", "chromium-156.json"}) {
    const auto fields = compare_client_hellos(run1, parse_fixture_hello(other));
    EXPECT_TRUE(all_match(fields)) << other << ":\n" << describe(fields, true);
  }
}

TEST(FingerprintCompare, Run1AgainstRun2ShowsNormalisedValues) {
  const auto fields =
      compare_client_hellos(parse_fixture_hello("chromium-156-run1.json"), parse_fixture_hello("chromium-156-run2.json"));
  const FieldComparison* ciphers = find_field(fields, "cipher_suites");
  ASSERT_NE(ciphers, nullptr);
  EXPECT_EQ(ciphers->ours,
            "GREASE,0x1301,0x1302,0x1303,0xc02b,0xc02f,0xc02c,0xc030,0xcca9,0xcca8,0xc013,0xc014,0x009c,0x009d,0x002f,0x0035");
  const FieldComparison* positions = find_field(fields, "GREASE extension positions");
  ASSERT_NE(positions, nullptr);
  EXPECT_EQ(positions->ours, "first,last");
  const FieldComparison* ech = find_field(fields, "ech");
  ASSERT_NE(ech, nullptr);
  EXPECT_NE(ech->ours, ech->reference);  // payload 240 vs 208 (chromium-156-variance.txt) ...
  EXPECT_TRUE(ech->match);               // ... both within Chromium's set
  const FieldComparison* groups = find_field(fields, "supported_groups");
  ASSERT_NE(groups, nullptr);
  EXPECT_EQ(groups->ours, "GREASE,0x11ec X25519MLKEM768,0x001d x25519,0x0017 secp256r1,0x0018 secp384r1");
  // Extensions without a dedicated field are compared raw.
  ASSERT_NE(find_field(fields, "ext 0x0012 body"), nullptr);
  ASSERT_NE(find_field(fields, "ext 0xff01 body"), nullptr);
  EXPECT_EQ(find_field(fields, "ext 0xff01 body")->ours, "00");
  const std::string line = describe(*ciphers);
  EXPECT_NE(line.find(" | match"), std::string::npos);
}

TEST(FingerprintCompare, ChromiumAgainstCurlDiffers) {
  const auto fields =
      compare_client_hellos(parse_fixture_hello("chromium-156-run1.json"), parse_fixture_hello("curl.json"));
  const auto differing = differing_fields(fields);
  for (const char* name : {"ja4", "ja3n", "cipher_suites", "extension set", "GREASE cipher positions",
                           "GREASE extension positions", "supported_groups", "key_share", "signature_algorithms",
                           "alps", "compress_certificate", "trust_anchors", "ech", "status_request",
                           "supported_versions", "ec_point_formats", "padding", "session_ticket"})
    EXPECT_TRUE(contains(differing, name)) << name;
  EXPECT_FALSE(contains(differing, "alpn"));  // both offer h2,http/1.1
  EXPECT_FALSE(contains(differing, "legacy_version"));
  // curl's encrypt_then_mac and post_handshake_auth show up as raw-body fields, absent on our side.
  const FieldComparison* etm = find_field(fields, "ext 0x0016 body");
  ASSERT_NE(etm, nullptr);
  EXPECT_EQ(etm->ours, "absent");
  EXPECT_FALSE(etm->match);
}

TEST(FingerprintCompare, SniOnlyChangesServerNamePresence) {
  const ClientHello ip = parse_fixture_hello("chromium-156-run1.json");
  const ClientHello sni = parse_fixture_hello("chromium-156-sni.json");
  const auto fields = compare_client_hellos(sni, ip);
  const auto differing = differing_fields(fields);
  EXPECT_TRUE(contains(differing, "server_name"));
  EXPECT_TRUE(contains(differing, "ja4"));
  // server_name joins the extension list, so the lists that include every extension move with it.
  for (const std::string& name : differing)
    EXPECT_TRUE(name == "server_name" || name == "ja4" || name == "ja3n" || name == "extension set" ||
                name == "extension count")
        << name << ":\n" << describe(fields, true);
  const FieldComparison* ja4 = find_field(fields, "ja4");
  ASSERT_NE(ja4, nullptr);
  // d vs i and 17 vs 16 extensions; the hashes stay (SNI is excluded from the extension hash).
  EXPECT_EQ(ja4->ours.substr(0, 10), "t13d1517h2");
  EXPECT_EQ(ja4->reference.substr(0, 10), "t13i1516h2");
  EXPECT_EQ(ja4->ours.substr(10), ja4->reference.substr(10));
  EXPECT_EQ(find_field(fields, "server_name")->ours, "present (fpcheck.test)");

  // Two hellos that both carry SNI match on it even if the names differ.
  ClientHello renamed = sni;
  renamed.server_name = "other.example";
  EXPECT_TRUE(find_field(compare_client_hellos(sni, renamed), "server_name")->match);
}

TEST(FingerprintCompare, ResumedHelloHasPreSharedKeyLast) {
  const ClientHello resumed = parse_fixture_hello("chromium-156-resumed.json");
  ASSERT_TRUE(resumed.pre_shared_key);
  EXPECT_TRUE(resumed.pre_shared_key->is_last);
  EXPECT_EQ(resumed.pre_shared_key->identity_count, 1u);
  const auto fields = compare_client_hellos(resumed, parse_fixture_hello("chromium-156-run1.json"));
  const FieldComparison* psk = find_field(fields, "pre_shared_key");
  ASSERT_NE(psk, nullptr);
  EXPECT_FALSE(psk->match);
  EXPECT_EQ(psk->ours, "present, 1 identity, 1 binder, last extension");
  EXPECT_EQ(psk->reference, "absent");
  EXPECT_EQ(find_field(fields, "GREASE extension positions")->ours, "first,last-before-psk");
}

TEST(FingerprintCompare, GreaseValuesAndExtensionOrderAreNormalised) {
  const ClientHello base = parse_fixture_hello("chromium-156-run1.json");
  ClientHello changed = base;
  changed.cipher_suites[0] = changed.cipher_suites[0] == 0x1a1a ? 0x2a2a : 0x1a1a;
  std::swap(changed.extensions[1], changed.extensions[2]);
  EXPECT_TRUE(all_match(compare_client_hellos(changed, base)));
  // ... but a GREASE cipher moved away from the front is a difference.
  std::swap(changed.cipher_suites[0], changed.cipher_suites[1]);
  EXPECT_FALSE(find_field(compare_client_hellos(changed, base), "GREASE cipher positions")->match);
}

TEST(FingerprintCompare, RawBodyDifferenceIsCaught) {
  const ClientHello base = parse_fixture_hello("chromium-156-run1.json");
  ClientHello changed = base;
  for (Extension& e : changed.extensions)
    if (e.type == 0xff01) e.data = {0x01, 0x00};
  const auto fields = compare_client_hellos(changed, base);
  EXPECT_EQ(differing_fields(fields), std::vector<std::string>{"ext 0xff01 body"});
}

TEST(FingerprintCompare, EchPayloadOutsideChromiumsSetDiffers) {
  const ClientHello base = parse_fixture_hello("chromium-156-run1.json");
  ClientHello changed = base;
  changed.ech->payload_length = 100;
  EXPECT_FALSE(find_field(compare_client_hellos(changed, base), "ech")->match);
}

TEST(FingerprintJson, ReadableAndConsistentWithTheCapture) {
  const auto fixture = load_fixture("chromium-156-sni.json");
  const auto j = to_json(parse_fixture_hello("chromium-156-sni.json"));
  EXPECT_EQ(j["cipher_suites"], fixture["tls"]["summary"]["cipher_suites"]);
  EXPECT_EQ(j["supported_groups"], fixture["tls"]["summary"]["supported_groups"]);
  EXPECT_EQ(j["server_name"], "fpcheck.test");
  EXPECT_EQ(j["extensions"][0]["type"], "GREASE");
  EXPECT_EQ(j["grease"]["extension_positions"], nlohmann::json({"first", "last"}));
  EXPECT_EQ(j["fingerprints"]["ja4"], fixture["fingerprint"]["ja4"]);
  EXPECT_EQ(j["fingerprints"]["ja3n"], fixture["fingerprint"]["ja3n"]);
  EXPECT_EQ(j["trust_anchors"]["count"], 28);
  EXPECT_TRUE(j["padding_length"].is_null());

  const auto cj = to_json(compare_client_hellos(parse_fixture_hello("chromium-156-run1.json"),
                                                parse_fixture_hello("curl.json")));
  EXPECT_FALSE(cj["all_match"].get<bool>());
  EXPECT_FALSE(cj["differing"].empty());
  EXPECT_EQ(cj["fields"][0]["field"], "ja4");
}
