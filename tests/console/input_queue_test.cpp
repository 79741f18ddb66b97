// Input paced for ImGui: the pointer rests where it is pressed for a frame, one button change per
// frame, moves merged; keys and text wait behind the clicks before them and keep the modifiers
// held when they were typed; nothing lost or reordered.
#include "input_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace dypls::console {
namespace {

constexpr int kCtrl = 2;  // GLFW_MOD_CONTROL

// One frame's worth, each event written as "move 10,20", "press 0", "release 0", "key 65 down
// +2" (the modifiers after a plus), "text 170"; "none" for an empty frame.
std::string next_frame(InputQueue& queue) {
  const std::vector<InputEvent> events = queue.take_for_frame();
  if (events.empty()) return "none";
  std::string frame;
  for (const InputEvent& event : events) {
    if (!frame.empty()) frame += ", ";
    switch (event.kind) {
      case InputEvent::Kind::kMove:
        frame += "move " + std::to_string(static_cast<int>(event.x)) + "," +
                 std::to_string(static_cast<int>(event.y));
        break;
      case InputEvent::Kind::kButton:
        frame += std::string(event.pressed ? "press " : "release ") + std::to_string(event.button);
        break;
      case InputEvent::Kind::kKey:
        frame += "key " + std::to_string(event.key) + (event.pressed ? " down" : " up");
        if (event.mods != 0) frame += " +" + std::to_string(event.mods);
        break;
      case InputEvent::Kind::kText:
        frame += "text " + event.text;
        break;
    }
  }
  return frame;
}

// A click as a program or a quick finger makes it: move, press and release before one frame.
void click(InputQueue& queue, double x, double y) {
  queue.move(x, y);
  queue.button(0, true, 0);
  queue.button(0, false, 0);
}

// A key typed as a browser reports it: down, its character, up.
void type(InputQueue& queue, char c) {
  queue.key(c, c, true, 0);
  queue.text(std::string(1, c));
  queue.key(c, c, false, 0);
}

TEST(InputQueue, AQuickClickArrivesHoversThenPressesThenReleasesOnFramesOfTheirOwn) {
  InputQueue queue;
  click(queue, 100, 40);
  EXPECT_EQ(next_frame(queue), "move 100,40");
  EXPECT_EQ(next_frame(queue), "press 0");
  EXPECT_EQ(next_frame(queue), "release 0");
  EXPECT_EQ(next_frame(queue), "none");
  EXPECT_TRUE(queue.empty());
}

TEST(InputQueue, MovesBeforeAPressAreMergedIntoTheLastPosition) {
  InputQueue queue;
  for (int x = 0; x <= 300; ++x) queue.move(x, 7);
  queue.button(0, true, 0);
  EXPECT_EQ(next_frame(queue), "move 300,7");
  EXPECT_EQ(next_frame(queue), "press 0");
}

TEST(InputQueue, APressWhereThePointerAlreadyRestsGoesOnTheNextFrameWithItsModifiers) {
  InputQueue queue;
  queue.move(5, 5);
  EXPECT_EQ(next_frame(queue), "move 5,5");
  queue.button(1, true, kCtrl);
  const std::vector<InputEvent> press = queue.take_for_frame();
  ASSERT_EQ(press.size(), 1u);
  EXPECT_EQ(press[0].button, 1);
  EXPECT_TRUE(press[0].pressed);
  EXPECT_EQ(press[0].mods, kCtrl);
}

TEST(InputQueue, ADragKeepsItsOrderAndItsEndPoint) {
  InputQueue queue;
  queue.move(10, 10);
  queue.button(0, true, 0);
  queue.move(20, 10);
  queue.move(30, 10);
  queue.button(0, false, 0);
  queue.move(40, 10);
  EXPECT_EQ(next_frame(queue), "move 10,10");
  EXPECT_EQ(next_frame(queue), "press 0");
  EXPECT_EQ(next_frame(queue), "move 30,10");  // released where it was dragged to, not later
  EXPECT_EQ(next_frame(queue), "release 0");
  EXPECT_EQ(next_frame(queue), "move 40,10");
  EXPECT_EQ(next_frame(queue), "none");
}

TEST(InputQueue, TwoTapsInARowPressEachAtItsOwnPlace) {
  InputQueue queue;
  click(queue, 10, 10);
  click(queue, 200, 300);
  const char* expected[] = {"move 10,10",   "press 0", "release 0",
                            "move 200,300", "press 0", "release 0"};
  for (const char* frame : expected) EXPECT_EQ(next_frame(queue), frame);
}

// The fault this queue's keys fix: keys typed right after a click reached ImGui before it.
TEST(InputQueue, KeysTypedRightAfterAClickGoWithItsRelease) {
  InputQueue queue;
  click(queue, 100, 40);
  type(queue, '1');
  type(queue, '7');
  EXPECT_EQ(next_frame(queue), "move 100,40");
  EXPECT_EQ(next_frame(queue), "press 0");
  EXPECT_EQ(next_frame(queue),
            "release 0, key 49 down, text 1, key 49 up, key 55 down, text 7, key 55 up");
  EXPECT_EQ(next_frame(queue), "none");
}

TEST(InputQueue, KeysBetweenTwoClicksReachImGuiBetweenThem) {
  InputQueue queue;
  click(queue, 10, 10);
  type(queue, 'a');
  click(queue, 200, 300);
  type(queue, 'b');
  const char* expected[] = {"move 10,10",   "press 0", "release 0, key 97 down, text a, key 97 up",
                            "move 200,300", "press 0", "release 0, key 98 down, text b, key 98 up",
                            "none"};
  for (const char* frame : expected) EXPECT_EQ(next_frame(queue), frame);
}

TEST(InputQueue, AShortcutKeepsTheModifierHeldWhenItWasTyped) {
  InputQueue queue;
  click(queue, 1, 1);
  queue.key(341, 17, true, kCtrl);  // Ctrl down, A down and up, Ctrl up: Ctrl+A
  queue.key(65, 65, true, kCtrl);
  queue.key(65, 65, false, kCtrl);
  queue.key(341, 17, false, 0);
  next_frame(queue);
  next_frame(queue);
  EXPECT_EQ(next_frame(queue),
            "release 0, key 341 down +2, key 65 down +2, key 65 up +2, key 341 up");
}

TEST(InputQueue, KeysAndTextWithNoClickPendingGoOnTheNextFrame) {
  InputQueue queue;
  type(queue, 'x');
  queue.text("杭州");  // an IME's commit
  EXPECT_EQ(next_frame(queue), "key 120 down, text x, key 120 up, text 杭州");
  EXPECT_TRUE(queue.empty());
}

TEST(InputQueue, TextArrivingTogetherIsOneEvent) {
  InputQueue queue;
  queue.text("1");
  queue.text("70");
  queue.text("");
  EXPECT_EQ(next_frame(queue), "text 170");
}

TEST(InputQueue, ThePointerMovingWhileKeysAreTypedDoesNotPileUp) {
  InputQueue queue;
  queue.move(1, 1);
  type(queue, 'p');
  queue.move(2, 2);
  type(queue, 'q');
  queue.move(3, 3);
  EXPECT_EQ(next_frame(queue),
            "move 3,3, key 112 down, text p, key 112 up, key 113 down, text q, "
            "key 113 up");
  EXPECT_TRUE(queue.empty());
}

TEST(InputQueue, AMoveAfterAPressIsNotMergedIntoThePositionBeforeIt) {
  InputQueue queue;
  queue.move(1, 1);
  queue.button(0, true, 0);
  type(queue, 'z');
  queue.move(9, 9);
  EXPECT_EQ(next_frame(queue), "move 1,1");
  EXPECT_EQ(next_frame(queue), "press 0, key 122 down, text z, key 122 up");
  EXPECT_EQ(next_frame(queue), "move 9,9");
}

}  // namespace
}  // namespace dypls::console
