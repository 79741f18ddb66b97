// A user-facing text in both languages the console speaks.
#pragma once
#include <string>

namespace dypls {

struct Message {
  std::string en;
  std::string zh;
};

}  // namespace dypls
