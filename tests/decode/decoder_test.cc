#include "decode/decoder.h"

#include <gtest/gtest.h>

#include "compressors.h"

using namespace wraith;
using namespace wraith::decode;
using namespace wraith::decode::test;

namespace {

// Decodes `body` fed in `chunk`-sized pieces; the result or the first error.
Result<Bytes> decode_all(std::string_view coding, const Bytes& body, std::size_t chunk = 4096, Limits limits = {}) {
  auto dec = make_decoder(coding, limits);
  if (!dec) return dec.take_error();
  BufferOutput out;
  for (std::size_t i = 0; i < body.size(); i += chunk) {
    std::size_t n = std::min(chunk, body.size() - i);
    if (auto r = (*dec)->feed(std::span<const std::uint8_t>(body.data() + i, n), out); !r) return r.take_error();
  }
  if (auto r = (*dec)->finish(out); !r) return r.take_error();
  return std::move(out.data);
}

struct Coding {
  const char* name;
  Bytes (*encode)(const Bytes&);
};

const Coding kCodings[] = {{"gzip", gzip}, {"deflate", zlib_deflate}, {"br", brotli}, {"zstd", zstd}};

class EachCoding : public ::testing::TestWithParam<Coding> {};

}  // namespace

TEST_P(EachCoding, RoundTrip) {
  const Bytes original = sample_text(300 * 1024);
  const Bytes body = GetParam().encode(original);
  ASSERT_LT(body.size(), original.size());
  auto decoded = decode_all(GetParam().name, body);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, original);
}

TEST_P(EachCoding, ByteByByteFeeding) {
  const Bytes original = sample_text(40 * 1024, 7);
  auto decoded = decode_all(GetParam().name, GetParam().encode(original), 1);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, original);
}

TEST_P(EachCoding, EmptyContentRoundTrips) {
  auto decoded = decode_all(GetParam().name, GetParam().encode({}));
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_TRUE(decoded->empty());
}

TEST_P(EachCoding, ZeroByteBodyIsAccepted) {
  auto decoded = decode_all(GetParam().name, {});
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_TRUE(decoded->empty());
}

TEST_P(EachCoding, TruncatedStreamFailsAtFinish) {
  const Bytes body = GetParam().encode(sample_text(64 * 1024));
  for (std::size_t cut : {std::size_t{1}, body.size() / 2, body.size() - 1}) {
    Bytes part(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(cut));
    auto dec = make_decoder(GetParam().name);
    ASSERT_TRUE(dec);
    BufferOutput out;
    ASSERT_TRUE((*dec)->feed(part, out)) << cut;
    auto r = (*dec)->finish(out);
    ASSERT_FALSE(r) << "cut at " << cut;
    EXPECT_EQ(r.error().kind, ErrorKind::decode);
  }
}

TEST_P(EachCoding, CorruptInputIsDecodeError) {
  Bytes body = GetParam().encode(sample_text(64 * 1024));
  // Overwrite a stretch in the middle with a byte pattern no encoder produced.
  for (std::size_t i = body.size() / 3; i < body.size() / 3 + 64 && i < body.size(); ++i)
    body[i] = static_cast<std::uint8_t>(0xFF - i * 37);
  auto decoded = decode_all(GetParam().name, body);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().kind, ErrorKind::decode) << decoded.error().describe();
}

TEST_P(EachCoding, GarbageIsDecodeError) {
  Bytes garbage(1000);
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<std::uint8_t>(0xFF ^ (i * 131));
  auto decoded = decode_all(GetParam().name, garbage);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().kind, ErrorKind::decode);
}

TEST_P(EachCoding, MaxOutputEnforcedWhileStreaming) {
  const Bytes zeros(8u << 20, 0);
  Limits limits;
  limits.max_output = 1u << 20;
  auto dec = make_decoder(GetParam().name, limits);
  ASSERT_TRUE(dec);
  std::uint64_t seen = 0;
  CallbackOutput out([&](std::span<const std::uint8_t> b) {
    seen += b.size();
    return Result<void>();
  });
  auto r = (*dec)->feed(GetParam().encode(zeros), out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  EXPECT_LE(seen, limits.max_output);
  // The error sticks.
  EXPECT_EQ((*dec)->finish(out).error().kind, ErrorKind::too_large);
}

TEST_P(EachCoding, RatioBound) {
  Limits limits;
  limits.max_ratio = 50;
  limits.ratio_floor = 64 * 1024;
  auto ok = decode_all(GetParam().name, GetParam().encode(sample_text(512 * 1024)), 4096, limits);
  ASSERT_TRUE(ok) << ok.error().describe();  // text compresses well below 50:1
  auto bomb = decode_all(GetParam().name, GetParam().encode(Bytes(4u << 20, 'a')), 4096, limits);
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().kind, ErrorKind::too_large);
}

INSTANTIATE_TEST_SUITE_P(Codings, EachCoding, ::testing::ValuesIn(kCodings),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Decode, IdentityAndEmptyHeaderPassThrough) {
  const Bytes data = to_bytes("plain body");
  for (const char* h : {"", "identity", " Identity ", "identity, identity"}) {
    auto decoded = decode_all(h, data, 3);
    ASSERT_TRUE(decoded) << h;
    EXPECT_EQ(*decoded, data) << h;
  }
}

TEST(Decode, ChainDecodesInReverseOrder) {
  const Bytes original = sample_text(100 * 1024, 3);
  // "gzip, br": gzip was applied first, then br.
  auto decoded = decode_all("gzip, br", brotli(gzip(original)), 777);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, original);
  auto three = decode_all("zstd,deflate , gzip", gzip(zlib_deflate(zstd(original))), 1);
  ASSERT_TRUE(three) << three.error().describe();
  EXPECT_EQ(*three, original);
  // The wrong order is caught.
  auto wrong = decode_all("br, gzip", brotli(gzip(original)));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::decode);
}

TEST(Decode, ChainTruncationInInnerCodingCaughtAtFinish) {
  Bytes inner = gzip(sample_text(10000));
  inner.resize(inner.size() - 4);  // drop part of the gzip trailer, then wrap in a complete br stream
  auto decoded = decode_all("gzip, br", brotli(inner));
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().kind, ErrorKind::decode);
}

TEST(Decode, RawDeflateFallback) {
  const Bytes original = sample_text(50000, 9);
  auto decoded = decode_all("deflate", raw_deflate(original), 1);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, original);
}

TEST(Decode, CodingNamesAreCaseInsensitiveAndXGzipAccepted) {
  const Bytes original = to_bytes("hello hello hello");
  for (const char* h : {"GZIP", "x-gzip", "\tGzip\t"}) {
    auto decoded = decode_all(h, gzip(original));
    ASSERT_TRUE(decoded) << h;
    EXPECT_EQ(*decoded, original);
  }
}

TEST(Decode, UnknownCodingRejected) {
  for (const char* h : {"compress", "gzip, snappy", "br;q=1", "dcb"}) {
    auto dec = make_decoder(h);
    ASSERT_FALSE(dec) << h;
    EXPECT_EQ(dec.error().kind, ErrorKind::decode);
  }
}

TEST(Decode, TooManyCodingsRejected) {
  EXPECT_TRUE(make_decoder("gzip, gzip, gzip, gzip"));
  auto dec = make_decoder("gzip, gzip, gzip, gzip, gzip");
  ASSERT_FALSE(dec);
  EXPECT_EQ(dec.error().kind, ErrorKind::decode);
}

TEST(Decode, TrailingBytesAfterGzipMemberIgnored) {
  // Chrome stops at the end of the first gzip member and drops what follows.
  const Bytes original = to_bytes("first member");
  Bytes body = gzip(original);
  const Bytes trailer = to_bytes("junk after the stream");
  body.insert(body.end(), trailer.begin(), trailer.end());
  auto decoded = decode_all("gzip", body, 5);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, original);
}

TEST(Decode, ConcatenatedZstdFramesDecodeInSequence) {
  const Bytes a = to_bytes("frame one;"), b = to_bytes("frame two");
  Bytes body = zstd(a);
  Bytes second = zstd(b);
  body.insert(body.end(), second.begin(), second.end());
  auto decoded = decode_all("zstd", body, 3);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, to_bytes("frame one;frame two"));
}

TEST(Decode, OutputErrorStopsDecodingAndSticks) {
  auto dec = make_decoder("gzip");
  ASSERT_TRUE(dec);
  int calls = 0;
  CallbackOutput out([&](std::span<const std::uint8_t>) {
    ++calls;
    return Result<void>(Error(ErrorKind::cancelled, "reader went away"));
  });
  auto r = (*dec)->feed(gzip(Bytes(1u << 20, 'z')), out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::cancelled);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ((*dec)->feed(gzip(Bytes(10, 'z')), out).error().kind, ErrorKind::cancelled);
}

TEST(Decode, FeedAfterFinishIsAnError) {
  auto dec = make_decoder("br");
  ASSERT_TRUE(dec);
  BufferOutput out;
  ASSERT_TRUE((*dec)->feed(brotli(to_bytes("x")), out));
  ASSERT_TRUE((*dec)->finish(out));
  EXPECT_FALSE((*dec)->feed(brotli(to_bytes("y")), out));
  EXPECT_EQ((*dec)->bytes_in(), brotli(to_bytes("x")).size());  // the refused feed is not counted
}

TEST(Decode, ChunksNeverExceedScratchSize) {
  auto dec = make_decoder("zstd");
  ASSERT_TRUE(dec);
  std::size_t biggest = 0, total = 0;
  CallbackOutput out([&](std::span<const std::uint8_t> b) {
    biggest = std::max(biggest, b.size());
    total += b.size();
    return Result<void>();
  });
  ASSERT_TRUE((*dec)->feed(zstd(Bytes(5u << 20, 1)), out));
  ASSERT_TRUE((*dec)->finish(out));
  EXPECT_EQ(total, 5u << 20);
  EXPECT_LE(biggest, 16u * 1024);
}
