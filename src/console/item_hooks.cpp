// ImGui 1.90's test-engine hooks (imgui_internal.h, IMGUI_ENABLE_TEST_ENGINE): ItemAdd gives each
// item's box and its ImGuiLastItemData, whose InFlags carry ImGuiItemFlags_Disabled inside
// BeginDisabled; ItemInfo gives its label. We keep all three for the items that had a label this
// frame.
#include "item_hooks.h"

#include <cstdarg>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "imgui.h"
#include "imgui_internal.h"
#include "window_at.h"

namespace dypls::console {
namespace {

struct Item {
  ImRect box;
  ImRect clip;
  std::string label;
  bool disabled = false;
  bool text_field = false;
  bool is_window = false;  // a window's own entry, which holds items rather than being one
  CopyText copies;         // see item_hooks_copies_last
  ImGuiID window = 0;      // the window it was drawn in
};

struct Registry {
  std::unordered_map<ImGuiID, Item> current;
  std::vector<Item> last;
  float pixel_ratio = 1.0f;
  // What each item said it is (input, checkbox, list), and the keyboard focus after the frame.
  std::unordered_map<ImGuiID, ImGuiItemStatusFlags> kinds;
  FocusedItem focused;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

std::string key_of(const std::string& label) {
  if (auto at = label.find("###"); at != std::string::npos) return label.substr(at + 3);
  if (auto at = label.find("##"); at != std::string::npos) return label.substr(at + 2);
  return label;
}

}  // namespace

void item_hooks_name_next(const char* label) {
  const ImGuiID id = ImGui::GetID(label);
  registry().current[id].label = label;
  registry().kinds[id] = ImGuiItemStatusFlags_Openable;  // only combos come this way
}

void item_hooks_name_last(const std::string& label) {
  Item& item = registry().current[ImGui::GetID(label.c_str())];
  item.label = label;
  item.box = ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  const ImGuiWindow* window = ImGui::GetCurrentWindowRead();
  item.clip = window != nullptr ? window->ClipRect : item.box;
}

void item_hooks_describe_last(const std::string& spoken) {
  const auto found = registry().current.find(ImGui::GetCurrentContext()->LastItemData.ID);
  if (found == registry().current.end()) return;
  std::string& label = found->second.label;
  label = spoken.substr(0, spoken.find("##")) + "###" + key_of(label);
}

void item_hooks_copies_last(CopyText text) {
  registry().current[ImGui::GetItemID()].copies = std::move(text);
}

std::optional<std::string> item_hooks_copy_text(const std::string& key) {
  for (const Item& item : registry().last) {
    if (item.copies && key_of(item.label) == key) return item.copies();
  }
  return std::nullopt;
}

bool item_hooks_find(const std::string& key_prefix, float& x, float& y, float& w, float& h) {
  for (const Item& item : registry().last) {
    if (key_of(item.label).rfind(key_prefix, 0) != 0) continue;
    ImRect visible = item.box;
    visible.ClipWithFull(item.clip);
    if (visible.GetWidth() <= 0 || visible.GetHeight() <= 0) continue;
    x = visible.Min.x;
    y = visible.Min.y;
    w = visible.GetWidth();
    h = visible.GetHeight();
    return true;
  }
  return false;
}

void item_hooks_end_frame(float pixel_ratio) {
  Registry& r = registry();
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  r.focused = {};
  r.focused.lost = g.NavId != 0 && r.current.find(g.NavId) == r.current.end();
  if (auto found = r.current.find(g.NavId); g.NavId != 0 && found != r.current.end()) {
    const std::string key = key_of(found->second.label);
    const ImGuiItemStatusFlags kind = r.kinds[g.NavId];
    r.focused.key = key;
    r.focused.label = found->second.label.substr(0, found->second.label.find("##"));
    r.focused.role = (kind & ImGuiItemStatusFlags_Inputable) != 0   ? ItemRole::kTextField
                     : (kind & ImGuiItemStatusFlags_Checkable) != 0 ? ItemRole::kCheckbox
                     : (kind & ImGuiItemStatusFlags_Openable) != 0  ? ItemRole::kList
                     : key.rfind("tab-", 0) == 0                    ? ItemRole::kTab
                                                                    : ItemRole::kButton;
    r.focused.ring_visible = !g.NavDisableHighlight || g.ActiveId == g.NavId;
  }
  r.last.clear();
  for (auto& [id, item] : r.current) {
    if (item.label.empty() || item.box.GetArea() <= 0) continue;
    if (auto kind = r.kinds.find(id); kind != r.kinds.end()) {
      item.text_field = (kind->second & ImGuiItemStatusFlags_Inputable) != 0;
    }
    r.last.push_back(std::move(item));
  }
  r.kinds.clear();
  r.current.clear();
  r.pixel_ratio = pixel_ratio;
}

std::optional<PressTarget> item_hooks_target_at(ImVec2 at) {
  const ImGuiWindow* top = window_at(at);
  const auto in_reach = [top](const Item& item) {
    for (const ImGuiWindow* window = top; window != nullptr; window = window->ParentWindow) {
      if (window->ID == item.window) return true;
      if ((window->Flags & ImGuiWindowFlags_ChildWindow) == 0) break;
    }
    return false;
  };
  // Boxes may nest (a table's row around its buttons): the smallest one there is pressed.
  const Item* pressed = nullptr;
  for (const Item& item : registry().last) {
    if (item.disabled || item.is_window) continue;
    ImRect visible = item.box;
    visible.ClipWithFull(item.clip);
    if (!visible.Contains(at) || !in_reach(item)) continue;
    if (pressed == nullptr || item.box.GetArea() < pressed->box.GetArea()) pressed = &item;
  }
  if (pressed == nullptr) return std::nullopt;
  return PressTarget{key_of(pressed->label), pressed->text_field, pressed->box.Min,
                     pressed->box.GetHeight()};
}

FocusedItem item_hooks_focused() {
  return registry().focused;
}

std::string item_hooks_json() {
  const Registry& r = registry();
  nlohmann::json out = nlohmann::json::array();
  const float k = 1.0f / r.pixel_ratio;
  for (const Item& item : r.last) {
    // Only the part inside the window's clip rectangle can be clicked.
    ImRect visible = item.box;
    visible.ClipWithFull(item.clip);
    if (visible.GetWidth() <= 0 || visible.GetHeight() <= 0) continue;
    out.push_back({{"key", key_of(item.label)},
                   {"label", item.label},
                   {"x", visible.Min.x * k},
                   {"y", visible.Min.y * k},
                   {"w", visible.GetWidth() * k},
                   {"h", visible.GetHeight() * k},
                   {"disabled", item.disabled}});
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dypls::console

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb,
                                 const ImGuiLastItemData* item_data) {
  auto& item = dypls::console::registry().current[id];
  item.box = bb;
  item.clip = ctx->CurrentWindow != nullptr ? ctx->CurrentWindow->ClipRect : bb;
  item.window = ctx->CurrentWindow != nullptr ? ctx->CurrentWindow->ID : 0;
  // No item data: a window, which is never disabled itself.
  item.is_window = item_data == nullptr;
  item.disabled = item_data != nullptr && (item_data->InFlags & ImGuiItemFlags_Disabled) != 0;
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label,
                                  ImGuiItemStatusFlags flags) {
  // Tabs report their label before their box, other widgets after: accept either order.
  if (label != nullptr) dypls::console::registry().current[id].label = label;
  dypls::console::registry().kinds[id] = flags;
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) {
  return nullptr;
}
