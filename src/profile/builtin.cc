#include <fstream>
#include <sstream>

#include "profile/builtin_table.h"
#include "wraith/profile.h"

namespace wraith {

std::vector<std::string> builtin_profile_names() {
  std::vector<std::string> names{"chrome156"};
  for (const auto& [name, json] : profile::builtin_profile_sources()) names.emplace_back(name);
  return names;
}

namespace {
// "chrome156" means Chrome on the platform wraith runs on.
std::string host_platform_suffix() {
#if defined(_WIN32)
  return "windows";
#elif defined(__APPLE__)
  return "macos";
#elif defined(__ANDROID__)
  return "android";
#else
  return "linux";
#endif
}
}  // namespace

Result<Profile> builtin_profile(const std::string& requested) {
  const std::string name = requested == "chrome156" ? "chrome156-" + host_platform_suffix() : requested;
  for (const auto& [builtin, json] : profile::builtin_profile_sources())
    if (builtin == name) return parse_profile_json(std::string(json), "built-in profile " + name);
  std::string known;
  for (const auto& n : builtin_profile_names()) known += (known.empty() ? "" : ", ") + n;
  return Error(ErrorKind::invalid_argument, "unknown profile '" + name + "' (known: " + known + ")", "profile");
}

std::string default_profile_name() { return "chrome156"; }

Result<Profile> load_profile_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorKind::config, "cannot read profile file '" + path + "'", "profile");
  std::stringstream text;
  text << in.rdbuf();
  return parse_profile_json(text.str(), path);
}

}  // namespace wraith
