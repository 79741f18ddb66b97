#include "city_picker.h"

#include <algorithm>

#include "city_names.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "item_hooks.h"

namespace dypls::console {
namespace {

// Under a city the page does not know: the closest known ones as buttons, or how to type one.
void draw_city_suggestions(Ui& ui, const char* id, std::string& city) {
  if (city.empty() || known_city(city)) return;
  const auto& live = ui.state.stock.cities;
  if (std::find(live.begin(), live.end(), city) != live.end()) return;
  const std::vector<std::string> suggestions = suggest_cities(city, 5);
  if (suggestions.empty()) {
    status_text(StatusLevel::kWarning, ui.t(T::CityNoMatch));
    return;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, level_color(StatusLevel::kWarning));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(ui.t(T::CityUnknown));
  ImGui::PopStyleColor();
  std::string picked;
  for (const std::string& name : suggestions) {
    std::string label = name;
    label.append(" ").append(latin_of_city(name)).append("###").append(id);
    label.append("-suggest-").append(name);
    same_line_if_fits(button_width(label));
    if (ImGui::SmallButton(label.c_str())) picked = name;
  }
  if (!picked.empty()) city = picked;
}

}  // namespace

bool city_field(Ui& ui, const char* id, std::string& city, bool allow_list_values) {
  const std::string field_label = std::string(ui.t(T::City)) + "###" + id;
  fit_next_field(9, field_label);
  ImGui::InputText(field_label.c_str(), &city);
  const bool refused = refuse_secret(ui, city);
  const bool entered = submitted_with_enter() && !refused;
  const bool editing = ImGui::IsItemActive();
  // A Latin spelling (Hangzhou, Xi'an, Harbin) becomes the name the API takes once the field is
  // left or Enter pressed, before the form uses it.
  if (!editing) {
    if (std::string mapped = city_from_latin(city); !mapped.empty()) city = mapped;
  }
  const std::string pick_id = std::string(ui.t(T::CityPick)) + "###" + id + "-pick";
  const float pick_width = ImGui::GetFontSize() * 7;
  same_line_if_fits(pick_width + ImGui::CalcTextSize(pick_id.c_str(), nullptr, true).x +
                    ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::SetNextItemWidth(pick_width);
  item_hooks_name_next(pick_id.c_str());
  if (ImGui::BeginCombo(pick_id.c_str(), nullptr, ImGuiComboFlags_HeightLarge)) {
    // A filter at the top takes the keyboard: typing narrows the list, Enter takes the first.
    if (ImGui::IsWindowAppearing()) {
      ui.view.city_filter.clear();
      ImGui::SetKeyboardFocusHere();
    }
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint((std::string("###") + id + "-filter").c_str(), ui.t(T::CityFilter),
                             &ui.view.city_filter);
    item_hooks_describe_last(ui.t(T::CityFilter));
    const bool take_first = submitted_with_enter();
    bool taken = false;
    auto option = [&](const std::string& name) {
      if (!city_matches_filter(name, ui.view.city_filter)) return;
      if (take_first && !taken) {
        city = name;
        taken = true;
        ImGui::CloseCurrentPopup();
      }
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
  if (!editing) draw_city_suggestions(ui, id, city);
  return entered;
}

void spec_field(Ui& ui, const char* id, int& spec_id) {
  const T names[] = {T::Spec1, T::Spec2, T::Spec3};
  if (spec_id < 1 || spec_id > 3) spec_id = 1;
  const std::string label = std::string(ui.t(T::SpecId)) + "###" + id;
  fit_next_field(16, label);
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
