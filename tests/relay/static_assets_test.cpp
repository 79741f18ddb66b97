#include "relay/static_assets.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace dypls::relay
