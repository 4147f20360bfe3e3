#include "inspect/ja4h.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

#include "fingerprint/digest.h"

namespace wraith::inspect {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  std::size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return {};
  std::size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

std::string hash12(const std::vector<std::string>& items) {
  if (items.empty()) return "000000000000";
  std::string joined;
  for (const auto& i : items) joined += (joined.empty() ? "" : ",") + i;
  return fingerprint::sha256_hex(joined).substr(0, 12);
}

}  // namespace

std::string ja4h(const nlohmann::json& request, const std::string& http_version) {
  if (!request.is_object() || !request.contains("headers") || !request["headers"].is_array()) return {};
  std::string method = lower(request.value("method", nlohmann::json("")).is_string() ? request["method"].get<std::string>() : "");
  method = (method + "00").substr(0, 2);
  std::string version = "11";
  if (http_version == "h2") version = "20";
  else if (request.value("http_version", nlohmann::json()) == "HTTP/1.0") version = "10";

  std::vector<std::string> names, cookies;
  bool referer = false;
  std::string language;
  for (const auto& pair : request["headers"]) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) continue;
    const std::string name = pair[0].get<std::string>();
    const std::string value = pair[1].get<std::string>();
    const std::string lname = lower(name);
    if (!name.empty() && name[0] == ':') continue;
    if (lname == "cookie") {
      std::size_t start = 0;
      while (start <= value.size()) {
        std::size_t semi = value.find(';', start);
        std::string crumb = trim(value.substr(start, semi == std::string::npos ? std::string::npos : semi - start));
        if (!crumb.empty()) cookies.push_back(crumb);
        if (semi == std::string::npos) break;
        start = semi + 1;
      }
      continue;
    }
    if (lname == "referer") {
      referer = true;
      continue;
    }
    if (lname == "accept-language" && language.empty()) {
      for (char c : value)
        if (c != '-') language += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      language = language.substr(0, 4);
    }
    names.push_back(name);
  }
  while (language.size() < 4) language += '0';
  char count[8];
  std::snprintf(count, sizeof count, "%02zu", std::min<std::size_t>(names.size(), 99));

  std::vector<std::string> cookie_names, cookie_pairs = cookies;
  for (const auto& c : cookies) cookie_names.push_back(c.substr(0, c.find('=')));
  std::sort(cookie_names.begin(), cookie_names.end());
  std::sort(cookie_pairs.begin(), cookie_pairs.end());

  return method + version + (cookies.empty() ? "n" : "c") + (referer ? "r" : "n") + count + language + "_" +
         hash12(names) + "_" + hash12(cookie_names) + "_" + hash12(cookie_pairs);
}

}  // namespace wraith::inspect
