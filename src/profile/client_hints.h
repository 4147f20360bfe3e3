// User-agent client hints coherent with the UA: the sec-ch-ua brand list as Chromium builds it.
#pragma once

#include <string>
#include <vector>

namespace wraith::profile {

// Chromium's brand GREASE (components/embedder_support/user_agent_utils.cc, as published): a fake
// "Not?A?Brand" entry whose punctuation and version come from the major version, and a permutation of
// the list chosen by the major version too. `brands` in Chromium's order: {"Chromium"} for Chromium,
// {"Chromium", "Google Chrome"} for Chrome.
std::string sec_ch_ua(int major_version, const std::vector<std::string>& brands);

}  // namespace wraith::profile
