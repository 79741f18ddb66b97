// Reading a pasted list of numbers to import: one a line, or separated by commas or spaces, or a
// CSV export (such as Alibaba Cloud console's) whose header names the number column. Accepts
// 11-digit mainland numbers with an optional +86 / 86 / 0086; reports every line it could not use
// by its line number. Pure and bounded: the text, the numbers kept and the problems listed all
// have limits, so a huge paste costs a bounded amount of work.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"

namespace dypls::console {

inline constexpr std::size_t kImportMaxChars = std::size_t{1024} * 1024;
inline constexpr std::size_t kImportMaxNumbers = 1000;  // looked up one at a time
inline constexpr std::size_t kImportMaxProblems = 50;   // listed; the rest are only counted

struct ListProblem {
  std::size_t line = 0;  // 1-based
  std::string excerpt;   // the offending text, cut short
  Message why;
};

struct NumberList {
  std::vector<std::string> numbers;  // normalised (11 digits), first occurrence order, each once
  std::vector<std::size_t> lines;    // the line each number came from
  std::vector<ListProblem> problems;
  std::size_t problem_count = 0;  // all problems, listed or not
  std::size_t duplicates = 0;
  bool header = false;    // a header line was recognised and skipped
  bool too_many = false;  // numbers beyond kImportMaxNumbers were left out
  bool too_long = false;  // text beyond kImportMaxChars was left out
};

NumberList parse_number_list(std::string_view text);

// "+86 138..." forms to the 11 digits, or nullopt when `token` is not a mainland mobile number.
std::optional<std::string> normalize_mainland_number(std::string_view token);

}  // namespace dypls::console
