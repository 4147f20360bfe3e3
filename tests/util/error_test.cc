#include "wraith/error.h"

#include <gtest/gtest.h>

using namespace wraith;

TEST(Error, DescribeNamesLayerKindAndContext) {
  Error e(ErrorKind::stream_reset, "peer reset", "h2");
  e.stream_id = 3;
  e.peer_code = 8;
  EXPECT_EQ(e.describe(), "h2: stream reset: peer reset (stream 3, code 0x8)");
  Error t(ErrorKind::timeout, "", "client");
  t.phase = TimeoutPhase::connect;
  EXPECT_EQ(t.describe(), "client: timeout (connect)");
}

TEST(Result, HoldsValueOrError) {
  Result<int> ok = 5;
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 5);
  Result<int> bad = Error(ErrorKind::config, "nope");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::config);
  Result<void> v;
  EXPECT_TRUE(v);
}

TEST(Result, VoidResultsCopyMoveAndAnswerSafely) {
  Result<void> v;
  EXPECT_TRUE(v.error().message.empty());  // asked of a success: an empty Error, not a null dereference

  // Copies and moves of a failed Result<void> keep the error; a copy is independent.
  Result<void> failed = Error(ErrorKind::timeout, "late", "net");
  Result<void> copy = failed;
  EXPECT_FALSE(copy);
  EXPECT_EQ(copy.error().message, "late");
  Result<void> moved = std::move(failed);
  EXPECT_EQ(moved.take_error().layer, "net");
  EXPECT_EQ(copy.error().kind, ErrorKind::timeout);
  copy = Result<void>{};
  EXPECT_TRUE(copy);
}
