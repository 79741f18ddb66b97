#include "relay/access_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "relay/http_date.h"
#include "relay/relay_error.h"

namespace dypls::relay {
namespace {

TEST(AccessLog, OneJsonLineWithMaskedKeyAndNoQuery) {
  AccessLogEntry entry;
  entry.time = "2026-11-28T07:59:11.123Z";
  entry.client = "127.0.0.1";
  entry.method = "POST";
  entry.path = "/api/";
  entry.action = "BuySecretNo";
  entry.status = 200;
  entry.upstream_status = 200;
  entry.request_id = "A1B2";
  entry.key_id = "STS.NUgYrLnoCabcdefgh9Q2";
  entry.latency_ms = 12.345;
  const std::string line = format_access_log(entry);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["action"], "BuySecretNo");
  EXPECT_EQ(json["upstreamStatus"], 200);
  EXPECT_EQ(json["requestId"], "A1B2");
  EXPECT_EQ(json["keyId"], "STS.NUgY...Q2");
  EXPECT_DOUBLE_EQ(json["latencyMs"].get<double>(), 12.3);
  EXPECT_EQ(line.find("abcdefgh"), std::string::npos);
}

// The relay formats each line straight into its buffer of waiting lines: the same bytes, after
// what is already there, plain or through nlohmann.
TEST(AccessLog, AppendsTheSameLineAfterWhatIsThere) {
  AccessLogEntry entry;
  entry.time = "2026-11-28T07:59:11.123Z";
  entry.client = "127.0.0.1";
  entry.method = "GET";
  entry.path = "/api/";
  entry.status = 200;
  std::string lines = "earlier line\n";
  append_access_log(lines, entry);
  EXPECT_EQ(lines, "earlier line\n" + format_access_log(entry));
  entry.path = "/caf\xc3\xa9\"";  // not plain: the nlohmann path
  append_access_log(lines, entry);
  EXPECT_EQ(lines.substr(lines.find('}') + 1), format_access_log(entry));
}

// The line is written directly for speed; it must be byte for byte what nlohmann's dump of the
// same fields gives (sorted keys, compact, latency in tenths), for every mix of fields.
TEST(AccessLog, DirectLineIsTheJsonDump) {
  const double latencies[] = {0, 0.04, 0.1, 0.3, 1, 2.5, 12.345, 99.99, 1234.56, 86400000.7};
  int n = 0;
  for (const double latency : latencies) {
    for (int mask = 0; mask < 32; ++mask, ++n) {
      AccessLogEntry entry;
      entry.time = "2026-11-28T07:59:11.123Z";
      entry.client = n % 2 ? "127.0.0.1" : "::1";
      entry.method = "GET";
      entry.path = std::string(n % 3 ? "/api/" : "/") + std::string(n % 5 ? 0 : 200, 'x');
      entry.status = 200 + n;
      entry.latency_ms = latency;
      if (mask & 1)
        entry.action = std::string(n % 7 ? "QuerySecretNoRemain" : std::string(80, 'A'));
      if (mask & 2) entry.upstream_status = 500 - n;
      if (mask & 4) entry.request_id = "relay-1f-" + std::to_string(n);
      if (mask & 8) entry.relay_code = "Relay.Busy";
      if (mask & 16) entry.key_id = n % 2 ? "LTAIbenchmark0000000000001" : "short";
      nlohmann::json expected = {{"time", entry.time},
                                 {"client", entry.client},
                                 {"method", entry.method},
                                 {"path", entry.path.substr(0, 128)},
                                 {"status", entry.status}};
      if (!entry.action.empty()) expected["action"] = entry.action.substr(0, 64);
      if (entry.upstream_status) expected["upstreamStatus"] = *entry.upstream_status;
      if (!entry.request_id.empty()) expected["requestId"] = entry.request_id;
      if (!entry.relay_code.empty()) expected["code"] = entry.relay_code;
      if (!entry.key_id.empty()) expected["keyId"] = mask_identifier(entry.key_id);
      expected["latencyMs"] =
          static_cast<double>(static_cast<long long>(entry.latency_ms * 10.0)) / 10.0;
      EXPECT_EQ(format_access_log(entry), expected.dump())
          << "latency " << latency << " mask " << mask;
    }
  }
}

// The view of the same fields writes the same line, plain or not (the JSON fallback).
TEST(AccessLog, ViewWritesTheEntrysLine) {
  for (const char* action : {"QuerySecretNoRemain", "\xff\xfe", "a\"b", ""}) {
    for (const std::string& request_id :
         {std::string("R1"), std::string(), std::string(80, 'r'), std::string("tab\there")}) {
      AccessLogEntry entry;
      entry.time = "2026-11-28T07:59:11.123Z";
      entry.client = "127.0.0.1";
      entry.method = "GET";
      entry.path = "/api/" + std::string(200, 'p');
      entry.action = action;
      entry.status = 200;
      entry.upstream_status = 200;
      entry.request_id = request_id;
      entry.relay_code = request_id.empty() ? "Relay.Busy" : "";
      entry.key_id = "LTAIbenchmark0000000000001";
      entry.latency_ms = 12.345;
      AccessLogView view;
      view.time = entry.time;
      view.client = entry.client;
      view.method = entry.method;
      view.path = entry.path;
      view.action = entry.action;
      view.status = entry.status;
      view.upstream_status = entry.upstream_status;
      view.request_id = entry.request_id;
      view.relay_code = entry.relay_code;
      view.key_id = entry.key_id;
      view.latency_ms = entry.latency_ms;
      std::string line = "x";
      append_access_log(line, view);
      EXPECT_EQ(line, "x" + format_access_log(entry)) << action << " " << request_id;
    }
  }
}

// A byte that needs escaping is found wherever it is in a field (the check reads eight bytes at a
// time): the line is then nlohmann's dump, escapes and all.
TEST(AccessLog, FindsBytesToEscapeAnywhereInAField) {
  for (const char special : {'"', '\\', '\x1f', '\x7f', '\x80', '\t', '\0'}) {
    for (std::size_t at = 0; at < 21; ++at) {
      AccessLogEntry entry;
      entry.time = "2026-11-28T07:59:11.123Z";
      entry.client = "127.0.0.1";
      entry.method = "GET";
      entry.path = "/api/";
      entry.status = 200;
      entry.action = std::string(21, 'A');
      entry.action[at] = special;
      nlohmann::json expected = {{"time", entry.time},     {"client", entry.client},
                                 {"method", entry.method}, {"path", entry.path},
                                 {"status", entry.status}, {"action", entry.action},
                                 {"latencyMs", 0.0}};
      EXPECT_EQ(format_access_log(entry),
                expected.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
          << static_cast<int>(special) << " at " << at;
    }
  }
}

TEST(AccessLog, MasksShortIdsEntirely) {
  EXPECT_EQ(mask_identifier("short"), "***");
  EXPECT_EQ(mask_identifier("LTAI5tExample01"), "LTAI...01");
  EXPECT_EQ(mask_identifier(""), "");
}

TEST(AccessLog, SurvivesInvalidUtf8) {
  AccessLogEntry entry;
  entry.action = "\xff\xfe";
  EXPECT_NO_THROW(nlohmann::json::parse(format_access_log(entry)));
}

TEST(AccessLog, FindsTheRequestId) {
  EXPECT_EQ(extract_request_id(R"({"RequestId":"R1","Code":"OK"})", "H1"), "R1");
  EXPECT_EQ(extract_request_id("<html>", "H1"), "H1");
  EXPECT_EQ(extract_request_id(R"({"RequestId":5})", ""), "");
}

// Read without building the document, with the verdict parsing it whole would give.
TEST(AccessLog, RequestIdAsTheWholeDocumentSaysIt) {
  const char* bodies[] = {
      R"({"RequestId":"R1","Code":"OK"})",
      R"({"Code":"OK","RequestId":"R2"})",
      R"({"RequestId":"R1","RequestId":"R3"})",
      R"({"RequestId":"R1","RequestId":7})",
      R"({"RequestId":7,"RequestId":"R4"})",
      R"({"Data":{"RequestId":"inner"}})",
      R"({"Data":{"RequestId":"inner"},"RequestId":"outer"})",
      R"({"RequestId":{"RequestId":"x"}})",
      R"({"RequestId":["R5"]})",
      R"([{"RequestId":"R6"}])",
      R"("RequestId")",
      R"({"RequestId":"R7"} trailing)",
      R"({"RequestId":"R8",)",
      R"({"RequestId":"R9","Code":"OK","X":[1,2,{"RequestId":"no"}],"Y":null,"Z":1.5})",
      "",
      // Read by the plain reader, or left to nlohmann: the same verdict either way.
      " \t\r\n{ \"RequestId\" : \"R10\" , \"Ok\" : true , \"No\" : false } \n",
      R"({"RequestId":"R\u0031\n"})",
      R"({"Request\u0049d":"R12"})",
      "{\"RequestId\":\"\xe6\x9d\xad\"}",
      "\xef\xbb\xbf{\"RequestId\":\"R13\"}",
      "{\"RequestId\":\"bad\xff\"}",
      "{\"RequestId\":\"\xf0\x9f\x98\x80 \xc3\xa9 \x7f\"}",
      "{\"RequestId\":\"overlong \xc0\xaf\"}",
      "{\"RequestId\":\"surrogate \xed\xa0\x80\"}",
      "{\"RequestId\":\"past U+10FFFF \xf4\x90\x80\x80\"}",
      "{\"RequestId\":\"cut \xe6\x9d\"}",
      "{\"RequestId\":\"lone \x80\"}",
      "{\"RequestId\":\"ok\",\"City\":\"\xe6\x9d\xad\xe5\xb7\x9e\"}",
      "{\"RequestId\":\"tab\there\"}",
      R"({"RequestId":"R14","N":1e400})",
      R"({"RequestId":"R15","N":-0.5E+3,"M":0,"K":-12.25})",
      R"({"RequestId":"R16","N":01})",
      R"({"RequestId":"R17","N":1.})",
      R"({"RequestId":"R18","N":.5})",
      R"({"RequestId":"R19","N":-})",
      R"({"RequestId":"R20","N":123456789012345678901234567890123456789})",
      R"({"RequestId":"R21","A":[[[[[[]]]]]],"O":{"a":{"b":{}}}})",
      R"({"RequestId":"R22","A":[1,]})",
      R"({"RequestId":"R23",})",
      R"({"RequestId":"R24" "Code":"OK"})",
      R"({"RequestId":"R25","T":tru})",
      R"({"RequestId":"R26"}})",
      R"({"RequestId":"R27"}{})",
      R"({"RequestId":"R28")",
      R"({"RequestId":"R29)",
      R"({})",
      R"([])",
      "   ",
  };
  std::vector<std::string> all(std::begin(bodies), std::end(bodies));
  // Strings read eight bytes at a time: whatever stops the reader is found at any place.
  for (const std::string stop : {"\"", "\\n", "\x01", "\x7f", "\xc3\xa9", "\xff", "\xe6\x9d"}) {
    for (std::size_t at = 0; at < 19; ++at) {
      const std::string text = std::string(at, 'a') + stop + std::string(18 - at, 'b');
      all.push_back("{\"RequestId\":\"" + text + "\"}");
      all.push_back("{\"Other\":\"" + text + "\",\"RequestId\":\"R\"}");
    }
  }
  for (const std::string& body : all) {
    std::string expected = "H";
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) {
      const auto it = parsed.find("RequestId");
      if (it != parsed.end() && it->is_string()) expected = it->get<std::string>();
    }
    EXPECT_EQ(extract_request_id(body, "H"), expected) << body;
  }
}

TEST(AccessLog, Timestamps) {
  EXPECT_EQ(log_timestamp(1795852751123LL), "2026-11-28T07:59:11.123Z");
  EXPECT_EQ(http_date(1795852751), "Sat, 28 Nov 2026 07:59:11 GMT");
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST(RelayError, GatewayShapedBody) {
  Refusal refusal = refuse(RelayCode::kRateLimited, "slow down");
  const auto json = nlohmann::json::parse(error_body(refusal, "relay-1"));
  EXPECT_EQ(json["Code"], "Relay.RateLimited");
  EXPECT_EQ(json["HostId"], "dypls-relay");
  EXPECT_EQ(json["RequestId"], "relay-1");
  EXPECT_EQ(json["Message"], "slow down");
  EXPECT_FALSE(json["Recommend"].get<std::string>().empty());
  EXPECT_EQ(http_status(RelayCode::kRateLimited), 429);
  EXPECT_EQ(http_status(RelayCode::kUpstreamTimeout), 504);
  EXPECT_EQ(http_status(RelayCode::kUpstreamConnectionLost), 502);
  EXPECT_EQ(http_status(RelayCode::kBusy), 503);
}

}  // namespace
}  // namespace dypls::relay
