// Encode and decode of Chrome's captured navigation block (tests/fixtures/chromium-156.json), first request on a
// fresh connection and a steady-state repeat on a warm table, plus raw Huffman throughput.
#include <benchmark/benchmark.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "h2/hpack/field_list.h"
#include "h2/hpack/huffman.h"
#include "h2/hpack/integer.h"
#include "util/hex.h"

namespace hp = wraith::h2::hpack;

namespace {

struct Capture {
  std::vector<std::string> storage;
  std::vector<hp::HeaderView> fields;
  std::vector<uint8_t> block;
};

const Capture& navigation() {
  static const Capture c = [] {
    Capture c;
    std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/chromium-156.json");
    const auto doc = nlohmann::json::parse(in);
    const auto& q = doc["request"];
    for (const auto& h : q["headers"]) {
      c.storage.push_back(h[0].get<std::string>());
      c.storage.push_back(h[1].get<std::string>());
    }
    for (size_t i = 0; i < c.storage.size(); i += 2) c.fields.push_back({c.storage[i], c.storage[i + 1]});
    c.block = *wraith::util::from_hex(q["headers_frame"]["header_block_hex"].get<std::string>());
    return c;
  }();
  return c;
}

void BM_EncodeFirstRequest(benchmark::State& state) {
  const Capture& c = navigation();
  std::vector<uint8_t> out;
  out.reserve(1024);
  for (auto _ : state) {
    hp::Encoder e(hp::EncoderPolicy::chrome());
    out.clear();
    e.encode(c.fields, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.block.size()));
}
BENCHMARK(BM_EncodeFirstRequest);

void BM_EncodeWarmTable(benchmark::State& state) {
  const Capture& c = navigation();
  hp::Encoder e(hp::EncoderPolicy::chrome());
  std::vector<uint8_t> out;
  e.encode(c.fields, out);
  for (auto _ : state) {
    out.clear();
    e.encode(c.fields, out);  // everything but :path is now an exact dynamic match
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_EncodeWarmTable);

void BM_DecodeFirstRequest(benchmark::State& state) {
  const Capture& c = navigation();
  std::vector<hp::HeaderField> out;
  for (auto _ : state) {
    hp::Decoder d;
    out.clear();
    auto r = d.decode(c.block, out);
    benchmark::DoNotOptimize(r.ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.block.size()));
}
BENCHMARK(BM_DecodeFirstRequest);

// A small-file response as nginx 1.22 encodes it: :status 200 indexed, then literals without indexing with a
// static name index and a Huffman-coded value (RFC 7541 6.2.2), the same bytes on every response.
std::vector<uint8_t> nginx_response_block() {
  const std::pair<uint32_t, const char*> fields[] = {
      {54, "nginx/1.22.1"},
      {33, "Tue, 01 Dec 2026 11:48:20 GMT"},
      {31, "application/octet-stream"},
      {28, "100"},
      {44, "Tue, 01 Dec 2026 11:40:02 GMT"},
      {34, "\"692d7f42-64\""},
      {18, "bytes"},
  };
  std::vector<uint8_t> block{0x88};
  for (const auto& [name_index, value] : fields) {
    hp::encode_integer(block, 0x00, 4, name_index);
    std::vector<uint8_t> coded;
    hp::huffman_encode(value, coded);
    hp::encode_integer(block, 0x80, 7, static_cast<uint32_t>(coded.size()));
    block.insert(block.end(), coded.begin(), coded.end());
  }
  return block;
}

// One connection's decoder and output reused response after response: into a vector (the plain API) and into
// a FieldList, as ClientSession does now (strings reused, repeated literals not decoded again).
template <class Output>
void BM_DecodeRepeatedResponseInto(benchmark::State& state) {
  const std::vector<uint8_t> block = nginx_response_block();
  hp::Decoder d;
  Output out;
  for (auto _ : state) {
    out.clear();
    auto r = d.decode(block, out);
    benchmark::DoNotOptimize(r.ok());
  }
  if (out.size() != 8) state.SkipWithError("wrong field count");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * block.size()));
}
void BM_DecodeRepeatedResponse(benchmark::State& state) { BM_DecodeRepeatedResponseInto<std::vector<hp::HeaderField>>(state); }
void BM_DecodeRepeatedResponseFieldList(benchmark::State& state) { BM_DecodeRepeatedResponseInto<hp::FieldList>(state); }
BENCHMARK(BM_DecodeRepeatedResponse);
BENCHMARK(BM_DecodeRepeatedResponseFieldList);

void BM_HuffmanDecode(benchmark::State& state) {
  const Capture& c = navigation();
  std::string text;
  for (const auto& f : c.fields) text.append(f.value);
  std::vector<uint8_t> coded;
  hp::huffman_encode(text, coded);
  std::string out;
  for (auto _ : state) {
    out.clear();
    auto r = hp::huffman_decode(coded, out, 1 << 20);
    benchmark::DoNotOptimize(r.ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_HuffmanDecode);

void BM_HuffmanEncode(benchmark::State& state) {
  const Capture& c = navigation();
  std::string text;
  for (const auto& f : c.fields) text.append(f.value);
  std::vector<uint8_t> out;
  for (auto _ : state) {
    out.clear();
    hp::huffman_encode(text, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_HuffmanEncode);

}  // namespace
