// The guided tour of the sandbox: paste -> stock -> buy -> release. Each step ends by itself
// when the state shows it was done.
#include <cmath>
#include <string>

#include "imgui.h"
#include "item_hooks.h"
#include "panels.h"

namespace dypls::console {
namespace {

constexpr int kSteps = 4;

bool step_done(const ConsoleState& state, int step) {
  switch (step) {
    case 1:
      return state.credentials.active.has_value();
    case 2:
      return state.stock.answer.has_value();
    case 3:
      return state.run.bought > 0;
    case 4:
      for (const NumberRecord& record : state.numbers.records) {
        if (record.released) return true;
      }
      return false;
    default:
      return true;
  }
}

Tab tab_for(int step) {
  switch (step) {
    case 2:
    case 3:
      return Tab::kStock;
    case 4:
      return Tab::kNumbers;
    default:
      return Tab::kCredentials;
  }
}

// The widget the step is about, outlined so the eye finds it.
std::string target_for(const ConsoleState& state, int step) {
  switch (step) {
    case 1:
      return "use-demo";
    case 2:
      return "query-stock";
    case 3:
      if (state.run.phase == RunPhase::kConfirming) return "confirm-buy";
      return state.buy.city.empty() ? "use-row-"
                                    : (state.buy.pool_key.empty() ? "buy-pool" : "buy");
    case 4:
      return "release-confirm-";
    default:
      return {};
  }
}

void outline_target(const ConsoleState& state, int step) {
  float x = 0, y = 0, w = 0, h = 0;
  if (!item_hooks_find(target_for(state, step), x, y, w, h)) return;
  const float pad = ImGui::GetFontSize() * 0.25f;
  const float pulse = 0.6f + 0.4f * static_cast<float>(std::sin(ImGui::GetTime() * 4.0));
  ImGui::GetForegroundDrawList()->AddRect(
      ImVec2(x - pad, y - pad), ImVec2(x + w + pad, y + h + pad),
      ImGui::GetColorU32(ImVec4(1.0f, 0.75f, 0.2f, pulse)), 4.0f, 0, 2.5f);
}

}  // namespace

void draw_tour(Ui& ui) {
  int& step = ui.view.tour_step;
  if (step_done(ui.state, step)) {
    ++step;
    if (step > kSteps) {
      step = 0;
      return;
    }
    ui.view.switch_to = tab_for(step);
  }
  outline_target(ui.state, step);
  static constexpr T kTexts[] = {T::TourStep1, T::TourStep2, T::TourStep3, T::TourStep4};
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const ImVec2 corner(viewport->WorkPos.x + viewport->WorkSize.x - 16,
                      viewport->WorkPos.y + viewport->WorkSize.y - 60);
  ImGui::SetNextWindowPos(corner, ImGuiCond_Always, ImVec2(1, 1));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 22, 0));
  ImGui::SetNextWindowBgAlpha(0.95f);
  ImGui::Begin("##tour", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing);
  ImGui::TextWrapped("%s", ui.t(kTexts[step - 1]));
  if (ImGui::Button((std::string(ui.t(T::TourNext)) + "###tour-next").c_str())) {
    ++step;
    if (step > kSteps) step = 0;
    if (step > 0) ui.view.switch_to = tab_for(step);
  }
  ImGui::SameLine();
  if (ImGui::Button((std::string(ui.t(T::TourSkip)) + "###tour-end").c_str())) step = 0;
  ImGui::End();
}

}  // namespace dypls::console
