#include "h2/hpack/decoder.h"

#include <algorithm>
#include <cstring>

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
  // A one-shot list around the caller's vector (callers on the hot path keep a FieldList instead): fields are
  // appended in place, and the spare slot a field over the list limit may leave is dropped.
  FieldList list;
  list.memoize_ = false;
  list.fields_.swap(out);
  list.size_ = list.fields_.size();
  auto r = decode(block, list, info);
  list.fields_.resize(list.size_);
  out.swap(list.fields_);
  return r;
}

Result<void> Decoder::decode(std::span<const uint8_t> block, FieldList& out, std::vector<FieldInfo>* info) {
  const size_t out_start = out.size();
  const size_t info_start = info ? info->size() : 0;
  bool list_too_large = false;
  auto r = decode_block(block, out, info, list_too_large);
  if (!r) {
    out.truncate(out_start);
    if (info) info->resize(info_start);
    return r;
  }
  if (list_too_large) return Error(ErrorKind::too_large, "hpack: header list larger than the limit", "hpack");
  return {};
}

Result<void> Decoder::decode_literal(std::span<const uint8_t> block, size_t& pos, std::string& dst,
                                     FieldList::Memo& memo, bool memoize, bool* huffman, bool& reused) const {
  reused = false;
  auto lit = read_string_literal(block, pos);
  if (!lit) return lit.take_error();
  *huffman = lit->huffman;
  const auto bytes = lit->bytes;
  // dst still holds what these exact wire bytes decoded to (decoding depends on nothing else); the size check
  // keeps this decoder's own string limit even when the list was filled by a decoder with a larger one.
  if (memo.valid && memo.huffman == lit->huffman && memo.wire.size() == bytes.size() &&
      dst.size() <= limits_.max_string &&
      (bytes.empty() || std::memcmp(memo.wire.data(), bytes.data(), bytes.size()) == 0)) {
    reused = true;
    return {};
  }
  memo.valid = false;
  dst.clear();
  if (auto r = decode_string_bytes(*lit, dst, limits_.max_string); !r) return as_compression_error(r.take_error());
  if (memoize && bytes.size() <= FieldList::kMaxMemoBytes) {
    memo.wire.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    memo.huffman = lit->huffman;
    memo.valid = true;
  }
  return {};
}

Result<void> Decoder::decode_block(std::span<const uint8_t> block, FieldList& out, std::vector<FieldInfo>* info,
                                   bool& list_too_large) {
  size_t pos = 0;
  size_t list_size = 0;
  bool at_start = true;

  // Whether a field of this size still fits the list limit; once one does not, no later field counts either.
  auto fits = [&](size_t name_len, size_t value_len) {
    const size_t size = entry_size(name_len, value_len);
    if (list_too_large || size > limits_.max_header_list_size - std::min<size_t>(list_size, limits_.max_header_list_size)) {
      list_too_large = true;
      return false;
    }
    list_size += size;
    return true;
  };
  auto commit = [&](const FieldInfo& fi) {
    out.commit();
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
      uint32_t index;
      if (!decode_small_integer(block, pos, 7, index)) {
        auto v = decode_integer(block, pos, 7);
        if (!v) return v.take_error();
        index = *v;
      }
      if (index == 0) return compression_error("hpack: index 0");
      fi.repr = FieldInfo::indexed;
      fi.index = index;
      HeaderView e;
      if (index <= kStaticTableSize) {
        e = static_entry(index);
      } else {
        const size_t d = index - kStaticTableSize - 1;
        if (d >= table_.count()) return compression_error("hpack: index beyond the dynamic table");
        fi.from_dynamic = true;
        e = table_.at(d);
      }
      // Checked BEFORE copying anything: a tiny block of indexed fields pointing at a large entry cannot make
      // us produce more than the list limit (the "HPACK bomb").
      if (!fits(e.name.size(), e.value.size())) continue;
      HeaderField& slot = out.next_slot();
      FieldList::SlotMemo& memo = out.next_memo();
      slot.name.assign(e.name);
      slot.value.assign(e.value);
      memo.name.valid = memo.value.valid = false;
      memo.static_name = 0;
      out.checked_[out.size_] = 0;
      commit(fi);
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
    uint32_t name_index;
    if (!decode_small_integer(block, pos, prefix, name_index)) {
      auto v = decode_integer(block, pos, prefix);
      if (!v) return v.take_error();
      name_index = *v;
    }
    // A literal is decoded into the next slot even if it will not count (too large): the table needs it, and
    // the slot is only committed below. Its size is bounded by max_string like any scratch buffer.
    HeaderField& slot = out.next_slot();
    FieldList::SlotMemo& memo = out.next_memo();
    bool name_reused = false, value_reused = false;
    if (name_index != 0) {
      fi.name_indexed = true;
      fi.name_index = name_index;
      std::string_view name;
      if (name_index <= kStaticTableSize) {
        name = static_entry(name_index).name;
        // The slot already holds this static name (only a memoizing list's slot keeps its own memo).
        name_reused = out.memoize_ && memo.static_name == name_index;
      } else {
        const size_t d = name_index - kStaticTableSize - 1;
        if (d >= table_.count()) return compression_error("hpack: name index beyond the dynamic table");
        fi.from_dynamic = true;
        name = table_.at(d).name;  // copied into the slot: inserting this field may evict the entry
      }
      if (!name_reused) slot.name.assign(name);
      memo.name.valid = false;
      memo.static_name = out.memoize_ && name_index <= kStaticTableSize ? name_index : 0;
    } else {
      memo.static_name = 0;  // first: a failed decode below leaves the slot's name cleared or partial
      if (auto r = decode_literal(block, pos, slot.name, memo.name, out.memoize_, &fi.huffman_name, name_reused); !r)
        return r;
    }
    if (auto r = decode_literal(block, pos, slot.value, memo.value, out.memoize_, &fi.huffman_value, value_reused); !r)
      return r;
    if (!(name_reused && value_reused)) out.checked_[out.size_] = 0;
    if (fi.repr == FieldInfo::literal_incremental) table_.insert(slot.name, slot.value);
    if (fits(slot.name.size(), slot.value.size())) commit(fi);
  }
  if (size_update_required_) return compression_error("hpack: missing table size update after SETTINGS change");
  return {};
}

}  // namespace wraith::h2::hpack
