// Typed text as the console reads it: without the spaces, tabs and line breaks around it (a
// pasted pool key or number often carries them).
#pragma once
#include <string>

namespace dypls::console {

// Takes its own copy (callers that are done with theirs move it in) and trims it in place.
inline std::string trimmed(std::string text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t end = text.size();
  while (end > 0 && is_space(text[end - 1])) --end;
  text.erase(end);
  std::size_t start = 0;
  while (start < text.size() && is_space(text[start])) ++start;
  text.erase(0, start);
  return text;
}

}  // namespace dypls::console
