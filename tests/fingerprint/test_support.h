// Fixture loading and a tiny ClientHello builder for the fingerprint tests.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fingerprint/client_hello.h"

namespace wraith::fingerprint::testing {

// Every tests/fixtures/*.json (file names, sorted).
std::vector<std::string> fixture_names();
// Those with a tls_raw_client_hello_hex.
std::vector<std::string> fixtures_with_hello();
nlohmann::json load_fixture(const std::string& name);
std::vector<std::uint8_t> raw_hello(const nlohmann::json& fixture);
// Parses the fixture's hello; fails the current test (and returns an empty hello) on error.
ClientHello parse_fixture_hello(const std::string& name);

// Wraps a handshake message in handshake records of at most `fragment` bytes each.
std::vector<std::uint8_t> wrap_in_records(const std::vector<std::uint8_t>& message, std::size_t fragment);

// Builds a handshake message from parts, for cases no fixture covers.
struct HelloSpec {
  std::uint16_t legacy_version = 0x0303;
  std::vector<std::uint8_t> session_id = std::vector<std::uint8_t>(32, 0x11);
  std::vector<std::uint16_t> cipher_suites{0x1301};
  std::vector<std::uint8_t> compression_methods{0};
  bool with_extensions = true;
  std::vector<Extension> extensions;
};
std::vector<std::uint8_t> build_hello(const HelloSpec& spec);

// Extension bodies in their wire formats.
Extension u16_list_ext(std::uint16_t type, const std::vector<std::uint16_t>& values, int length_bytes);
Extension sni_ext(const std::string& host);
Extension alpn_ext(std::uint16_t type, const std::vector<std::string>& protocols);
Extension raw_ext(std::uint16_t type, std::vector<std::uint8_t> data);

}  // namespace wraith::fingerprint::testing
