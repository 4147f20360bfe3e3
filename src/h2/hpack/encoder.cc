#include "h2/hpack/encoder.h"

#include <algorithm>

#include "h2/hpack/integer.h"
#include "h2/hpack/static_table.h"
#include "h2/hpack/string_codec.h"

namespace wraith::h2::hpack {

Encoder::Encoder(EncoderPolicy policy, uint32_t max_table_size, bool memoize)
    : policy_(std::move(policy)), table_(std::min(max_table_size, policy_.max_table_size_bound)), memoize_(memoize) {}

void Encoder::set_peer_max_table_size(uint32_t size) {
  size = std::min(size, policy_.max_table_size_bound);
  if (size == table_.max_size()) return;
  if (size < table_.max_size()) min_size_since_update_ = std::min(min_size_since_update_, size);
  table_.set_max_size(size);
  size_update_pending_ = true;
  ++epoch_;
}

void Encoder::encode(std::span<const HeaderView> fields, std::vector<uint8_t>& out) {
  if (size_update_pending_) {
    if (min_size_since_update_ < table_.max_size()) encode_integer(out, 0x20, 5, min_size_since_update_);
    encode_integer(out, 0x20, 5, table_.max_size());
    size_update_pending_ = false;
    min_size_since_update_ = UINT32_MAX;
  }
  if (!memoize_) {
    for (const HeaderView& f : fields) encode_one(f, out);
    return;
  }
  if (memo_.size() < fields.size()) memo_.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const HeaderView& f = fields[i];
    Memo& m = memo_[i];
    if (m.epoch == epoch_ && m.name == f.name && m.value == f.value) {
      out.insert(out.end(), m.bytes.begin(), m.bytes.begin() + m.length);
      continue;
    }
    const uint64_t epoch_before = epoch_;
    const size_t start = out.size();
    encode_one(f, out);
    const size_t length = out.size() - start;
    if (epoch_ != epoch_before || length > m.bytes.size()) {
      m.epoch = UINT64_MAX;  // it changed the table (or is long): the next block encodes it afresh
      continue;
    }
    m.name.assign(f.name);
    m.value.assign(f.value);
    m.epoch = epoch_;
    m.length = static_cast<uint8_t>(length);
    std::copy(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(), m.bytes.begin());
  }
}

void Encoder::encode_one(const HeaderView& f, std::vector<uint8_t>& out) {
  if (policy_.crumble_cookies && f.name == "cookie") {
    encode_cookie(f.value, out);
  } else {
    encode_field(f.name, f.value, out);
  }
}

void Encoder::encode_cookie(std::string_view value, std::vector<uint8_t>& out) {
  // Trim surrounding whitespace, then one field per ';'-separated crumb, dropping one space after each ';'.
  const size_t first = value.find_first_not_of(" \t");
  value = first == std::string_view::npos ? std::string_view() : value.substr(first, value.find_last_not_of(" \t") - first + 1);
  for (size_t pos = 0;;) {
    const size_t end = value.find(';', pos);
    if (end == std::string_view::npos) {
      encode_field("cookie", value.substr(pos), out);
      return;
    }
    encode_field("cookie", value.substr(pos, end - pos), out);
    pos = end + 1;
    if (pos < value.size() && value[pos] == ' ') ++pos;
  }
}

void Encoder::encode_field(std::string_view name, std::string_view value, std::vector<uint8_t>& out) {
  const Literal literal = policy_.literal_for(name);
  const bool may_index = policy_.index_exact_matches && literal != Literal::never_indexed;
  const StaticMatch in_static = static_find(name, value);
  if (may_index && in_static.exact != 0) {
    encode_integer(out, 0x80, 7, in_static.exact);
    return;
  }
  DynamicTable::Match in_dynamic;
  if (may_index || in_static.name == 0) in_dynamic = table_.find(name, value, DynamicTable::hash_name(name));
  if (may_index && in_dynamic.exact != DynamicTable::npos) {
    encode_integer(out, 0x80, 7, static_cast<uint32_t>(kStaticTableSize + 1 + in_dynamic.exact));
    return;
  }

  uint32_t name_index = in_static.name;
  if (name_index == 0 && in_dynamic.name != DynamicTable::npos) {
    name_index = static_cast<uint32_t>(kStaticTableSize + 1 + in_dynamic.name);
  }
  switch (literal) {
    case Literal::incremental: encode_integer(out, 0x40, 6, name_index); break;
    case Literal::without_indexing: encode_integer(out, 0x00, 4, name_index); break;
    case Literal::never_indexed: encode_integer(out, 0x10, 4, name_index); break;
  }
  if (name_index == 0) encode_string(name, policy_.huffman, out);
  encode_string(value, policy_.huffman, out);
  if (literal == Literal::incremental) {
    table_.insert(name, value);
    ++epoch_;
  }
}

}  // namespace wraith::h2::hpack
