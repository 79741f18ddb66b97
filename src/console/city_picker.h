// A city field: type a name, or pick from the live 全国列表 answer and the known cities.
#pragma once
#include <string>

#include "panels.h"

namespace dypls::console {

// `id` makes the widgets' keys ("<id>" for the text, "<id>-pick" for the list).
// Returns true when Enter left the text field (the form should submit).
bool city_field(Ui& ui, const char* id, std::string& city, bool allow_list_values);
// The number-type combo (SpecId 1..3).
void spec_field(Ui& ui, const char* id, int& spec_id);

}  // namespace dypls::console
