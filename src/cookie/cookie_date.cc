#include "cookie/cookie_date.h"

#include <array>

namespace wraith::cookie {
namespace {

// delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
bool is_delimiter(unsigned char c) {
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads min..max digits at `pos`; the digits must be followed by the end or by a non-digit.
bool read_digits(std::string_view t, std::size_t& pos, int min, int max, int& out) {
  int n = 0;
  int v = 0;
  while (pos < t.size() && is_digit(t[pos]) && n < max) {
    v = v * 10 + (t[pos] - '0');
    ++pos;
    ++n;
  }
  if (n < min || (pos < t.size() && is_digit(t[pos]))) return false;
  out = v;
  return true;
}

// time = hms-time ( non-digit *OCTET ); hms-time = time-field ":" time-field ":" time-field
bool parse_time(std::string_view t, int& h, int& m, int& s) {
  std::size_t pos = 0;
  if (!read_digits(t, pos, 1, 2, h) || pos >= t.size() || t[pos] != ':') return false;
  ++pos;
  if (!read_digits(t, pos, 1, 2, m) || pos >= t.size() || t[pos] != ':') return false;
  ++pos;
  return read_digits(t, pos, 1, 2, s);
}

bool parse_number(std::string_view t, int min, int max, int& out) {
  std::size_t pos = 0;
  return read_digits(t, pos, min, max, out);
}

bool parse_month(std::string_view t, int& month) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                                "jul", "aug", "sep", "oct", "nov", "dec"};
  if (t.size() < 3) return false;
  char lower[3];
  for (int i = 0; i < 3; ++i) {
    char c = t[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (int i = 0; i < 12; ++i) {
    if (std::string_view(lower, 3) == kMonths[i]) {
      month = i + 1;
      return true;
    }
  }
  return false;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil (public-domain algorithm description).
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_cookie_date(std::string_view text) {
  bool found_time = false, found_day = false, found_month = false, found_year = false;
  int hour = 0, minute = 0, second = 0, day = 0, month = 0, year = 0;

  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_delimiter(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_delimiter(static_cast<unsigned char>(text[i]))) ++i;
    if (start == i) continue;
    std::string_view token = text.substr(start, i - start);

    int a = 0, b = 0, c = 0;
    if (!found_time && parse_time(token, a, b, c)) {
      found_time = true;
      hour = a;
      minute = b;
      second = c;
    } else if (!found_day && parse_number(token, 1, 2, a)) {
      found_day = true;
      day = a;
    } else if (!found_month && parse_month(token, a)) {
      found_month = true;
      month = a;
    } else if (!found_year && parse_number(token, 2, 4, a)) {
      found_year = true;
      year = a;
    }
  }

  if (found_year && year >= 70 && year <= 99) year += 1900;
  if (found_year && year >= 0 && year <= 69) year += 2000;
  if (!found_time || !found_day || !found_month || !found_year) return std::nullopt;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  if (day > days_in_month(year, month)) return std::nullopt;  // "the date does not exist"

  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
         minute * 60 + second;
}

}  // namespace wraith::cookie
