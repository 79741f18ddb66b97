// The console's two languages. Texts come from text/strings.tsv through the generated
// ui_text.h; messages built by the core carry both languages already.
#pragma once
#include <string>

#include "console_state.h"
#include "core/message.h"
#include "ui_text.h"

namespace dypls::console {

inline const char* tr(Language language, T key) {
  const int index = static_cast<int>(key);
  return language == Language::kZh ? kTextZh[index] : kTextEn[index];
}

inline const std::string& pick(Language language, const Message& message) {
  if (language == Language::kZh && !message.zh.empty()) return message.zh;
  return message.en.empty() ? message.zh : message.en;
}

}  // namespace dypls::console
