// Basic (RFC 7617) and Bearer (RFC 6750) header values.
#pragma once

#include <string>
#include <string_view>

#include "wraith/error.h"

namespace wraith::auth {

// "Basic " + base64(user ":" pass). Bytes go out as given (UTF-8 as is, RFC 7617 charset="UTF-8").
// The user-id must not contain ':' (auth::validate checks that); this function does not refuse it.
std::string basic_authorization(std::string_view user, std::string_view pass);

// "Bearer " + token. A token outside visible ASCII (0x21-0x7e) would break the header: invalid_argument.
Result<std::string> bearer_authorization(std::string_view token);

// Standard base64 with padding (RFC 4648 4).
std::string base64_encode(std::string_view bytes);

}  // namespace wraith::auth
