// Numbers: everything bought this session plus numbers looked up, with copy, lock/unlock,
// refresh, and release after typing the number to confirm.
#include <algorithm>
#include <cstdio>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "item_hooks.h"
#include "panels.h"
#include "time_display.h"

namespace dypls::console {
namespace {

std::string label(const Ui& ui, T text, const std::string& id) {
  return std::string(ui.t(text)) + "###" + id;
}

constexpr float kReleaseFieldEm = 8.5f;  // room for an 11-digit number to be typed

// The widest row of actions (a number not yet locked): the table is made wide enough for it,
// or Release would be cut off at the table's edge, where sideways scrolling stops.
float actions_width(const Ui& ui) {
  const auto button = [&ui](T text) { return button_width(ui.t(text)); };
  return button(T::Copy) + button(T::Refresh) + std::max(button(T::Lock), button(T::Unlock)) +
         ImGui::GetFontSize() * kReleaseFieldEm + button(T::Release) +
         ImGui::GetStyle().ItemSpacing.x * 4;
}

void draw_actions(Ui& ui, NumberRecord& record) {
  const std::string& no = record.secret_no;
  copy_button(ui, label(ui, T::Copy, "copy-" + no),
              [no]() -> std::optional<std::string> { return no; });
  reveal_if_just_focused();
  if (record.released) return;
  ImGui::SameLine();
  ImGui::BeginDisabled(record.busy);
  if (ImGui::Button(label(ui, T::Refresh, "refresh-" + no).c_str())) {
    ui.controller.refresh_number(no);
  }
  reveal_if_just_focused();
  ImGui::SameLine();
  const bool locked = record.detail && record.detail->status == NumberStatus::kLocked;
  if (ImGui::Button(label(ui, locked ? T::Unlock : T::Lock, "lock-" + no).c_str())) {
    ui.controller.lock_number(no, !locked);
  }
  reveal_if_just_focused();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * kReleaseFieldEm);
  ImGui::InputTextWithHint(("##release-confirm-" + no).c_str(), no.c_str(),
                           &record.release_confirmation, ImGuiInputTextFlags_CharsDecimal);
  const bool entered = submitted_with_enter();
  reveal_if_just_focused();
  char prompt[160];
  (void)std::snprintf(prompt, sizeof prompt, ui.t(T::ReleasePrompt), no.c_str());
  item_hooks_describe_last(prompt);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", prompt);
  ImGui::SameLine();
  ImGui::BeginDisabled(record.release_confirmation != no);
  if (ImGui::Button(label(ui, T::Release, "release-" + no).c_str()) ||
      (entered && record.release_confirmation == no && !record.busy)) {
    const std::string typed = record.release_confirmation;
    ui.controller.release_number(no, typed);
  }
  reveal_if_just_focused();
  ImGui::EndDisabled();
  why_disabled(record.release_confirmation != no, ui.t(T::WhyRelease));
  ImGui::EndDisabled();
}

// Attempts settled as "bought" without a number: each row asks for it until given.
void draw_missing_numbers(Ui& ui) {
  for (const LedgerAttempt& attempt : ui.state.ledger.attempts) {
    if (!number_missing(attempt)) continue;
    const std::string id = attempt.id;  // a value: recording reloads the ledger
    char text[256];
    (void)std::snprintf(text, sizeof text, ui.t(T::MissingNumber), attempt.city.c_str(),
                        attempt.pool_key.c_str());
    status_text(StatusLevel::kWarning, text);
    std::string& typed = ui.view.missing_numbers[id];
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    ImGui::InputText(("##missing-" + id).c_str(), &typed, ImGuiInputTextFlags_CharsDecimal);
    item_hooks_describe_last(text);
    ImGui::SameLine();
    if (ImGui::Button(label(ui, T::RecordNumber, "record-number-" + id).c_str())) {
      const std::string number = typed;
      if (ui.controller.record_missing_number(id, number)) ui.view.missing_numbers.erase(id);
      break;  // the ledger changed under this loop
    }
  }
}

// A pasted list, looked up in the pool key above one number at a time.
void draw_import(Ui& ui) {
  NumbersState& numbers = ui.state.numbers;
  const NumberImport& import = numbers.import;
  if (!ImGui::CollapsingHeader(label(ui, T::ImportTitle, "import-title").c_str())) return;
  help_text(ui.t(T::ImportHelp));
  ImGui::InputTextMultiline("##import-numbers", &numbers.import_text,
                            ImVec2(ImGui::GetFontSize() * 24, ImGui::GetFontSize() * 5));
  item_hooks_describe_last(ui.t(T::ImportTitle));
  ImGui::BeginDisabled(import.active());
  if (ImGui::Button(label(ui, T::ImportButton, "import-numbers-go").c_str())) {
    const std::string pool = numbers.lookup_pool_key;  // values: importing changes the state
    const std::string text = numbers.import_text;
    if (ui.controller.import_numbers(pool, text)) numbers.import_text.clear();
  }
  ImGui::EndDisabled();
  if (import.total == 0 && import.problems.empty()) return;
  char text[512];
  const std::size_t done = import.total - import.queue.size();
  if (import.active()) {
    (void)std::snprintf(text, sizeof text, ui.t(T::ImportProgress),
                        std::to_string(done + 1).c_str(), std::to_string(import.total).c_str());
    ImGui::TextUnformatted(text);
  } else {
    (void)std::snprintf(text, sizeof text, ui.t(T::ImportResult),
                        std::to_string(import.found).c_str(), std::to_string(import.total).c_str(),
                        std::to_string(import.duplicates).c_str());
    status_text(import.problem_count == 0 ? StatusLevel::kSuccess : StatusLevel::kWarning, text);
  }
  if (import.too_many || import.too_long) status_text(StatusLevel::kWarning, ui.t(T::ImportCut));
  for (const ListProblem& problem : import.problems) {
    (void)std::snprintf(text, sizeof text, ui.t(T::ImportLine),
                        std::to_string(problem.line).c_str(), problem.excerpt.c_str(),
                        ui.m(problem.why).c_str());
    help_text(text);
  }
  if (import.problem_count > import.problems.size()) {
    (void)std::snprintf(text, sizeof text, ui.t(T::ImportMore),
                        std::to_string(import.problem_count - import.problems.size()).c_str());
    help_text(text);
  }
}

}  // namespace

void draw_numbers_panel(Ui& ui) {
  NumbersState& numbers = ui.state.numbers;
  if (numbers.lookup_pool_key.empty()) numbers.lookup_pool_key = ui.state.buy.pool_key;
  const std::string pool_label = label(ui, T::PoolKey, "lookup-pool");
  fit_next_field(12, pool_label);
  ImGui::InputText(pool_label.c_str(), &numbers.lookup_pool_key);
  const bool refused = refuse_secret(ui, numbers.lookup_pool_key);
  bool entered = submitted_with_enter() && !refused;
  const std::string number_label = label(ui, T::ColNumber, "lookup-number");
  const float em = ImGui::GetFontSize();
  same_line_if_fits(em * 9 + ImGui::CalcTextSize(number_label.c_str(), nullptr, true).x);
  fit_next_field(9, number_label);
  ImGui::InputText(number_label.c_str(), &numbers.lookup_number, ImGuiInputTextFlags_CharsDecimal);
  entered = submitted_with_enter() || entered;
  const std::string lookup_label = label(ui, T::Lookup, "lookup");
  same_line_if_fits(button_width(lookup_label));
  if (ImGui::Button(lookup_label.c_str()) || entered) {
    ui.controller.lookup_number(numbers.lookup_pool_key, numbers.lookup_number);
  }
  draw_missing_numbers(ui);
  draw_import(ui);
  if (!numbers.records.empty() && ui.view.download != nullptr) {
    if (ImGui::Button(label(ui, T::ExportCsv, "export-numbers-csv").c_str())) {
      ui.view.download("dypls-numbers.csv", "text/csv", ui.controller.numbers_csv());
    }
    ImGui::SameLine();
    if (ImGui::Button(label(ui, T::ExportJson, "export-numbers-json").c_str())) {
      ui.view.download("dypls-numbers.json", "application/json", ui.controller.numbers_json());
    }
  }
  ImGui::Separator();
  if (numbers.records.empty()) {
    help_text(ui.t(T::NoNumbers));
    return;
  }
  // The child window scrolls (sideways too, on a narrow screen); a ScrollY table would open its
  // own window and leave the page's Tab order.
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_Resizable;
  ImGui::BeginChild("##numbers-scroll", ImVec2(0, 0), 0,
                    kFlatForKeyboard | ImGuiWindowFlags_HorizontalScrollbar);
  static const std::vector<Column> kColumns = {
      {T::ColNumber, 7.5f}, {T::ColStatus, 4.5f}, {T::ColCity, 4},  {T::ColVendor, 4.5f},
      {T::ColTime, 13},     {T::ColOrigin, 4.5f}, {T::ColAction, 0}};
  // A failed action's code follows the row's actions: room for the longest, or it is out of reach.
  float error_width = 0;
  for (const NumberRecord& record : numbers.records) {
    if (!record.error) continue;
    error_width = std::max(error_width, ImGui::CalcTextSize(record.error->code.c_str()).x +
                                            ImGui::GetStyle().ItemSpacing.x);
  }
  const float width = table_width(kColumns, actions_width(ui) + error_width);
  if (!ImGui::BeginTable("##numbers", static_cast<int>(kColumns.size()), flags, ImVec2(width, 0))) {
    ImGui::EndChild();
    return;
  }
  setup_columns(ui, kColumns);
  inert_headers_row();  // nothing to sort: Tab goes from Export straight to the rows
  // Rows hold buttons and a field: every cell's text is centred on their height.
  const auto next_cell = [] {
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
  };
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(numbers.records.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      // Copy the key: an action may append to the list while we draw.
      const std::string no = numbers.records[static_cast<std::size_t>(i)].secret_no;
      NumberRecord& record = numbers.records[static_cast<std::size_t>(i)];
      ImGui::PushID(no.c_str());
      ImGui::TableNextRow();
      next_cell();
      ImGui::TextUnformatted(no.c_str());
      next_cell();
      if (record.released) {
        help_text(ui.t(T::Released));
      } else if (record.detail) {
        ImGui::TextUnformatted(status_label(ui, record.detail->status));
      } else {
        ImGui::TextDisabled("-");
      }
      next_cell();
      ImGui::TextUnformatted(record.city.c_str());
      next_cell();
      ImGui::TextUnformatted(record.detail ? vendor_label(ui, record.detail->vendor) : "-");
      next_cell();
      const std::string& time = record.detail && !record.detail->purchase_time.empty()
                                    ? record.detail->purchase_time
                                    : record.bought_at;
      // One format: local time with its zone; UTC on hover.
      ImGui::TextUnformatted(display_time(time, ui.view.utc_offset_minutes).c_str());
      if (!time.empty() && ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", utc_time(time).c_str());
      }
      next_cell();
      ImGui::TextUnformatted(record.origin == NumberOrigin::kBought ? ui.t(T::OriginBought)
                                                                    : ui.t(T::OriginLookedUp));
      next_cell();
      draw_actions(ui, record);
      if (record.error) {
        ImGui::SameLine();
        status_text(StatusLevel::kError, record.error->code);
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
  ImGui::EndChild();
}

}  // namespace dypls::console
