// Known-answer vectors as data: every tests/data/vectors/*.json file is one test case.
//
// A positive case holds a dypls-sign request ("input") or, for official vectors whose parameter set
// the console never sends (Format=XML), the complete signed parameter set ("stages"), plus the
// expected bytes of each stage. Each stage is checked on the expected bytes of the stage before,
// so a failure names the first stage that is wrong. A negative case holds an input that must be
// refused and a fragment of the refusal ("expectedError").
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/sign_json.h"
#include "core/signer.h"

namespace dypls {
namespace {

using Json = nlohmann::json;

struct VectorCase {
  std::string name;  // file stem
  Json data;
};

// gtest prints a parameter when a case fails: the file name says which one.
void PrintTo(const VectorCase& vector_case, std::ostream* out) {
  *out << vector_case.name;
}

std::filesystem::path vectors_dir() {
  return std::filesystem::path(DYPLS_TEST_DATA) / "vectors";
}

std::vector<VectorCase> load_cases() {
  std::vector<VectorCase> cases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(vectors_dir(), error)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    VectorCase vector_case{entry.path().stem().string(),
                           Json::parse(text.str(), nullptr, /*allow_exceptions=*/false)};
    cases.push_back(std::move(vector_case));
  }
  std::sort(cases.begin(), cases.end(),
            [](const VectorCase& a, const VectorCase& b) { return a.name < b.name; });
  return cases;
}

const std::vector<VectorCase>& all_cases() {
  static const std::vector<VectorCase> cases = load_cases();
  return cases;
}

// A fixed fresh context: vectors must name their own time and nonce, so this must never show up.
const SigningContext kUnusedFresh{"1999-01-01T00:00:00Z", "fresh-nonce-should-not-appear"};

class SignerVector : public ::testing::TestWithParam<VectorCase> {};

std::string text_of(const Json& expected, const char* name) {
  const auto it = expected.find(name);
  return it != expected.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void check_v1_stages(const ParamList& params, HttpMethod method, const std::string& secret,
                     const Json& expected) {
  const std::string canonical = text_of(expected, "canonicalQuery");
  const std::string to_sign = text_of(expected, "stringToSign");
  ASSERT_FALSE(canonical.empty()) << "expected.canonicalQuery is missing";
  ASSERT_FALSE(to_sign.empty()) << "expected.stringToSign is missing";
  EXPECT_EQ(v1::canonical_query(params), canonical) << "stage 1: canonical query";
  EXPECT_EQ(v1::string_to_sign(method, canonical), to_sign) << "stage 2: string to sign";
  EXPECT_EQ(v1::signature(secret, to_sign), text_of(expected, "signature")) << "stage 3";
}

void check_v3_stages(const cli::SignInput& in, const Json& expected) {
  const std::string canonical = text_of(expected, "canonicalRequest");
  const std::string to_sign = text_of(expected, "stringToSign");
  ASSERT_FALSE(canonical.empty()) << "expected.canonicalRequest is missing";
  ASSERT_FALSE(to_sign.empty()) << "expected.stringToSign is missing";
  constexpr std::string_view kEmptyBody =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_EQ(
      v3::canonical_request(in.spec.method, v1::canonical_query(in.spec.params),
                            v3::signed_headers(in.spec, in.key, in.ctx, kEmptyBody), kEmptyBody),
      canonical)
      << "stage 1: canonical request";
  EXPECT_EQ(v3::string_to_sign(canonical), to_sign) << "stage 2: string to sign";
  EXPECT_EQ(v3::signature(in.key.secret, to_sign), text_of(expected, "signature")) << "stage 3";
}

TEST_P(SignerVector, MatchesEveryStage) {
  const Json& data = GetParam().data;
  ASSERT_TRUE(data.is_object()) << "not a JSON object: " << GetParam().name;
  SCOPED_TRACE(data.value("description", GetParam().name));

  if (data.contains("expectedError")) {
    const cli::SignInputResult read = cli::read_sign_input(data["input"], kUnusedFresh);
    ASSERT_FALSE(read.input.has_value()) << "this input must be refused";
    EXPECT_NE(read.error.find(data["expectedError"].get<std::string>()), std::string::npos)
        << "refusal was: " << read.error;
    return;
  }

  const Json& expected = data.at("expected");
  ASSERT_FALSE(text_of(expected, "signature").empty()) << "expected.signature is missing";

  if (data.contains("stages")) {
    const Json& stages = data["stages"];
    ParamList params;
    for (const auto& [name, value] : stages.at("signedParams").items()) {
      params.push_back({name, value.get<std::string>()});
    }
    const HttpMethod method = stages.at("method") == "GET" ? HttpMethod::kGet : HttpMethod::kPost;
    check_v1_stages(params, method, stages.at("secret").get<std::string>(), expected);
    return;
  }

  const cli::SignInputResult read = cli::read_sign_input(data.at("input"), kUnusedFresh);
  ASSERT_TRUE(read.input.has_value()) << read.error;
  const cli::SignInput& in = *read.input;
  if (in.spec.style == SignatureStyle::kV1) {
    check_v1_stages(v1::signed_params(in.spec, in.key, in.ctx), in.spec.method, in.key.secret,
                    expected);
  } else {
    check_v3_stages(in, expected);
  }
  // The assembled answer: every field the vector names must match byte for byte.
  const Json answer = cli::signed_to_json(in, sign(in.spec, in.key, in.ctx));
  for (const auto& [field, value] : expected.items()) {
    ASSERT_TRUE(answer.contains(field)) << "answer lacks " << field;
    EXPECT_EQ(answer[field], value) << "field " << field;
  }
}

std::string case_name(const ::testing::TestParamInfo<VectorCase>& info) {
  std::string name = info.param.name;
  std::replace_if(
      name.begin(), name.end(),
      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Vectors, SignerVector, ::testing::ValuesIn(all_cases()), case_name);

// Guards against an empty or unreadable folder silently passing.
TEST(SignerVectors, FolderHoldsParsableCasesOfEveryKind) {
  const auto& cases = all_cases();
  ASSERT_GE(cases.size(), 10U) << "too few vectors in " << vectors_dir();
  int negative = 0, v1 = 0, v3 = 0;
  for (const auto& vector_case : cases) {
    ASSERT_FALSE(vector_case.data.is_discarded()) << vector_case.name << " is not valid JSON";
    if (vector_case.data.contains("expectedError")) {
      ++negative;
    } else if (vector_case.data.contains("stages") ||
               vector_case.data["input"].value("style", "v1") == "v1") {
      ++v1;
    } else {
      ++v3;
    }
  }
  EXPECT_GE(negative, 3);
  EXPECT_GE(v1, 3);
  EXPECT_GE(v3, 2);
}

}  // namespace
}  // namespace dypls
