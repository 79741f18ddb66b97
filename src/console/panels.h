// One function per panel. Panels draw ConsoleState and call the Controller; what only the
// screen needs (which tab, which row is open, the tour) lives in ViewState.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller.h"
#include "i18n.h"
#include "imgui.h"
#include "item_hooks.h"

namespace dypls::console {

enum class Tab { kCredentials, kStock, kBuy, kNumbers, kActivity, kSettings };

struct ViewState {
  std::optional<Tab> switch_to;           // select this tab on the next frame
  Tab shown = Tab::kCredentials;          // the tab drawn last
  std::optional<Tab> focus_into;          // keyboard focus moves into this tab's body when shown
  bool focus_buy = false;                 // the confirmation closed: focus returns to Buy
  std::string city_filter;                // the open city picker's filter
  int utc_offset_minutes = 0;             // the reader's time zone, east of UTC (set by main)
  std::optional<std::size_t> open_entry;  // Activity: the expanded request
  std::string relay_url_edit;             // Settings: the relay URL being typed
  bool relay_url_edit_init = false;
  int tour_step = 0;         // 0: no tour; 1..4
  bool fonts_dirty = false;  // the UI scale changed: rebuild the font atlas
  std::map<std::string, std::string> missing_numbers;  // Numbers: typed per attempt id
  // Browser edges, set by main: copying and saving files.
  void (*copy)(const std::string& text) = nullptr;
  void (*download)(const std::string& name, const std::string& mime,
                   const std::string& content) = nullptr;
};

struct Ui {
  Controller& controller;
  ConsoleState& state;
  ViewState& view;
  std::int64_t now_ms;  // local clock
  const char* t(T key) const { return tr(state.settings.language, key); }
  const std::string& m(const Message& message) const {
    return pick(state.settings.language, message);
  }
};

void draw_app(Ui& ui);  // the whole window: header, banners, tabs, status bar
void draw_credentials_panel(Ui& ui);
void draw_stock_panel(Ui& ui);
void draw_buy_panel(Ui& ui);
void draw_numbers_panel(Ui& ui);
void draw_activity_panel(Ui& ui);
void draw_settings_panel(Ui& ui);
void draw_tour(Ui& ui);

// The credentials panel's "Paste from clipboard" button. A browser lets a page read the clipboard
// only while it handles the user's own press, which ImGui sees a frame later: the press is read
// where the browser hands it over (main.cpp), by this key.
constexpr const char* kPasteClipboardKey = "paste-clipboard";

// Child windows take part in the page's Tab order (Tab cycles through one window otherwise).
constexpr ImGuiWindowFlags kFlatForKeyboard = ImGuiWindowFlags_NavFlattened;

// Shared drawing helpers (widgets.cpp).
// True on the frame Enter left the text field just drawn: its form should submit.
bool submitted_with_enter();
// Narrow screens: the next field is `ems` font sizes wide, or less so that it and its label fit.
void fit_next_field(float ems, const std::string& label);
// Puts the next item of `width` on the current line if it fits, else on a new line.
void same_line_if_fits(float width);
float button_width(const std::string& label);  // a button's width for this label
bool narrow_window();                          // under about 40 font sizes wide: one column
// After a text field other than the credentials box: when it holds the active AccessKeySecret or
// security token (or text containing either), empties it, leaves the field and says why. True then.
bool refuse_secret(Ui& ui, std::string& value);
// After an item in a table inside a sideways-scrolling child window: on the frame Tab (or an
// arrow key) moved focus to it, scrolls it into view.
void reveal_if_just_focused();
// Column headers that do nothing (no sorting): drawn, but skipped by Tab and the arrow keys.
void inert_headers_row();
// A table column: its title, and its width in font sizes (0: it stretches into what is left).
struct Column {
  T title;
  float em;
};
// What a table of `columns` needs, its stretching column `stretch` wide (in pixels), or the room
// available when that is more: a table in a sideways-scrolling child window is given this width.
float table_width(const std::vector<Column>& columns, float stretch);
void setup_columns(const Ui& ui, const std::vector<Column>& columns);  // after BeginTable
// A button that copies what `text` gives (nothing when it gives nullopt): on its click, and
// while the browser still handles the press (item_hooks_copies_last; a phone copies only then).
void copy_button(Ui& ui, const std::string& label, CopyText text, bool small = false);
// After a button that may be disabled: on hover (disabled or not) says why it is disabled.
void why_disabled(bool disabled, const char* reason);
void help_text(const char* text);  // wrapped, dimmed
void status_text(StatusLevel level, const std::string& text);
ImVec4 level_color(StatusLevel level);
std::string format_duration(std::int64_t seconds);
const char* status_label(const Ui& ui, NumberStatus status);
const char* vendor_label(const Ui& ui, int vendor);
void apply_theme(Theme theme);

}  // namespace dypls::console
