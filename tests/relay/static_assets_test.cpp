#include "relay/static_assets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace dypls::relay {
namespace {

TEST(StaticAssets, MapsPathsInsideTheFolderOnly) {
  EXPECT_EQ(static_relative_path("/"), "index.html");
  EXPECT_EQ(static_relative_path("/app.js"), "app.js");
  EXPECT_EQ(static_relative_path("/fonts/cjk.ttf"), "fonts/cjk.ttf");
  for (const char* bad : {"", "app.js", "/../etc/passwd", "/a/../../b", "/./a", "/a//b",
                          "/.git/config", "/a\\..\\b", "/C:/x", "/a/"}) {
    EXPECT_FALSE(static_relative_path(std::string_view(bad, std::char_traits<char>::length(bad))))
        << bad;
  }
  EXPECT_FALSE(static_relative_path(std::string_view("/a\0b", 4)));
}

TEST(StaticAssets, KnowsTheTypes) {
  EXPECT_EQ(content_type_for("dypls.wasm"), "application/wasm");
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("dypls.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("fonts/cjk.ttf"), "font/ttf");
  EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.js/file"), "application/octet-stream");
}

TEST(StaticAssets, CachesHashedAssetsForever) {
  EXPECT_EQ(cache_control_for("index.html"), "no-cache");
  EXPECT_EQ(cache_control_for("dypls.js"), "no-cache");
  EXPECT_EQ(cache_control_for("dypls.3f9a1c2e.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(cache_control_for("font-5d41402abc4b2a76.ttf"), "public, max-age=31536000, immutable");
  EXPECT_EQ(cache_control_for("3f9a1c2e.js"), "no-cache");  // a name, not a hash beside a name
  EXPECT_EQ(cache_control_for("app.deadbeef.html"), "no-cache");
}

TEST(StaticAssets, ChoosesPrecompressedByAcceptEncoding) {
  EXPECT_EQ(choose_precompressed("gzip, deflate, br", true, true), Precompressed::kBrotli);
  EXPECT_EQ(choose_precompressed("gzip, deflate", true, true), Precompressed::kGzip);
  EXPECT_EQ(choose_precompressed("br;q=0, gzip", true, true), Precompressed::kGzip);
  EXPECT_EQ(choose_precompressed("br", false, true), Precompressed::kNone);
  EXPECT_EQ(choose_precompressed("", true, true), Precompressed::kNone);
  EXPECT_EQ(choose_precompressed("*", false, true), Precompressed::kGzip);
  EXPECT_EQ(choose_precompressed("gzip;q=0", false, true), Precompressed::kNone);
}

TEST(StaticAssets, EntityTagsFollowTheBytes) {
  const std::string tag = entity_tag("console");
  EXPECT_EQ(tag.size(), 34U);
  EXPECT_EQ(tag.front(), '"');
  EXPECT_EQ(tag.back(), '"');
  EXPECT_EQ(entity_tag("console"), tag);
  EXPECT_NE(entity_tag("console!"), tag);
  EXPECT_NE(entity_tag(""), tag);
}

TEST(StaticAssets, IfNoneMatchComparesWeakly) {
  const std::string tag = "\"0123abcd\"";
  EXPECT_TRUE(if_none_match_matches(tag, tag));
  EXPECT_TRUE(if_none_match_matches("W/" + tag, tag));
  EXPECT_TRUE(if_none_match_matches("\"other\", " + tag, tag));
  EXPECT_TRUE(if_none_match_matches(" \"other\" ,\t" + tag + " ", tag));
  EXPECT_TRUE(if_none_match_matches("*", tag));
  EXPECT_FALSE(if_none_match_matches("", tag));
  EXPECT_FALSE(if_none_match_matches("\"other\"", tag));
  EXPECT_FALSE(if_none_match_matches("0123abcd", tag));  // unquoted: not the same tag
  EXPECT_FALSE(if_none_match_matches(",,", tag));
  EXPECT_FALSE(if_none_match_matches("\"0123abc\"", tag));
}

TEST(StaticAssets, CspIsStrictButLetsWasmRun) {
  const std::string csp = content_security_policy({"https://relay.example"});
  EXPECT_NE(csp.find("script-src 'self' 'wasm-unsafe-eval'"), std::string::npos);
  EXPECT_NE(csp.find("connect-src 'self' https://relay.example"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(csp.find("object-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("base-uri 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("'unsafe-eval'"), std::string::npos);
}

TEST(StaticAssets, InsideMeansBelowTheRootOnly) {
  EXPECT_TRUE(is_inside("/srv/web", "/srv/web/a.js"));
  EXPECT_TRUE(is_inside("/srv/web/", "/srv/web/fonts/a.ttf"));
  EXPECT_TRUE(is_inside("/", "/etc/passwd"));  // a root of / holds everything, as asked
  EXPECT_FALSE(is_inside("/srv/web", "/srv/web"));
  EXPECT_FALSE(is_inside("/srv/web", "/srv/web/"));
  EXPECT_FALSE(is_inside("/srv/web", "/srv/web2/a.js"));
  EXPECT_FALSE(is_inside("/srv/web", "/srv/a.js"));
  EXPECT_FALSE(is_inside("/srv/web", "/etc/passwd"));
  EXPECT_FALSE(is_inside("", "/srv/web/a.js"));
  EXPECT_FALSE(is_inside("srv/web", "srv/web/a.js"));
}

// A folder with a file, a symlink to a file inside, a symlink to a file outside, a symlink to a
// directory outside, and a symlinked root.
class StaticFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dypls-static-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    base_ = pattern;
    namespace fs = std::filesystem;
    fs::create_directories(base_ + "/web/fonts");
    fs::create_directories(base_ + "/outside");
    std::ofstream(base_ + "/web/index.html") << "page";
    std::ofstream(base_ + "/web/fonts/a.ttf") << "font";
    std::ofstream(base_ + "/outside/secret.txt") << "secret";
    fs::create_symlink(base_ + "/web/index.html", base_ + "/web/alias.html");
    fs::create_symlink("fonts/a.ttf", base_ + "/web/relative.ttf");
    fs::create_symlink(base_ + "/outside/secret.txt", base_ + "/web/leak.txt");
    fs::create_symlink("../outside/secret.txt", base_ + "/web/leak-relative.txt");
    fs::create_symlink(base_ + "/outside", base_ + "/web/out");
    fs::create_symlink("/etc/passwd", base_ + "/web/passwd");
    fs::create_symlink(base_ + "/web", base_ + "/link-to-web");
  }
  void TearDown() override { std::filesystem::remove_all(base_); }
  std::string base_;
};

TEST_F(StaticFolder, ServesOnlyWhatResolvesInsideTheFolder) {
  const std::string web = base_ + "/web";
  const std::string real_web = std::filesystem::canonical(web).string();
  EXPECT_EQ(real_file_inside(web, "index.html"), real_web + "/index.html");
  EXPECT_EQ(real_file_inside(web, "fonts/a.ttf"), real_web + "/fonts/a.ttf");
  EXPECT_EQ(real_file_inside(web, "alias.html"), real_web + "/index.html");
  EXPECT_EQ(real_file_inside(web, "relative.ttf"), real_web + "/fonts/a.ttf");
  for (const char* outside : {"leak.txt", "leak-relative.txt", "out/secret.txt", "passwd",
                              "missing.html", "../outside/secret.txt"}) {
    EXPECT_FALSE(real_file_inside(web, outside)) << outside;
  }
  // --static given through a symlink: its real path is the root, and files inside still serve.
  EXPECT_EQ(real_file_inside(base_ + "/link-to-web", "index.html"), real_web + "/index.html");
  EXPECT_FALSE(real_file_inside(base_ + "/link-to-web", "leak.txt"));
  EXPECT_FALSE(real_file_inside(base_ + "/missing-root", "index.html"));
}

struct RangeCase {
  const char* header;  // nullptr: no Range header
  RangeDecision::Kind kind;
  std::uint64_t first;
  std::uint64_t last;
};

TEST(StaticAssets, RangeDecisionTable) {
  using Kind = RangeDecision::Kind;
  constexpr std::uint64_t kSize = 1000;
  std::string many = "bytes=0-";
  for (int i = 0; i < 2700; ++i) many += ",0-";
  const std::vector<RangeCase> cases = {
      {nullptr, Kind::kWhole, 0, 0},
      {"bytes=0-99", Kind::kPartial, 0, 99},
      {"bytes=100-", Kind::kPartial, 100, 999},
      {"bytes=-100", Kind::kPartial, 900, 999},
      {"bytes=-5000", Kind::kPartial, 0, 999},  // a suffix longer than the file: all of it
      {"bytes=990-5000", Kind::kPartial, 990, 999},
      {"bytes=999-999", Kind::kPartial, 999, 999},
      {" bytes=0-0 ", Kind::kPartial, 0, 0},
      {"bytes=1000-", Kind::kUnsatisfiable, 0, 0},
      {"bytes=5000-6000", Kind::kUnsatisfiable, 0, 0},
      {"bytes=-0", Kind::kUnsatisfiable, 0, 0},
      // Several ranges: never multipart, never larger than the file.
      {"bytes=0-,0-", Kind::kWhole, 0, 0},
      {"bytes=0-1,2-3", Kind::kWhole, 0, 0},
      {"bytes=0-0, 5-5", Kind::kWhole, 0, 0},
      {many.c_str(), Kind::kWhole, 0, 0},
      // Malformed or another unit: ignored.
      {"", Kind::kWhole, 0, 0},
      {"bytes=", Kind::kWhole, 0, 0},
      {"bytes=-", Kind::kWhole, 0, 0},
      {"bytes=a-b", Kind::kWhole, 0, 0},
      {"bytes=5-3", Kind::kWhole, 0, 0},
      {"bytes=+5-9", Kind::kWhole, 0, 0},
      {"bytes=0x10-", Kind::kWhole, 0, 0},
      {"bytes=99999999999999999999-", Kind::kWhole, 0, 0},  // overflows: not a number
      {"bytes=0-99999999999999999999", Kind::kWhole, 0, 0},
      {"Bytes=0-1", Kind::kWhole, 0, 0},
      {"items=0-1", Kind::kWhole, 0, 0},
      {"bytes 0-1", Kind::kWhole, 0, 0},
      {"bytes=0--1", Kind::kWhole, 0, 0},
      {"bytes=1-2-3", Kind::kWhole, 0, 0},
  };
  for (const auto& c : cases) {
    const auto header =
        c.header == nullptr ? std::nullopt : std::optional<std::string_view>(c.header);
    const RangeDecision d = decide_range(header, kSize);
    const std::string label = c.header == nullptr ? "(none)" : std::string(c.header).substr(0, 40);
    EXPECT_EQ(d.kind, c.kind) << label;
    if (c.kind == Kind::kPartial) {
      EXPECT_EQ(d.first, c.first) << label;
      EXPECT_EQ(d.last, c.last) << label;
      EXPECT_LE(d.last - d.first + 1, kSize) << label;
    }
  }
  // An empty file has no byte to send.
  EXPECT_EQ(decide_range("bytes=0-", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=-1", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(decide_range(std::nullopt, 0).kind, Kind::kWhole);
  EXPECT_EQ(content_range(decide_range("bytes=0-99", kSize), kSize), "bytes 0-99/1000");
  EXPECT_EQ(content_range(decide_range("bytes=2000-", kSize), kSize), "bytes */1000");
  EXPECT_EQ(content_range(decide_range(std::nullopt, kSize), kSize), "");
}

}  // namespace
}  // namespace dypls::relay
