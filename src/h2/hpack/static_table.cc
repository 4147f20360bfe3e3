#include "h2/hpack/static_table.h"

#include <array>

namespace wraith::h2::hpack {
namespace {

// RFC 7541 Appendix A.
constexpr HeaderView kEntries[kStaticTableSize + 1] = {
    {"", ""},  // index 0 is not an entry
    {":authority", ""},
    {":method", "GET"},
    {":method", "POST"},
    {":path", "/"},
    {":path", "/index.html"},
    {":scheme", "http"},
    {":scheme", "https"},
    {":status", "200"},
    {":status", "204"},
    {":status", "206"},
    {":status", "304"},
    {":status", "400"},
    {":status", "404"},
    {":status", "500"},
    {"accept-charset", ""},
    {"accept-encoding", "gzip, deflate"},
    {"accept-language", ""},
    {"accept-ranges", ""},
    {"accept", ""},
    {"access-control-allow-origin", ""},
    {"age", ""},
    {"allow", ""},
    {"authorization", ""},
    {"cache-control", ""},
    {"content-disposition", ""},
    {"content-encoding", ""},
    {"content-language", ""},
    {"content-length", ""},
    {"content-location", ""},
    {"content-range", ""},
    {"content-type", ""},
    {"cookie", ""},
    {"date", ""},
    {"etag", ""},
    {"expect", ""},
    {"expires", ""},
    {"from", ""},
    {"host", ""},
    {"if-match", ""},
    {"if-modified-since", ""},
    {"if-none-match", ""},
    {"if-range", ""},
    {"if-unmodified-since", ""},
    {"last-modified", ""},
    {"link", ""},
    {"location", ""},
    {"max-forwards", ""},
    {"proxy-authenticate", ""},
    {"proxy-authorization", ""},
    {"range", ""},
    {"referer", ""},
    {"refresh", ""},
    {"retry-after", ""},
    {"server", ""},
    {"set-cookie", ""},
    {"strict-transport-security", ""},
    {"transfer-encoding", ""},
    {"user-agent", ""},
    {"vary", ""},
    {"via", ""},
    {"www-authenticate", ""},
};

// Open-addressed name index, built at compile time: slot -> first static index of that name (entries sharing a
// name are adjacent in the table). 128 slots for 52 distinct names keeps probes short.
constexpr uint32_t kSlots = 128;

constexpr uint32_t name_hash(std::string_view s) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

constexpr std::array<uint8_t, kSlots> build_name_index() {
  std::array<uint8_t, kSlots> slots{};
  for (uint32_t i = 1; i <= kStaticTableSize; ++i) {
    if (i > 1 && kEntries[i].name == kEntries[i - 1].name) continue;
    uint32_t s = name_hash(kEntries[i].name) % kSlots;
    while (slots[s] != 0) s = (s + 1) % kSlots;
    slots[s] = static_cast<uint8_t>(i);
  }
  return slots;
}

constexpr std::array<uint8_t, kSlots> kNameIndex = build_name_index();

}  // namespace

const HeaderView& static_entry(uint32_t index) { return kEntries[index]; }

StaticMatch static_find(std::string_view name, std::string_view value) {
  StaticMatch m;
  for (uint32_t s = name_hash(name) % kSlots; kNameIndex[s] != 0; s = (s + 1) % kSlots) {
    const uint32_t first = kNameIndex[s];
    if (kEntries[first].name != name) continue;
    m.name = first;
    for (uint32_t i = first; i <= kStaticTableSize && kEntries[i].name == name; ++i) {
      if (kEntries[i].value == value) {
        m.exact = i;
        break;
      }
    }
    break;
  }
  return m;
}

}  // namespace wraith::h2::hpack
