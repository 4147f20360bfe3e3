// Percent-encoding as browsers apply it per URL component (WHATWG URL "percent-encode sets").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wraith::url {

enum class EncodeSet { path, query, fragment, userinfo };

// Appends `s` to `out`, percent-encoding every byte of `set` (and every non-ASCII byte). '%' itself is
// kept, so existing escapes survive untouched.
void append_encoded(std::string_view s, EncodeSet set, std::string& out);

// True when every '%' in `s` starts a two-hex-digit escape.
bool has_valid_escapes(std::string_view s);

// Decodes %XX escapes; nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view s);

int hex_value(char c);  // -1 for a non-hex character

}  // namespace wraith::url
