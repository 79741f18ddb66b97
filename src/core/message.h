// A user-facing text in both languages the console speaks.
#pragma once
#include <string>

namespace dypls {

struct Message {
  std::string en;
  std::string zh;
};

// How a message is shown: the status line's colour and whether it is announced as an alert.
enum class StatusLevel { kInfo, kSuccess, kWarning, kError };

}  // namespace dypls
