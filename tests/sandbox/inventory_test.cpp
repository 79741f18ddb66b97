#include "sandbox/inventory.h"

#include <gtest/gtest.h>

namespace dypls::sandbox {
namespace {

constexpr std::string_view kPool = "FC100000000000001";
constexpr std::int64_t kNow = 1795000000;

class InventoryTest : public ::testing::Test {
 protected:
  InventoryTest() : inventory(42, {{1, "拉萨", 2}, {2, "杭州", 500}}), rng(42) {
    inventory.add_pool(std::string(kPool));
  }
  OwnedNumber buy_ok(int spec, std::string_view city, std::string_view prefix = "") {
    OwnedNumber bought;
    const Outcome outcome = inventory.buy(kPool, spec, city, prefix, kNow, rng, bought);
    EXPECT_TRUE(outcome.ok()) << outcome.code << ": " << outcome.message;
    return bought;
  }
  std::int64_t remain(int spec, std::string_view city, std::string_view prefix = "") {
    StockReport report;
    const Outcome outcome = inventory.query_remain(spec, city, prefix, report);
    EXPECT_TRUE(outcome.ok()) << outcome.message;
    return report.amount;
  }
  Inventory inventory;
  Rng rng;
};

TEST_F(InventoryTest, SeedsEveryCityAndOverridesWin) {
  EXPECT_EQ(remain(1, "拉萨"), 2);
  EXPECT_EQ(remain(2, "杭州"), 500);
  EXPECT_GT(remain(2, "北京"), 299);  // a megacity gets hundreds
  EXPECT_EQ(remain(1, "东京"), 0);    // not a mainland city: no stock, not an error
}

TEST_F(InventoryTest, BuyingCountsAgainstStockAndRunsOut) {
  EXPECT_EQ(buy_ok(1, "拉萨").city, "拉萨");
  EXPECT_EQ(remain(1, "拉萨"), 1);
  buy_ok(1, "拉萨");
  EXPECT_EQ(remain(1, "拉萨"), 0);
  OwnedNumber none;
  const Outcome out = inventory.buy(kPool, 1, "拉萨", "", kNow, rng, none);
  EXPECT_EQ(out.code, "isv.NO_AVAILABLE_NUMBER");
  EXPECT_NE(out.message.find("拉萨"), std::string::npos);
}

TEST_F(InventoryTest, NumbersLookLikeTheirSpec) {
  const OwnedNumber virtual_no = buy_ok(1, "杭州");
  EXPECT_EQ(virtual_no.secret_no.size(), 11u);
  EXPECT_EQ(virtual_no.secret_no.substr(0, 2), "17");
  EXPECT_EQ(virtual_no.province, "浙江");
  const OwnedNumber carrier = buy_ok(2, "杭州");
  EXPECT_EQ(carrier.secret_no.size(), 11u);
  EXPECT_TRUE(carrier.secret_no[1] == '3' || carrier.secret_no[1] == '5' ||
              carrier.secret_no[1] == '8');
  const OwnedNumber ninety_five = buy_ok(3, "全国通用");
  EXPECT_EQ(ninety_five.secret_no.substr(0, 2), "95");
  EXPECT_EQ(ninety_five.secret_no.size(), 12u);
}

TEST_F(InventoryTest, PrefixMatchesStockAndPurchases) {
  const OwnedNumber sample = buy_ok(2, "杭州");
  const std::string prefix = sample.secret_no.substr(0, 7);  // the number's block
  const std::int64_t before = remain(2, "杭州", prefix);
  ASSERT_GT(before, 0);
  EXPECT_LT(before, remain(2, "杭州"));
  const OwnedNumber matched = buy_ok(2, "杭州", prefix);
  EXPECT_EQ(matched.secret_no.substr(0, 7), prefix);
  EXPECT_EQ(remain(2, "杭州", prefix), before - 1);
  EXPECT_EQ(remain(2, "杭州", "99999"), 0);
  OwnedNumber none;
  EXPECT_EQ(inventory.buy(kPool, 2, "杭州", "99999", kNow, rng, none).code,
            "isv.NO_AVAILABLE_NUMBER");
}

TEST_F(InventoryTest, NationwideSumsAndListsOnlyCitiesWithStock) {
  StockReport all;
  ASSERT_TRUE(inventory.query_remain(1, "全国", "", all).ok());
  std::int64_t sum = 0;
  for (const auto& [key, amount] : inventory.stock_levels()) {
    if (key.first == 1) sum += amount;
  }
  EXPECT_EQ(all.amount, sum);
  EXPECT_TRUE(all.per_city.empty());

  buy_ok(1, "拉萨");
  buy_ok(1, "拉萨");  // 拉萨 is now empty for SpecId 1
  StockReport listed;
  ASSERT_TRUE(inventory.query_remain(1, "全国列表", "", listed).ok());
  EXPECT_TRUE(listed.listed);
  std::int64_t listed_sum = 0;
  for (const auto& [city, amount] : listed.per_city) {
    EXPECT_NE(city, "拉萨");
    EXPECT_GT(amount, 0);
    listed_sum += amount;
  }
  EXPECT_EQ(listed_sum, listed.amount);
  EXPECT_EQ(listed.amount, sum - 2);
}

TEST_F(InventoryTest, NationwideBuyTakesFromAnyCity) {
  const std::int64_t before = remain(1, "全国");
  const OwnedNumber bought = buy_ok(1, "全国");
  EXPECT_NE(bought.city, "全国");
  EXPECT_NE(find_city(bought.city), nullptr);
  EXPECT_EQ(remain(1, "全国"), before - 1);
}

TEST_F(InventoryTest, SpecialCityRules) {
  StockReport report;
  EXPECT_EQ(inventory.query_remain(3, "杭州", "", report).code, "isv.INVALID_PARAMETERS");
  EXPECT_TRUE(inventory.query_remain(3, "全国通用", "", report).ok());
  EXPECT_GT(report.amount, 0);
  EXPECT_EQ(inventory.query_remain(1, "全国通用", "", report).code, "isv.INVALID_PARAMETERS");
  EXPECT_EQ(inventory.query_remain(4, "杭州", "", report).code, "isv.INVALID_PARAMETERS");
  OwnedNumber none;
  EXPECT_EQ(inventory.buy(kPool, 1, "全国列表", "", kNow, rng, none).code,
            "isv.INVALID_PARAMETERS");
}

TEST_F(InventoryTest, UnknownPoolAndForeignNumbers) {
  OwnedNumber none;
  EXPECT_EQ(inventory.buy("FC999", 1, "杭州", "", kNow, rng, none).code, "isv.POOLKEY_NOT_EXISTS");
  const OwnedNumber bought = buy_ok(1, "杭州");
  inventory.add_pool("FC200");
  EXPECT_EQ(inventory.detail("FC200", bought.secret_no, none).code, "isv.NO_NOT_EXIST");
  EXPECT_EQ(inventory.release(kPool, "17000000000").code, "isv.NO_NOT_EXIST");
  EXPECT_EQ(inventory.lock("FC999", bought.secret_no).code, "isv.POOLKEY_NOT_EXISTS");
}

TEST_F(InventoryTest, LockUnlockBindAndRelease) {
  const OwnedNumber bought = buy_ok(1, "杭州");
  OwnedNumber seen;
  ASSERT_TRUE(inventory.detail(kPool, bought.secret_no, seen).ok());
  EXPECT_EQ(seen.status(), SecretStatus::kUnbound);
  EXPECT_EQ(seen.purchased_at, kNow);

  ASSERT_TRUE(inventory.lock(kPool, bought.secret_no).ok());
  ASSERT_TRUE(inventory.detail(kPool, bought.secret_no, seen).ok());
  EXPECT_EQ(seen.status(), SecretStatus::kLocked);
  EXPECT_EQ(inventory.bind(kPool, bought.secret_no).code, "isv.ILLEGAL_ARGUMENT");
  ASSERT_TRUE(inventory.unlock(kPool, bought.secret_no).ok());

  ASSERT_TRUE(inventory.bind(kPool, bought.secret_no).ok());
  ASSERT_TRUE(inventory.detail(kPool, bought.secret_no, seen).ok());
  EXPECT_EQ(seen.status(), SecretStatus::kBound);
  const Outcome refused = inventory.release(kPool, bought.secret_no);
  EXPECT_EQ(refused.code, "isv.ILLEGAL_ARGUMENT");
  EXPECT_NE(refused.message.find("bindings"), std::string::npos);

  ASSERT_TRUE(inventory.unbind(kPool, bought.secret_no).ok());
  const std::int64_t stock_before = remain(1, "杭州");
  ASSERT_TRUE(inventory.release(kPool, bought.secret_no).ok());
  EXPECT_EQ(inventory.detail(kPool, bought.secret_no, seen).code, "isv.NO_NOT_EXIST");
  EXPECT_EQ(remain(1, "杭州"), stock_before);  // released numbers do not go back on sale
  EXPECT_EQ(inventory.retired().count(bought.secret_no), 1u);
}

TEST(InventoryDeterminism, SameSeedSameStockAndPurchases) {
  const auto run = [](std::uint64_t seed) {
    Inventory inventory(seed, {});
    inventory.add_pool("P");
    Rng rng(seed);
    std::vector<std::string> bought;
    for (int i = 0; i < 5; ++i) {
      OwnedNumber n;
      EXPECT_TRUE(inventory.buy("P", 1 + i % 2, "全国", "", kNow, rng, n).ok());
      bought.push_back(n.secret_no);
    }
    return std::make_pair(inventory.stock_levels(), bought);
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7).second, run(8).second);
  EXPECT_NE(run(7).first, run(8).first);
}

}  // namespace
}  // namespace dypls::sandbox
