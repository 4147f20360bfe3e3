// The capture page's request sequence replayed by wraith's client on one connection: the navigation, then
// fetch, XHR, image and form POST with the page as referer (what the page's script makes Chromium do).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "test_client.h"
#include "wraith/client.h"

namespace wraith::capture::testing {

// The inspector's report of the replay's connection (null when none arrived).
nlohmann::json replay_capture_page(inspect::testing::RunningInspector& inspector, ClientConfig config);

// describe() of every differing field between a replay and a capture: compare_http (navigation + preface),
// the ClientHello, and compare_request for every kind at the capture's index. `skip_user_agent` leaves the
// user-agent value out (headless vs desktop UA).
std::vector<std::string> replay_differences(const nlohmann::json& ours, const nlohmann::json& capture,
                                            bool skip_user_agent = false);

}  // namespace wraith::capture::testing
