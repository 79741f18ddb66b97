#include "number_list.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace dypls::console {
namespace {

constexpr std::size_t kExcerptChars = 40;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '"'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string excerpt(std::string_view text) {
  text = trim(text);
  if (text.size() <= kExcerptChars) return std::string(text);
  std::size_t cut = kExcerptChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;  // UTF-8
  return std::string(text.substr(0, cut)) + "...";
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Fields of one line: CSV cells (quotes respected, spaces kept inside), or tokens separated by
// commas, semicolons, tabs or spaces.
std::vector<std::string_view> split_fields(std::string_view line, bool csv) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    const char c = i < line.size() ? line[i] : ',';
    if (c == '"') quoted = !quoted;
    const bool separator =
        i == line.size() || (!quoted && (c == ',' || c == ';' || c == '\t' || (!csv && c == ' ')));
    if (!separator) continue;
    std::string_view field = trim(line.substr(start, i - start));
    if (!field.empty() || csv) fields.push_back(field);
    start = i + 1;
  }
  return fields;
}

bool has_csv_separator(std::string_view line) {
  return line.find_first_of(",;\t") != std::string_view::npos;
}

bool has_digit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), is_digit);
}

// The header's number column: a field named like a number but not like the pool.
std::optional<std::size_t> number_column(const std::vector<std::string_view>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string name = lower(fields[i]);
    const bool pool = name.find("pool") != std::string::npos ||
                      name.find("\xE6\xB1\xA0") != std::string::npos;  // 池
    const bool number = name.find("number") != std::string::npos ||
                        name.find("secretno") != std::string::npos ||
                        name.find("secret_no") != std::string::npos || name == "phone" ||
                        name.find("\xE5\x8F\xB7\xE7\xA0\x81") != std::string::npos;  // 号码
    if (number && !pool) return i;
  }
  return std::nullopt;
}

// Looks like someone meant a number here: digits, perhaps a leading '+', nothing else.
bool number_like(std::string_view token) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  return token.size() >= 5 && std::all_of(token.begin(), token.end(), is_digit);
}

}  // namespace

std::optional<std::string> normalize_mainland_number(std::string_view token) {
  token = trim(token);
  std::string digits;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    if (is_digit(c)) {
      digits += c;
    } else if (!(c == '+' && i == 0) && c != '-') {
      return std::nullopt;
    }
    if (digits.size() > 15) return std::nullopt;
  }
  if (digits.size() == 15 && digits.rfind("0086", 0) == 0) digits.erase(0, 4);
  if (digits.size() == 13 && digits.rfind("86", 0) == 0) digits.erase(0, 2);
  if (digits.size() != 11 || digits.front() != '1') return std::nullopt;
  return digits;
}

NumberList parse_number_list(std::string_view text) {
  NumberList list;
  if (text.size() > kImportMaxChars) {
    list.too_long = true;
    text = text.substr(0, kImportMaxChars);
    const std::size_t last_line = text.find_last_of("\r\n");
    if (last_line != std::string_view::npos) text = text.substr(0, last_line);
  }
  std::unordered_set<std::string> seen;
  std::optional<std::size_t> column;
  bool first_line = true;
  std::size_t line_no = 0;
  const auto problem = [&](std::string_view what, Message why) {
    ++list.problem_count;
    if (list.problems.size() < kImportMaxProblems) {
      list.problems.push_back({line_no, excerpt(what), std::move(why)});
    }
  };
  std::size_t pos = 0;
  while (pos <= text.size() && !list.too_many) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    // "\r\n" is one line break.
    pos = end + (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);
    ++line_no;
    if (trim(line).empty()) continue;
    if (first_line) {
      first_line = false;
      if (!has_digit(line)) {
        list.header = true;
        if (has_csv_separator(line)) column = number_column(split_fields(line, true));
        continue;
      }
    }
    // Under a header with a number column, CSV cells; otherwise every separated token.
    const std::vector<std::string_view> fields = split_fields(line, column.has_value());
    std::vector<std::string_view> candidates;
    if (column) {
      if (*column < fields.size()) candidates.push_back(fields[*column]);
    } else {
      candidates = fields;
    }
    bool found = false;
    bool reported = false;
    for (std::string_view field : candidates) {
      std::optional<std::string> number = normalize_mainland_number(field);
      if (!number) {
        if (number_like(field) || column) {
          problem(field, {"not an 11-digit mainland mobile number", "不是 11 位中国大陆手机号码"});
          reported = true;
        }
        continue;
      }
      found = true;
      if (!seen.insert(*number).second) {
        ++list.duplicates;
        continue;
      }
      if (list.numbers.size() == kImportMaxNumbers) {
        list.too_many = true;
        break;
      }
      list.numbers.push_back(std::move(*number));
      list.lines.push_back(line_no);
    }
    if (!found && !reported) {
      problem(line, {"no number on this line", "这一行没有号码"});
    }
  }
  return list;
}

}  // namespace dypls::console
