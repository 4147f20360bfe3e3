// Global operator new is replaced in this test binary (alloc_counter.cc) to count heap allocations.
#pragma once

namespace wraith::h2::hpack::test {
long allocation_count();
}
