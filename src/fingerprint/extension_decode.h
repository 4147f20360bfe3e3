// Fills ClientHello's decoded views from one raw extension (internal to the parser).
#pragma once

#include "fingerprint/client_hello.h"

namespace wraith::fingerprint {

// Decodes `extension` into the matching view of `hello` if it is a type this layer understands; unknown
// types are left raw. A known type whose body does not match its wire format is an ErrorKind::protocol.
Result<void> decode_extension(const Extension& extension, bool is_last, ClientHello& hello);

}  // namespace wraith::fingerprint
