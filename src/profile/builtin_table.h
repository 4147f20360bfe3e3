// The embedded JSON of each built-in profile: (name, json).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace wraith::profile {

const std::vector<std::pair<std::string_view, std::string_view>>& builtin_profile_sources();

}  // namespace wraith::profile
