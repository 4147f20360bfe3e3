// HPACK decoder (RFC 7541): one per connection, mirrors the peer encoder's dynamic table. Hostile input yields a
// typed error, never UB; memory and output are bounded by Limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "h2/hpack/dynamic_table.h"
#include "h2/hpack/field_list.h"
#include "h2/hpack/header_field.h"
#include "wraith/error.h"

namespace wraith::h2::hpack {

class Decoder {
 public:
  struct Limits {
    uint32_t max_table_size = 65536;         // our SETTINGS_HEADER_TABLE_SIZE: bound for size updates
    uint32_t max_header_list_size = 262144;  // sum of name+value+32 over the block (our MAX_HEADER_LIST_SIZE)
    size_t max_string = 262144;              // longest single decoded name or value
  };

  // How one field was represented on the wire (for the inspector and fidelity tests).
  struct FieldInfo {
    enum Repr { indexed, literal_incremental, literal_without_indexing, literal_never_indexed } repr;
    uint32_t index;       // indexed: the table index
    bool name_indexed;    // literal: name taken from the table
    uint32_t name_index;  // literal with indexed name: the table index
    bool huffman_name;    // literal with a literal name: Huffman-coded
    bool huffman_value;   // literal: value Huffman-coded
    bool from_dynamic;    // the index used (field or name) refers to the dynamic table
  };

  Decoder() : Decoder(Limits{}) {}
  // The dynamic table starts at the protocol default 4096 (capped by max_table_size); the peer grows it with
  // size updates.
  explicit Decoder(Limits limits);

  // Whole header block (HEADERS+CONTINUATION already joined); appends fields to out.
  // ErrorKind::protocol means COMPRESSION_ERROR: the decoder is unusable, close the connection. out is rolled back.
  // ErrorKind::too_large means the header list exceeded max_header_list_size: the block was still fully
  // processed, so the table stays in sync (reset only the stream); out holds the fields before the limit.
  Result<void> decode(std::span<const uint8_t> block, std::vector<HeaderField>& out);
  Result<void> decode(std::span<const uint8_t> block, std::vector<HeaderField>& out, std::vector<FieldInfo>* info);
  // Same contract, into a list the caller reuses block after block (clear() it first to start afresh): no
  // allocation once its slots have grown, and literals byte-identical to the previous block's at the same
  // position are not decoded again.
  Result<void> decode(std::span<const uint8_t> block, FieldList& out, std::vector<FieldInfo>* info = nullptr);

  // Our SETTINGS_HEADER_TABLE_SIZE (once acknowledged): the upper bound for size updates. Lowering it below the
  // current table size requires the peer's next block to start with a size update.
  void set_max_table_size(uint32_t size);

  const DynamicTable& table() const { return table_; }

 private:
  Result<void> decode_block(std::span<const uint8_t> block, FieldList& out, std::vector<FieldInfo>* info,
                            bool& list_too_large);
  // The string literal at block[pos] into dst, skipped when memo says dst already holds its decoding.
  Result<void> decode_literal(std::span<const uint8_t> block, size_t& pos, std::string& dst, FieldList::Memo& memo,
                              bool memoize, bool* huffman, bool& reused) const;

  Limits limits_;
  DynamicTable table_;
  bool size_update_required_ = false;
};

}  // namespace wraith::h2::hpack
