#include "profile/client_hints.h"

#include <array>

namespace wraith::profile {

std::string sec_ch_ua(int major_version, const std::vector<std::string>& brands) {
  // Facts from Chromium's algorithm: the characters and versions it draws from, and the permutations.
  static constexpr std::array<char, 11> kGreaseChars{' ', '(', ':', '-', '.', '/', ')', ';', '=', '?', '_'};
  static constexpr std::array<const char*, 3> kGreaseVersions{"8", "99", "24"};
  const unsigned seed = static_cast<unsigned>(major_version);
  std::string grease = std::string("Not") + kGreaseChars[seed % 11] + "A" + kGreaseChars[(seed + 1) % 11] + "Brand";
  std::vector<std::pair<std::string, std::string>> list;
  list.emplace_back(grease, kGreaseVersions[seed % 3]);
  for (const auto& b : brands) list.emplace_back(b, std::to_string(major_version));

  std::vector<std::size_t> order;
  if (list.size() == 2) {
    order = seed % 2 == 0 ? std::vector<std::size_t>{0, 1} : std::vector<std::size_t>{1, 0};
  } else if (list.size() == 3) {
    static const std::size_t kOrders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    order.assign(kOrders[seed % 6], kOrders[seed % 6] + 3);
  } else {
    for (std::size_t i = 0; i < list.size(); ++i) order.push_back(i);
  }
  // Entry i of the list lands at position order[i].
  std::vector<std::pair<std::string, std::string>> shuffled(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) shuffled[order[i]] = list[i];
  std::string out;
  for (const auto& [brand, version] : shuffled) {
    if (!out.empty()) out += ", ";
    out += "\"" + brand + "\";v=\"" + version + "\"";
  }
  return out;
}

}  // namespace wraith::profile
