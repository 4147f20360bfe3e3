// A browser profile is data: TLS hello, HTTP/2 wire behaviour, and header templates per request kind.
// Built-in profiles are compiled from the same JSON format users load with load_profile_file().
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "wraith/error.h"
#include "wraith/tls_profile.h"

namespace wraith {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct H2Profile {
  std::vector<std::pair<std::uint16_t, std::uint32_t>> settings;  // preface SETTINGS, in order
  std::uint32_t connection_window_update = 0;                     // preface WINDOW_UPDATE (0 = none)
  std::vector<std::string> pseudo_header_order;                   // e.g. :method :authority :scheme :path
  bool headers_priority = true;                                   // PRIORITY flag on HEADERS
  // How HEADERS pick the stream they depend on: "chain" (Chrome: on the newest open stream of the nearest
  // priority >= their own, by weight) or "fixed" (the kind's depends_on, always).
  std::string priority_dependencies = "chain";
  struct Hpack {
    bool index_exact_matches = true;
    std::string default_literal = "incremental";  // incremental | without_indexing | never_indexed
    std::string pseudo_header_literal = "incremental";  // for :authority, :path, ... unless per_name says otherwise
    std::vector<std::pair<std::string, std::string>> per_name;  // name -> literal kind
    std::string huffman = "shorter";              // shorter | always | never
    bool crumble_cookies = false;                 // split cookie into one field per crumb (RFC 9113 8.2.3)
  } hpack;
};

// One request kind (navigate, fetch, xhr, form, image, ...). Header values of the form "{name}" are
// computed per request (authority, sec-fetch-site, origin, referer, cookie, content-type,
// content-length) and the header is left out when the value is empty.
struct KindTemplate {
  HeaderList h2_headers;  // lowercase, in Chrome's order (pseudo-headers excluded)
  HeaderList h1_headers;  // names in Chrome's HTTP/1.1 case, in order (Host first)
  std::uint16_t weight = 256;
  bool exclusive = true;
  std::uint32_t depends_on = 0;
};

struct Profile {
  std::string name;
  TlsProfile tls;
  H2Profile h2;
  std::map<std::string, KindTemplate> kinds;
};

// The built-in profile names, e.g. "chromium156".
std::vector<std::string> builtin_profile_names();
// A built-in profile; ErrorKind::invalid_argument for an unknown name (the message lists known ones).
Result<Profile> builtin_profile(const std::string& name);
// The profile wraith uses when none is named.
std::string default_profile_name();
// Load / save wraith's JSON profile format. ErrorKind::config names the file and the bad field.
Result<Profile> load_profile_file(const std::string& path);
Result<Profile> parse_profile_json(const std::string& text, const std::string& origin = "profile");
std::string profile_to_json(const Profile& profile);

}  // namespace wraith
