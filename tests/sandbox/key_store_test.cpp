#include "sandbox/key_store.h"

#include <gtest/gtest.h>

#include "sandbox/nonce_window.h"

namespace dypls::sandbox {
namespace {

TEST(KeyStore, IssuesTemporaryCredentialsShapedLikeStsWithExpiry) {
  KeyStore keys;
  Rng rng(1);
  const Account& owner = keys.add_account("LTAI5tOwner", "owner-secret", rng);
  EXPECT_EQ(owner.uid.size(), 16u);
  const TemporaryCredential c = keys.issue_temporary(owner, 900, 1000, rng);
  EXPECT_EQ(c.key_id.rfind("STS.", 0), 0u);
  EXPECT_EQ(c.token.rfind("CAIS", 0), 0u);
  EXPECT_GT(c.token.size(), 1000u);
  EXPECT_EQ(c.expires_at, 1900);
  EXPECT_NE(c.role_arn.find(owner.uid), std::string::npos);

  const auto key = keys.find(c.key_id);
  ASSERT_TRUE(key.has_value());
  EXPECT_TRUE(key->temporary);
  EXPECT_EQ(key->owner_key_id, "LTAI5tOwner");
  EXPECT_EQ(key->token, c.token);
  EXPECT_TRUE(keys.token_known(c.token));
  EXPECT_FALSE(keys.token_known("CAISforged"));
  EXPECT_FALSE(keys.find("STS.unknown").has_value());
}

TEST(KeyStore, ClampsLifetimeAndForgetsLongExpiredCredentials) {
  KeyStore keys;
  Rng rng(2);
  const Account& owner = keys.add_account("K", "S", rng);
  const std::string old_id = keys.issue_temporary(owner, 1, 0, rng).key_id;
  EXPECT_EQ(keys.issue_temporary(owner, 999999, 0, rng).expires_at, kMaxStsDurationSeconds);
  EXPECT_EQ(keys.issue_temporary(owner, 0, 0, rng).expires_at, kMinStsDurationSeconds);
  keys.issue_temporary(owner, 60, 2 * 24 * 3600, rng);  // two days later
  EXPECT_FALSE(keys.find(old_id).has_value());
}

TEST(KeyStore, AddingAnExistingKeyReplacesItsSecret) {
  KeyStore keys;
  Rng rng(3);
  keys.add_account("K", "old", rng);
  keys.add_account("K", "new", rng);
  ASSERT_EQ(keys.accounts().size(), 1u);
  EXPECT_EQ(keys.find("K")->secret, "new");
}

TEST(NonceWindow, RefusesReplaysUntilTheWindowPasses) {
  NonceWindow window;
  EXPECT_TRUE(window.remember("K", "n1", 1900, 1000));
  EXPECT_FALSE(window.remember("K", "n1", 1900, 1500));  // replay within the window
  EXPECT_TRUE(window.remember("K2", "n1", 1900, 1500));  // another key's nonce is its own
  EXPECT_TRUE(window.remember("K", "n2", 1900, 1500));
  EXPECT_TRUE(window.remember("K", "n1", 3000, 1901));  // forgotten once its time is past
  EXPECT_EQ(window.size(), 1u);
}

}  // namespace
}  // namespace dypls::sandbox
