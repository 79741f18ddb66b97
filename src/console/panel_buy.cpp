// Buy: the form with live validation, the confirmation, the run with its progress, Stop and
// per-number results, and the unknown-outcome reconciliation that blocks further purchases.
#include <algorithm>
#include <cstdio>

#include "city_picker.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "item_hooks.h"
#include "panels.h"
#include "stock_hint.h"
#include "time_display.h"

namespace dypls::console {
namespace {

constexpr std::size_t kMarksPerRow = 40;

std::string label(const Ui& ui, T text, const char* id) {
  return std::string(ui.t(text)) + "###" + id;
}

void field_errors(const Ui& ui, const std::vector<FieldError>& errors, const char* field) {
  for (const FieldError& error : errors) {
    if (error.field == field) status_text(StatusLevel::kError, ui.m(error.message));
  }
}

void draw_unknown(Ui& ui) {
  UnknownPurchase& unknown = *ui.state.unknown;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.60f, 0.40f, 0.05f, 0.30f));
  // As tall as its text: what a check found adds lines.
  ImGui::BeginChild("##unknown", ImVec2(0, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY,
                    kFlatForKeyboard);
  status_text(StatusLevel::kWarning, ui.t(T::UnknownTitle));
  char text[1024];
  if (unknown.no_outcome_recorded) {
    ImGui::TextWrapped("%s", ui.t(T::NoOutcomeRecorded));
  } else if (!unknown.why.empty()) {
    help_text(unknown.why.c_str());
  }
  (void)std::snprintf(text, sizeof text, ui.t(T::UnknownText), unknown.request.city.c_str());
  ImGui::TextWrapped("%s", text);
  // A figure with when it was read ("5 (11-28 15:12)"): the "before" may be from another day.
  const auto amount = [&](const std::optional<std::int64_t>& value, std::int64_t read_ms) {
    if (!value) return std::string(ui.t(T::Unknown));
    std::string out = std::to_string(*value);
    if (read_ms > 0) {
      out +=
          " (" + format_local_time(read_ms / 1000, ui.view.utc_offset_minutes).substr(5, 11) + ")";
    }
    return out;
  };
  (void)std::snprintf(text, sizeof text, ui.t(T::StockBeforeAfter),
                      amount(unknown.stock_before, unknown.stock_before_ms).c_str(),
                      amount(unknown.stock_after, unknown.stock_after_ms).c_str());
  ImGui::TextUnformatted(text);
  help_text(ui.t(T::StockMeaning));
  if (unknown.stock_after) {
    status_text(StatusLevel::kInfo,
                ui.m(read_stock_change(unknown.stock_before, unknown.stock_after).text));
  } else if (!unknown.stock_after_failure.en.empty()) {
    status_text(StatusLevel::kWarning, ui.m(unknown.stock_after_failure));
  }
  if (!unknown.number_check.en.empty()) {
    status_text(StatusLevel::kWarning, ui.m(unknown.number_check));
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  ImGui::InputText(label(ui, T::LookupNumber, "unknown-number").c_str(), &unknown.lookup_number,
                   ImGuiInputTextFlags_CharsDecimal);
  // On a phone the button goes below the field instead of past the window's edge.
  const std::string check_label = label(ui, T::Reconcile, "reconcile");
  same_line_if_fits(button_width(check_label));
  // A stock query on its way (fetched by itself) does not hold up checking a typed number.
  const bool checking = unknown.checking_number;
  ImGui::BeginDisabled(checking);
  // The answers come later: reconciling never clears `unknown` under this frame.
  if (ImGui::Button(check_label.c_str())) ui.controller.reconcile_unknown();
  ImGui::EndDisabled();
  why_disabled(checking, ui.t(T::WhyBusy));
  // The verdict is offered once the person has looked.
  ImGui::BeginDisabled(!unknown.reconciled);
  if (ImGui::Button(label(ui, T::ResolveBought, "resolve-bought").c_str())) {
    const std::string typed = unknown.lookup_number;  // a value: resolving clears `unknown`
    ui.controller.resolve_unknown(true, typed);
  } else {
    ImGui::SameLine();
    if (ImGui::Button(label(ui, T::ResolveNotBought, "resolve-not-bought").c_str())) {
      ui.controller.resolve_unknown(false, "");
    }
  }
  ImGui::EndDisabled();
  why_disabled(!unknown.reconciled, ui.t(T::WhyResolve));
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void draw_confirmation(Ui& ui) {
  const PurchaseRun& run = ui.state.run;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.55f, 0.15f, 0.10f, 0.25f));
  // As tall as its text: on a narrow screen the sentence wraps to more lines.
  ImGui::BeginChild("##confirm", ImVec2(0, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY,
                    kFlatForKeyboard);
  // Keyboard focus moves into the confirmation (onto Cancel: two Enters never buy); Escape
  // closes it.
  const bool appearing = ImGui::IsWindowAppearing();
  if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) {
    ui.controller.cancel_purchase();
    ui.view.focus_buy = true;
  }
  ImGui::TextUnformatted(ui.t(T::ConfirmTitle));
  char text[512];
  // The type by its name, and "any prefix" rather than an empty pair of quotes.
  const T types[] = {T::Spec1, T::Spec2, T::Spec3};
  const int spec = run.request.spec_id;
  const std::string type = spec >= 1 && spec <= 3 ? ui.t(types[spec - 1]) : std::to_string(spec);
  char prefix[96];
  if (run.request.secret_no_prefix.empty()) {
    (void)std::snprintf(prefix, sizeof prefix, "%s", ui.t(T::AnyPrefix));
  } else {
    (void)std::snprintf(prefix, sizeof prefix, ui.t(T::PrefixIs),
                        run.request.secret_no_prefix.c_str());
  }
  (void)std::snprintf(text, sizeof text, ui.t(T::ConfirmText), run.quantity, type.c_str(),
                      run.request.city.c_str(), prefix, run.request.pool_key.c_str());
  ImGui::TextWrapped("%s", text);
  if (ui.state.relay.sandbox) {
    help_text(ui.t(T::BilledSandbox));
  } else {
    status_text(StatusLevel::kWarning, ui.t(T::BilledLive));
  }
  if (ImGui::Button(label(ui, T::ConfirmBuy, "confirm-buy").c_str())) {
    ui.controller.confirm_purchase();
  }
  ImGui::SameLine();
  if (appearing) ImGui::SetKeyboardFocusHere();
  if (ImGui::Button(label(ui, T::Cancel, "cancel-buy").c_str())) {
    ui.controller.cancel_purchase();
    ui.view.focus_buy = true;
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

const char* result_label(const Ui& ui, AttemptResult result) {
  switch (result) {
    case AttemptResult::kBought:
      return ui.t(T::ResultBought);
    case AttemptResult::kFailed:
      return ui.t(T::ResultFailed);
    case AttemptResult::kThrottled:
      return ui.t(T::ResultThrottled);
    case AttemptResult::kUnknown:
      return ui.t(T::ResultUnknown);
  }
  return "";
}

StatusLevel result_level(AttemptResult result) {
  switch (result) {
    case AttemptResult::kBought:
      return StatusLevel::kSuccess;
    case AttemptResult::kFailed:
      return StatusLevel::kError;
    default:
      return StatusLevel::kWarning;  // throttled or unknown: needs a look, not a failure
  }
}

void draw_run(Ui& ui) {
  const PurchaseRun& run = ui.state.run;
  if (run.quantity <= 0) return;
  char overlay[64];
  (void)std::snprintf(overlay, sizeof overlay, "%d / %d", run.bought, run.quantity);
  ImGui::ProgressBar(static_cast<float>(run.bought) / static_cast<float>(run.quantity),
                     ImVec2(ImGui::GetContentRegionAvail().x * 0.6f, 0), overlay);
  const bool active = run.phase == RunPhase::kSending || run.phase == RunPhase::kWaiting ||
                      run.phase == RunPhase::kQueued;
  if (active) {
    ImGui::SameLine();
    ImGui::BeginDisabled(run.stop_requested);
    if (ImGui::Button(label(ui, T::Stop, "stop-run").c_str())) ui.controller.stop_run();
    ImGui::EndDisabled();
    why_disabled(run.stop_requested, ui.t(T::WhyStopping));
  }
  if (run.stop_requested && active) help_text(ui.t(T::Stopping));
  if (run.phase == RunPhase::kQueued && run.queued_behind_tab) {
    status_text(StatusLevel::kInfo, ui.t(T::QueuedText));
  }
  if (run.phase == RunPhase::kWaiting) {
    // The countdown: seconds left and a bar that shrinks to the next attempt (Stop is above).
    const std::int64_t left = std::max<std::int64_t>(0, run.wait_until_ms - ui.now_ms);
    char text[128];
    (void)std::snprintf(text, sizeof text, ui.t(T::Waiting), static_cast<double>(left) / 1000.0);
    status_text(StatusLevel::kWarning, text);
    const float share =
        run.wait_ms > 0 ? static_cast<float>(left) / static_cast<float>(run.wait_ms) : 0.0f;
    ImGui::ProgressBar(std::min(share, 1.0f),
                       ImVec2(ImGui::GetContentRegionAvail().x * 0.6f, ImGui::GetFontSize() * 0.4f),
                       "");
  }
  if (run.buy_in_console && run.phase == RunPhase::kFailed) {
    status_text(StatusLevel::kWarning, ui.t(T::BuyInConsole));
  }
  // One mark per attempt: green bought, amber throttled or unknown, red failed.
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float size = ImGui::GetFontSize() * 0.7f;
  for (std::size_t i = 0; i < run.attempts.size(); ++i) {
    const ImVec4 color = [&] {
      switch (run.attempts[i].result) {
        case AttemptResult::kBought:
          return ImVec4(0.25f, 0.75f, 0.35f, 1);
        case AttemptResult::kFailed:
          return ImVec4(0.85f, 0.25f, 0.25f, 1);
        default:
          return ImVec4(0.95f, 0.70f, 0.20f, 1);
      }
    }();
    const std::size_t row = i / kMarksPerRow;  // whole rows of marks
    const std::size_t column = i % kMarksPerRow;
    const float x = origin.x + static_cast<float>(column) * (size + 3);
    const float y = origin.y + static_cast<float>(row) * (size + 3);
    draw->AddRectFilled(ImVec2(x, y), ImVec2(x + size, y + size), ImGui::GetColorU32(color), 2);
  }
  const std::size_t rows = (run.attempts.size() + kMarksPerRow - 1) / kMarksPerRow;
  const auto mark_rows = static_cast<float>(rows);
  ImGui::Dummy(ImVec2(1, mark_rows * (size + 3)));
  if (!run.summary.en.empty() && !active) {
    status_text(run.phase == RunPhase::kDone ? StatusLevel::kSuccess : StatusLevel::kWarning,
                ui.m(run.summary));
  }
  if (run.attempts.empty()) return;
  if (ImGui::BeginTable("##attempts", 4,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                            ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 2);
    ImGui::TableSetupColumn(ui.t(T::ColStatus));
    ImGui::TableSetupColumn(ui.t(T::ColNumber));
    ImGui::TableSetupColumn(ui.t(T::ColCode));
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(run.attempts.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const PurchaseAttempt& a = run.attempts[static_cast<std::size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d", i + 1);
        ImGui::TableNextColumn();
        status_text(result_level(a.result), result_label(ui, a.result));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(a.secret_no.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(a.code.c_str());
        if (!a.message.en.empty() && ImGui::IsItemHovered()) {
          ImGui::SetTooltip("%s", ui.m(a.message).c_str());
        }
      }
    }
    ImGui::EndTable();
  }
}

}  // namespace

void draw_buy_panel(Ui& ui) {
  // How the last unknown outcome was settled stays in view until a new purchase is confirmed.
  if (ui.state.run.phase == RunPhase::kConfirming) ui.state.reconcile_note = {};
  if (ui.state.unknown) {
    draw_unknown(ui);
  } else if (!ui.state.reconcile_note.en.empty() &&
             ui.state.reconcile_note.en != ui.state.run.summary.en) {  // not twice
    status_text(StatusLevel::kSuccess, ui.m(ui.state.reconcile_note));
  }
  BuyForm& form = ui.state.buy;
  const PurchaseRun& run = ui.state.run;
  const bool locked = run.phase == RunPhase::kConfirming || run.phase == RunPhase::kSending ||
                      run.phase == RunPhase::kWaiting || run.phase == RunPhase::kQueued;
  const std::vector<FieldError> errors = ui.controller.buy_form_errors();

  ImGui::BeginDisabled(locked);
  fit_next_field(12, label(ui, T::PoolKey, "buy-pool"));
  ImGui::InputText(label(ui, T::PoolKey, "buy-pool").c_str(), &form.pool_key);
  const bool refused = refuse_secret(ui, form.pool_key);
  bool entered = submitted_with_enter() && !refused;
  if (!form.pool_key.empty()) field_errors(ui, errors, "PoolKey");
  spec_field(ui, "buy-spec", form.spec_id);
  field_errors(ui, errors, "SpecId");
  entered = city_field(ui, "buy-city", form.city, false) || entered;
  if (!form.city.empty()) field_errors(ui, errors, "City");
  fit_next_field(9, label(ui, T::Prefix, "buy-prefix"));
  ImGui::InputText(label(ui, T::Prefix, "buy-prefix").c_str(), &form.prefix,
                   ImGuiInputTextFlags_CharsDecimal);
  entered = submitted_with_enter() || entered;
  field_errors(ui, errors, "SecretNo");
  ImGui::Checkbox(label(ui, T::DisplayPool, "buy-display-pool").c_str(), &form.display_pool);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ImGui::InputInt(label(ui, T::Quantity, "buy-quantity").c_str(), &form.quantity);
  entered = submitted_with_enter() || entered;
  field_errors(ui, errors, "Quantity");
  const bool can_buy = errors.empty() && !ui.controller.purchase_blocked();
  ImGui::BeginDisabled(!can_buy);
  if (ui.view.focus_buy && !locked) {
    ImGui::SetKeyboardFocusHere();
    ui.view.focus_buy = false;
  }
  if (ImGui::Button(label(ui, T::BuyButton, "buy").c_str()) || (entered && can_buy && !locked)) {
    ui.controller.submit_purchase();
  }
  ImGui::EndDisabled();
  // Why Buy is greyed, beside it (every field's own message may be hidden while it is empty).
  if (!can_buy && !locked) {
    std::string why;
    if (ui.controller.purchase_blocked()) {
      why = ui.t(T::WhyBuyBlocked);
    } else {
      std::string fields;
      for (const FieldError& error : errors) {
        fields += (fields.empty() ? "" : "; ") + ui.m(error.message);
      }
      char text[1024];
      (void)std::snprintf(text, sizeof text, ui.t(T::WhyBuyFields), fields.c_str());
      why = text;
    }
    ImGui::SameLine();
    help_text(why.c_str());
    item_hooks_name_last(why + "###buy-why");
  }
  ImGui::EndDisabled();
  if (!run.form_errors.empty() && run.phase == RunPhase::kIdle) {
    for (const FieldError& error : run.form_errors) {
      status_text(StatusLevel::kError, error.field + ": " + ui.m(error.message));
    }
  }
  if (run.phase == RunPhase::kConfirming) draw_confirmation(ui);
  ImGui::Separator();
  // Below the form: another tab's purchases coming and going never move the buttons above.
  for (const PurchaseElsewhere& elsewhere : ui.state.buying_elsewhere) {
    char text[512];
    (void)std::snprintf(text, sizeof text, ui.t(T::BuyingElsewhere),
                        elsewhere.request.pool_key.c_str(), elsewhere.request.city.c_str());
    status_text(StatusLevel::kInfo, text);
  }
  draw_run(ui);
}

}  // namespace dypls::console
