#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "util/hex.h"

namespace wraith::fingerprint::testing {

namespace {
void put16(std::vector<std::uint8_t>& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
}  // namespace

std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(WRAITH_FIXTURES_DIR))
    if (entry.path().extension() == ".json") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json load_fixture(const std::string& name) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/" + name);
  return nlohmann::json::parse(in);
}

std::vector<std::string> fixtures_with_hello() {
  std::vector<std::string> out;
  for (const std::string& name : fixture_names()) {
    nlohmann::json j = load_fixture(name);
    if (j.contains("tls_raw_client_hello_hex") && j["tls_raw_client_hello_hex"].is_string()) out.push_back(name);
  }
  return out;
}

std::vector<std::uint8_t> raw_hello(const nlohmann::json& fixture) {
  auto bytes = util::from_hex(fixture.at("tls_raw_client_hello_hex").get<std::string>());
  EXPECT_TRUE(bytes.has_value());
  return bytes.value_or(std::vector<std::uint8_t>{});
}

ClientHello parse_fixture_hello(const std::string& name) {
  auto parsed = parse_client_hello(raw_hello(load_fixture(name)));
  EXPECT_TRUE(parsed.ok()) << name << ": " << (parsed.ok() ? "" : parsed.error().describe());
  return parsed.ok() ? std::move(parsed).value() : ClientHello{};
}

std::vector<std::uint8_t> wrap_in_records(const std::vector<std::uint8_t>& message, std::size_t fragment) {
  std::vector<std::uint8_t> out;
  for (std::size_t pos = 0; pos < message.size(); pos += fragment) {
    std::size_t n = std::min(fragment, message.size() - pos);
    out.push_back(0x16);
    put16(out, 0x0301);
    put16(out, n);
    out.insert(out.end(), message.begin() + pos, message.begin() + pos + n);
  }
  return out;
}

std::vector<std::uint8_t> build_hello(const HelloSpec& spec) {
  std::vector<std::uint8_t> body;
  put16(body, spec.legacy_version);
  for (int i = 0; i < 32; ++i) body.push_back(static_cast<std::uint8_t>(i));
  body.push_back(static_cast<std::uint8_t>(spec.session_id.size()));
  body.insert(body.end(), spec.session_id.begin(), spec.session_id.end());
  put16(body, spec.cipher_suites.size() * 2);
  for (std::uint16_t c : spec.cipher_suites) put16(body, c);
  body.push_back(static_cast<std::uint8_t>(spec.compression_methods.size()));
  body.insert(body.end(), spec.compression_methods.begin(), spec.compression_methods.end());
  if (spec.with_extensions) {
    std::vector<std::uint8_t> exts;
    for (const Extension& e : spec.extensions) {
      put16(exts, e.type);
      put16(exts, e.data.size());
      exts.insert(exts.end(), e.data.begin(), e.data.end());
    }
    put16(body, exts.size());
    body.insert(body.end(), exts.begin(), exts.end());
  }
  std::vector<std::uint8_t> msg{0x01, static_cast<std::uint8_t>(body.size() >> 16),
                                static_cast<std::uint8_t>(body.size() >> 8), static_cast<std::uint8_t>(body.size())};
  msg.insert(msg.end(), body.begin(), body.end());
  return msg;
}

Extension u16_list_ext(std::uint16_t type, const std::vector<std::uint16_t>& values, int length_bytes) {
  Extension e{type, {}};
  if (length_bytes == 2) put16(e.data, values.size() * 2);
  else e.data.push_back(static_cast<std::uint8_t>(values.size() * 2));
  for (std::uint16_t v : values) put16(e.data, v);
  return e;
}

Extension sni_ext(const std::string& host) {
  Extension e{0x0000, {}};
  put16(e.data, host.size() + 3);
  e.data.push_back(0);
  put16(e.data, host.size());
  e.data.insert(e.data.end(), host.begin(), host.end());
  return e;
}

Extension alpn_ext(std::uint16_t type, const std::vector<std::string>& protocols) {
  Extension e{type, {}};
  std::vector<std::uint8_t> list;
  for (const std::string& p : protocols) {
    list.push_back(static_cast<std::uint8_t>(p.size()));
    list.insert(list.end(), p.begin(), p.end());
  }
  put16(e.data, list.size());
  e.data.insert(e.data.end(), list.begin(), list.end());
  return e;
}

Extension raw_ext(std::uint16_t type, std::vector<std::uint8_t> data) { return Extension{type, std::move(data)}; }

}  // namespace wraith::fingerprint::testing
