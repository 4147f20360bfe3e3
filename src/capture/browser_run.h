// Runs a local browser headless against an in-process inspector's page (inspect/page.h) and returns the report
// of the connection that carried it: by default the capture page with its fetch, XHR, image and form requests.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wraith/error.h"

namespace wraith::capture {

struct BrowserRunOptions {
  std::string browser = "/usr/bin/chromium";
  // The page's host: an IP (no SNI, like tests/fixtures/chromium-156.json) or a name mapped to 127.0.0.1
  // with --host-resolver-rules.
  std::string host = "127.0.0.1";
  std::string label = "capture";                 // the capture page is /<page>/<label>
  std::string page = "capture";                  // inspector page (inspect/page.h): "capture" or "parallel"
  // When a connection's report is the capture: by default, once it carries the capture page's navigation and
  // its form POST (the page's last request).
  std::function<bool(const nlohmann::json& report)> complete;
  std::vector<std::string> extra_flags;          // e.g. --user-agent=...
  std::chrono::seconds timeout{60};
  bool http1_only = false;                       // the inspector offers only http/1.1 in ALPN
  // The inspector closes a connection idle this long; that delivers the report once the form has arrived.
  std::chrono::milliseconds idle_close{5000};
};

// ErrorKind::io when the browser cannot be started, ErrorKind::timeout when no connection carried the
// form request in time (the message says which kinds were seen).
Result<nlohmann::json> run_browser_capture(const BrowserRunOptions& options);

}  // namespace wraith::capture
