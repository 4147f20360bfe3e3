// Profile data -> engine configuration (the only place the two meet).
#pragma once

#include <map>
#include <vector>

#include "h2/session.h"
#include "wraith/profile.h"

namespace wraith::client {

Result<h2::SessionConfig> h2_session_config(const Profile& profile);
// ALPS values the TLS layer sends per protocol: for h2, our SETTINGS payload.
std::map<std::string, std::vector<std::uint8_t>> alps_settings(const Profile& profile);

}  // namespace wraith::client
