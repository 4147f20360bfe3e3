// HTTP authentication credentials (Basic, Bearer, Digest) handed to the client.
#pragma once

#include <iosfwd>
#include <string>

#include "wraith/error.h"

namespace wraith::auth {

// What to authenticate with. The secret (password or token) is never logged: Credentials has no
// operator<< on purpose, and describe() redacts it.
//   basic  - "Authorization: Basic base64(username:password)", sent preemptively on the first attempt.
//   bearer - "Authorization: Bearer token", sent preemptively.
//   digest - RFC 7616 Digest, answered only after the server's 401 challenge.
//   any    - basic or digest, whichever the server's challenge asks for (Digest preferred when both are
//            offered), like curl's --anyauth; nothing is sent before the challenge.
struct Credentials {
  enum class Scheme { basic, bearer, digest, any };
  Scheme scheme = Scheme::any;
  std::string username;
  std::string password;
  std::string token;  // bearer only

  // "digest user=\"alice\" password=<redacted>": safe for logs and error messages.
  std::string describe() const;
};

// Streaming credentials would print the secret; make every attempt a compile error.
std::ostream& operator<<(std::ostream&, const Credentials&) = delete;

const char* to_string(Credentials::Scheme scheme);

// Checks what the wire format cannot carry: for basic and any, a user-id with ':' or control characters, or a
// password with control characters (RFC 7617 2);
// for bearer, an empty token or one outside visible ASCII. ErrorKind::invalid_argument; the message never
// contains the secret.
Result<void> validate(const Credentials& credentials);

}  // namespace wraith::auth
