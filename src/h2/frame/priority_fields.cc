#include "h2/frame/priority_fields.h"

#include "h2/frame/bytes.h"

namespace wraith::h2 {

uint8_t* write_priority_fields(uint8_t* p, const PriorityFields& f) {
  uint32_t dep = (f.depends_on & 0x7fffffffu) | (f.exclusive ? 0x80000000u : 0u);
  p = wire::put32(p, dep);
  uint16_t w = f.weight < 1 ? 1 : (f.weight > 256 ? 256 : f.weight);
  *p++ = static_cast<uint8_t>(w - 1);
  return p;
}

PriorityFields read_priority_fields(const uint8_t* p) {
  PriorityFields f;
  uint32_t dep = wire::get32(p);
  f.exclusive = (dep & 0x80000000u) != 0;
  f.depends_on = dep & 0x7fffffffu;
  f.weight = static_cast<uint16_t>(p[4] + 1);
  return f;
}

}  // namespace wraith::h2
