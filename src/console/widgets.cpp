// Small drawing helpers shared by the panels.
#include <algorithm>
#include <cstdio>

#include "imgui.h"
#include "imgui_internal.h"
#include "item_hooks.h"
#include "panels.h"

namespace dypls::console {

void copy_button(Ui& ui, const std::string& label, CopyText text, bool small) {
  const bool clicked = small ? ImGui::SmallButton(label.c_str()) : ImGui::Button(label.c_str());
  if (clicked && ui.view.copy) {
    if (std::optional<std::string> copied = text()) ui.view.copy(*copied);
  }
  item_hooks_copies_last(std::move(text));
}

void help_text(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

bool submitted_with_enter() {
  return ImGui::IsItemDeactivated() && (ImGui::IsKeyPressed(ImGuiKey_Enter, false) ||
                                        ImGui::IsKeyPressed(ImGuiKey_KeypadEnter, false));
}

void fit_next_field(float ems, const std::string& label) {
  const float label_width = ImGui::CalcTextSize(label.c_str(), nullptr, true).x;
  const float room = ImGui::GetContentRegionAvail().x -
                     (label_width > 0 ? label_width + ImGui::GetStyle().ItemInnerSpacing.x : 0);
  const float em = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(std::max(em * 4, std::min(em * ems, room)));
}

void same_line_if_fits(float width) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right) {
    ImGui::SameLine();
  }
}

float button_width(const std::string& label) {
  return ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

bool refuse_secret(Ui& ui, std::string& value) {
  const auto& active = ui.state.credentials.active;
  if (!active || value.empty()) return false;
  const auto holds = [&](const std::string& secret) {
    return secret.size() >= 8 && value.find(secret) != std::string::npos;
  };
  if (!holds(active->key.secret) && !holds(active->key.security_token)) return false;
  value.clear();
  // ImGui keeps its own copy of an active field's text: leave the field so the copy goes too.
  if (ImGui::IsItemActive()) ImGui::ClearActiveID();
  ui.controller.set_status({"That was your AccessKeySecret or security token: it belongs only in "
                            "the Credentials box and was removed from this field (nothing was "
                            "sent).",
                            "这是您的 AccessKeySecret 或安全令牌：它只能放在凭证框中，已从此字段"
                            "移除（未发送任何内容）。"},
                           StatusLevel::kError);
  return true;
}

void reveal_if_just_focused() {
  // ImGui 1.90 clips a table cell's navigation rectangle to the visible columns (for tables that
  // do not scroll sideways themselves), so it scrolls only up and down to a newly focused cell:
  // on a narrow screen Tab would land on a button out of sight to the right.
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  if (g.NavJustMovedToId == 0 || g.NavJustMovedToId != g.LastItemData.ID) return;
  ImGui::ScrollToRectEx(ImGui::GetCurrentWindow(), g.LastItemData.Rect,
                        ImGuiScrollFlags_KeepVisibleEdgeX | ImGuiScrollFlags_KeepVisibleEdgeY);
}

void inert_headers_row() {
  ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop | ImGuiItemFlags_NoNav, true);
  ImGui::TableHeadersRow();
  ImGui::PopItemFlag();
}

float table_width(const std::vector<Column>& columns, float stretch) {
  float fixed_em = 0;
  for (const Column& column : columns) fixed_em += column.em;
  const float padding = ImGui::GetStyle().CellPadding.x * 2 * static_cast<float>(columns.size());
  return std::max(ImGui::GetContentRegionAvail().x,
                  ImGui::GetFontSize() * fixed_em + stretch + padding);
}

void setup_columns(const Ui& ui, const std::vector<Column>& columns) {
  for (const Column& column : columns) {
    ImGui::TableSetupColumn(
        ui.t(column.title),
        column.em > 0 ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch,
        ImGui::GetFontSize() * column.em);
  }
}

void why_disabled(bool disabled, const char* reason) {
  if (disabled && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
    ImGui::TextUnformatted(reason);
    ImGui::PopTextWrapPos();
    item_hooks_name_last(std::string(reason) + "###why-disabled");
    ImGui::EndTooltip();
  }
}

bool narrow_window() {
  return ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 40;
}

ImVec4 level_color(StatusLevel level) {
  const bool dark = ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x < 0.5f;
  switch (level) {
    case StatusLevel::kSuccess:
      return dark ? ImVec4(0.40f, 0.85f, 0.45f, 1) : ImVec4(0.05f, 0.50f, 0.12f, 1);
    case StatusLevel::kWarning:
      return dark ? ImVec4(0.98f, 0.75f, 0.25f, 1) : ImVec4(0.65f, 0.42f, 0.00f, 1);
    case StatusLevel::kError:
      return dark ? ImVec4(1.00f, 0.45f, 0.42f, 1) : ImVec4(0.75f, 0.08f, 0.08f, 1);
    case StatusLevel::kInfo:
      break;
  }
  return ImGui::GetStyleColorVec4(ImGuiCol_Text);
}

void status_text(StatusLevel level, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, level_color(level));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

std::string format_duration(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  char text[32];
  const auto h = static_cast<int>(seconds / 3600);
  const auto m = static_cast<int>(seconds / 60 % 60);
  const auto s = static_cast<int>(seconds % 60);
  if (h > 0) {
    (void)std::snprintf(text, sizeof text, "%d:%02d:%02d", h, m, s);
  } else {
    (void)std::snprintf(text, sizeof text, "%02d:%02d", m, s);
  }
  return text;
}

const char* status_label(const Ui& ui, NumberStatus status) {
  switch (status) {
    case NumberStatus::kUnbound:
      return ui.t(T::StatusUnbound);
    case NumberStatus::kBound:
      return ui.t(T::StatusBound);
    case NumberStatus::kLocked:
      return ui.t(T::StatusLocked);
    case NumberStatus::kFrozen:
      return ui.t(T::StatusFrozen);
    case NumberStatus::kUnknown:
      break;
  }
  return ui.t(T::Unknown);
}

const char* vendor_label(const Ui& ui, int vendor) {
  switch (vendor) {
    case 1:
      return ui.t(T::Vendor1);
    case 2:
      return ui.t(T::Vendor2);
    case 3:
      return ui.t(T::Vendor3);
    default:
      return "-";
  }
}

void apply_theme(Theme theme) {
  // Sizes start again from ImGui's defaults: the caller scales them once for the UI scale and
  // the screen's pixel ratio, so successive scales never compound.
  ImGui::GetStyle() = ImGuiStyle();
  if (theme == Theme::kDark) {
    ImGui::StyleColorsDark();
  } else {
    ImGui::StyleColorsLight();
  }
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0;
  style.FrameRounding = 4;
  style.GrabRounding = 4;
  style.TabRounding = 4;
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 7);
  style.CellPadding = ImVec2(6, 4);
}

}  // namespace dypls::console
