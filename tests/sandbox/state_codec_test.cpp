#include "sandbox/state_codec.h"

#include <gtest/gtest.h>

namespace dypls::sandbox {
namespace {

TEST(StateCodec, RoundTripKeepsEverything) {
  SandboxState state(11, {{1, "拉萨", 3}});
  const Account& owner = state.keys.add_account("K", "S", state.rng);
  state.keys.issue_temporary(owner, 600, 1000, state.rng);
  state.inventory.add_pool("P");
  OwnedNumber kept;
  OwnedNumber released;
  ASSERT_TRUE(state.inventory.buy("P", 1, "拉萨", "", 1000, state.rng, kept).ok());
  ASSERT_TRUE(state.inventory.buy("P", 2, "全国", "", 1000, state.rng, released).ok());
  ASSERT_TRUE(state.inventory.lock("P", kept.secret_no).ok());
  ASSERT_TRUE(state.inventory.bind("P", released.secret_no).ok());
  ASSERT_TRUE(state.inventory.unbind("P", released.secret_no).ok());
  ASSERT_TRUE(state.inventory.release("P", released.secret_no).ok());

  const nlohmann::json saved = encode_state(state);
  std::string error;
  const auto loaded = decode_state(saved, error);
  ASSERT_TRUE(loaded) << error;
  EXPECT_EQ(encode_state(*loaded), saved);
  EXPECT_EQ(loaded->inventory.stock_levels(), state.inventory.stock_levels());
  EXPECT_EQ(loaded->inventory.stock(1, "拉萨"), 2);
  OwnedNumber seen;
  ASSERT_TRUE(loaded->inventory.detail("P", kept.secret_no, seen).ok());
  EXPECT_EQ(seen.status(), SecretStatus::kLocked);
  EXPECT_EQ(loaded->keys.temporary().size(), 1u);

  // The generator continues where it was: the next purchase is the same on both.
  OwnedNumber a;
  OwnedNumber b;
  ASSERT_TRUE(state.inventory.buy("P", 1, "全国", "", 2000, state.rng, a).ok());
  ASSERT_TRUE(loaded->inventory.buy("P", 1, "全国", "", 2000, loaded->rng, b).ok());
  EXPECT_EQ(a.secret_no, b.secret_no);
}

TEST(StateCodec, RefusesDocumentsThatAreNotState) {
  std::string error;
  EXPECT_FALSE(decode_state(nlohmann::json::array(), error));
  EXPECT_NE(error.find("not a dypls-sandbox state"), std::string::npos);
  nlohmann::json damaged = encode_state(SandboxState(1));
  damaged["numbers"] = "oops";
  EXPECT_FALSE(decode_state(damaged, error));
  EXPECT_NE(error.find("damaged"), std::string::npos);
  damaged = encode_state(SandboxState(1));
  damaged["version"] = 99;
  EXPECT_FALSE(decode_state(damaged, error));
}

}  // namespace
}  // namespace dypls::sandbox
