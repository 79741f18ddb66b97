#include "imgui_input.h"

#include <GLFW/glfw3.h>

#include "imgui.h"
#include "imgui_impl_glfw.h"

namespace dypls::console {
namespace {

struct KeyPair {
  int glfw;
  ImGuiKey imgui;
};

// The keys outside the runs of letters, digits, function keys and keypad digits. The backend
// has this table too, but file-local (ImGui_ImplGlfw_KeyToImGuiKey).
constexpr KeyPair kOtherKeys[] = {
    {GLFW_KEY_TAB, ImGuiKey_Tab},
    {GLFW_KEY_LEFT, ImGuiKey_LeftArrow},
    {GLFW_KEY_RIGHT, ImGuiKey_RightArrow},
    {GLFW_KEY_UP, ImGuiKey_UpArrow},
    {GLFW_KEY_DOWN, ImGuiKey_DownArrow},
    {GLFW_KEY_PAGE_UP, ImGuiKey_PageUp},
    {GLFW_KEY_PAGE_DOWN, ImGuiKey_PageDown},
    {GLFW_KEY_HOME, ImGuiKey_Home},
    {GLFW_KEY_END, ImGuiKey_End},
    {GLFW_KEY_INSERT, ImGuiKey_Insert},
    {GLFW_KEY_DELETE, ImGuiKey_Delete},
    {GLFW_KEY_BACKSPACE, ImGuiKey_Backspace},
    {GLFW_KEY_SPACE, ImGuiKey_Space},
    {GLFW_KEY_ENTER, ImGuiKey_Enter},
    {GLFW_KEY_ESCAPE, ImGuiKey_Escape},
    {GLFW_KEY_APOSTROPHE, ImGuiKey_Apostrophe},
    {GLFW_KEY_COMMA, ImGuiKey_Comma},
    {GLFW_KEY_MINUS, ImGuiKey_Minus},
    {GLFW_KEY_PERIOD, ImGuiKey_Period},
    {GLFW_KEY_SLASH, ImGuiKey_Slash},
    {GLFW_KEY_SEMICOLON, ImGuiKey_Semicolon},
    {GLFW_KEY_EQUAL, ImGuiKey_Equal},
    {GLFW_KEY_LEFT_BRACKET, ImGuiKey_LeftBracket},
    {GLFW_KEY_BACKSLASH, ImGuiKey_Backslash},
    {GLFW_KEY_RIGHT_BRACKET, ImGuiKey_RightBracket},
    {GLFW_KEY_GRAVE_ACCENT, ImGuiKey_GraveAccent},
    {GLFW_KEY_CAPS_LOCK, ImGuiKey_CapsLock},
    {GLFW_KEY_SCROLL_LOCK, ImGuiKey_ScrollLock},
    {GLFW_KEY_NUM_LOCK, ImGuiKey_NumLock},
    {GLFW_KEY_PRINT_SCREEN, ImGuiKey_PrintScreen},
    {GLFW_KEY_PAUSE, ImGuiKey_Pause},
    {GLFW_KEY_KP_DECIMAL, ImGuiKey_KeypadDecimal},
    {GLFW_KEY_KP_DIVIDE, ImGuiKey_KeypadDivide},
    {GLFW_KEY_KP_MULTIPLY, ImGuiKey_KeypadMultiply},
    {GLFW_KEY_KP_SUBTRACT, ImGuiKey_KeypadSubtract},
    {GLFW_KEY_KP_ADD, ImGuiKey_KeypadAdd},
    {GLFW_KEY_KP_ENTER, ImGuiKey_KeypadEnter},
    {GLFW_KEY_KP_EQUAL, ImGuiKey_KeypadEqual},
    {GLFW_KEY_LEFT_SHIFT, ImGuiKey_LeftShift},
    {GLFW_KEY_LEFT_CONTROL, ImGuiKey_LeftCtrl},
    {GLFW_KEY_LEFT_ALT, ImGuiKey_LeftAlt},
    {GLFW_KEY_LEFT_SUPER, ImGuiKey_LeftSuper},
    {GLFW_KEY_RIGHT_SHIFT, ImGuiKey_RightShift},
    {GLFW_KEY_RIGHT_CONTROL, ImGuiKey_RightCtrl},
    {GLFW_KEY_RIGHT_ALT, ImGuiKey_RightAlt},
    {GLFW_KEY_RIGHT_SUPER, ImGuiKey_RightSuper},
    {GLFW_KEY_MENU, ImGuiKey_Menu},
};

// GLFW's key code to ImGui's key, as the backend maps it.
ImGuiKey imgui_key(int key) {
  const auto in_run = [key](int first, int last) { return key >= first && key <= last; };
  if (in_run(GLFW_KEY_A, GLFW_KEY_Z)) return static_cast<ImGuiKey>(ImGuiKey_A + (key - GLFW_KEY_A));
  if (in_run(GLFW_KEY_0, GLFW_KEY_9)) return static_cast<ImGuiKey>(ImGuiKey_0 + (key - GLFW_KEY_0));
  if (in_run(GLFW_KEY_F1, GLFW_KEY_F24)) {
    return static_cast<ImGuiKey>(ImGuiKey_F1 + (key - GLFW_KEY_F1));
  }
  if (in_run(GLFW_KEY_KP_0, GLFW_KEY_KP_9)) {
    return static_cast<ImGuiKey>(ImGuiKey_Keypad0 + (key - GLFW_KEY_KP_0));
  }
  for (const KeyPair& pair : kOtherKeys) {
    if (pair.glfw == key) return pair.imgui;
  }
  return ImGuiKey_None;
}

void hand_modifiers(int mods) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, (mods & GLFW_MOD_CONTROL) != 0);
  io.AddKeyEvent(ImGuiMod_Shift, (mods & GLFW_MOD_SHIFT) != 0);
  io.AddKeyEvent(ImGuiMod_Alt, (mods & GLFW_MOD_ALT) != 0);
  io.AddKeyEvent(ImGuiMod_Super, (mods & GLFW_MOD_SUPER) != 0);
}

}  // namespace

void hand_to_imgui(GLFWwindow* window, const InputEvent& event) {
  ImGuiIO& io = ImGui::GetIO();
  switch (event.kind) {
    case InputEvent::Kind::kMove:
      ImGui_ImplGlfw_CursorPosCallback(window, event.x, event.y);
      break;
    case InputEvent::Kind::kButton:
      hand_modifiers(event.mods);
      if (event.button >= 0 && event.button < ImGuiMouseButton_COUNT) {
        io.AddMouseButtonEvent(event.button, event.pressed);
      }
      break;
    case InputEvent::Kind::kKey: {
      hand_modifiers(event.mods);
      const ImGuiKey key = imgui_key(event.key);
      io.AddKeyEvent(key, event.pressed);
      io.SetKeyEventNativeData(key, event.key, event.scancode);
      break;
    }
    case InputEvent::Kind::kText:
      io.AddInputCharactersUTF8(event.text.c_str());
      break;
  }
}

}  // namespace dypls::console
