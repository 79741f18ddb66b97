// Hands the input queue's events (input_queue.h) to ImGui, frame by frame. A queued key goes in
// with the modifiers held when it was typed: ImGui's GLFW backend reads the modifiers' state
// when it is handed a key, which for a key that waited behind a click is later (Ctrl+A typed in
// one go would reach ImGui as A with Ctrl already up).
#pragma once
#include "input_queue.h"

struct GLFWwindow;

namespace dypls::console {

void hand_to_imgui(GLFWwindow* window, const InputEvent& event);

}  // namespace dypls::console
