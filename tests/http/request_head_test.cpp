#include "http/request_head.h"

#include <gtest/gtest.h>

#include <string>

namespace dypls::http {
namespace {

std::optional<std::string> check(const std::string& head) {
  return check_request_head(head);
}

TEST(FindHeadEnd, FindsTheBlankLine) {
  const std::string text = "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next";
  const HeadScan scan = find_head_end(text);
  EXPECT_EQ(scan.state, HeadState::kComplete);
  EXPECT_EQ(text.substr(scan.length), "GET /next");
}

TEST(FindHeadEnd, NeedsMoreUntilTheBlankLine) {
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n").state, HeadState::kNeedMore);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n\r").state, HeadState::kNeedMore);
}

TEST(FindHeadEnd, ResumesWhereItStoppedAcrossASplitTerminator) {
  const std::string text = "GET / HTTP/1.1\r\n\r\n";
  const HeadScan first = find_head_end(text.substr(0, 16));
  EXPECT_EQ(first.state, HeadState::kNeedMore);
  const HeadScan second = find_head_end(text, 16);
  EXPECT_EQ(second.state, HeadState::kComplete);
  EXPECT_EQ(second.length, text.size());
}

TEST(FindHeadEnd, RefusesBareLineFeedsAndBareCarriageReturns) {
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\nHost: x\n\n").state, HeadState::kBadLineEnding);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\n\r\n").state, HeadState::kBadLineEnding);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n").state, HeadState::kBadLineEnding);
  // Refused as soon as seen, without waiting for an end that may never come.
  EXPECT_EQ(find_head_end("GET /a\nb").state, HeadState::kBadLineEnding);
}

TEST(CheckRequestHead, AcceptsAPlainRequest) {
  EXPECT_EQ(check("GET /api/?Action=X HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
            std::nullopt);
  EXPECT_EQ(check("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), std::nullopt);
  EXPECT_EQ(check("GET / HTTP/1.1\r\n\r\n"), std::nullopt);
  EXPECT_EQ(check("GET / HTTP/1.1\r\nX-Empty:\r\nX-Tab: a\tb\r\n\r\n"), std::nullopt);
}

TEST(CheckRequestHead, RefusesBadRequestLines) {
  EXPECT_TRUE(check("GET /a b HTTP/1.1\r\n\r\n"));  // a space in the target
  EXPECT_TRUE(check("GET / HTTP/2.0\r\n\r\n"));
  EXPECT_TRUE(check("GET /\r\n\r\n"));
  EXPECT_TRUE(check("G(T / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(check("\r\n\r\n"));
  EXPECT_TRUE(check("GET /\x01 HTTP/1.1\r\n\r\n"));
}

// The target is checked eight bytes at a time: every refused byte is found wherever it stands,
// in a whole word or in the tail, and every visible byte passes.
TEST(CheckRequestHead, RefusesEveryInvisibleTargetByteAtEveryPlace) {
  for (std::size_t length = 1; length <= 20; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string target(length, 'a');
        target[0] = '/';
        if (at == 0 && byte != '/') continue;  // keep it a path: only the byte checks differ
        target[at] = static_cast<char>(byte);
        const bool visible = byte > 0x20 && byte < 0x7f;
        const std::string head = "GET " + target + " HTTP/1.1\r\n\r\n";
        // A space splits the line differently (and is refused there); a CR or LF ends it early.
        if (byte == ' ' || byte == '\r' || byte == '\n') {
          EXPECT_TRUE(check(head)) << length << " " << at << " " << byte;
          continue;
        }
        EXPECT_EQ(!check(head).has_value(), visible) << length << " " << at << " " << byte;
      }
    }
  }
  EXPECT_FALSE(
      check("GET /" + std::string(64, '~') + "!" + std::string(7, 'Z') + " HTTP/1.1\r\n\r\n"));
}

TEST(CheckRequestHead, RefusesObsFoldMissingColonsAndBadNames) {
  EXPECT_TRUE(check("GET / HTTP/1.1\r\nX: a\r\n Host: evil\r\n\r\n"));
  EXPECT_TRUE(check("GET / HTTP/1.1\r\nX: a\r\n\tHost: evil\r\n\r\n"));
  EXPECT_TRUE(check("GET / HTTP/1.1\r\nHost evil\r\n\r\n"));
  EXPECT_TRUE(check("GET / HTTP/1.1\r\nHost : x\r\n\r\n"));
  EXPECT_TRUE(check("GET / HTTP/1.1\r\nBad\"Name: x\r\n\r\n"));
  EXPECT_TRUE(check("GET / HTTP/1.1\r\n: x\r\n\r\n"));
  EXPECT_TRUE(check(std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 26)));
}

TEST(CheckRequestHead, RefusesAmbiguousBodyLengths) {
  EXPECT_TRUE(check("POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\n"));
  EXPECT_TRUE(check("POST / HTTP/1.1\r\nContent-Length: 4, 4\r\n\r\n"));
  EXPECT_TRUE(check("POST / HTTP/1.1\r\nContent-Length: +4\r\n\r\n"));
  EXPECT_TRUE(check("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"));
  EXPECT_TRUE(check("POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_TRUE(check("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"));
  EXPECT_TRUE(check("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
  EXPECT_TRUE(
      check("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"));
}

TEST(CheckRequestHead, RefusesOverlongHeaderLines) {
  const std::string head = "GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n";
  EXPECT_EQ(check_request_head(head, 200), std::nullopt);
  EXPECT_TRUE(check_request_head(head, 50));
}

TEST(RequestLineUnfinished, TellsWhetherALineEndArrived) {
  EXPECT_TRUE(request_line_unfinished("GET /aaaa"));
  EXPECT_FALSE(request_line_unfinished("GET / HTTP/1.1\r\n"));
}

}  // namespace
}  // namespace dypls::http

namespace dypls::http {
namespace {

TEST(SplitBodilessHead, SplitsAPlainHeadAsBeastReadsIt) {
  const auto head = split_bodiless_head(
      "GET /api/?Action=X HTTP/1.1\r\nHost: relay:8080\r\nX-Pad: \t padded \t\r\n"
      "X-Empty:\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->method, "GET");
  EXPECT_EQ(head->target, "/api/?Action=X");
  EXPECT_EQ(head->version, 11);
  ASSERT_EQ(head->headers.size(), 4U);
  EXPECT_EQ(head->headers[0], (std::pair<std::string, std::string>{"Host", "relay:8080"}));
  EXPECT_EQ(head->headers[1].second, "padded");
  EXPECT_EQ(head->headers[2].second, "");
  EXPECT_TRUE(head->keep_alive);
}

TEST(SplitBodilessHead, KeepAliveFollowsTheVersionAndConnection) {
  EXPECT_FALSE(split_bodiless_head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")->keep_alive);
  EXPECT_FALSE(split_bodiless_head("GET / HTTP/1.0\r\nHost: x\r\n\r\n")->keep_alive);
  EXPECT_TRUE(split_bodiless_head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")->keep_alive);
  const auto old = split_bodiless_head("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
  EXPECT_EQ(old->version, 10);
}

TEST(SplitBodilessHead, LeavesBodiesUpgradesAndConnectionListsToBeast) {
  EXPECT_FALSE(split_bodiless_head("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_FALSE(split_bodiless_head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_FALSE(split_bodiless_head("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"));
  EXPECT_FALSE(split_bodiless_head("GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n"));
  EXPECT_FALSE(split_bodiless_head("GET / HTTP/1.1\r\nProxy-Connection: x y\r\n\r\n"));
}

// The server checks and splits a head in one pass: the split is the same as split_bodiless_head's
// and is given only for a head the check accepts.
TEST(SplitBodilessHead, TheCheckSplitsInTheSamePass) {
  const std::string_view plain =
      "GET /api/?Action=X HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n";
  std::optional<BodilessHead> split;
  EXPECT_EQ(check_request_head(plain, 8192, &split), std::nullopt);
  ASSERT_TRUE(split);
  const auto alone = split_bodiless_head(plain);
  EXPECT_EQ(split->method, alone->method);
  EXPECT_EQ(split->target, alone->target);
  EXPECT_EQ(split->headers, alone->headers);
  EXPECT_FALSE(split->keep_alive);

  // Accepted but not simple: checked, not split.
  EXPECT_EQ(check_request_head("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", 8192, &split),
            std::nullopt);
  EXPECT_FALSE(split);
  // Refused, even where the lines before the problem were simple: no split is left behind.
  split = alone;
  EXPECT_TRUE(check_request_head("GET / HTTP/1.1\r\nHost: a\r\nHost b\r\n\r\n", 8192, &split));
  EXPECT_FALSE(split);
  split = alone;
  EXPECT_TRUE(check_request_head("GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
                                 8192, &split));
  EXPECT_FALSE(split);
}

}  // namespace
}  // namespace dypls::http
