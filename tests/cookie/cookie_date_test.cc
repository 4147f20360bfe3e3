#include "cookie/cookie_date.h"

#include <gtest/gtest.h>

#include <ctime>

using wraith::cookie::parse_cookie_date;

namespace {

// Expected values come from the C library's timegm, independent of the parser under test.
std::int64_t utc(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

TEST(CookieDate, ThreeHttpDateFormats) {
  // RFC 7231 7.1.1.1 gives these three spellings of one instant, 784111777.
  EXPECT_EQ(parse_cookie_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_cookie_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_cookie_date("Sun Nov  6 08:49:37 1994"), 784111777);
}

TEST(CookieDate, SloppyVariantsServersSend) {
  EXPECT_EQ(parse_cookie_date("Wed, 09 Jun 2021 10:18:14 GMT"), utc(2021, 6, 9, 10, 18, 14));
  EXPECT_EQ(parse_cookie_date("09 Jun 2021 10:18:14"), utc(2021, 6, 9, 10, 18, 14));
  EXPECT_EQ(parse_cookie_date("Wed, 09-Jun-2021 10:18:14 UTC"), utc(2021, 6, 9, 10, 18, 14));
  EXPECT_EQ(parse_cookie_date("june 9 2021 1:2:3"), utc(2021, 6, 9, 1, 2, 3));
  EXPECT_EQ(parse_cookie_date("2021 JUN 09 10:18:14"), utc(2021, 6, 9, 10, 18, 14));
  EXPECT_EQ(parse_cookie_date("Thu, 01-Jan-1970 00:00:01 GMT"), 1);
  EXPECT_EQ(parse_cookie_date("Thu, 10 Apr 1980 16:33:12 GMT"), utc(1980, 4, 10, 16, 33, 12));
  // Two-digit years: 70-99 -> 19xx, 00-69 -> 20xx.
  EXPECT_EQ(parse_cookie_date("Mon, 01-Jan-69 00:00:00 GMT"), utc(2069, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse_cookie_date("Mon, 01-Jan-70 00:00:00 GMT"), 0);
  EXPECT_EQ(parse_cookie_date("29 Feb 2024 12:00:00"), utc(2024, 2, 29, 12, 0, 0));
  // Years before 1970 are representable (negative).
  EXPECT_EQ(parse_cookie_date("01 Jan 1601 00:00:00"), -11644473600LL);
}

TEST(CookieDate, RejectsIncompleteOrImpossibleDates) {
  EXPECT_FALSE(parse_cookie_date(""));
  EXPECT_FALSE(parse_cookie_date("Sun, 06 Nov 1994"));           // no time
  EXPECT_FALSE(parse_cookie_date("06 1994 08:49:37"));           // no month
  EXPECT_FALSE(parse_cookie_date("Nov 1994 08:49:37"));          // day taken as "1994"? no: no day of month
  EXPECT_FALSE(parse_cookie_date("32 Nov 1994 08:49:37"));       // day > 31
  EXPECT_FALSE(parse_cookie_date("31 Nov 1994 08:49:37"));       // no such date
  EXPECT_FALSE(parse_cookie_date("29 Feb 2023 08:49:37"));       // not a leap year
  EXPECT_FALSE(parse_cookie_date("06 Nov 1600 08:49:37"));       // year < 1601
  EXPECT_FALSE(parse_cookie_date("06 Nov 1994 24:00:00"));       // hour > 23
  EXPECT_FALSE(parse_cookie_date("06 Nov 1994 08:60:00"));       // minute > 59
  EXPECT_FALSE(parse_cookie_date("06 Nov 1994 08:49:60"));       // second > 59
  EXPECT_FALSE(parse_cookie_date("06 Nov 19940 08:49:37"));      // 5-digit year
  EXPECT_FALSE(parse_cookie_date("not a date at all"));
}
