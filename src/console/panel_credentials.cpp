// Credentials: what is active (masked), how long it lasts, the paste area, and the opt-in to
// remember it in this tab.
#include <cstdio>

#include "credentials_status.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "item_hooks.h"
#include "panels.h"

namespace dypls::console {
namespace {

// Named profiles: save the active credentials under a name, switch, delete.
void draw_profiles(Ui& ui) {
  CredentialsState& creds = ui.state.credentials;
  if (!creds.active && creds.profiles.empty()) return;  // nothing to save or switch to
  ImGui::Separator();
  ImGui::TextUnformatted(ui.t(T::Profiles));
  if (creds.active) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::InputTextWithHint("##profile-name", ui.t(T::ProfileName), &creds.profile_name);
    item_hooks_describe_last(ui.t(T::ProfileName));
    const bool refused = refuse_secret(ui, creds.profile_name);
    const bool entered = submitted_with_enter() && !refused && !creds.profile_name.empty();
    ImGui::SameLine();
    ImGui::BeginDisabled(creds.profile_name.empty());
    if (ImGui::Button((std::string(ui.t(T::SaveProfile)) + "###save-profile").c_str()) || entered) {
      ui.controller.save_profile(creds.profile_name);
    }
    ImGui::EndDisabled();
    why_disabled(creds.profile_name.empty(), ui.t(T::WhySaveProfile));
  }
  std::string use;
  std::string remove;
  for (const CredentialsProfile& profile : creds.profiles) {
    ImGui::PushID(profile.name.c_str());
    const bool active = profile.name == creds.active_profile;
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%s %s · %s", active ? "●" : "○", profile.name.c_str(),
                mask_key_id(profile.credentials.key.id).c_str());
    ImGui::SameLine();
    ImGui::BeginDisabled(active);
    if (ImGui::Button(
            (std::string(ui.t(T::UseProfile)) + "###use-profile-" + profile.name).c_str())) {
      use = profile.name;
    }
    ImGui::EndDisabled();
    why_disabled(active, ui.t(T::WhyUseProfile));
    ImGui::SameLine();
    if (ImGui::Button(
            (std::string(ui.t(T::DeleteProfile)) + "###delete-profile-" + profile.name).c_str())) {
      remove = profile.name;
    }
    ImGui::PopID();
  }
  if (!use.empty()) ui.controller.use_profile(use);
  if (!remove.empty()) ui.controller.delete_profile(remove);
  help_text(ui.t(T::ProfilesHint));
}

}  // namespace

void draw_credentials_panel(Ui& ui) {
  CredentialsState& creds = ui.state.credentials;
  if (creds.active) {
    const ParsedCredentials& active = *creds.active;
    if (ImGui::BeginTable("##creds-summary", 2, ImGuiTableFlags_SizingFixedFit)) {
      // Values wrap within the window: a role ARN is wider than a phone.
      ImGui::TableSetupColumn("##name", ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableSetupColumn("##value", ImGuiTableColumnFlags_WidthStretch);
      auto row = [](const char* name, const std::string& value) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(name);
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", value.c_str());
      };
      row(ui.t(T::CredsKeyId), mask_key_id(active.key.id));
      row(ui.t(T::CredsToken),
          active.key.security_token.empty() ? ui.t(T::CredsAbsent) : ui.t(T::CredsPresent));
      row(ui.t(T::CredsShape), std::string(shape_name(active.shape)));
      if (!active.role_arn.empty()) row(ui.t(T::CredsRole), active.role_arn);
      ImGui::EndTable();
    }
    const CredentialsLife life = credentials_life(creds, ui.controller.credentials_pasted_at(),
                                                  ui.controller.corrected_now_ms() / 1000);
    char text[160];
    switch (life.status) {
      case CredentialsStatus::kValid:
        (void)std::snprintf(text, sizeof text, ui.t(T::CredsExpiresIn),
                            format_duration(life.seconds_left).c_str());
        status_text(StatusLevel::kSuccess, text);
        break;
      case CredentialsStatus::kExpiringSoon:
        (void)std::snprintf(text, sizeof text, ui.t(T::CredsExpiresIn),
                            format_duration(life.seconds_left).c_str());
        status_text(StatusLevel::kWarning, std::string(text) + " · " + ui.t(T::CredsExpiringSoon));
        break;
      case CredentialsStatus::kExpired:
        status_text(StatusLevel::kError, ui.t(T::CredsExpired));
        break;
      default:
        help_text(active.key.security_token.empty() ? ui.t(T::CredsNoExpiry)
                                                    : ui.t(T::CredsNoExpirySts));
        break;
    }
    const bool temporary =
        !active.key.security_token.empty() || active.key.id.rfind("STS.", 0) == 0;
    if (!temporary) {
      status_text(StatusLevel::kWarning, ui.t(T::CredsLongTerm));
      item_hooks_name_last(std::string(ui.t(T::CredsLongTerm)) + "###creds-long-term");
    }
    for (const Message& warning : active.warnings)
      status_text(StatusLevel::kWarning, ui.m(warning));
    if (ImGui::Button((std::string(ui.t(T::Forget)) + "###forget").c_str())) {
      ui.controller.forget_credentials();
    }
    ImGui::SameLine();
  }
  bool remember = creds.remember_in_tab;
  if (ImGui::Checkbox((std::string(ui.t(T::Remember)) + "###remember").c_str(), &remember)) {
    ui.controller.set_remember_in_tab(remember);
  }
  help_text(remember ? ui.t(T::RememberHint) : ui.t(T::MemoryOnly));

  draw_profiles(ui);

  ImGui::Separator();
  help_text(ui.t(T::PasteHint));
  // Pressing it reads the clipboard at once, in the browser's handler of the press (main.cpp):
  // on a phone it is the one way to paste, as the canvas offers no paste menu.
  ImGui::Button((std::string(ui.t(T::PasteFromClipboard)) + "###" + kPasteClipboardKey).c_str());
  ImGui::InputTextMultiline("##paste-area", &creds.paste_buffer,
                            ImVec2(-1, ImGui::GetTextLineHeight() * 8));
  item_hooks_describe_last(ui.t(T::PasteArea));
  ImGui::BeginDisabled(creds.paste_buffer.empty());
  if (ImGui::Button((std::string(ui.t(T::UsePasted)) + "###use-pasted").c_str())) {
    ui.controller.paste_credentials(creds.paste_buffer);
  }
  ImGui::EndDisabled();
  why_disabled(creds.paste_buffer.empty(), ui.t(T::WhyUsePasted));
  if (!creds.last_error.en.empty()) status_text(StatusLevel::kError, ui.m(creds.last_error));
}

}  // namespace dypls::console
