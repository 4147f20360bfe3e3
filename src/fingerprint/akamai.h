// Akamai HTTP/2 fingerprint (Shuster & Segal, "Passive Fingerprinting of HTTP/2 Clients", Black Hat EU 2017):
//   SETTINGS|WINDOW_UPDATE|PRIORITY|PSEUDO_HEADER_ORDER, e.g. "1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wraith::fingerprint {

struct H2Setting {
  std::uint16_t id = 0;
  std::uint32_t value = 0;
};

// A PRIORITY frame sent before the first HEADERS; weight is the effective weight 1..256 (wire byte + 1).
struct H2PriorityFrame {
  std::uint32_t stream_id = 0;
  bool exclusive = false;
  std::uint32_t depends_on = 0;
  std::uint16_t weight = 16;
};

struct H2Fingerprint {
  std::vector<H2Setting> settings;                 // the first SETTINGS frame, in frame order
  std::uint32_t window_update = 0;                 // connection WINDOW_UPDATE increment; 0 = none sent
  std::vector<H2PriorityFrame> priority_frames;    // in the order sent
  std::vector<std::string> pseudo_header_order;    // e.g. ":method", ":authority", ":scheme", ":path"
};

// Settings "id:value" joined by ';'; window update ("00" when none, as the paper specifies); priority frames
// "stream:exclusive:depends_on:weight" joined by ',' ("0" when none); pseudo-headers by their first letter
// after ':' joined by ','.
std::string akamai_string(const H2Fingerprint& fp);
std::string akamai_md5(const H2Fingerprint& fp);

}  // namespace wraith::fingerprint
