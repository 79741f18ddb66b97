// Settings: relay URL, signature version, language, theme, UI scale; the measured clock offset.
#include <cstdio>
#include <cstdlib>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "item_hooks.h"
#include "panels.h"

namespace dypls::console {
namespace {

std::string label(const Ui& ui, T text, const char* id) {
  return std::string(ui.t(text)) + "###" + id;
}

// The ledger this browser keeps, and forgetting it (typed confirmation; refused while unresolved).
void draw_history(Ui& ui) {
  ImGui::Separator();
  ImGui::TextUnformatted(ui.t(T::HistoryTitle));
  char text[256];
  (void)std::snprintf(text, sizeof text, ui.t(T::HistoryCount),
                      static_cast<int>(ui.state.ledger.attempts.size()),
                      static_cast<int>(ui.state.ledger.numbers.size()));
  help_text(text);
  if (!ui.state.ledger_problem.en.empty()) {
    status_text(StatusLevel::kWarning, ui.m(ui.state.ledger_problem));
  }
  help_text(ui.t(T::ForgetHelp));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::InputTextWithHint("##forget-confirm", "FORGET", &ui.state.forget_confirmation);
  item_hooks_describe_last(ui.t(T::ForgetHelp));
  ImGui::SameLine();
  ImGui::BeginDisabled(ui.state.forget_confirmation != kForgetWord);
  if (ImGui::Button(label(ui, T::ForgetButton, "forget-history").c_str())) {
    const std::string typed = ui.state.forget_confirmation;
    ui.controller.forget_history(typed);
  }
  ImGui::EndDisabled();
}

}  // namespace

void draw_settings_panel(Ui& ui) {
  Settings& settings = ui.state.settings;
  // The scale first: after a large one it is still on screen to be turned back.
  fit_next_field(10, label(ui, T::UiScale, "ui-scale"));
  ImGui::SliderFloat(label(ui, T::UiScale, "ui-scale").c_str(), &settings.ui_scale, 0.75f, 2.0f,
                     "%.2f");
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.view.fonts_dirty = true;
  ImGui::Separator();
  if (!ui.view.relay_url_edit_init) {
    ui.view.relay_url_edit = settings.relay_url;
    ui.view.relay_url_edit_init = true;
  }
  fit_next_field(18, label(ui, T::RelayUrl, "relay-url"));
  ImGui::InputTextWithHint(label(ui, T::RelayUrl, "relay-url").c_str(), ui.t(T::RelayUrlHint),
                           &ui.view.relay_url_edit);
  refuse_secret(ui, ui.view.relay_url_edit);
  same_line_if_fits(button_width(label(ui, T::Apply, "relay-apply")));
  if (ImGui::Button(label(ui, T::Apply, "relay-apply").c_str())) {
    settings.relay_url = ui.view.relay_url_edit;
    ui.controller.fetch_relay_config();
  }
  if (ui.state.relay.loaded) {
    char text[256];
    (void)std::snprintf(text, sizeof text, ui.t(T::SignHost), ui.state.relay.sign_host.c_str());
    help_text(text);
  }

  ImGui::Separator();
  ImGui::TextUnformatted(ui.t(T::SignatureVersion));
  int style = settings.style == SignatureStyle::kV1 ? 0 : 1;
  ImGui::RadioButton("V1 · HMAC-SHA1###style-v1", &style, 0);
  ImGui::SameLine();
  ImGui::RadioButton("V3 · ACS3-HMAC-SHA256###style-v3", &style, 1);
  settings.style = style == 0 ? SignatureStyle::kV1 : SignatureStyle::kV3;

  ImGui::TextUnformatted(ui.t(T::Language));
  int language = settings.language == Language::kZh ? 0 : 1;
  ImGui::RadioButton("中文###lang-zh", &language, 0);
  ImGui::SameLine();
  ImGui::RadioButton("English###lang-en", &language, 1);
  settings.language = language == 0 ? Language::kZh : Language::kEn;

  ImGui::TextUnformatted(ui.t(T::Theme));
  int theme = settings.theme == Theme::kDark ? 0 : 1;
  bool theme_changed = ImGui::RadioButton(label(ui, T::Dark, "theme-dark").c_str(), &theme, 0);
  ImGui::SameLine();
  theme_changed |= ImGui::RadioButton(label(ui, T::Light, "theme-light").c_str(), &theme, 1);
  if (theme_changed) {
    settings.theme = theme == 0 ? Theme::kDark : Theme::kLight;
    ui.view.fonts_dirty = true;  // the style is rebuilt with the fonts
  }

  draw_history(ui);

  ImGui::Separator();
  const double offset_s = static_cast<double>(ui.state.clock_offset_ms) / 1000.0;
  if (std::llabs(ui.state.clock_offset_ms) >= 1500) {
    char text[256];
    (void)std::snprintf(text, sizeof text, ui.t(T::ClockOffset), offset_s);
    status_text(
        std::llabs(ui.state.clock_offset_ms) > 60000 ? StatusLevel::kWarning : StatusLevel::kInfo,
        text);
  }
}

}  // namespace dypls::console
