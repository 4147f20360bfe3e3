// HPACK encoder (RFC 7541): one per connection, owns the dynamic table the peer's decoder mirrors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "h2/hpack/dynamic_table.h"
#include "h2/hpack/encoder_policy.h"
#include "h2/hpack/header_field.h"

namespace wraith::h2::hpack {

class Encoder {
 public:
  // max_table_size: the dynamic table size in effect (4096 until the peer's SETTINGS say otherwise), capped by
  // policy.max_table_size_bound.
  // memoize: reuse a field's encoding from the previous block (see Memo); off only to test it.
  explicit Encoder(EncoderPolicy policy, uint32_t max_table_size = 4096, bool memoize = true);

  // Peer's SETTINGS_HEADER_TABLE_SIZE changed: the next block starts with a dynamic table size update (RFC 7541
  // 4.2/6.3); if the size dipped below both the old and the new value meanwhile, the minimum is signalled first.
  // The size used is min(size, policy.max_table_size_bound).
  void set_peer_max_table_size(uint32_t size);

  // Appends one header block for fields, in the given order (the caller orders pseudo-headers first).
  // Allocation-free in steady state beyond out's own growth.
  void encode(std::span<const HeaderView> fields, std::vector<uint8_t>& out);

  const DynamicTable& table() const { return table_; }
  const EncoderPolicy& policy() const { return policy_; }

 private:
  void encode_field(std::string_view name, std::string_view value, std::vector<uint8_t>& out);
  void encode_cookie(std::string_view value, std::vector<uint8_t>& out);

  // A request's fields are mostly those of the one before (same template, same values), and a field's
  // encoding depends only on (name, value, table state, policy). So the bytes of field i are kept with the
  // table's epoch; a field equal to the previous block's field i, on an unchanged table, is copied, not
  // looked up and Huffman-coded again. Any insertion or size change bumps the epoch.
  struct Memo {
    std::string name, value;
    uint64_t epoch = UINT64_MAX;
    uint8_t length = 0;
    std::array<uint8_t, 32> bytes{};
  };
  void encode_one(const HeaderView& f, std::vector<uint8_t>& out);

  EncoderPolicy policy_;
  DynamicTable table_;
  bool size_update_pending_ = false;
  uint32_t min_size_since_update_ = UINT32_MAX;
  bool memoize_ = true;
  uint64_t epoch_ = 0;
  std::vector<Memo> memo_;
};

}  // namespace wraith::h2::hpack
