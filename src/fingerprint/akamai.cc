#include "fingerprint/akamai.h"

#include "fingerprint/digest.h"

namespace wraith::fingerprint {

std::string akamai_string(const H2Fingerprint& fp) {
  std::string out;
  for (std::size_t i = 0; i < fp.settings.size(); ++i) {
    if (i) out += ';';
    out += std::to_string(fp.settings[i].id) + ':' + std::to_string(fp.settings[i].value);
  }
  out += '|';
  out += fp.window_update == 0 ? std::string("00") : std::to_string(fp.window_update);
  out += '|';
  if (fp.priority_frames.empty()) out += '0';
  for (std::size_t i = 0; i < fp.priority_frames.size(); ++i) {
    const H2PriorityFrame& p = fp.priority_frames[i];
    if (i) out += ',';
    out += std::to_string(p.stream_id) + ':' + (p.exclusive ? "1" : "0") + ':' + std::to_string(p.depends_on) + ':' +
           std::to_string(p.weight);
  }
  out += '|';
  for (std::size_t i = 0; i < fp.pseudo_header_order.size(); ++i) {
    const std::string& name = fp.pseudo_header_order[i];
    if (i) out += ',';
    if (name.size() >= 2 && name[0] == ':') out += name[1];
    else if (!name.empty()) out += name[0];
  }
  return out;
}

std::string akamai_md5(const H2Fingerprint& fp) { return md5_hex(akamai_string(fp)); }

}  // namespace wraith::fingerprint
