// The whole window: title and credentials lifetime, the sandbox or live banner, the tabs, and
// the status line that the page mirrors into its aria-live region.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "credentials_status.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "item_hooks.h"
#include "panels.h"

namespace dypls::console {
namespace {

constexpr std::int64_t kLargeClockOffsetMs = std::int64_t{60} * 1000;

void draw_credentials_badge(Ui& ui) {
  const CredentialsLife life =
      credentials_life(ui.state.credentials, ui.controller.credentials_pasted_at(),
                       ui.controller.corrected_now_ms() / 1000);
  if (life.status == CredentialsStatus::kNone) {
    status_text(StatusLevel::kWarning, ui.t(T::CredsNone));
    return;
  }
  const std::string key = mask_key_id(ui.state.credentials.active->key.id);
  StatusLevel level = StatusLevel::kSuccess;
  std::string text;
  char buffer[128];
  switch (life.status) {
    case CredentialsStatus::kExpired:
      level = StatusLevel::kError;
      text = ui.t(T::CredsExpired);
      break;
    case CredentialsStatus::kExpiringSoon:
    case CredentialsStatus::kValid:
      level =
          life.status == CredentialsStatus::kValid ? StatusLevel::kSuccess : StatusLevel::kWarning;
      (void)std::snprintf(buffer, sizeof buffer, ui.t(T::CredsExpiresIn),
                          format_duration(life.seconds_left).c_str());
      text = buffer;
      break;
    default:
      // A token means a temporary key even when the paste carried no expiry; a long-term key
      // is worth amber.
      if (ui.state.credentials.active->key.security_token.empty()) level = StatusLevel::kWarning;
      text = ui.state.credentials.active->key.security_token.empty() ? ui.t(T::CredsNoExpiry)
                                                                     : ui.t(T::CredsNoExpirySts);
      break;
  }
  ImGui::TextUnformatted(key.c_str());
  ImGui::SameLine();
  status_text(level, text);
  item_hooks_name_last(text + "###creds-badge");
  if (life.lifetime > 0) {
    // The remaining lifetime as a shrinking bar, in the countdown's colour.
    const float fraction =
        static_cast<float>(life.seconds_left) / static_cast<float>(life.lifetime);
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, level_color(level));
    ImGui::ProgressBar(fraction, ImVec2(-1, ImGui::GetTextLineHeight() * 0.35f), "");
    ImGui::PopStyleColor();
  }
}

// `text`, with what follows (`after_width` wide) beside it when both fit on the line, else
// wrapped above it: on a narrow screen the text wraps and the buttons move below it.
void text_then_buttons(const char* text, float after_width) {
  ImGui::AlignTextToFramePadding();
  const float one_line =
      ImGui::CalcTextSize(text).x + ImGui::GetStyle().ItemSpacing.x + after_width;
  if (one_line <= ImGui::GetContentRegionAvail().x) {
    ImGui::TextUnformatted(text);
    ImGui::SameLine();
  } else {
    ImGui::TextWrapped("%s", text);
  }
}

void draw_banner(Ui& ui) {
  const RelayConfig& relay = ui.state.relay;
  if (relay.sandbox) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.10f, 0.35f, 0.55f, 0.35f));
    // As tall as its content: on a narrow screen the text wraps and the buttons move below it.
    ImGui::BeginChild("##banner", ImVec2(0, 0),
                      ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY, kFlatForKeyboard);
    const std::string demo = std::string(ui.t(T::UseDemo)) + "###use-demo";
    const std::string tour = std::string(ui.t(T::StartTour)) + "###start-tour";
    text_then_buttons(ui.t(T::SandboxBanner),
                      button_width(demo) + ImGui::GetStyle().ItemSpacing.x + button_width(tour));
    ImGui::BeginDisabled(ui.state.demo_loading);
    if (ImGui::Button(demo.c_str())) ui.controller.use_demo_credentials();
    ImGui::EndDisabled();
    why_disabled(ui.state.demo_loading, ui.t(T::WhyDemoLoading));
    same_line_if_fits(button_width(tour));
    if (ImGui::Button(tour.c_str())) {
      ui.view.tour_step = 1;
      ui.view.switch_to = Tab::kCredentials;
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
  } else if (relay.loaded) {
    status_text(StatusLevel::kWarning, ui.t(T::LiveBanner));
  } else if (relay.failed) {
    status_text(StatusLevel::kError, ui.t(T::RelayUnreachable));
  }
}

// A purchase whose outcome is unknown (the page reloaded or closed mid-purchase, or the answer
// was lost) is settled in Buy, but the page may open on any tab: say so above the tabs.
void draw_unknown_notice(Ui& ui) {
  const std::string go = std::string(ui.t(T::GoReconcile)) + "###go-reconcile";
  ImGui::PushStyleColor(ImGuiCol_Text, level_color(StatusLevel::kWarning));
  text_then_buttons(ui.t(T::UnknownNotice), button_width(go));
  ImGui::PopStyleColor();
  if (ImGui::Button(go.c_str())) ui.view.switch_to = Tab::kBuy;
}

// The padding inside each tab (x) and the gap between tabs (y) that keep every tab's name
// whole: on a phone the six English names do not fit at the usual padding and ImGui would cut
// them ("Creden…"). Narrower padding keeps them whole down to about 360 px.
ImVec2 tab_spacing_that_fits(const Ui& ui, const T* titles, int count) {
  const ImGuiStyle& style = ImGui::GetStyle();
  float text = 0;
  for (int i = 0; i < count; ++i) text += ImGui::CalcTextSize(ui.t(titles[i])).x;
  // What the bar itself gets: the visible width, not a wide table's scrolled content width.
  const float avail = ImGui::GetCurrentWindowRead()->WorkRect.Max.x - ImGui::GetCursorScreenPos().x;
  const auto needed = [&](float pad, float gap) {
    return text + static_cast<float>(count) * (2 * pad + 1) + static_cast<float>(count - 1) * gap;
  };
  if (needed(style.FramePadding.x, style.ItemInnerSpacing.x) <= avail)
    return {style.FramePadding.x, style.ItemInnerSpacing.x};
  const float gap = std::min(style.ItemInnerSpacing.x, 2.0f);
  const float room = avail - needed(0, gap);
  const float pad = std::floor(room / (2.0f * static_cast<float>(count)));
  return {std::clamp(pad, 2.0f, style.FramePadding.x), gap};
}

void tab(Ui& ui, Tab which, T title, const char* id, void (*draw)(Ui&), ImVec2 spacing) {
  const std::string label = std::string(ui.t(title)) + "###" + id;
  ImGuiTabItemFlags flags = 0;
  if (ui.view.switch_to == which) {
    flags |= ImGuiTabItemFlags_SetSelected;
    // A button elsewhere switched tabs: its focus is gone with its panel, so a keyboard user
    // continues in the new panel instead of nowhere.
    if (!ImGui::GetCurrentContext()->NavDisableHighlight) ui.view.focus_into = which;
  }
  // The spacing applies to the tabs, not to the panel drawn inside one. The first tab item of
  // a frame lays the whole bar out, with the style in effect then.
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(spacing.x, style.FramePadding.y));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemInnerSpacing, ImVec2(spacing.y, style.ItemInnerSpacing.y));
  const bool open = ImGui::BeginTabItem(label.c_str(), nullptr, flags);
  ImGui::PopStyleVar(2);
  if (open) {
    ui.view.shown = which;
    ImGui::BeginChild((std::string("##body-") + id).c_str(), ImVec2(0, 0), 0, kFlatForKeyboard);
    if (ui.view.focus_into == which) {
      ImGui::SetKeyboardFocusHere();
      ui.view.focus_into.reset();
    }
    draw(ui);
    ImGui::EndChild();
    ImGui::EndTabItem();
  }
}

}  // namespace

void draw_app(Ui& ui) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##console", nullptr, flags);

  // 1. Title, and how long the credentials have left.
  ImGui::TextUnformatted(ui.t(T::AppTitle));
  if (!narrow_window()) ImGui::SameLine(ImGui::GetContentRegionAvail().x * 0.45f);
  ImGui::BeginGroup();
  draw_credentials_badge(ui);
  ImGui::EndGroup();

  // 2. Sandbox or live, said plainly; a browser clock far off the relay's is worth a line.
  draw_banner(ui);
  if (ui.state.clock_offset_ms > kLargeClockOffsetMs ||
      ui.state.clock_offset_ms < -kLargeClockOffsetMs) {
    char text[256];
    (void)std::snprintf(text, sizeof text, ui.t(T::ClockOffset),
                        static_cast<double>(ui.state.clock_offset_ms) / 1000.0);
    status_text(StatusLevel::kWarning, text);
  }

  if (ui.state.unknown && ui.view.shown != Tab::kBuy) draw_unknown_notice(ui);

  // 3. The panels, one tab each; the status line stays at the bottom.
  const float footer = ImGui::GetFrameHeightWithSpacing() * 1.6f;
  ImGui::BeginChild("##main", ImVec2(0, -footer), 0, kFlatForKeyboard);
  static constexpr T kTitles[] = {T::TabCredentials, T::TabStock,    T::TabBuy,
                                  T::TabNumbers,     T::TabActivity, T::TabSettings};
  const ImVec2 spacing = tab_spacing_that_fits(ui, kTitles, static_cast<int>(std::size(kTitles)));
  // The bar keeps the padding it began with to place each name inside its tab.
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                      ImVec2(spacing.x, ImGui::GetStyle().FramePadding.y));
  const bool tabs_open = ImGui::BeginTabBar("##tabs");
  ImGui::PopStyleVar();
  if (tabs_open) {
    tab(ui, Tab::kCredentials, T::TabCredentials, "tab-credentials", draw_credentials_panel,
        spacing);
    tab(ui, Tab::kStock, T::TabStock, "tab-stock", draw_stock_panel, spacing);
    tab(ui, Tab::kBuy, T::TabBuy, "tab-buy", draw_buy_panel, spacing);
    tab(ui, Tab::kNumbers, T::TabNumbers, "tab-numbers", draw_numbers_panel, spacing);
    tab(ui, Tab::kActivity, T::TabActivity, "tab-activity", draw_activity_panel, spacing);
    tab(ui, Tab::kSettings, T::TabSettings, "tab-settings", draw_settings_panel, spacing);
    ImGui::EndTabBar();
  }
  ui.view.switch_to.reset();
  ImGui::EndChild();

  ImGui::Separator();
  if (ui.state.status.seq > 0) status_text(ui.state.status.level, ui.m(ui.state.status.text));
  ImGui::End();

  if (ui.view.tour_step > 0) draw_tour(ui);
}

}  // namespace dypls::console
