#include "h1/request_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "h1/response_parser.h"
#include "recording_sink.h"

using namespace wraith;
using namespace wraith::h1;

namespace {

nlohmann::json load_fixture(const char* name) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/" + name);
  EXPECT_TRUE(in.good()) << name;
  return nlohmann::json::parse(in);
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> lines;
  while (!s.empty()) {
    std::size_t end = s.find("\r\n");
    if (end == std::string_view::npos) {
      lines.emplace_back(s);
      break;
    }
    lines.emplace_back(s.substr(0, end));
    s.remove_prefix(end + 2);
  }
  return lines;
}

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

TEST(H1Request, ReproducesChromiumHttp1HeadFromFixture) {
  // The fixture holds what Chromium 156 put on the wire; given the same fields the writer must produce
  // the same lines, byte for byte, in the same order.
  auto doc = load_fixture("chromium-156-http1.json");
  const auto& req = doc["request"];
  std::vector<std::string> storage;
  for (const auto& pair : req["headers"]) {
    storage.push_back(pair[0].get<std::string>());
    storage.push_back(pair[1].get<std::string>());
  }
  std::vector<HeaderLine> headers;
  for (std::size_t i = 0; i < storage.size(); i += 2) headers.push_back({storage[i], storage[i + 1]});
  std::string method = req["method"], path = req["path"];
  ASSERT_TRUE(validate_request_head(method, path, headers).ok());
  std::string out;
  write_request_head(method, path, headers, out);

  auto lines = split_lines(out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.front(), req["request_line"].get<std::string>());
  std::vector<std::string> expected = req["raw_header_lines"];
  ASSERT_EQ(lines.back(), "");  // the blank line that ends the head
  std::vector<std::string> written(lines.begin() + 1, lines.end() - 1);
  EXPECT_EQ(written, expected);
  EXPECT_TRUE(out.size() >= 4 && out.compare(out.size() - 4, 4, "\r\n\r\n") == 0);
  EXPECT_EQ(lines[1].rfind("Host: ", 0), 0u);
  EXPECT_EQ(lines[2], "Connection: keep-alive");
}

TEST(H1Request, AppendsWithoutTouchingExistingBytes) {
  std::string out = "prefix";
  HeaderLine h[] = {{"X-Case", "V"}, {"x-case", "v"}};
  write_request_head("POST", "/p?q", h, out);
  EXPECT_EQ(out, "prefixPOST /p?q HTTP/1.1\r\nX-Case: V\r\nx-case: v\r\n\r\n");
}

TEST(H1Request, ValidateHeaderRejectsInjection) {
  EXPECT_TRUE(validate_header("Accept", "text/html, */*;q=0.8").ok());
  EXPECT_TRUE(validate_header("X-Tab", "a\tb").ok());
  EXPECT_TRUE(validate_header("X-Obs", "caf\xc3\xa9").ok());
  EXPECT_TRUE(validate_header("!#$%&'*+-.^_`|~09azAZ", "").ok());
  const std::pair<std::string, std::string> bad[] = {
      {"", "v"},          {"Bad Name", "v"},       {"Bad:Name", "v"},     {"Bad\r\nName", "v"},
      {"N\xc3\xa9", "v"},      {"X(y)", "v"},         {"X", "a\r\nInjected: 1"},
      {"X", "a\rb"},      {"X", "a\nb"},           {"X", std::string("a\0b", 3)}, {"X\t", "v"},
      {"\"q\"", "v"},     {"a/b", "v"},            {"a@b", "v"},          {"{x}", "v"},
  };
  for (const auto& [name, value] : bad) {
    auto r = validate_header(name, value);
    ASSERT_FALSE(r.ok()) << "'" << name << "'";
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_header);
  }
  std::string nul_name("Na\0me", 5);
  EXPECT_FALSE(validate_header(nul_name, "v").ok());
}

TEST(H1Request, ValidateRequestHeadChecksLineAndEveryHeader) {
  HeaderLine good[] = {{"Host", "a"}};
  EXPECT_TRUE(validate_request_head("GET", "/", good).ok());
  EXPECT_FALSE(validate_request_head("GE T", "/", good).ok());
  EXPECT_FALSE(validate_request_head("", "/", good).ok());
  EXPECT_FALSE(validate_request_head("GET", "/a b", good).ok());
  EXPECT_FALSE(validate_request_head("GET", "/a\r\nX: y", good).ok());
  EXPECT_FALSE(validate_request_head("GET", "", good).ok());
  HeaderLine bad[] = {{"Host", "a"}, {"X", "1\n2"}};
  auto r = validate_request_head("GET", "/", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_header);
}

TEST(H1Request, ChunkEncoding) {
  std::string out;
  std::vector<std::uint8_t> data(255, 'x');
  append_chunk(data, out);
  EXPECT_EQ(out, "FF\r\n" + std::string(255, 'x') + "\r\n");
  out.clear();
  append_chunk({}, out);
  EXPECT_EQ(out, "");  // an empty chunk would end the body
  std::vector<std::uint8_t> big(0x12345, 'b');
  append_chunk(big, out);
  EXPECT_EQ(out.substr(0, 7), "12345\r\n");
  out.clear();
  append_last_chunk({}, out);
  EXPECT_EQ(out, "0\r\n\r\n");
  out.clear();
  HeaderLine trailers[] = {{"X-Sum", "1"}, {"Grpc-Status", "0"}};
  append_last_chunk(trailers, out);
  EXPECT_EQ(out, "0\r\nX-Sum: 1\r\nGrpc-Status: 0\r\n\r\n");
}

TEST(H1Request, ChunkEncoderAgreesWithParser) {
  std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string expected_body;
  for (std::size_t n : {1u, 15u, 16u, 17u, 4096u, 70000u}) {
    std::vector<std::uint8_t> piece(n);
    for (std::size_t i = 0; i < n; ++i) piece[i] = static_cast<std::uint8_t>(i * 31 + n);
    append_chunk(piece, wire);
    expected_body.append(piece.begin(), piece.end());
  }
  HeaderLine trailers[] = {{"X-Done", "yes"}};
  append_last_chunk(trailers, wire);
  ResponseParser p;
  test::RecordingSink sink;
  auto r = p.feed(bytes(wire), sink);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(*r, wire.size());
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(sink.body, expected_body);
  EXPECT_EQ(sink.events[sink.events.size() - 2], "trailer [X-Done] [yes]");
}
