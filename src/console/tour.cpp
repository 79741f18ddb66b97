// The guided tour of the sandbox: paste -> stock -> buy -> release. Each step ends by itself
// when the state shows it was done.
#include "imgui.h"
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
      return Tab::kStock;
    case 3:
      return Tab::kStock;
    case 4:
      return Tab::kNumbers;
    default:
      return Tab::kCredentials;
  }
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
