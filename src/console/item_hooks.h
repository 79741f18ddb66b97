// Where each labelled widget was drawn in the last frame, for browser tests: they click at the
// rectangle the program reports, never at fixed coordinates. Fed by ImGui's test-engine hooks.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "imgui.h"

namespace dypls::console {

// Names an item whose widget reports no label itself (ImGui 1.90's combos): call with the
// combo's label right before BeginCombo, in the same ID scope.
void item_hooks_name_next(const char* label);

// Reports the last drawn item (plain text, which ImGui does not report) under `label`, so tests
// can read what it says: e.g. why a button is disabled.
void item_hooks_name_last(const std::string& label);

// Gives the last drawn item, a field whose label is hidden ("##key"), the name a screen reader
// says when it gets focus (its hint or the prompt beside it); its key stays the same.
void item_hooks_describe_last(const std::string& spoken);

// What a button copies when pressed, asked when it is; nullopt: nothing this time.
using CopyText = std::function<std::optional<std::string>()>;
// The last drawn item, a button, copies what `text` gives when pressed. The page copies it while
// the browser still handles the press (a phone's browser copies only then, and ImGui sees the
// press a frame later); see copy_button, which also copies on the button's own click.
void item_hooks_copies_last(CopyText text);
// What the item with key `key`, drawn last frame, copies when pressed now; nullopt when it copies
// nothing.
std::optional<std::string> item_hooks_copy_text(const std::string& key);

// The last frame's box (ImGui coordinates) of the first item whose key starts with
// `key_prefix`; false when none was drawn. Used by the tour to point at widgets.
bool item_hooks_find(const std::string& key_prefix, float& x, float& y, float& w, float& h);

// What a press at `at` (ImGui's pixels) lands on: the enabled item drawn there last frame, in
// the window on top there (or a window holding that one, as a multi-line field's text scrolls
// in a child window of its own). Null when none.
struct PressTarget {
  std::string key;
  bool text_field = false;
  ImVec2 min;  // its box's top left, ImGui's pixels
  float height = 0.0f;
};
std::optional<PressTarget> item_hooks_target_at(ImVec2 at);

// The widget holding keyboard focus: what a screen reader is told, and what tests follow.
enum class ItemRole { kButton, kTextField, kCheckbox, kList, kTab };
struct FocusedItem {
  std::string key;    // empty: nothing focused
  std::string label;  // the visible label (before "##"), in the page's language
  ItemRole role = ItemRole::kButton;
  bool ring_visible = false;  // ImGui draws its focus ring (keyboard use) or the field is active
  bool lost = false;          // focus is on a widget no longer drawn (its panel closed)
};
FocusedItem item_hooks_focused();

// Call once per frame, after ImGui::Render(): the items seen this frame become "the last frame".
void item_hooks_end_frame(float pixel_ratio);
// JSON array of {key, label, x, y, w, h, disabled} in CSS pixels. `key` is the part of the label
// after "###" (or "##"), which stays the same in every language; `disabled` is true for an item
// drawn inside BeginDisabled (it ignores clicks).
std::string item_hooks_json();

}  // namespace dypls::console
