#include "util/ascii.h"
#include "url/reference.h"

#include <vector>

namespace wraith::url {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

using util::iequals;

bool is_single_dot(std::string_view seg) { return seg == "." || iequals(seg, "%2e"); }

bool is_double_dot(std::string_view seg) {
  return seg == ".." || iequals(seg, ".%2e") || iequals(seg, "%2e.") || iequals(seg, "%2e%2e");
}

}  // namespace

bool is_scheme(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  for (char c : s) {
    if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) return false;
  }
  return true;
}

Reference split_reference(std::string_view s) {
  Reference r;
  std::size_t delim = s.find_first_of(":/?#");
  if (delim != std::string_view::npos && s[delim] == ':' && is_scheme(s.substr(0, delim))) {
    r.scheme = s.substr(0, delim);
    s.remove_prefix(delim + 1);
  }
  if (s.size() >= 2 && s[0] == '/' && s[1] == '/') {
    std::size_t end = s.find_first_of("/?#", 2);
    if (end == std::string_view::npos) end = s.size();
    r.authority = s.substr(2, end - 2);
    s.remove_prefix(end);
  }
  std::size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    r.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  std::size_t question = s.find('?');
  if (question != std::string_view::npos) {
    r.query = s.substr(question + 1);
    s = s.substr(0, question);
  }
  r.path = s;
  return r;
}

// Segment-wise equivalent of the RFC's input/output-buffer loop for absolute paths: a "." or ".." that
// ends the path leaves a trailing slash ("/a/b/.." -> "/a/"), ".." above the root is dropped.
void remove_dot_segments(std::string_view path, std::string& out) {
  if (path.empty()) return;
  std::size_t base = out.size();
  std::vector<std::size_t> starts;  // where each output segment's '/' begins, for popping
  std::size_t pos = 1;              // path[0] == '/'
  for (;;) {
    std::size_t slash = path.find('/', pos);
    bool last = slash == std::string_view::npos;
    std::string_view seg = path.substr(pos, last ? std::string_view::npos : slash - pos);
    if (is_single_dot(seg)) {
      if (last) out.push_back('/');
    } else if (is_double_dot(seg)) {
      if (!starts.empty()) {
        out.resize(starts.back());
        starts.pop_back();
      }
      if (last) out.push_back('/');
    } else {
      starts.push_back(out.size());
      out.push_back('/');
      out.append(seg);
    }
    if (last) break;
    pos = slash + 1;
  }
  if (out.size() == base) out.push_back('/');
}

}  // namespace wraith::url
