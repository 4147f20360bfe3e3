// Fidelity against the captures: for every connection in tests/fixtures with recorded HEADERS blocks, decoding
// (one decoder per connection, requests in order) gives exactly the recorded headers and per-field
// representations, and Encoder(EncoderPolicy::chrome()) re-encodes Chromium's header lists byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "util/hex.h"

namespace wraith::h2::hpack {
namespace {

using nlohmann::json;

std::vector<std::string> fixtures_with_blocks() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(WRAITH_FIXTURES_DIR)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const json doc = json::parse(in, nullptr, false);
    if (doc.is_discarded()) continue;
    bool has_block = false;
    for (const auto& q : doc.value("requests", json::array())) {
      if (q.contains("headers_frame") && q["headers_frame"].is_object() &&
          q["headers_frame"].contains("header_block_hex"))
        has_block = true;
    }
    if (has_block) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The connection's requests that carry a block, in order (requests[0] is the same as request).
std::vector<json> blocks_of(const json& doc) {
  std::vector<json> out;
  for (const auto& q : doc["requests"]) {
    if (q.contains("headers_frame") && q["headers_frame"].is_object() &&
        q["headers_frame"].contains("header_block_hex"))
      out.push_back(q);
  }
  return out;
}

const char* repr_name(Decoder::FieldInfo::Repr r) {
  switch (r) {
    case Decoder::FieldInfo::indexed: return "indexed";
    case Decoder::FieldInfo::literal_incremental: return "literal_incremental";
    case Decoder::FieldInfo::literal_without_indexing: return "literal_without_indexing";
    case Decoder::FieldInfo::literal_never_indexed: return "literal_never_indexed";
  }
  return "?";
}

class HpackFidelity : public ::testing::TestWithParam<std::string> {
 protected:
  json load() {
    std::ifstream in(std::filesystem::path(WRAITH_FIXTURES_DIR) / GetParam());
    return json::parse(in);
  }
  bool is_chromium() const { return GetParam().rfind("chromium", 0) == 0; }
};

TEST_P(HpackFidelity, DecodesRecordedHeadersAndRepresentations) {
  const json doc = load();
  Decoder decoder;  // one per connection: later requests index entries of earlier ones
  int checked = 0;
  for (const json& q : blocks_of(doc)) {
    SCOPED_TRACE("stream " + std::to_string(q.value("stream_id", 0)));
    const auto block = util::from_hex(q["headers_frame"]["header_block_hex"].get<std::string>());
    ASSERT_TRUE(block.has_value());
    std::vector<HeaderField> out;
    std::vector<Decoder::FieldInfo> info;
    auto r = decoder.decode(*block, out, &info);
    ASSERT_TRUE(r.ok()) << r.error().message;

    const auto& headers = q["headers"];
    ASSERT_EQ(out.size(), headers.size());
    for (size_t i = 0; i < out.size(); ++i) {
      EXPECT_EQ(out[i].name, headers[i][0].get<std::string>());
      EXPECT_EQ(out[i].value, headers[i][1].get<std::string>());
    }

    const auto& fields = q["hpack"]["fields"];
    ASSERT_EQ(info.size(), fields.size());
    for (size_t i = 0; i < info.size(); ++i) {
      SCOPED_TRACE(fields[i]["name"].get<std::string>());
      const json& f = fields[i];
      EXPECT_EQ(repr_name(info[i].repr), f["repr"].get<std::string>());
      if (info[i].repr == Decoder::FieldInfo::indexed) {
        EXPECT_EQ(info[i].index, f["index"].get<uint32_t>());
        EXPECT_EQ(info[i].from_dynamic, f["table"].get<std::string>() == "dynamic");
        continue;
      }
      if (f["name_index"].is_null()) {
        EXPECT_FALSE(info[i].name_indexed);
        EXPECT_EQ(info[i].huffman_name, f["huffman_name"].get<bool>());
      } else {
        EXPECT_TRUE(info[i].name_indexed);
        EXPECT_EQ(info[i].name_index, f["name_index"].get<uint32_t>());
      }
      EXPECT_EQ(info[i].huffman_value, f["huffman_value"].get<bool>());
    }
    EXPECT_TRUE(q["hpack"]["table_size_updates"].empty());
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST_P(HpackFidelity, ChromePolicyReencodesByteForByte) {
  if (!is_chromium()) GTEST_SKIP() << "not a Chromium capture";
  const json doc = load();
  Encoder encoder(EncoderPolicy::chrome());  // one per connection, like Chromium's
  std::vector<uint8_t> out;
  for (const json& q : blocks_of(doc)) {
    SCOPED_TRACE("stream " + std::to_string(q.value("stream_id", 0)));
    std::vector<std::string> storage;
    for (const auto& h : q["headers"]) {
      storage.push_back(h[0].get<std::string>());
      storage.push_back(h[1].get<std::string>());
    }
    std::vector<HeaderView> views;
    for (size_t i = 0; i < storage.size(); i += 2) views.push_back({storage[i], storage[i + 1]});
    out.clear();
    encoder.encode(views, out);
    EXPECT_EQ(util::to_hex(out), q["headers_frame"]["header_block_hex"].get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, HpackFidelity, ::testing::ValuesIn(fixtures_with_blocks()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string name = p.param.substr(0, p.param.size() - 5);
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace wraith::h2::hpack
