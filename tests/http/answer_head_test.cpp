#include "http/answer_head.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <string>
#include <utility>
#include <vector>

namespace dypls::http {
namespace {

namespace bhttp = boost::beast::http;

const AnswerCaps kCaps{};

// What Beast's parser (the reference for every answer) reads from `bytes`.
struct Parsed {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = false;
  std::size_t used = 0;
};
Parsed parse_with_beast(const std::string& bytes) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  boost::system::error_code ec;
  Parsed out;
  out.used = parser.put(boost::asio::buffer(bytes), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_TRUE(parser.is_done());
  const auto& message = parser.get();
  out.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = message.body();
  out.keep_alive = parser.keep_alive();
  return out;
}

TEST(SplitPlainAnswer, ReadsAPlainAnswerAsBeastDoes) {
  const std::vector<std::string> answers = {
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
      "{\"Code\":\"OK\"}",
      "HTTP/1.1 200 OK\r\nx-acs-request-id: \t A-1 \t\r\nContent-Length: 2\r\nDate: Tue, 01 Dec "
      "2026 02:00:00 GMT\r\n\r\n{}",
      "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 400 Bad Request\r\nCONNECTION: Keep-Alive\r\ncontent-length: 5\r\nX-Empty:\r\n\r\n"
      "hello",
      "HTTP/1.1 404 Not: Found\r\nContent-Length: 3\r\nSet-Cookie: a=b; Path=/\r\n\r\nabc",
  };
  for (const auto& text : answers) {
    const auto plain = split_plain_answer(text, kCaps);
    ASSERT_TRUE(plain) << text;
    const Parsed beast = parse_with_beast(text);
    EXPECT_EQ(plain->status, beast.status) << text;
    EXPECT_EQ(plain->headers, beast.headers) << text;
    EXPECT_EQ(text.substr(plain->head_length, plain->body_length), beast.body) << text;
    EXPECT_EQ(plain->keep_alive, beast.keep_alive) << text;
    EXPECT_EQ(plain->head_length + plain->body_length, beast.used) << text;
  }
}

TEST(SplitPlainAnswer, LeavesWhatFollowsTheAnswerToTheCaller) {
  const std::string text = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n";
  const auto plain = split_plain_answer(text, kCaps);
  ASSERT_TRUE(plain);
  EXPECT_EQ(text.substr(plain->head_length + plain->body_length), "HTTP/1.1 200 OK\r\n");
}

TEST(SplitPlainAnswer, LeavesEverythingElseToBeast) {
  const std::string ok = "HTTP/1.1 200 OK\r\n";
  const std::vector<std::string> answers = {
      ok + "Content-Length: 2\r\n\r\n{",                              // body still on its way
      ok + "Content-Length: 2\r\n",                                   // head still on its way
      ok + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",  // chunked
      ok + "Content-Type: text/plain\r\n\r\nuntil the close",         // no length
      ok + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",        // two lengths
      ok + "Content-Length: +2\r\n\r\n{}",                            // not digits
      ok + "X-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\n{}",        // obs-fold
      ok + "X-A : 1\r\nContent-Length: 2\r\n\r\n{}",                  // space before the colon
      ok + "X-A: caf\xc3\xa9\r\nContent-Length: 2\r\n\r\n{}",         // obs-text
      ok + "X-A: a\nb\r\nContent-Length: 2\r\n\r\n{}",                // a bare LF
      ok + "X-A: a\x01\r\nContent-Length: 2\r\n\r\n{}",               // a control character
      ok + "Connection: keep-alive, Upgrade\r\nContent-Length: 2\r\n\r\n{}",  // a list
      ok + "Upgrade: h2c\r\nContent-Length: 2\r\n\r\n{}",
      ok + "Proxy-Connection: close\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",        // 1.0 keeps differently
      "HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n",  // no body by status
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\n{}",  // no reason
      "HTTP/1.1 20x OK\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200 O\x80K\r\nContent-Length: 2\r\n\r\n{}",
      "garbage\r\n\r\n",
  };
  for (const auto& text : answers) EXPECT_FALSE(split_plain_answer(text, kCaps)) << text;
}

// A cap reached is Beast's to report (as the answer's error), never read here.
TEST(SplitPlainAnswer, LeavesAnswersAtACapToBeast) {
  const std::string text = "HTTP/1.1 200 OK\r\nX-A: 1\r\nX-B: 2\r\nContent-Length: 4\r\n\r\nbody";
  ASSERT_TRUE(split_plain_answer(text, kCaps));
  AnswerCaps caps;
  caps.max_header_count = 2;
  EXPECT_FALSE(split_plain_answer(text, caps));
  caps = AnswerCaps{};
  caps.max_reason_bytes = 1;
  EXPECT_FALSE(split_plain_answer(text, caps));
  caps = AnswerCaps{};
  caps.body_limit = 3;
  EXPECT_FALSE(split_plain_answer(text, caps));
  caps = AnswerCaps{};
  caps.header_limit = 40;
  EXPECT_FALSE(split_plain_answer(text, caps));
}

}  // namespace
}  // namespace dypls::http
