// Parser tests: decoded views against what the inspector recorded for each capture, record reassembly, and
// malformed input (every truncation, every single-byte corruption, hand-built bad extensions).
#include <gtest/gtest.h>

#include "fingerprint/client_hello.h"
#include "fingerprint/names.h"
#include "test_support.h"
#include "util/hex.h"

using namespace wraith;
using namespace wraith::fingerprint;
using namespace wraith::fingerprint::testing;
using nlohmann::json;

namespace {

std::vector<std::string> hex_values(const std::vector<std::uint16_t>& values) {
  std::vector<std::string> out;
  for (std::uint16_t v : values) out.push_back(hex16(v));
  return out;
}

class FingerprintHello : public ::testing::TestWithParam<std::string> {};

std::string param_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(0, info.param.size() - 5)) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

}  // namespace

TEST(FingerprintGrease, RecognisesAllSixteenValuesAndNothingElse) {
  int count = 0;
  for (std::uint32_t v = 0; v <= 0xffff; ++v) count += is_grease(static_cast<std::uint16_t>(v));
  EXPECT_EQ(count, 16);
  for (std::uint16_t hi = 0; hi < 16; ++hi) EXPECT_TRUE(is_grease(static_cast<std::uint16_t>((hi << 12) | 0x0a00 | (hi << 4) | 0x0a)));
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x1301));
}

TEST(FingerprintFixtures, EveryCaptureHasAHello) {
  // All captures in the README carry the raw hello; if one is dropped the parametrised tests shrink silently.
  EXPECT_GE(fixtures_with_hello().size(), 10u);
}

TEST_P(FingerprintHello, DecodedFieldsMatchTheInspectorsSummary) {
  const json fixture = load_fixture(GetParam());
  // Only the ground-truth inspector (fpcheck) writes this summary shape; captures made with wraith's own
  // inspector (chromium-156-{fetch,xhr,form,image}.json) carry its fingerprint-layer summary instead.
  if (!fixture.contains("fpcheck_version")) GTEST_SKIP() << GetParam() << " was captured by wraith's inspector";
  const json& summary = fixture["tls"]["summary"];
  const json& client_hello = fixture["tls"]["client_hello"];
  const ClientHello h = parse_fixture_hello(GetParam());

  EXPECT_EQ(hex16(h.legacy_version), summary["legacy_version"]);
  EXPECT_EQ(util::to_hex(h.random), client_hello["random_hex"]);
  EXPECT_EQ(util::to_hex(h.session_id), client_hello["session_id_hex"]);
  EXPECT_EQ(json(h.compression_methods), summary["compression_methods"]);
  EXPECT_EQ(json(hex_values(h.cipher_suites)), summary["cipher_suites"]);

  json order = json::array();
  for (const Extension& e : h.extensions) order.push_back(is_grease(e.type) ? json("GREASE") : json(e.type));
  EXPECT_EQ(order, summary["extensions_order"]);

  // Every extension's raw bytes, where the inspector kept them.
  ASSERT_EQ(h.extensions.size(), client_hello["extensions"].size());
  for (std::size_t i = 0; i < h.extensions.size(); ++i) {
    const json& recorded = client_hello["extensions"][i];
    EXPECT_EQ(h.extensions[i].type, recorded["id"]);
    EXPECT_EQ(h.extensions[i].data.size(), recorded["length"]);
    if (recorded.contains("data_hex")) { EXPECT_EQ(util::to_hex(h.extensions[i].data), recorded["data_hex"]) << i; }
  }

  if (summary["sni"].is_null()) { EXPECT_FALSE(h.server_name); }
  else { EXPECT_EQ(h.server_name.value_or("?"), summary["sni"][0]); }
  ASSERT_TRUE(h.supported_groups);
  EXPECT_EQ(json(hex_values(*h.supported_groups)), summary["supported_groups"]);
  ASSERT_TRUE(h.signature_algorithms);
  EXPECT_EQ(json(hex_values(*h.signature_algorithms)), summary["signature_algorithms"]);
  EXPECT_EQ(summary["signature_algorithms_cert"].is_null(), !h.signature_algorithms_cert);
  EXPECT_EQ(summary["delegated_credential_sigalgs"].is_null(), !h.delegated_credentials);
  ASSERT_TRUE(h.ec_point_formats);
  EXPECT_EQ(json(*h.ec_point_formats), summary["ec_point_formats"]);
  ASSERT_TRUE(h.alpn);
  EXPECT_EQ(json(*h.alpn), summary["alpn"]);
  ASSERT_TRUE(h.supported_versions);
  EXPECT_EQ(json(hex_values(*h.supported_versions)), summary["supported_versions"]);
  ASSERT_TRUE(h.psk_key_exchange_modes);
  EXPECT_EQ(json(*h.psk_key_exchange_modes), summary["psk_key_exchange_modes"]);

  ASSERT_TRUE(h.key_shares);
  ASSERT_EQ(h.key_shares->size(), summary["key_share"].size());
  for (std::size_t i = 0; i < h.key_shares->size(); ++i) {
    EXPECT_EQ(hex16((*h.key_shares)[i].group), summary["key_share"][i]["group"]);
    EXPECT_EQ((*h.key_shares)[i].key_length, summary["key_share"][i]["key_length"]);
  }

  if (summary["alps"].is_null()) {
    EXPECT_TRUE(h.alps.empty());
  } else {
    ASSERT_EQ(h.alps.size(), summary["alps"].size());
    for (std::size_t i = 0; i < h.alps.size(); ++i) {
      EXPECT_EQ(h.alps[i].codepoint, summary["alps"][i]["codepoint"]);
      EXPECT_EQ(json(h.alps[i].protocols), summary["alps"][i]["protocols"]);
    }
  }
  if (summary["cert_compression"].is_null()) { EXPECT_FALSE(h.compress_certificate); }
  else { EXPECT_EQ(json(h.compress_certificate.value_or(std::vector<std::uint16_t>{})), summary["cert_compression"]); }

  if (summary["trust_anchors"].is_null()) {
    EXPECT_FALSE(h.trust_anchor_ids);
  } else {
    ASSERT_TRUE(h.trust_anchor_ids);
    json ids = json::array();
    for (const auto& id : *h.trust_anchor_ids) ids.push_back(util::to_hex(id));
    EXPECT_EQ(ids, summary["trust_anchors"]["ids"]);
    EXPECT_EQ(h.trust_anchor_ids->size(), summary["trust_anchors"]["count"]);
  }

  const json& ech = summary["ech"];
  if (ech.is_null() || !ech.value("present", false)) {
    EXPECT_FALSE(h.ech);
  } else {
    ASSERT_TRUE(h.ech);
    EXPECT_EQ(h.ech->type, 0);
    EXPECT_EQ(h.ech->kdf_id, ech["kdf_id"]);
    EXPECT_EQ(h.ech->aead_id, ech["aead_id"]);
    EXPECT_EQ(h.ech->enc_length, ech["enc_length"]);
    EXPECT_EQ(h.ech->payload_length, ech["payload_length"]);
  }

  if (summary["status_request"].is_null()) {
    EXPECT_FALSE(h.status_request);
  } else {
    ASSERT_TRUE(h.status_request);
    EXPECT_EQ(h.status_request->status_type, summary["status_request"]["status_type"]);
    EXPECT_EQ(h.status_request->responder_id_list_length, summary["status_request"]["responder_id_list_length"]);
    EXPECT_EQ(h.status_request->request_extensions_length, summary["status_request"]["request_extensions_length"]);
  }
  if (summary["session_ticket"].is_null()) { EXPECT_FALSE(h.session_ticket_length); }
  else { EXPECT_EQ(h.session_ticket_length.value_or(999999), summary["session_ticket"]["length"]); }

  if (summary["pre_shared_key"].is_null()) {
    EXPECT_FALSE(h.pre_shared_key);
  } else {
    ASSERT_TRUE(h.pre_shared_key);
    EXPECT_EQ(h.pre_shared_key->identity_count, summary["pre_shared_key"]["identities"].size());
    EXPECT_EQ(h.pre_shared_key->binder_count, summary["pre_shared_key"]["binder_lengths"].size());
    EXPECT_EQ(h.pre_shared_key->is_last, summary["pre_shared_key_is_last"]);
  }
  if (summary["padding_length"].is_null()) { EXPECT_FALSE(h.padding_length); }
  else { EXPECT_EQ(h.padding_length.value_or(0), summary["padding_length"]); }
  if (summary["record_size_limit"].is_null()) { EXPECT_FALSE(h.record_size_limit); }
  else { EXPECT_EQ(h.record_size_limit.value_or(0), summary["record_size_limit"]); }
}

TEST_P(FingerprintHello, RecordsReassembleToTheSameHello) {
  const std::vector<std::uint8_t> message = raw_hello(load_fixture(GetParam()));
  const ClientHello bare = parse_fixture_hello(GetParam());
  for (std::size_t fragment : {std::size_t{1}, std::size_t{3}, std::size_t{100}, std::size_t{512}, std::size_t{16384}}) {
    auto parsed = parse_client_hello(wrap_in_records(message, fragment));
    ASSERT_TRUE(parsed.ok()) << fragment << ": " << parsed.error().describe();
    EXPECT_EQ(parsed->cipher_suites, bare.cipher_suites);
    ASSERT_EQ(parsed->extensions.size(), bare.extensions.size());
    for (std::size_t i = 0; i < bare.extensions.size(); ++i) {
      EXPECT_EQ(parsed->extensions[i].type, bare.extensions[i].type);
      EXPECT_EQ(parsed->extensions[i].data, bare.extensions[i].data);
    }
  }
}

TEST_P(FingerprintHello, RecordsLengthTellsAReaderWhenTheHelloIsComplete) {
  const std::vector<std::uint8_t> message = raw_hello(load_fixture(GetParam()));
  for (std::size_t fragment : {std::size_t{2}, std::size_t{600}, std::size_t{16384}}) {
    std::vector<std::uint8_t> stream = wrap_in_records(message, fragment);
    const std::size_t total = stream.size();
    // Whatever the client sends next (here: an application-data record) is not counted.
    stream.insert(stream.end(), {0x17, 0x03, 0x03, 0x00, 0x01, 0x00});
    for (std::size_t n = 0; n < total; ++n) {
      auto partial = client_hello_records_length(std::span(stream.data(), n));
      ASSERT_TRUE(partial.ok()) << n << ": " << partial.error().describe();
      ASSERT_EQ(*partial, 0u) << n;
    }
    auto complete = client_hello_records_length(stream);
    ASSERT_TRUE(complete.ok());
    EXPECT_EQ(*complete, total);
    EXPECT_TRUE(parse_client_hello(std::span(stream.data(), *complete)).ok());
  }
  EXPECT_FALSE(client_hello_records_length(message).ok());  // a bare message is not a record stream
}

TEST_P(FingerprintHello, EveryTruncationIsAnErrorNotACrash) {
  const std::vector<std::uint8_t> message = raw_hello(load_fixture(GetParam()));
  const std::vector<std::uint8_t> records = wrap_in_records(message, 700);
  for (const auto* input : {&message, &records}) {
    for (std::size_t n = 0; n < input->size(); ++n) {
      auto parsed = parse_client_hello(std::span(input->data(), n));
      ASSERT_FALSE(parsed.ok()) << "prefix of " << n << " bytes parsed";
      EXPECT_EQ(parsed.error().kind, ErrorKind::protocol) << n;
    }
  }
}

TEST_P(FingerprintHello, TrailingBytesAreRejected) {
  std::vector<std::uint8_t> message = raw_hello(load_fixture(GetParam()));
  std::vector<std::uint8_t> longer = message;
  longer.push_back(0);
  EXPECT_FALSE(parse_client_hello(longer).ok());
  // One more byte inside the records, after the message.
  std::vector<std::uint8_t> records = wrap_in_records(longer, 16384);
  EXPECT_FALSE(parse_client_hello(records).ok());
  // A whole extra record after the one that completes the hello.
  records = wrap_in_records(message, 16384);
  std::vector<std::uint8_t> extra = wrap_in_records(std::vector<std::uint8_t>{1, 0, 0, 0}, 16384);
  records.insert(records.end(), extra.begin(), extra.end());
  EXPECT_FALSE(parse_client_hello(records).ok());
}

TEST_P(FingerprintHello, EverySingleByteCorruptionIsHandled) {
  // Not every corruption is detectable (a flipped cipher is still a valid hello), but none may crash or
  // report anything other than a typed protocol error.
  const std::vector<std::uint8_t> message = raw_hello(load_fixture(GetParam()));
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < message.size(); ++i) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xff}}) {
      std::vector<std::uint8_t> corrupt = message;
      corrupt[i] ^= mask;
      auto parsed = parse_client_hello(corrupt);
      if (!parsed.ok()) {
        ++rejected;
        EXPECT_TRUE(parsed.error().kind == ErrorKind::protocol || parsed.error().kind == ErrorKind::too_large);
        EXPECT_FALSE(parsed.error().message.empty());
      }
    }
  }
  EXPECT_GT(rejected, 0u);
}

INSTANTIATE_TEST_SUITE_P(Captures, FingerprintHello, ::testing::ValuesIn(fixtures_with_hello()), param_name);

TEST(FingerprintParser, AcceptsAHelloWithoutExtensions) {
  HelloSpec spec;
  spec.with_extensions = false;
  auto parsed = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_FALSE(parsed->extensions_present);
  EXPECT_TRUE(parsed->extensions.empty());
}

TEST(FingerprintParser, RejectsStructuralErrors) {
  auto rejects = [](const HelloSpec& spec, const char* why) {
    auto parsed = parse_client_hello(build_hello(spec));
    EXPECT_FALSE(parsed.ok()) << why;
    if (!parsed.ok()) { EXPECT_EQ(parsed.error().kind, ErrorKind::protocol) << why; }
  };
  HelloSpec no_ciphers;
  no_ciphers.cipher_suites.clear();
  rejects(no_ciphers, "empty cipher list");
  HelloSpec no_compression;
  no_compression.compression_methods.clear();
  rejects(no_compression, "no compression method");
  HelloSpec long_session;
  long_session.session_id.assign(33, 0);
  rejects(long_session, "33-byte session id");
  HelloSpec duplicate;
  duplicate.extensions = {raw_ext(0x0017, {}), raw_ext(0x0017, {})};
  rejects(duplicate, "duplicate extension");
}

TEST(FingerprintParser, RejectsMalformedKnownExtensionBodies) {
  const std::vector<Extension> bad = {
      raw_ext(ext::supported_groups, {0x00, 0x03, 0x00, 0x1d, 0x00}),    // odd list length
      raw_ext(ext::supported_groups, {0x00, 0x04, 0x00, 0x1d}),          // list overruns the body
      raw_ext(ext::signature_algorithms, {0x00, 0x02, 0x04, 0x03, 0x00}),  // trailing byte
      raw_ext(ext::alpn, {0x00, 0x01, 0x00}),                            // empty protocol name
      raw_ext(ext::alpn, {0x00, 0x03, 0x05, 'h', '2'}),                  // name overruns the list
      raw_ext(ext::server_name, {}),                                     // no ServerNameList
      raw_ext(ext::key_share, {0x00, 0x04, 0x00, 0x1d, 0x00, 0x20}),     // key overruns
      raw_ext(ext::supported_versions, {0x03, 0x03, 0x04, 0x03}),        // odd version list
      raw_ext(ext::record_size_limit, {0x40}),                           // short uint16
      raw_ext(ext::pre_shared_key, {0x00, 0x00}),                        // binders missing
      raw_ext(ext::encrypted_client_hello, {0x00, 0x00, 0x01}),          // truncated outer
      raw_ext(ext::encrypted_client_hello, {0x02}),                      // unknown type
      raw_ext(ext::trust_anchors, {0x00, 0x01, 0x00}),                   // empty id
      raw_ext(ext::status_request, {0x01, 0x00, 0x00}),                  // ocsp without extensions
      raw_ext(ext::alps_new, {0x00}),                                    // truncated list length
      raw_ext(ext::compress_certificate, {0x01, 0x02}),                  // odd algorithm list
  };
  for (const Extension& e : bad) {
    HelloSpec spec;
    spec.extensions = {e};
    auto parsed = parse_client_hello(build_hello(spec));
    EXPECT_FALSE(parsed.ok()) << hex16(e.type) << " " << util::to_hex(e.data);
    if (!parsed.ok()) { EXPECT_EQ(parsed.error().kind, ErrorKind::protocol); }
  }
}

TEST(FingerprintParser, DecodesSyntheticExtensions) {
  HelloSpec spec;
  spec.extensions = {raw_ext(ext::record_size_limit, {0x40, 0x01}), raw_ext(ext::padding, std::vector<std::uint8_t>(7, 0)),
                     u16_list_ext(ext::delegated_credentials, {0x0403, 0x0804}, 2),
                     raw_ext(ext::encrypted_client_hello, {0x01}), alpn_ext(ext::alps_old, {"h2"}),
                     raw_ext(ext::session_ticket, std::vector<std::uint8_t>(5, 0xab)),
                     raw_ext(0x1234, {0xde, 0xad})};
  auto parsed = parse_client_hello(build_hello(spec));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(parsed->record_size_limit.value_or(0), 0x4001);
  EXPECT_EQ(parsed->padding_length.value_or(0), 7u);
  EXPECT_EQ(parsed->delegated_credentials.value_or(std::vector<std::uint16_t>{}),
            (std::vector<std::uint16_t>{0x0403, 0x0804}));
  ASSERT_TRUE(parsed->ech);
  EXPECT_EQ(parsed->ech->type, 1);
  ASSERT_EQ(parsed->alps.size(), 1u);
  EXPECT_EQ(parsed->alps[0].codepoint, ext::alps_old);
  EXPECT_EQ(parsed->session_ticket_length.value_or(0), 5u);
  ASSERT_NE(parsed->find_extension(0x1234), nullptr);
  EXPECT_EQ(parsed->find_extension(0x1234)->data, (std::vector<std::uint8_t>{0xde, 0xad}));
}

TEST(FingerprintParser, RejectsBadRecordLayers) {
  const std::vector<std::uint8_t> message = build_hello(HelloSpec{});
  std::vector<std::uint8_t> records = wrap_in_records(message, 16384);
  std::vector<std::uint8_t> alert = records;
  alert[0] = 0x15;
  EXPECT_FALSE(parse_client_hello(alert).ok());  // not a handshake record (and not a bare hello either)
  std::vector<std::uint8_t> second_not_handshake = wrap_in_records(message, 20);
  second_not_handshake[25] = 0x17;  // second record's content type
  EXPECT_FALSE(parse_client_hello(second_not_handshake).ok());
  std::vector<std::uint8_t> empty_record{0x16, 0x03, 0x01, 0x00, 0x00};
  empty_record.insert(empty_record.end(), records.begin(), records.end());
  EXPECT_FALSE(parse_client_hello(empty_record).ok());
  std::vector<std::uint8_t> bad_version = records;
  bad_version[1] = 0x02;
  EXPECT_FALSE(parse_client_hello(bad_version).ok());
  std::vector<std::uint8_t> server_hello = message;
  server_hello[0] = 0x02;
  EXPECT_FALSE(parse_client_hello(wrap_in_records(server_hello, 16384)).ok());
  EXPECT_FALSE(parse_client_hello({}).ok());
}

TEST(FingerprintParser, OversizedLengthIsTooLarge) {
  const std::vector<std::uint8_t> huge{0x01, 0xff, 0xff, 0xff};
  auto parsed = parse_client_hello(huge);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().kind, ErrorKind::too_large);
}
