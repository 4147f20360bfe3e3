#include "h2/hpack/decoder.h"

#include <algorithm>

#include "h2/hpack/integer.h"
#include "h2/hpack/static_table.h"
#include "h2/hpack/string_codec.h"

namespace wraith::h2::hpack {
namespace {

Error compression_error(const char* what) { return Error(ErrorKind::protocol, what, "hpack"); }

// A string over max_string cannot be skipped without losing table sync, so it is fatal like any other.
Error as_compression_error(Error e) {
  e.kind = ErrorKind::protocol;
  return e;
}

}  // namespace

Decoder::Decoder(Limits limits) : limits_(limits), table_(std::min<uint32_t>(4096, limits.max_table_size)) {}

void Decoder::set_max_table_size(uint32_t size) {
  limits_.max_table_size = size;
  if (size < table_.max_size()) size_update_required_ = true;
}

Result<void> Decoder::decode(std::span<const uint8_t> block, std::vector<HeaderField>& out) {
  return decode(block, out, nullptr);
}

Result<void> Decoder::decode(std::span<const uint8_t> block, std::vector<HeaderField>& out,
                             std::vector<FieldInfo>* info) {
  const size_t out_start = out.size();
  const size_t info_start = info ? info->size() : 0;
  bool list_too_large = false;
  auto r = decode_block(block, out, info, list_too_large);
  if (!r) {
    out.resize(out_start);
    if (info) info->resize(info_start);
    return r;
  }
  if (list_too_large) return Error(ErrorKind::too_large, "hpack: header list larger than the limit", "hpack");
  return {};
}

Result<void> Decoder::decode_block(std::span<const uint8_t> block, std::vector<HeaderField>& out,
                                   std::vector<FieldInfo>* info, bool& list_too_large) {
  size_t pos = 0;
  size_t list_size = 0;
  bool at_start = true;

  // Checked BEFORE copying anything into out: a tiny block of indexed fields pointing at a large entry cannot
  // make us produce more than the list limit (the "HPACK bomb").
  auto emit = [&](std::string_view name, std::string_view value, const FieldInfo& fi) {
    const size_t size = entry_size(name.size(), value.size());
    if (list_too_large || size > limits_.max_header_list_size - std::min<size_t>(list_size, limits_.max_header_list_size)) {
      list_too_large = true;
      return;
    }
    list_size += size;
    out.push_back(HeaderField{std::string(name), std::string(value)});
    if (info) info->push_back(fi);
  };

  while (pos < block.size()) {
    const uint8_t b = block[pos];
    if ((b & 0xe0) == 0x20) {  // dynamic table size update (RFC 7541 6.3)
      if (!at_start) return compression_error("hpack: table size update after the first field");
      auto size = decode_integer(block, pos, 5);
      if (!size) return size.take_error();
      if (*size > limits_.max_table_size) return compression_error("hpack: table size update above our setting");
      table_.set_max_size(*size);
      size_update_required_ = false;
      continue;
    }
    if (size_update_required_) return compression_error("hpack: missing table size update after SETTINGS change");
    at_start = false;

    FieldInfo fi{};
    if (b & 0x80) {  // indexed field (6.1)
      auto index = decode_integer(block, pos, 7);
      if (!index) return index.take_error();
      if (*index == 0) return compression_error("hpack: index 0");
      fi.repr = FieldInfo::indexed;
      fi.index = *index;
      if (*index <= kStaticTableSize) {
        const HeaderView& e = static_entry(*index);
        emit(e.name, e.value, fi);
      } else {
        const size_t d = *index - kStaticTableSize - 1;
        if (d >= table_.count()) return compression_error("hpack: index beyond the dynamic table");
        fi.from_dynamic = true;
        const HeaderView e = table_.at(d);
        emit(e.name, e.value, fi);
      }
      continue;
    }

    int prefix;
    if ((b & 0xc0) == 0x40) {
      fi.repr = FieldInfo::literal_incremental;
      prefix = 6;
    } else if ((b & 0xf0) == 0x10) {
      fi.repr = FieldInfo::literal_never_indexed;
      prefix = 4;
    } else {
      fi.repr = FieldInfo::literal_without_indexing;
      prefix = 4;
    }
    auto name_index = decode_integer(block, pos, prefix);
    if (!name_index) return name_index.take_error();
    std::string_view name;
    if (*name_index != 0) {
      fi.name_indexed = true;
      fi.name_index = *name_index;
      if (*name_index <= kStaticTableSize) {
        name = static_entry(*name_index).name;
      } else {
        const size_t d = *name_index - kStaticTableSize - 1;
        if (d >= table_.count()) return compression_error("hpack: name index beyond the dynamic table");
        fi.from_dynamic = true;
        // Copied: inserting this field may evict the entry the name comes from.
        name_buf_.assign(table_.at(d).name);
        name = name_buf_;
      }
    } else {
      name_buf_.clear();
      auto r = decode_string(block, pos, name_buf_, limits_.max_string, &fi.huffman_name);
      if (!r) return as_compression_error(r.take_error());
      name = name_buf_;
    }
    value_buf_.clear();
    auto r = decode_string(block, pos, value_buf_, limits_.max_string, &fi.huffman_value);
    if (!r) return as_compression_error(r.take_error());
    if (fi.repr == FieldInfo::literal_incremental) table_.insert(name, value_buf_);
    emit(name, value_buf_, fi);
  }
  if (size_update_required_) return compression_error("hpack: missing table size update after SETTINGS change");
  return {};
}

}  // namespace wraith::h2::hpack
