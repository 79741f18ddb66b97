// Action names, validation before signing, and request building.
#include "core/actions.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace dypls {
namespace {

// The one error for `field`, checked to speak both languages. A copy, so that callers may pass
// validate()'s result directly.
std::optional<FieldError> error_for(const std::vector<FieldError>& errors,
                                    const std::string& field) {
  std::optional<FieldError> found;
  for (const FieldError& error : errors) {
    if (error.field != field) continue;
    EXPECT_FALSE(found.has_value()) << "two errors for " << field;
    EXPECT_FALSE(error.message.en.empty());
    EXPECT_FALSE(error.message.zh.empty());
    found = error;
  }
  return found;
}

BuyRequest good_buy() {
  BuyRequest request;
  request.pool_key = "FC100000012345678";
  request.spec_id = 1;
  request.city = "杭州";
  return request;
}

NumberRequest good_number(Action action = Action::kReleaseSecretNo) {
  NumberRequest request;
  request.action = action;
  request.pool_key = "FC100000012345678";
  request.secret_no = "17012345678";
  return request;
}

std::string param(const RequestSpec& spec, const std::string& name) {
  for (const Param& p : spec.params) {
    if (p.name == name) return p.value;
  }
  return "<absent>";
}

TEST(ActionNames, RoundTrip) {
  for (Action action :
       {Action::kQuerySecretNoRemain, Action::kBuySecretNo, Action::kReleaseSecretNo,
        Action::kQuerySecretNoDetail, Action::kLockSecretNo, Action::kUnlockSecretNo}) {
    EXPECT_EQ(action_from_name(action_name(action)), action);
  }
  EXPECT_EQ(action_name(Action::kBuySecretNo), "BuySecretNo");
  EXPECT_FALSE(action_from_name("buysecretno").has_value());
  EXPECT_FALSE(action_from_name("DescribeRegions").has_value());
  EXPECT_FALSE(action_from_name("").has_value());
}

TEST(Validate, GoodRequestsPass) {
  EXPECT_TRUE(validate(QueryRemainRequest{1, "杭州", ""}).empty());
  EXPECT_TRUE(validate(QueryRemainRequest{2, "全国列表", "170"}).empty());
  EXPECT_TRUE(validate(QueryRemainRequest{3, "全国通用", ""}).empty());
  EXPECT_TRUE(validate(good_buy()).empty());
  BuyRequest ninety_five = good_buy();
  ninety_five.spec_id = 3;
  ninety_five.city = "全国通用";
  ninety_five.secret_no_prefix = "95013";
  EXPECT_TRUE(validate(ninety_five).empty());
  for (Action action : {Action::kReleaseSecretNo, Action::kQuerySecretNoDetail,
                        Action::kLockSecretNo, Action::kUnlockSecretNo}) {
    EXPECT_TRUE(validate(good_number(action)).empty()) << action_name(action);
  }
  NumberRequest longer = good_number();
  longer.secret_no = "9501312345678";  // 13 digits
  EXPECT_TRUE(validate(longer).empty());
}

TEST(Validate, SpecIdOutOfRange) {
  for (int spec_id : {0, 4, -1, 100}) {
    BuyRequest request = good_buy();
    request.spec_id = spec_id;
    auto errors = validate(request);
    auto error = error_for(errors, "SpecId");
    ASSERT_NE(error, std::nullopt) << spec_id;
    EXPECT_NE(error->message.en.find(std::to_string(spec_id)), std::string::npos);
  }
}

TEST(Validate, SpecId3NeedsNationwideGeneric) {
  auto errors = validate(QueryRemainRequest{3, "杭州", ""});
  auto error = error_for(errors, "City");
  ASSERT_NE(error, std::nullopt);
  EXPECT_NE(error->message.en.find("全国通用"), std::string::npos);
  EXPECT_NE(error->message.zh.find("全国通用"), std::string::npos);
}

TEST(Validate, NationwideListOnlyForStock) {
  EXPECT_TRUE(validate(QueryRemainRequest{1, "全国列表", ""}).empty());
  BuyRequest request = good_buy();
  request.city = "全国列表";
  auto error = error_for(validate(request), "City");
  ASSERT_NE(error, std::nullopt);
  EXPECT_NE(error->message.en.find("stock query"), std::string::npos);
}

TEST(Validate, CityEmptyTooLongOrWithControlCharacters) {
  std::string absurd;
  for (int i = 0; i < 30; ++i) absurd += "杭";
  for (const std::string& city :
       {std::string(), absurd, std::string("杭州\n"), std::string("杭 州")}) {
    BuyRequest request = good_buy();
    request.city = city;
    EXPECT_NE(error_for(validate(request), "City"), std::nullopt) << city;
  }
}

TEST(Validate, PrefixDigitsOnlyAndAtMost18) {
  for (const std::string& prefix :
       {std::string("17a"), std::string("+86170"), std::string(" 170"), std::string(19, '1')}) {
    EXPECT_NE(error_for(validate(QueryRemainRequest{1, "杭州", prefix}), "SecretNo"), std::nullopt)
        << prefix;
  }
  EXPECT_TRUE(validate(QueryRemainRequest{1, "杭州", std::string(18, '1')}).empty());
}

TEST(Validate, PoolKeyRequiredAndClean) {
  for (const std::string& key : {std::string(), std::string("FC 1000"), std::string("FC1000\t"),
                                 std::string("FC\x01"
                                             "1000"),
                                 std::string("FC１０００"), std::string(65, 'F')}) {
    BuyRequest request = good_buy();
    request.pool_key = key;
    EXPECT_NE(error_for(validate(request), "PoolKey"), std::nullopt) << key;
  }
  BuyRequest other_shape = good_buy();
  other_shape.pool_key = "FC_custom-pool.1";  // permissive: the console does not guess the shape
  EXPECT_TRUE(validate(other_shape).empty());
}

TEST(Validate, FullNumberForNumberActions) {
  for (const std::string& number :
       {std::string(), std::string("1701234567"), std::string("95013123456789"),
        std::string("+8617012345678"), std::string("170-1234-5678"), std::string("1701234567x")}) {
    NumberRequest request = good_number();
    request.secret_no = number;
    EXPECT_NE(error_for(validate(request), "SecretNo"), std::nullopt) << number;
  }
}

TEST(Validate, NumberRequestNeedsANumberAction) {
  NumberRequest request = good_number(Action::kBuySecretNo);
  EXPECT_NE(error_for(validate(request), "Action"), std::nullopt);
}

TEST(Validate, ReportsEveryBadField) {
  BuyRequest request;
  request.spec_id = 7;
  request.secret_no_prefix = "abc";
  auto errors = validate(request);
  EXPECT_NE(error_for(errors, "PoolKey"), std::nullopt);
  EXPECT_NE(error_for(errors, "SpecId"), std::nullopt);
  EXPECT_NE(error_for(errors, "City"), std::nullopt);
  EXPECT_NE(error_for(errors, "SecretNo"), std::nullopt);
}

TEST(ToSpec, QueryRemain) {
  RequestSpec spec = to_spec(QueryRemainRequest{2, "全国列表", ""});
  EXPECT_EQ(spec.action, "QuerySecretNoRemain");
  EXPECT_EQ(spec.version, "2017-05-25");
  EXPECT_EQ(spec.host, "dyplsapi.aliyuncs.com");
  EXPECT_EQ(spec.method, HttpMethod::kPost);
  EXPECT_EQ(spec.style, SignatureStyle::kV1);
  EXPECT_EQ(param(spec, "SpecId"), "2");
  EXPECT_EQ(param(spec, "City"), "全国列表");
  EXPECT_EQ(param(spec, "SecretNo"), "<absent>") << "an empty optional prefix is left out";
  EXPECT_EQ(spec.params.size(), 2U);
}

TEST(ToSpec, BuyWithEveryOption) {
  BuyRequest request = good_buy();
  request.secret_no_prefix = "1710";
  request.display_pool = false;
  RequestSpec spec = to_spec(request);
  EXPECT_EQ(spec.action, "BuySecretNo");
  EXPECT_EQ(param(spec, "PoolKey"), "FC100000012345678");
  EXPECT_EQ(param(spec, "SpecId"), "1");
  EXPECT_EQ(param(spec, "City"), "杭州");
  EXPECT_EQ(param(spec, "SecretNo"), "1710");
  EXPECT_EQ(param(spec, "DisplayPool"), "false");
  request.display_pool = true;
  EXPECT_EQ(param(to_spec(request), "DisplayPool"), "true");
  request.display_pool.reset();
  EXPECT_EQ(param(to_spec(request), "DisplayPool"), "<absent>");
}

TEST(ToSpec, NumberActions) {
  for (Action action : {Action::kReleaseSecretNo, Action::kQuerySecretNoDetail,
                        Action::kLockSecretNo, Action::kUnlockSecretNo}) {
    RequestSpec spec = to_spec(good_number(action));
    EXPECT_EQ(spec.action, action_name(action));
    EXPECT_EQ(param(spec, "PoolKey"), "FC100000012345678");
    EXPECT_EQ(param(spec, "SecretNo"), "17012345678");
    EXPECT_EQ(spec.params.size(), 2U);
  }
}

TEST(StatusName, EveryStatus) {
  EXPECT_EQ(status_name(NumberStatus::kUnbound), "unbound");
  EXPECT_EQ(status_name(NumberStatus::kBound), "bound");
  EXPECT_EQ(status_name(NumberStatus::kLocked), "locked");
  EXPECT_EQ(status_name(NumberStatus::kFrozen), "frozen");
  EXPECT_EQ(status_name(NumberStatus::kUnknown), "unknown");
}

}  // namespace
}  // namespace dypls
