#include "fingerprint/client_hello.h"

#include <cstdio>

#include "fingerprint/extension_decode.h"
#include "fingerprint/reader.h"

namespace wraith::fingerprint {

namespace {

constexpr std::uint8_t kHandshakeClientHello = 0x01;
constexpr std::uint8_t kRecordHandshake = 0x16;
constexpr std::size_t kRecordHeaderSize = 5;
constexpr std::size_t kHandshakeHeaderSize = 4;
// RFC 8446 section 5.1: a plaintext record fragment is at most 2^14 bytes.
constexpr std::size_t kMaxRecordFragment = 1 << 14;

Error malformed(const char* what) { return Error(ErrorKind::protocol, std::string("client hello: ") + what, "fingerprint"); }

// Concatenates the fragments of the handshake records that carry the hello; stops at the record that
// completes the message and rejects anything after it.
Result<std::vector<std::uint8_t>> reassemble_records(std::span<const std::uint8_t> input) {
  std::vector<std::uint8_t> message;
  std::size_t expected = 0;  // full handshake message size, known once its header has arrived
  Reader records(input);
  while (!records.empty()) {
    if (expected != 0 && message.size() >= expected) return malformed("trailing bytes after the hello's last record");
    std::uint8_t content_type;
    std::uint16_t version, length;
    if (!records.u8(content_type) || !records.u16(version) || !records.u16(length))
      return malformed("truncated record header");
    if (content_type != kRecordHandshake) return malformed("record is not a handshake record");
    if ((version >> 8) != 0x03) return malformed("record version is not 3.x");
    if (length == 0) return malformed("empty handshake record");  // forbidden by RFC 8446 section 5.1
    if (length > kMaxRecordFragment) return malformed("record longer than 2^14 bytes");
    std::span<const std::uint8_t> fragment;
    if (!records.bytes(length, fragment)) return malformed("record fragment truncated");
    if (message.size() + fragment.size() > kMaxClientHelloSize + kHandshakeHeaderSize)
      return Error(ErrorKind::too_large, "client hello: larger than the accepted maximum", "fingerprint");
    message.insert(message.end(), fragment.begin(), fragment.end());
    if (expected == 0 && message.size() >= kHandshakeHeaderSize)
      expected = kHandshakeHeaderSize + (std::size_t{message[1]} << 16 | std::size_t{message[2]} << 8 | message[3]);
    if (expected != 0 && message.size() > expected) return malformed("record carries bytes after the hello");
  }
  if (expected == 0 || message.size() < expected) return malformed("records end before the hello does");
  return message;
}

Result<void> parse_body(std::span<const std::uint8_t> body, ClientHello& hello) {
  Reader r(body);
  std::span<const std::uint8_t> random, session_id, ciphers, compression;
  if (!r.u16(hello.legacy_version)) return malformed("truncated legacy_version");
  if (!r.bytes(hello.random.size(), random)) return malformed("truncated random");
  std::copy(random.begin(), random.end(), hello.random.begin());
  if (!r.vec8(session_id)) return malformed("session_id overruns the body");
  if (session_id.size() > 32) return malformed("session_id longer than 32 bytes");
  hello.session_id.assign(session_id.begin(), session_id.end());

  if (!r.vec16(ciphers)) return malformed("cipher_suites overrun the body");
  if (ciphers.empty() || ciphers.size() % 2 != 0) return malformed("cipher_suites length is zero or odd");
  Reader cr(ciphers);
  for (std::uint16_t suite; cr.u16(suite);) hello.cipher_suites.push_back(suite);

  if (!r.vec8(compression)) return malformed("compression_methods overrun the body");
  if (compression.empty()) return malformed("no compression method");
  hello.compression_methods.assign(compression.begin(), compression.end());

  if (r.empty()) return {};  // a hello without extensions (pre-TLS 1.2 style) is legal
  hello.extensions_present = true;
  std::span<const std::uint8_t> extensions;
  if (!r.vec16(extensions)) return malformed("extensions overrun the body");
  if (!r.empty()) return malformed("trailing bytes after extensions");

  Reader er(extensions);
  while (!er.empty()) {
    std::uint16_t type;
    std::span<const std::uint8_t> data;
    if (!er.u16(type) || !er.vec16(data)) return malformed("extension overruns the extensions block");
    for (const Extension& seen : hello.extensions) {
      if (seen.type == type) {
        char msg[64];
        std::snprintf(msg, sizeof msg, "duplicate extension 0x%04x", type);
        return malformed(msg);
      }
    }
    hello.extensions.push_back(Extension{type, std::vector<std::uint8_t>(data.begin(), data.end())});
  }
  for (std::size_t i = 0; i < hello.extensions.size(); ++i) {
    Result<void> decoded = decode_extension(hello.extensions[i], i + 1 == hello.extensions.size(), hello);
    if (!decoded) return decoded;
  }
  return {};
}

}  // namespace

bool is_grease(std::uint16_t value) { return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff); }

const Extension* ClientHello::find_extension(std::uint16_t type) const {
  for (const Extension& e : extensions)
    if (e.type == type) return &e;
  return nullptr;
}

Result<ClientHello> parse_client_hello(std::span<const std::uint8_t> input) {
  if (input.empty()) return malformed("empty input");
  std::vector<std::uint8_t> reassembled;
  std::span<const std::uint8_t> message = input;
  if (input[0] == kRecordHandshake) {
    Result<std::vector<std::uint8_t>> records = reassemble_records(input);
    if (!records) return records.take_error();
    reassembled = std::move(records).value();
    message = reassembled;
  } else if (input[0] != kHandshakeClientHello) {
    return malformed("neither a handshake record nor a ClientHello message");
  }

  Reader r(message);
  std::uint8_t msg_type;
  std::span<const std::uint8_t> body;
  if (!r.u8(msg_type)) return malformed("truncated handshake header");
  if (msg_type != kHandshakeClientHello) return malformed("handshake message is not a ClientHello");
  std::uint32_t length;
  if (!r.u24(length)) return malformed("truncated handshake header");
  if (length > kMaxClientHelloSize)
    return Error(ErrorKind::too_large, "client hello: larger than the accepted maximum", "fingerprint");
  if (!r.bytes(length, body)) return malformed("handshake length overruns the input");
  if (!r.empty()) return malformed("trailing bytes after the handshake message");

  ClientHello hello;
  Result<void> parsed = parse_body(body, hello);
  if (!parsed) return parsed.take_error();
  return hello;
}

Result<std::size_t> client_hello_records_length(std::span<const std::uint8_t> input) {
  std::uint8_t header[kHandshakeHeaderSize];
  std::size_t carried = 0;   // handshake bytes seen so far
  std::size_t expected = 0;  // handshake message size once its header is known
  Reader records(input);
  while (true) {
    if (records.remaining() < kRecordHeaderSize) return std::size_t{0};
    std::uint8_t content_type = 0;
    std::uint16_t version = 0, length = 0;
    if (!records.u8(content_type) || !records.u16(version) || !records.u16(length)) return std::size_t{0};
    if (content_type != kRecordHandshake) return malformed("record is not a handshake record");
    if ((version >> 8) != 0x03) return malformed("record version is not 3.x");
    if (length == 0) return malformed("empty handshake record");
    if (length > kMaxRecordFragment) return malformed("record longer than 2^14 bytes");
    std::span<const std::uint8_t> fragment;
    if (!records.bytes(length, fragment)) return std::size_t{0};
    for (std::size_t i = 0; i < fragment.size() && carried + i < kHandshakeHeaderSize; ++i) header[carried + i] = fragment[i];
    carried += fragment.size();
    if (expected == 0 && carried >= kHandshakeHeaderSize) {
      if (header[0] != kHandshakeClientHello) return malformed("handshake message is not a ClientHello");
      expected = kHandshakeHeaderSize + (std::size_t{header[1]} << 16 | std::size_t{header[2]} << 8 | header[3]);
      if (expected > kMaxClientHelloSize + kHandshakeHeaderSize)
        return Error(ErrorKind::too_large, "client hello: larger than the accepted maximum", "fingerprint");
    }
    if (expected != 0 && carried >= expected) {
      if (carried > expected) return malformed("record carries bytes after the hello");
      return records.position();
    }
  }
}

}  // namespace wraith::fingerprint
