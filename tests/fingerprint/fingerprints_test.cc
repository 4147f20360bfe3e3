// JA3/JA3N/JA4 (+ _r/_o/_ro) and Akamai strings against what every capture recorded, plus published vectors.
#include <gtest/gtest.h>

#include "fingerprint/akamai.h"
#include "fingerprint/digest.h"
#include "fingerprint/ja3.h"
#include "fingerprint/ja4.h"
#include "test_support.h"

using namespace wraith::fingerprint;
using namespace wraith::fingerprint::testing;
using nlohmann::json;

namespace {

class FingerprintCapture : public ::testing::TestWithParam<std::string> {};

std::string param_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(0, info.param.size() - 5)) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

H2Fingerprint h2_from_fixture(const json& fixture) {
  const json& h2 = fixture["h2"];
  H2Fingerprint fp;
  for (const json& s : h2["settings"]) fp.settings.push_back({s["id"].get<std::uint16_t>(), s["value"].get<std::uint32_t>()});
  if (h2["initial_window_update"].is_number()) fp.window_update = h2["initial_window_update"].get<std::uint32_t>();
  for (const json& p : h2["priority_frames_before_first_headers"]) {
    H2PriorityFrame frame;
    frame.stream_id = p.at("stream").get<std::uint32_t>();
    frame.exclusive = p.at("exclusive").get<int>() != 0;
    frame.depends_on = p.at("depends_on").get<std::uint32_t>();
    frame.weight = p.at("weight").get<std::uint16_t>();
    fp.priority_frames.push_back(frame);
  }
  for (const json& name : fixture["request"]["pseudo_header_order"]) fp.pseudo_header_order.push_back(name);
  return fp;
}

}  // namespace

TEST_P(FingerprintCapture, Ja3AndJa3nMatchTheCapture) {
  const json fp = load_fixture(GetParam())["fingerprint"];
  const ClientHello h = parse_fixture_hello(GetParam());
  EXPECT_EQ(ja3_string(h), fp["ja3"]);
  EXPECT_EQ(ja3_md5(h), fp["ja3_md5"]);
  EXPECT_EQ(ja3n_string(h), fp["ja3n"]);
  EXPECT_EQ(ja3n_md5(h), fp["ja3n_md5"]);
}

TEST_P(FingerprintCapture, Ja4FamilyMatchesTheCapture) {
  const json fp = load_fixture(GetParam())["fingerprint"];
  const Ja4 ja4 = compute_ja4(parse_fixture_hello(GetParam()));
  EXPECT_EQ(ja4.ja4, fp["ja4"]);
  EXPECT_EQ(ja4.ja4_r, fp["ja4_r"]);
  EXPECT_EQ(ja4.ja4_o, fp["ja4_o"]);
  EXPECT_EQ(ja4.ja4_ro, fp["ja4_ro"]);
}

TEST_P(FingerprintCapture, AkamaiStringMatchesTheCapture) {
  const json fixture = load_fixture(GetParam());
  if (!fixture.contains("h2") || !fixture["h2"].is_object() || fixture["fingerprint"].value("akamai", json()).is_null())
    GTEST_SKIP() << "no HTTP/2 on this connection";
  const H2Fingerprint h2 = h2_from_fixture(fixture);
  EXPECT_EQ(akamai_string(h2), fixture["fingerprint"]["akamai"]);
  EXPECT_EQ(akamai_md5(h2), fixture["fingerprint"]["akamai_md5"]);
  EXPECT_EQ(akamai_string(h2), fixture["h2"]["akamai"]["string"]);
}

INSTANTIATE_TEST_SUITE_P(Captures, FingerprintCapture, ::testing::ValuesIn(fixtures_with_hello()), param_name);

TEST(FingerprintJa4, ReadmeFixedValuesForChromium) {
  // /work/shared/fingerprints/README.md "What is fixed": the three JA4 values Chromium 156 produces.
  EXPECT_EQ(compute_ja4(parse_fixture_hello("chromium-156-run1.json")).ja4, "t13i1516h2_8daaf6152771_cb7bf5808d99");
  EXPECT_EQ(compute_ja4(parse_fixture_hello("chromium-156-sni.json")).ja4, "t13d1517h2_8daaf6152771_cb7bf5808d99");
  EXPECT_EQ(compute_ja4(parse_fixture_hello("chromium-156-resumed.json")).ja4, "t13i1517h2_8daaf6152771_e2d80978ab2e");
}

TEST(FingerprintJa4, FoxIoTechnicalDetailsExample) {
  // FoxIO JA4 technical details (technical_details/JA4.md): the Chrome example with 15 ciphers, 16 extensions
  // (SNI and ALPN h2 among them) gives t13d1516h2_8daaf6152771_e5627efa2ab1 and the raw lists below.
  HelloSpec spec;
  spec.cipher_suites = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                        0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  spec.extensions = {raw_ext(0x1a1a, {}),
                     sni_ext("example.com"),
                     raw_ext(0x0017, {}),
                     raw_ext(0xff01, {0x00}),
                     u16_list_ext(0x000a, {0x2a2a, 0x001d, 0x0017, 0x0018}, 2),
                     raw_ext(0x000b, {0x01, 0x00}),
                     raw_ext(0x0023, {}),
                     alpn_ext(0x0010, {"h2", "http/1.1"}),
                     raw_ext(0x0005, {0x01, 0x00, 0x00, 0x00, 0x00}),
                     u16_list_ext(0x000d, {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601}, 2),
                     raw_ext(0x0012, {}),
                     raw_ext(0x0033, {0x00, 0x06, 0x00, 0x1d, 0x00, 0x02, 0xab, 0xcd}),
                     raw_ext(0x002d, {0x01, 0x01}),
                     u16_list_ext(0x002b, {0x3a3a, 0x0304, 0x0303}, 1),
                     u16_list_ext(0x001b, {0x0002}, 1),
                     alpn_ext(0x4469, {"h2"}),
                     raw_ext(0x0015, std::vector<std::uint8_t>(10, 0)),
                     raw_ext(0x4a4a, {0x00})};
  auto parsed = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  const Ja4 ja4 = compute_ja4(*parsed);
  EXPECT_EQ(ja4.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
  EXPECT_EQ(ja4.ja4_r,
            "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_"
            "0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
            "0403,0804,0401,0503,0805,0501,0806,0601");
}

TEST(FingerprintJa4, AlpnAndEdgeRules) {
  // JA4 spec: no ALPN -> "00"; a non-alphanumeric first/last byte -> first and last hex digit; no ciphers or
  // no extensions -> twelve zeros; no signature_algorithms -> the extension string has no trailing "_".
  HelloSpec spec;
  spec.extensions = {alpn_ext(0x0010, {std::string("\xab\x01\xcd", 3)})};
  auto weird = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(weird.ok());
  EXPECT_EQ(ja4_a(*weird), "t12i0101ad");
  EXPECT_EQ(compute_ja4(*weird).ja4_r, "t12i0101ad_1301_");
  EXPECT_EQ(compute_ja4(*weird).ja4.substr(24), "000000000000");  // only ALPN, which the hash drops

  spec.extensions = {raw_ext(0x0017, {})};
  auto no_alpn = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(no_alpn.ok());
  EXPECT_EQ(compute_ja4(*no_alpn).ja4_r, "t12i010100_1301_0017");
  EXPECT_EQ(compute_ja4(*no_alpn).ja4, "t12i010100_" + sha256_hex("1301").substr(0, 12) + "_" +
                                           sha256_hex("0017").substr(0, 12));

  spec.legacy_version = 0x0301;
  spec.with_extensions = false;
  auto bare = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(compute_ja4(*bare).ja4, "t10i010000_" + sha256_hex("1301").substr(0, 12) + "_000000000000");
  EXPECT_EQ(compute_ja4(*bare, Ja4Transport::quic).ja4.substr(0, 1), "q");
}

TEST(FingerprintJa3, SalesforceReadmeExample) {
  // Salesforce JA3 README: "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0"
  // hashes to ada70206e40642a3e4461f35503241d5. Built here as a real hello (GREASE added to show it is dropped).
  HelloSpec spec;
  spec.legacy_version = 0x0301;
  spec.cipher_suites = {0xdada, 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
  spec.extensions = {sni_ext("example.com"), u16_list_ext(10, {0x8a8a, 23, 24, 25}, 2), raw_ext(11, {0x01, 0x00}),
                     raw_ext(0xeaea, {})};
  auto parsed = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(ja3_string(*parsed), "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
  EXPECT_EQ(ja3_md5(*parsed), "ada70206e40642a3e4461f35503241d5");
}

TEST(FingerprintJa3, SortedVariantOnlyReordersExtensions) {
  HelloSpec spec;
  spec.extensions = {raw_ext(0xff01, {0x00}), raw_ext(0x0017, {}), raw_ext(0x0005, {0x01, 0, 0, 0, 0})};
  auto parsed = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(ja3_string(*parsed), "771,4865,65281-23-5,,");
  EXPECT_EQ(ja3n_string(*parsed), "771,4865,5-23-65281,,");
}

TEST(FingerprintAkamai, FormatsEveryPart) {
  H2Fingerprint fp;
  fp.settings = {{1, 65536}, {3, 1000}};
  fp.pseudo_header_order = {":method", ":path", ":authority", ":scheme"};
  // No WINDOW_UPDATE: the Akamai paper writes "00".
  EXPECT_EQ(akamai_string(fp), "1:65536;3:1000|00|0|m,p,a,s");
  fp.window_update = 12517377;
  fp.priority_frames = {{3, false, 0, 201}, {5, true, 3, 101}};
  EXPECT_EQ(akamai_string(fp), "1:65536;3:1000|12517377|3:0:0:201,5:1:3:101|m,p,a,s");
  EXPECT_EQ(akamai_md5(fp), md5_hex(akamai_string(fp)));
}

TEST(FingerprintDigest, KnownVectors) {
  // RFC 1321 appendix A.5 and FIPS 180-2 appendix B.1.
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
