#include "h2/frame/describe.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "h2/frame/frame_header.h"

namespace wraith::h2 {

namespace {

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

void append(std::string& out, const char* format, unsigned long long value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  out += buf;
}

std::string error_name(uint32_t code) {
  if (code <= static_cast<uint32_t>(ErrorCode::http_1_1_required)) return to_string(static_cast<ErrorCode>(code));
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", code);
  return buf;
}

// Flag bits mean different things per type (RFC 9113 section 6); bits a type does not define stay numeric.
std::string flag_names(uint8_t type, uint8_t bits) {
  struct Named { uint8_t bit; const char* name; };
  static constexpr Named kData[] = {{flags::end_stream, "END_STREAM"}, {flags::padded, "PADDED"}};
  static constexpr Named kHeaders[] = {{flags::end_stream, "END_STREAM"}, {flags::end_headers, "END_HEADERS"},
                                       {flags::padded, "PADDED"}, {flags::priority, "PRIORITY"}};
  static constexpr Named kAck[] = {{flags::ack, "ACK"}};
  static constexpr Named kPushPromise[] = {{flags::end_headers, "END_HEADERS"}, {flags::padded, "PADDED"}};
  static constexpr Named kContinuation[] = {{flags::end_headers, "END_HEADERS"}};
  std::span<const Named> names;
  switch (static_cast<FrameType>(type)) {
    case FrameType::data: names = kData; break;
    case FrameType::headers: names = kHeaders; break;
    case FrameType::settings: case FrameType::ping: names = kAck; break;
    case FrameType::push_promise: names = kPushPromise; break;
    case FrameType::continuation: names = kContinuation; break;
    default: break;
  }
  std::string out;
  uint8_t rest = bits;
  for (const auto& n : names)
    if (bits & n.bit) {
      out += out.empty() ? "" : "|";
      out += n.name;
      rest = static_cast<uint8_t>(rest & ~n.bit);
    }
  if (rest) {
    if (!out.empty()) out += '|';
    append(out, "0x%02llx", rest);
  }
  return out;
}

// exclusive, depends_on, weight (the wire byte is weight - 1) from 5 bytes.
void append_priority(std::string& out, const uint8_t* p) {
  uint32_t dependency = be32(p);
  append(out, " exclusive=%llu", dependency >> 31);
  append(out, " depends_on=%llu", dependency & 0x7fffffffu);
  append(out, " weight=%llu", p[4] + 1u);
}

}  // namespace

const char* setting_name(uint16_t id) {
  switch (id) {
    case 0x1: return "HEADER_TABLE_SIZE";
    case 0x2: return "ENABLE_PUSH";
    case 0x3: return "MAX_CONCURRENT_STREAMS";
    case 0x4: return "INITIAL_WINDOW_SIZE";
    case 0x5: return "MAX_FRAME_SIZE";
    case 0x6: return "MAX_HEADER_LIST_SIZE";
    case 0x8: return "ENABLE_CONNECT_PROTOCOL";   // RFC 8441
    case 0x9: return "NO_RFC7540_PRIORITIES";     // RFC 9218 section 2.1
    default: return nullptr;
  }
}

std::vector<std::string> FrameDescriber::feed(std::span<const uint8_t> bytes) {
  std::vector<std::string> lines;
  while (!bytes.empty()) {
    switch (phase_) {
      case Phase::preface: {
        std::size_t n = std::min(bytes.size(), kClientPreface.size() - preface_seen_);
        if (std::memcmp(bytes.data(), kClientPreface.data() + preface_seen_, n) != 0) {
          lines.push_back("not an HTTP/2 client preface; the rest of this connection is not described");
          phase_ = Phase::lost;
          break;
        }
        preface_seen_ += n;
        bytes = bytes.subspan(n);
        if (preface_seen_ == kClientPreface.size()) {
          lines.push_back("PREFACE \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\" length=24");
          phase_ = Phase::header;
        }
        break;
      }
      case Phase::header: {
        std::size_t n = std::min(bytes.size(), kFrameHeaderSize - header_seen_);
        std::copy_n(bytes.begin(), n, header_.begin() + header_seen_);
        header_seen_ += n;
        bytes = bytes.subspan(n);
        if (header_seen_ < kFrameHeaderSize) break;
        length_ = decode_frame_header(header_.data()).length;
        payload_seen_ = 0;
        kept_.clear();
        phase_ = Phase::payload;
        if (length_ == 0) {
          lines.push_back(describe());
          header_seen_ = 0;
          phase_ = Phase::header;
        }
        break;
      }
      case Phase::payload: {
        std::size_t n = std::min<std::size_t>(bytes.size(), length_ - payload_seen_);
        std::size_t keep = std::min(n, kKeptPayload - std::min(kKeptPayload, kept_.size()));
        kept_.insert(kept_.end(), bytes.begin(), bytes.begin() + keep);
        payload_seen_ += static_cast<uint32_t>(n);
        bytes = bytes.subspan(n);
        if (payload_seen_ == length_) {
          lines.push_back(describe());
          header_seen_ = 0;
          phase_ = Phase::header;
        }
        break;
      }
      case Phase::lost:
        return lines;
    }
  }
  return lines;
}

std::string FrameDescriber::describe() const {
  const FrameHeader h = decode_frame_header(header_.data());
  std::string out;
  if (is_known_frame_type(h.type)) out = to_string(static_cast<FrameType>(h.type));
  else append(out = "UNKNOWN_TYPE_", "0x%02llx", h.type);
  append(out, " stream=%llu", h.stream_id);
  append(out, " length=%llu", h.length);
  if (h.flags) out += " flags=" + flag_names(h.type, h.flags);

  // `kept_` holds min(length, kKeptPayload) bytes; each field is read only if the frame really has it.
  const uint8_t* p = kept_.data();
  const std::size_t have = kept_.size();
  auto malformed = [&out] { return out + " (malformed)"; };
  switch (static_cast<FrameType>(h.type)) {
    case FrameType::data:
    case FrameType::headers: {
      std::size_t at = 0, pad = 0;
      if (h.has(flags::padded)) {
        if (h.length < 1) return malformed();
        pad = p[0];
        at = 1;
        append(out, " pad=%llu", pad);
      }
      const bool priority = h.is(FrameType::headers) && h.has(flags::priority);
      if (priority) {
        if (h.length < at + 5) return malformed();
        append_priority(out, p + at);
        at += 5;
      }
      if (h.length < at + pad) return malformed();
      if (h.is(FrameType::headers)) append(out, " header_block=%llu", h.length - at - pad);
      else if (pad) append(out, " data=%llu", h.length - at - pad);
      break;
    }
    case FrameType::priority:
      if (h.length != 5) return malformed();
      append_priority(out, p);
      break;
    case FrameType::rst_stream:
      if (h.length != 4) return malformed();
      out += " error=" + error_name(be32(p));
      break;
    case FrameType::settings: {
      if (h.length % 6 != 0) return malformed();
      std::size_t shown = 0;
      for (std::size_t at = 0; at + 6 <= have; at += 6, ++shown) {
        const uint16_t id = static_cast<uint16_t>((p[at] << 8) | p[at + 1]);
        const char* name = setting_name(id);
        out += ' ';
        if (name) out += name;
        else append(out, "%llu", id);
        append(out, "=%llu", be32(p + at + 2));
      }
      if (h.length / 6 > shown) append(out, " ... (%llu more)", h.length / 6 - shown);
      break;
    }
    case FrameType::push_promise: {
      const std::size_t at = h.has(flags::padded) ? 1 : 0;
      if (h.length < at + 4) return malformed();
      append(out, " promised_stream=%llu", be32(p + at) & 0x7fffffffu);
      break;
    }
    case FrameType::ping: {
      if (h.length != 8) return malformed();
      out += " opaque=";
      for (std::size_t i = 0; i < 8; ++i) append(out, "%02llx", p[i]);
      break;
    }
    case FrameType::goaway:
      if (h.length < 8) return malformed();
      append(out, " last_stream=%llu", be32(p) & 0x7fffffffu);
      out += " error=" + error_name(be32(p + 4));
      if (h.length > 8) append(out, " debug=%llu", h.length - 8);
      break;
    case FrameType::window_update:
      if (h.length != 4) return malformed();
      append(out, " increment=%llu", be32(p) & 0x7fffffffu);
      break;
    default:
      break;
  }
  return out;
}

}  // namespace wraith::h2
