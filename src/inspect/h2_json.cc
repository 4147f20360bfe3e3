#include "inspect/h2_json.h"

#include "h2/frame/bytes.h"
#include "h2/frame/types.h"
#include "h2/hpack/integer.h"
#include "inspect/h2_names.h"
#include "util/hex.h"

namespace wraith::inspect {

nlohmann::json priority_json(const h2::PriorityFields& p) {
  return {{"exclusive", p.exclusive ? 1 : 0}, {"depends_on", p.depends_on}, {"weight", p.weight}};
}

nlohmann::json settings_json(std::span<const std::uint8_t> payload) {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t at = 0; at + 6 <= payload.size(); at += 6) {
    auto id = static_cast<std::uint16_t>(h2::wire::get16(payload.data() + at));
    list.push_back({{"id", id}, {"name", setting_name(id)}, {"value", h2::wire::get32(payload.data() + at + 2)}});
  }
  return list;
}

std::string sequence_name(const h2::FrameHeader& header) {
  std::string name = frame_type_name(header.type);
  if (header.stream_id != 0) name += "(s" + std::to_string(header.stream_id) + ")";
  return name;
}

namespace {

// The payload after the Pad Length byte and before the padding, or nullopt when the lengths do not add up.
std::optional<std::span<const std::uint8_t>> unpadded(const h2::Frame& frame, nlohmann::json& out) {
  auto payload = frame.payload;
  if (!frame.header.has(h2::flags::padded)) return payload;
  if (payload.empty()) return std::nullopt;
  std::size_t pad = payload[0];
  out["pad_length"] = pad;
  if (pad + 1 > payload.size()) return std::nullopt;
  return payload.subspan(1, payload.size() - 1 - pad);
}

}  // namespace

nlohmann::json frame_json(const h2::Frame& frame, std::uint64_t seq, std::int64_t t_ms) {
  const auto& h = frame.header;
  const auto payload = frame.payload;
  nlohmann::json j;
  j["seq"] = seq;
  j["t_ms"] = t_ms;
  j["type"] = frame_type_name(h.type);
  j["type_id"] = h.type;
  j["flags"] = h.flags;
  j["flag_names"] = flag_names(h.type, h.flags);
  j["stream"] = h.stream_id;
  j["length"] = h.length;
  bool malformed = false;
  switch (h.type) {
    case 0x0: {  // DATA
      auto body = unpadded(frame, j);
      if (body) j["data_length"] = body->size();
      else malformed = true;
      break;
    }
    case 0x1: {  // HEADERS
      auto body = unpadded(frame, j);
      if (!body) {
        malformed = true;
        break;
      }
      if (h.has(h2::flags::priority)) {
        if (body->size() < h2::kPriorityFieldsSize) {
          malformed = true;
          break;
        }
        j["priority"] = priority_json(h2::read_priority_fields(body->data()));
        *body = body->subspan(h2::kPriorityFieldsSize);
      }
      j["header_block_length"] = body->size();
      break;
    }
    case 0x2:  // PRIORITY
      if (payload.size() == h2::kPriorityFieldsSize) j["priority"] = priority_json(h2::read_priority_fields(payload.data()));
      else malformed = true;
      break;
    case 0x3:  // RST_STREAM
      if (payload.size() == 4) {
        j["error_code"] = h2::wire::get32(payload.data());
        j["error_name"] = error_code_name(h2::wire::get32(payload.data()));
      } else {
        malformed = true;
      }
      break;
    case 0x4:  // SETTINGS
      if (h.has(h2::flags::ack)) j["ack"] = true;
      if (payload.size() % 6 != 0) malformed = true;
      else if (!h.has(h2::flags::ack)) j["settings"] = settings_json(payload);
      break;
    case 0x6:  // PING
      j["ack"] = h.has(h2::flags::ack);
      if (payload.size() == 8) j["opaque_hex"] = util::to_hex(payload);
      else malformed = true;
      break;
    case 0x7:  // GOAWAY
      if (payload.size() >= 8) {
        j["last_stream_id"] = h2::wire::get31(payload.data());
        j["error_code"] = h2::wire::get32(payload.data() + 4);
        j["error_name"] = error_code_name(h2::wire::get32(payload.data() + 4));
        j["debug_data_length"] = payload.size() - 8;
      } else {
        malformed = true;
      }
      break;
    case 0x8:  // WINDOW_UPDATE
      if (payload.size() == 4) j["increment"] = h2::wire::get31(payload.data());
      else malformed = true;
      break;
    case 0x9:  // CONTINUATION
      j["header_block_length"] = payload.size();
      break;
    default:
      break;
  }
  if (malformed) j["malformed"] = true;
  return j;
}

const char* repr_name(h2::hpack::Decoder::FieldInfo::Repr repr) {
  using FI = h2::hpack::Decoder::FieldInfo;
  switch (repr) {
    case FI::indexed: return "indexed";
    case FI::literal_incremental: return "literal_incremental";
    case FI::literal_without_indexing: return "literal_without_indexing";
    case FI::literal_never_indexed: return "literal_never_indexed";
  }
  return "unknown";
}

nlohmann::json hpack_field_json(const std::string& name, const h2::hpack::Decoder::FieldInfo& info) {
  using FI = h2::hpack::Decoder::FieldInfo;
  nlohmann::json j;
  j["name"] = name;
  j["repr"] = repr_name(info.repr);
  if (info.repr == FI::indexed) {
    j["index"] = info.index;
    j["table"] = info.from_dynamic ? "dynamic" : "static";
    return j;
  }
  if (info.name_indexed) {
    j["name_index"] = info.name_index;
    j["huffman_value"] = info.huffman_value;
  } else {
    j["name_index"] = nullptr;
    j["huffman_value"] = info.huffman_value;
    j["huffman_name"] = info.huffman_name;
  }
  return j;
}

std::vector<std::uint32_t> leading_table_size_updates(std::span<const std::uint8_t> block) {
  std::vector<std::uint32_t> updates;
  std::size_t pos = 0;
  while (pos < block.size() && (block[pos] & 0xe0) == 0x20 && updates.size() < 16) {
    auto size = h2::hpack::decode_integer(block, pos, 5);
    if (!size) break;
    updates.push_back(*size);
  }
  return updates;
}

}  // namespace wraith::inspect
