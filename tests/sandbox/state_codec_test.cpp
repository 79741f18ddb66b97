#include "sandbox/state_codec.h"

#include <gtest/gtest.h>

#include <optional>

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
  EXPECT_NE(error.find("\"numbers\" should be an array, found a string"), std::string::npos)
      << error;
  damaged = encode_state(SandboxState(1));
  damaged["version"] = 99;
  EXPECT_FALSE(decode_state(damaged, error));
}

// A saved state with one of everything, so every field can be broken in turn.
nlohmann::json full_state() {
  SandboxState state(5, {{1, "杭州", 10}});
  const Account& owner = state.keys.add_account("LTAI5tOwner", "secret", state.rng);
  state.keys.issue_temporary(owner, 900, 1000, state.rng);
  state.inventory.add_pool("FC1");
  OwnedNumber bought;
  EXPECT_TRUE(state.inventory.buy("FC1", 1, "杭州", "", 1000, state.rng, bought).ok());
  nlohmann::json saved = encode_state(state);
  saved["retired"] = {"17000000000"};
  return saved;
}

// One row: a JSON pointer to change, the value to put there (or remove it), and what the
// message must say.
struct Damage {
  const char* pointer;
  std::optional<nlohmann::json> value;  // nullopt: remove the field
  const char* message;
};

TEST(StateCodec, EveryWrongShapeIsNamedTable) {
  using nlohmann::json;
  const std::vector<Damage> cases = {
      {"/format", json(7), "not a dypls-sandbox state file"},
      {"/format", json::array(), "not a dypls-sandbox state file"},
      {"/format", std::nullopt, "not a dypls-sandbox state file"},
      {"/version", json("1"), "state file version \"1\" is not supported"},
      {"/version", json(nullptr), "state file version null is not supported"},
      {"/version", std::nullopt, "state file version (none) is not supported"},
      {"/seed", json("5"), "\"seed\" should be a whole number of at least 0, found a string"},
      {"/seed", json(-5), "\"seed\" should be a whole number of at least 0, found the number -5"},
      {"/seed", json(5.5), "\"seed\" should be a whole number of at least 0, found the number 5.5"},
      {"/seed", std::nullopt, "\"seed\" is missing (expected a whole number of at least 0)"},
      {"/rng", json(true),
       "\"rng\" should be a whole number of at least 0, found a boolean (true)"},
      {"/stockOverrides", json::object(), "\"stockOverrides\" should be an array, found an object"},
      {"/stockOverrides/0", json("x"), "\"stockOverrides[0]\" should be an object, found a string"},
      {"/stockOverrides/0/specId", json("1"),
       "\"stockOverrides[0].specId\" should be a SpecId the sandbox sells, found a string"},
      {"/stockOverrides/0/specId", json(99),
       "\"stockOverrides[0].specId\" should be a SpecId the sandbox sells, found the number 99"},
      {"/stockOverrides/0/specId", json(-1), "\"stockOverrides[0].specId\" should be a SpecId"},
      {"/stockOverrides/0/specId", json(4294967297LL),
       "\"stockOverrides[0].specId\" should be a SpecId"},
      {"/stockOverrides/0/city", json(3),
       "\"stockOverrides[0].city\" should be a string, found the number 3"},
      {"/stockOverrides/0/amount", json(-1),
       "\"stockOverrides[0].amount\" should be a whole number from 0 to 1000000000, found the "
       "number -1"},
      {"/stockOverrides/0/amount", std::nullopt, "\"stockOverrides[0].amount\" is missing"},
      {"/accounts", json(nullptr), "\"accounts\" should be an array, found null"},
      {"/accounts/0/keyId", json(1),
       "\"accounts[0].keyId\" should be a string, found the number 1"},
      {"/accounts/0/secret", std::nullopt, "\"accounts[0].secret\" is missing (expected a string)"},
      {"/accounts/0/uid", json::array(), "\"accounts[0].uid\" should be a string, found an array"},
      {"/temporaryCredentials/0", json(1), "\"temporaryCredentials[0]\" should be an object"},
      {"/temporaryCredentials/0/token", json(false),
       "\"temporaryCredentials[0].token\" should be a string, found a boolean (false)"},
      {"/temporaryCredentials/0/expiresAt", json("soon"),
       "\"temporaryCredentials[0].expiresAt\" should be a whole number"},
      {"/temporaryCredentials/0/owner", std::nullopt,
       "\"temporaryCredentials[0].owner\" is missing"},
      {"/numbers/0/secretNo", json(17000000000LL),
       "\"numbers[0].secretNo\" should be a string, found the number 17000000000"},
      {"/numbers/0/specId", json(0), "\"numbers[0].specId\" should be a SpecId"},
      {"/numbers/0/vendor", json(7),
       "\"numbers[0].vendor\" should be a whole number from 1 to 3, found the number 7"},
      {"/numbers/0/vendor", json("1"),
       "\"numbers[0].vendor\" should be a whole number from 1 to 3"},
      {"/numbers/0/purchasedAt", json(1.5), "\"numbers[0].purchasedAt\" should be a whole number"},
      {"/numbers/0/bindings", json(-2), "\"numbers[0].bindings\" should be a whole number from 0"},
      {"/numbers/0/bindings", json(1e20),
       "\"numbers[0].bindings\" should be a whole number from 0"},
      {"/numbers/0/locked", json("false"),
       "\"numbers[0].locked\" should be true or false, found a string"},
      {"/numbers/0/frozen", json(0),
       "\"numbers[0].frozen\" should be true or false, found the number 0"},
      {"/numbers/0/certified", std::nullopt,
       "\"numbers[0].certified\" is missing (expected true or false)"},
      {"/numbers/0", json::array(), "\"numbers[0]\" should be an object, found an array"},
      {"/pools", json("FC1"), "\"pools\" should be an array, found a string"},
      {"/pools/0", json(1), "\"pools[0]\" should be a string, found the number 1"},
      {"/retired/0", json::object(), "\"retired[0]\" should be a string, found an object"},
      {"/retired", std::nullopt, "\"retired\" is missing (expected an array)"},
  };
  const json good = full_state();
  std::string error;
  ASSERT_TRUE(decode_state(good, error)) << error;
  for (const auto& c : cases) {
    json damaged = good;
    const json::json_pointer pointer(c.pointer);
    ASSERT_TRUE(damaged.contains(pointer)) << c.pointer << " is not in the saved state";
    if (c.value) {
      damaged[pointer] = *c.value;
    } else {
      damaged[pointer.parent_pointer()].erase(pointer.back());
    }
    error.clear();
    std::unique_ptr<SandboxState> state;
    EXPECT_NO_THROW(state = decode_state(damaged, error)) << c.pointer;
    EXPECT_FALSE(state) << c.pointer;
    EXPECT_NE(error.find(c.message), std::string::npos) << c.pointer << ": got \"" << error << "\"";
  }
}

TEST(StateCodec, DocumentsOfTheWrongShapeEntirely) {
  using nlohmann::json;
  for (const json& document : {json(nullptr), json(1), json("state"), json::array({1, 2}),
                               json::object(), json::parse(R"({"format":"dypls-sandbox-state"})"),
                               json::parse(R"({"format":"dypls-sandbox-state","version":1})")}) {
    std::string error;
    std::unique_ptr<SandboxState> state;
    EXPECT_NO_THROW(state = decode_state(document, error)) << document.dump();
    EXPECT_FALSE(state) << document.dump();
    EXPECT_FALSE(error.empty()) << document.dump();
  }
}

}  // namespace
}  // namespace dypls::sandbox
