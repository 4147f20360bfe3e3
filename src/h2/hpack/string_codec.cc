#include "h2/hpack/string_codec.h"

#include "h2/hpack/huffman.h"
#include "h2/hpack/integer.h"

namespace wraith::h2::hpack {

bool encode_string(std::string_view s, HuffmanPolicy policy, std::vector<uint8_t>& out) {
  bool use_huffman = false;
  size_t huffman_size = 0;
  if (policy != HuffmanPolicy::never) {
    huffman_size = huffman_encoded_size(s);
    use_huffman = policy == HuffmanPolicy::always || huffman_size < s.size();
  }
  if (use_huffman) {
    encode_integer(out, 0x80, 7, static_cast<uint32_t>(huffman_size));
    huffman_encode(s, out);
  } else {
    encode_integer(out, 0x00, 7, static_cast<uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  return use_huffman;
}

Result<StringLiteral> read_string_literal(std::span<const uint8_t> in, size_t& pos) {
  if (pos >= in.size()) return Error(ErrorKind::protocol, "hpack: truncated string", "hpack");
  const bool is_huffman = (in[pos] & 0x80) != 0;
  uint32_t length;
  if (!decode_small_integer(in, pos, 7, length)) {
    auto v = decode_integer(in, pos, 7);
    if (!v) return v.take_error();
    length = *v;
  }
  if (length > in.size() - pos) return Error(ErrorKind::protocol, "hpack: string longer than the block", "hpack");
  StringLiteral s{in.subspan(pos, length), is_huffman};
  pos += length;
  return s;
}

Result<void> decode_string_bytes(const StringLiteral& s, std::string& out, size_t max_len) {
  if (s.huffman) return huffman_decode(s.bytes, out, max_len);
  if (s.bytes.size() > max_len) return Error(ErrorKind::too_large, "hpack: string too long", "hpack");
  out.append(reinterpret_cast<const char*>(s.bytes.data()), s.bytes.size());
  return {};
}

Result<void> decode_string(std::span<const uint8_t> in, size_t& pos, std::string& out, size_t max_len,
                           bool* huffman) {
  auto s = read_string_literal(in, pos);
  if (!s) return s.take_error();
  if (huffman) *huffman = s->huffman;
  return decode_string_bytes(*s, out, max_len);
}

}  // namespace wraith::h2::hpack
