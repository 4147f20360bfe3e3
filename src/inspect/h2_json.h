// JSON for what the h2 inspector records, in the fixtures' shape: one frame, one SETTINGS list, one
// HPACK field representation, a block's leading table size updates.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "h2/frame/frame_header.h"
#include "h2/frame/priority_fields.h"
#include "h2/hpack/decoder.h"

namespace wraith::inspect {

// {"exclusive": 0|1, "depends_on", "weight" (1..256)}
nlohmann::json priority_json(const h2::PriorityFields& p);
// [{"id","name","value"}...] in wire order. Requires a valid SETTINGS payload (length % 6 == 0).
nlohmann::json settings_json(std::span<const std::uint8_t> payload);

// {"seq","t_ms","type","type_id","flags","flag_names","stream","length", + per type: settings|ack (SETTINGS),
// increment (WINDOW_UPDATE), priority + header_block_length (HEADERS/CONTINUATION), data_length (DATA),
// error_code + error_name (RST_STREAM/GOAWAY), last_stream_id (GOAWAY), opaque_hex + ack (PING)}.
// Malformed payloads get what can be read safely and "malformed": true.
nlohmann::json frame_json(const h2::Frame& frame, std::uint64_t seq, std::int64_t t_ms);

// "SETTINGS", "WINDOW_UPDATE", "HEADERS(s1)": stream frames carry their stream id.
std::string sequence_name(const h2::FrameHeader& header);

// One hpack.fields entry: indexed -> {name, repr, index, table}; literal with indexed name -> {name, repr,
// name_index, huffman_value}; literal name -> {name, repr, name_index: null, huffman_value, huffman_name}.
nlohmann::json hpack_field_json(const std::string& name, const h2::hpack::Decoder::FieldInfo& info);
const char* repr_name(h2::hpack::Decoder::FieldInfo::Repr repr);

// The dynamic table size updates a block starts with (RFC 7541 6.3), in order.
std::vector<std::uint32_t> leading_table_size_updates(std::span<const std::uint8_t> block);

}  // namespace wraith::inspect
