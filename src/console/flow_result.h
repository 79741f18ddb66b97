// What a flow's transition did and what to tell the person. Flows return it; the Controller,
// which owns the status line, writes the notice there (a flow never writes the status itself).
#pragma once
#include <optional>
#include <utility>

#include "core/message.h"

namespace dypls::console {

using dypls::StatusLevel;

struct Notice {
  Message text;
  StatusLevel level = StatusLevel::kInfo;
};

struct FlowResult {
  bool ok = false;
  std::optional<Notice> notice;

  static FlowResult done(std::optional<Notice> notice = std::nullopt) {
    return {true, std::move(notice)};
  }
  static FlowResult refused(Message why) {
    return {false, Notice{std::move(why), StatusLevel::kError}};
  }
};

}  // namespace dypls::console
