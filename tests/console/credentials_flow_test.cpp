// CredentialsFlow on its own: its slice of the state and the tab's storage, no transport. Each
// transition says what to tell the person instead of writing the status line.
#include "credentials_flow.h"

#include "fakes.h"

namespace dypls::console::testing {
namespace {

constexpr std::int64_t kNowS = 1795849937;

class CredentialsFlowTest : public ::testing::Test {
 protected:
  std::string sts(std::int64_t lifetime_s) const { return assume_role(kNowS * 1000, lifetime_s); }
  CredentialsState state;
  MemoryStorage storage;
  CredentialsFlow flow{state, storage};
};

TEST_F(CredentialsFlowTest, APasteReturnsWhatToSayAndWritesNoStatus) {
  const FlowResult pasted = flow.paste(sts(3600), kNowS);
  EXPECT_TRUE(pasted.ok);
  ASSERT_TRUE(pasted.notice.has_value());
  EXPECT_EQ(pasted.notice->level, StatusLevel::kSuccess);
  EXPECT_NE(pasted.notice->text.en.find("Credentials ready"), std::string::npos);
  EXPECT_EQ(pasted.notice->text.en.find(kSecret), std::string::npos);
  EXPECT_EQ(flow.pasted_at_s(), kNowS);
  EXPECT_TRUE(storage.values.empty()) << "not remembered unless asked";

  const FlowResult refused = flow.paste("hello", kNowS + 5);
  EXPECT_FALSE(refused.ok);
  ASSERT_TRUE(refused.notice.has_value());
  EXPECT_EQ(refused.notice->level, StatusLevel::kError);
  EXPECT_EQ(refused.notice->text.en, state.last_error.en);
  EXPECT_EQ(state.active->key.id, "STS.NUgYrLnoCtestKeyId01") << "the old ones stay";
  EXPECT_EQ(flow.pasted_at_s(), kNowS);
}

TEST_F(CredentialsFlowTest, ProblemIsNoneThenUsableThenExpired) {
  ASSERT_TRUE(flow.problem(kNowS).has_value());
  EXPECT_NE(flow.problem(kNowS)->en.find("Paste credentials first"), std::string::npos);
  ASSERT_TRUE(flow.paste(sts(600), kNowS).ok);
  EXPECT_FALSE(flow.problem(kNowS + 599).has_value());
  ASSERT_TRUE(flow.problem(kNowS + 601).has_value());
  EXPECT_NE(flow.problem(kNowS + 601)->en.find("expired"), std::string::npos);
}

TEST_F(CredentialsFlowTest, RememberedCredentialsComeBackAndUnreadableOnesAreDropped) {
  EXPECT_FALSE(flow.restore(kNowS).has_value()) << "nothing remembered";
  ASSERT_TRUE(flow.paste(sts(3600), kNowS).ok);
  flow.set_remember_in_tab(true);
  ASSERT_EQ(storage.values.count(kRememberKey), 1u);

  CredentialsState next_state;
  CredentialsFlow next{next_state, storage};
  const std::optional<FlowResult> restored = next.restore(kNowS + 10);
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->ok);
  EXPECT_TRUE(next_state.remember_in_tab);
  EXPECT_TRUE(next_state.active.has_value());

  storage.values[kRememberKey] = "garbage";
  CredentialsState third_state;
  CredentialsFlow third{third_state, storage};
  const std::optional<FlowResult> refused = third.restore(kNowS);
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE(refused->ok);
  EXPECT_EQ(storage.values.count(kRememberKey), 0u) << "an unreadable remembered text is dropped";

  flow.set_remember_in_tab(false);
  EXPECT_TRUE(storage.values.empty());
}

TEST_F(CredentialsFlowTest, ProfilesNeedANameAndForgetWipesThem) {
  const FlowResult unnamed = flow.save_profile("buyer");
  EXPECT_FALSE(unnamed.ok) << "no credentials yet";
  ASSERT_TRUE(unnamed.notice.has_value());
  EXPECT_EQ(unnamed.notice->level, StatusLevel::kError);

  ASSERT_TRUE(flow.paste(sts(3600), kNowS).ok);
  EXPECT_FALSE(flow.save_profile("   ").ok);
  ASSERT_TRUE(flow.save_profile(" buyer ").ok);
  EXPECT_EQ(state.active_profile, "buyer");
  ASSERT_TRUE(flow.paste("export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tOtherAccount01\n"
                         "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=other-secret-0123456789\n",
                         kNowS + 100)
                  .ok);
  EXPECT_EQ(state.active_profile, "");
  EXPECT_EQ(flow.pasted_at_s(), kNowS + 100);

  const FlowResult used = flow.use_profile("buyer");
  EXPECT_TRUE(used.ok);
  EXPECT_EQ(state.active->key.id, "STS.NUgYrLnoCtestKeyId01");
  EXPECT_EQ(flow.pasted_at_s(), kNowS) << "the profile's own paste time (its expiry bar)";
  const FlowResult nobody = flow.use_profile("nobody");
  EXPECT_FALSE(nobody.ok);
  EXPECT_FALSE(nobody.notice.has_value());

  // The name handed in is a value: deleting by the profile's own name is safe.
  flow.delete_profile(state.profiles.front().name);
  EXPECT_TRUE(state.profiles.empty());
  EXPECT_EQ(state.active_profile, "");

  ASSERT_TRUE(flow.save_profile("again").ok);
  flow.set_remember_in_tab(true);
  EXPECT_TRUE(flow.forget().ok);
  EXPECT_FALSE(state.active.has_value());
  EXPECT_TRUE(state.profiles.empty());
  EXPECT_FALSE(state.remember_in_tab);
  EXPECT_TRUE(storage.values.empty());
}

TEST(DemoPoolKey, ReadsTheSandboxsPoolOnlyWhenItIsAString) {
  EXPECT_EQ(demo_pool_key(R"({"SandboxPoolKey":"FC1","Credentials":{}})"), "FC1");
  EXPECT_FALSE(demo_pool_key(R"({"SandboxPoolKey":7})").has_value());
  EXPECT_FALSE(demo_pool_key("not json").has_value());
  EXPECT_FALSE(demo_pool_key("[]").has_value());
}

}  // namespace
}  // namespace dypls::console::testing
