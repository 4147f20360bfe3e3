// RFC 3986 building blocks: splitting a URI reference into its five components (appendix B) and
// removing dot segments (section 5.2.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wraith::url {

struct Reference {
  std::optional<std::string_view> scheme;     // only when syntactically a scheme (ALPHA *(ALPHA/DIGIT/+-.))
  std::optional<std::string_view> authority;  // present when the reference starts with "//" after the scheme
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

Reference split_reference(std::string_view s);

// Remove "." and ".." segments from an absolute path ("" or starting with '/'). Like browsers, "%2e"
// counts as a dot. Appends the result to `out`.
void remove_dot_segments(std::string_view path, std::string& out);

bool is_scheme(std::string_view s);

}  // namespace wraith::url
