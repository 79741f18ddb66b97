#include "city_picker.h"

#include "imgui.h"
#include "imgui_stdlib.h"
#include "item_hooks.h"

namespace dypls::console {

void city_field(Ui& ui, const char* id, std::string& city, bool allow_list_values) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
  ImGui::InputText((std::string(ui.t(T::City)) + "###" + id).c_str(), &city);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  const std::string pick_id = std::string(ui.t(T::CityPick)) + "###" + id + "-pick";
  item_hooks_name_next(pick_id.c_str());
  if (ImGui::BeginCombo(pick_id.c_str(), nullptr, ImGuiComboFlags_HeightLarge)) {
    auto option = [&](const std::string& name) {
      if (ImGui::Selectable((name + "###" + id + "-opt-" + name).c_str(), city == name)) {
        city = name;
      }
    };
    if (allow_list_values) option(std::string(kCityNationwideList));
    option(std::string(kCityNationwide));
    option(std::string(kCityNationwideGeneric));
    ImGui::Separator();
    // Live cities first: they have stock.
    for (const std::string& name : ui.state.stock.cities) option(name);
    if (!ui.state.stock.cities.empty()) ImGui::Separator();
    for (const char* name : kCities) option(name);
    ImGui::EndCombo();
  }
}

void spec_field(Ui& ui, const char* id, int& spec_id) {
  const T names[] = {T::Spec1, T::Spec2, T::Spec3};
  if (spec_id < 1 || spec_id > 3) spec_id = 1;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  const std::string label = std::string(ui.t(T::SpecId)) + "###" + id;
  item_hooks_name_next(label.c_str());
  if (ImGui::BeginCombo(label.c_str(), ui.t(names[spec_id - 1]))) {
    for (int i = 1; i <= 3; ++i) {
      const std::string item =
          std::string(ui.t(names[i - 1])) + "###" + id + "-" + std::to_string(i);
      if (ImGui::Selectable(item.c_str(), spec_id == i)) spec_id = i;
    }
    ImGui::EndCombo();
  }
}

}  // namespace dypls::console
