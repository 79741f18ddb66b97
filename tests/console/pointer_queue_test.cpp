// Pointer input paced for ImGui: the pointer rests where it is pressed for a frame, one button
// change per frame, moves merged, nothing lost or reordered.
#include "pointer_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace dypls::console {
namespace {

// One frame's worth, written as "move 10,20", "press 0", "release 0" or "none".
std::string next_frame(PointerQueue& queue) {
  const std::optional<PointerEvent> event = queue.take_for_frame();
  if (!event) return "none";
  if (event->kind == PointerEvent::Kind::kMove) {
    return "move " + std::to_string(static_cast<int>(event->x)) + "," +
           std::to_string(static_cast<int>(event->y));
  }
  return std::string(event->pressed ? "press " : "release ") + std::to_string(event->button);
}

TEST(PointerQueue, AQuickClickArrivesHoversThenPressesThenReleasesOnFramesOfTheirOwn) {
  PointerQueue queue;  // move + press + release before one frame: a tap, a fast click
  queue.move(100, 40);
  queue.button(0, true, 0);
  queue.button(0, false, 0);
  EXPECT_EQ(next_frame(queue), "move 100,40");
  EXPECT_EQ(next_frame(queue), "press 0");
  EXPECT_EQ(next_frame(queue), "release 0");
  EXPECT_EQ(next_frame(queue), "none");
  EXPECT_TRUE(queue.empty());
}

TEST(PointerQueue, MovesBeforeAPressAreMergedIntoTheLastPosition) {
  PointerQueue queue;
  for (int x = 0; x <= 300; ++x) queue.move(x, 7);
  queue.button(0, true, 0);
  EXPECT_EQ(next_frame(queue), "move 300,7");
  EXPECT_EQ(next_frame(queue), "press 0");
}

TEST(PointerQueue, APressWhereThePointerAlreadyRestsGoesOnTheNextFrame) {
  PointerQueue queue;
  queue.move(5, 5);
  EXPECT_EQ(next_frame(queue), "move 5,5");
  queue.button(1, true, 2);
  const std::optional<PointerEvent> press = queue.take_for_frame();
  ASSERT_TRUE(press.has_value());
  EXPECT_EQ(press->button, 1);
  EXPECT_TRUE(press->pressed);
  EXPECT_EQ(press->mods, 2);
}

TEST(PointerQueue, ADragKeepsItsOrderAndItsEndPoint) {
  PointerQueue queue;
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

TEST(PointerQueue, TwoTapsInARowPressEachAtItsOwnPlace) {
  PointerQueue queue;
  queue.move(10, 10);
  queue.button(0, true, 0);
  queue.button(0, false, 0);
  queue.move(200, 300);
  queue.button(0, true, 0);
  queue.button(0, false, 0);
  const char* expected[] = {"move 10,10",   "press 0", "release 0",
                            "move 200,300", "press 0", "release 0"};
  for (const char* frame : expected) EXPECT_EQ(next_frame(queue), frame);
}

}  // namespace
}  // namespace dypls::console
