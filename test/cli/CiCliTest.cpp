// The CI side of the built tool: SARIF on the example, fingerprints that survive
// an inserted blank line, baselines, --fail-on exit codes and NOLINT comments.
// Works on a copy of examples/payment-service in a temporary directory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "ToolRun.h"
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;

namespace {

using ToolResult = im::test::ToolRun;
using im::test::slurp;

ToolResult tool(const std::string &Args, const fs::path &Cwd) {
  return im::test::runTool(Args, Cwd.string());
}


void spit(const fs::path &P, const std::string &Text) { std::ofstream(P) << Text; }

/// A copy of the example service with an absolute compile_commands.json.
class ExampleCopy : public testing::Test {
protected:
  void SetUp() override {
    Root = fs::temp_directory_path() /
           ("im-ci-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) +
            "-" + std::to_string(getpid()));
    fs::remove_all(Root);
    fs::create_directories(Root);
    fs::copy(fs::path(IM_SOURCE_DIR) / "examples" / "payment-service", Root / "service",
             fs::copy_options::recursive);
    json Db = json::parse(slurp(fs::path(IM_SOURCE_DIR) / "compile_commands.example.json"));
    for (auto &E : Db)
      E["directory"] = (Root / "service").string();
    spit(Root / "compile_commands.json", Db.dump(2));
  }
  void TearDown() override { fs::remove_all(Root); }

  ToolResult analyze(const std::string &Extra, const std::string &Out = "out") {
    return tool("-p compile_commands.json --source-root service --output-dir " + Out + " " + Extra,
                Root);
  }
  json sarif(const std::string &Out = "out") {
    return json::parse(slurp(Root / Out / "integration-report.sarif"));
  }
  void insertBlankLineAtTop(const std::string &Rel) {
    fs::path P = Root / "service" / Rel;
    spit(P, "\n" + slurp(P));
  }
  void replace(const std::string &Rel, const std::string &From, const std::string &To) {
    fs::path P = Root / "service" / Rel;
    std::string S = slurp(P);
    auto Pos = S.find(From);
    ASSERT_NE(Pos, std::string::npos) << From;
    S.replace(Pos, From.size(), To);
    spit(P, S);
  }

  fs::path Root;
};

struct Result {
  std::string Uri;
  int Line;
  std::string Rule;
};

std::map<std::string, Result> byFingerprint(const json &Sarif) {
  std::map<std::string, Result> Out;
  for (const auto &R : Sarif["runs"][0]["results"]) {
    const json &L = R["locations"][0]["physicalLocation"];
    Out[R["partialFingerprints"]["primaryLocationLineHash"]] = {
        L["artifactLocation"]["uri"], L["region"]["startLine"], R["ruleId"]};
  }
  return Out;
}

TEST_F(ExampleCopy, SarifForCodeScanning) {
  ToolResult R = analyze("--format sarif,json");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("report: out/integration-report.sarif"));
  json S = sarif();
  json Report = json::parse(slurp(Root / "out" / "integration-report.json"));
  const json &Run0 = S["runs"][0];
  EXPECT_EQ(S["version"], "2.1.0");
  EXPECT_EQ(Run0["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file://" + fs::canonical(Root / "service").string() + "/");
  ASSERT_EQ(Run0["results"].size(), Report["findings"].size());
  ASSERT_EQ(Run0["results"].size(), 13u);
  const json &Rules = Run0["tool"]["driver"]["rules"];
  for (size_t I = 0; I < Run0["results"].size(); ++I) {
    const json &Res = Run0["results"][I];
    const json &F = Report["findings"][I];
    EXPECT_EQ(Res["ruleId"], F["rule"]);
    EXPECT_EQ(Rules[Res["ruleIndex"].get<size_t>()]["id"], Res["ruleId"]);
    EXPECT_EQ(Res["message"]["text"], F["message"]);
    EXPECT_EQ(Res["partialFingerprints"]["primaryLocationLineHash"],
              F["fingerprint"].get<std::string>() + ":1");
    const json &Art = Res["locations"][0]["physicalLocation"]["artifactLocation"];
    EXPECT_EQ(Art["uriBaseId"], "%SRCROOT%");
    EXPECT_EQ(Art["uri"].get<std::string>().rfind("src/", 0), 0u) << Art.dump();
    EXPECT_THAT(std::string(Res["level"]), testing::AnyOf("error", "warning", "note"));
  }
  // The refund call: libcurl without a timeout, high severity -> error.
  bool Found = false;
  for (const auto &Res : Run0["results"])
    if (Res["ruleId"] == "integration-missing-timeout" &&
        Res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
            "src/payments/StripeClient.cpp" &&
        Res["locations"][0]["physicalLocation"]["region"]["startLine"] == 55) {
      Found = true;
      EXPECT_EQ(Res["level"], "error");
      EXPECT_EQ(Res["locations"][0]["physicalLocation"]["region"]["startColumn"], 15);
    }
  EXPECT_TRUE(Found) << Run0["results"].dump(2);
  // A second run writes the same bytes.
  std::string First = slurp(Root / "out" / "integration-report.sarif");
  ASSERT_EQ(analyze("--format sarif").Exit, 0);
  EXPECT_EQ(slurp(Root / "out" / "integration-report.sarif"), First);
}

TEST_F(ExampleCopy, FingerprintsSurviveAnInsertedBlankLine) {
  ASSERT_EQ(analyze("--format sarif", "before").Exit, 0);
  for (const char *F : {"src/payments/StripeClient.cpp", "src/notify/WebhookNotifier.cpp",
                        "src/db/OrderRepository.cpp", "src/cache/SessionCache.cpp", "src/main.cpp"})
    insertBlankLineAtTop(F);
  ASSERT_EQ(analyze("--format sarif", "after").Exit, 0);
  auto Before = byFingerprint(sarif("before"));
  auto After = byFingerprint(sarif("after"));
  ASSERT_EQ(Before.size(), 13u);
  ASSERT_EQ(After.size(), Before.size());
  for (const auto &[Fp, B] : Before) {
    ASSERT_TRUE(After.count(Fp)) << "fingerprint lost: " << Fp << " " << B.Uri << ":" << B.Line;
    EXPECT_EQ(After[Fp].Uri, B.Uri);
    EXPECT_EQ(After[Fp].Rule, B.Rule);
    EXPECT_EQ(After[Fp].Line, B.Line + 1) << B.Uri;
  }
}

TEST_F(ExampleCopy, BaselineReportsAndGatesOnlyNewFindings) {
  ToolResult W = analyze("--format json --write-baseline baseline.json --fail-on=high");
  EXPECT_EQ(W.Exit, 1) << W.Output; // the example has high findings
  EXPECT_THAT(W.Output, HasSubstr("baseline: baseline.json"));
  json B = json::parse(slurp(Root / "baseline.json"));
  ASSERT_EQ(B["findings"].size(), 13u);
  EXPECT_EQ(B["findings"][0]["file"].get<std::string>().rfind("src/", 0), 0u);

  // Unrelated edits move every old finding; nothing new: exit 0, nothing reported.
  insertBlankLineAtTop("src/payments/StripeClient.cpp");
  insertBlankLineAtTop("src/notify/WebhookNotifier.cpp");
  ToolResult Same = analyze("--format sarif,json,diagnostics --baseline baseline.json --fail-on=low");
  EXPECT_EQ(Same.Exit, 0) << Same.Output;
  EXPECT_THAT(Same.Output, HasSubstr("13 findings in baseline baseline.json, 0 new"));
  EXPECT_EQ(Same.Output.find("warning:"), std::string::npos) << Same.Output;
  // SARIF keeps them for code scanning (which would close missing alerts as fixed),
  // marked as known.
  json Known = sarif()["runs"][0]["results"];
  ASSERT_EQ(Known.size(), 13u);
  for (const auto &Res : Known)
    EXPECT_EQ(Res["baselineState"], "unchanged");

  // A new unprotected call: exactly its findings are reported and gate the build.
  replace("src/notify/WebhookNotifier.cpp", "} // namespace shop::notify",
          "void ping() {\n  CURL *h = curl_easy_init();\n  curl_easy_perform(h);\n}\n\n"
          "} // namespace shop::notify");
  ToolResult New = analyze("--format sarif,json,diagnostics --baseline baseline.json --fail-on=high");
  EXPECT_EQ(New.Exit, 1) << New.Output;
  EXPECT_THAT(New.Output, HasSubstr("13 findings in baseline baseline.json, 2 new"));
  EXPECT_THAT(New.Output,
              HasSubstr("service/src/notify/WebhookNotifier.cpp:43:3: warning: `curl_easy_perform` on `h` "
                        "has no timeout: no CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS/CURLOPT_CONNECTTIMEOUT/"
                        "CURLOPT_CONNECTTIMEOUT_MS on handle `h` before line 43; libcurl waits "
                        "forever for a transfer by default (connect phase: 300 s) "
                        "[integration-missing-timeout]\n"));
  EXPECT_THAT(New.Output, HasSubstr("integration-mapper: findings at or above --fail-on=high remain"));
  json S = sarif();
  ASSERT_EQ(S["runs"][0]["results"].size(), 15u);
  int NewResults = 0;
  for (const auto &Res : S["runs"][0]["results"])
    if (Res["baselineState"] == "new") {
      ++NewResults;
      EXPECT_EQ(Res["locations"][0]["physicalLocation"]["region"]["startLine"], 43);
    } else {
      EXPECT_EQ(Res["baselineState"], "unchanged");
    }
  EXPECT_EQ(NewResults, 2);
  json Report = json::parse(slurp(Root / "out" / "integration-report.json"));
  EXPECT_EQ(Report["findings"].size(), 2u);
  // The new findings are low (retry) and high (timeout): critical does not fail.
  EXPECT_EQ(analyze("--format json --baseline baseline.json --fail-on=critical").Exit, 0);
  EXPECT_EQ(analyze("--format json --baseline baseline.json --fail-on=none").Exit, 0);
  EXPECT_EQ(analyze("--format json --baseline baseline.json").Exit, 0);
}

TEST_F(ExampleCopy, NolintCommentsSuppressInTheCli) {
  replace("src/payments/StripeClient.cpp", "result.ok = curl_easy_perform(curl) == CURLE_OK;",
          "result.ok = curl_easy_perform(curl) == CURLE_OK; // NOLINT(integration-missing-timeout)");
  replace("src/db/OrderRepository.cpp", "  tx.commit();",
          "  // NOLINTNEXTLINE(integration-*)\n  tx.commit();");
  ToolResult R = analyze("--format json,diagnostics");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("2 findings suppressed by NOLINT comments"));
  EXPECT_THAT(R.Output, HasSubstr("src/payments/StripeClient.cpp:55:15: warning: `curl_easy_perform` "
                                  "on `curl` is not retried"));
  EXPECT_THAT(R.Output, testing::Not(HasSubstr("StripeClient.cpp:55:15: warning: `curl_easy_perform` "
                                               "on `curl` has no timeout")));
  EXPECT_THAT(R.Output, testing::Not(HasSubstr("OrderRepository.cpp:14:")));
  json Report = json::parse(slurp(Root / "out" / "integration-report.json"));
  EXPECT_EQ(Report["findings"].size(), 11u);
}

TEST_F(ExampleCopy, DiagnosticsAreTheDefaultOnATerminal) {
  if (std::system("command -v script >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "script(1) is needed to give the tool a terminal";
  // Not a terminal: the reports only, no warning lines.
  ToolResult Pipe = analyze("");
  EXPECT_EQ(Pipe.Output.find("warning:"), std::string::npos) << Pipe.Output;
  // A terminal (script(1) allocates one): the warnings, and the reports are still written.
  fs::remove_all(Root / "out");
  std::string Cmd = "cd '" + Root.string() + "' && script -qec \"'" IM_TOOL
                    "' -p compile_commands.json --output-dir out\" /dev/null 2>&1";
  FILE *P = popen(Cmd.c_str(), "r");
  std::string Out;
  std::array<char, 4096> Buf;
  for (size_t N; (N = fread(Buf.data(), 1, Buf.size(), P)) > 0;)
    Out.append(Buf.data(), N);
  EXPECT_EQ(pclose(P), 0);
  EXPECT_THAT(Out, HasSubstr("service/src/payments/StripeClient.cpp:55:15: warning: "
                             "`curl_easy_perform` on `curl` has no timeout"));
  EXPECT_TRUE(fs::exists(Root / "out" / "integration-report.json"));
  EXPECT_TRUE(fs::exists(Root / "out" / "INTEGRATION_RISK_ANALYSIS.md"));
}

TEST_F(ExampleCopy, BadCiOptionsAreUsageErrors) {
  ToolResult R = analyze("--fail-on=severe");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: --fail-on: unknown severity 'severe' (expected "
                      "critical, high, medium, low, none)\n");
  R = analyze("--baseline missing.json");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_THAT(R.Output, testing::StartsWith("integration-mapper: error: missing.json"));
  EXPECT_EQ(std::count(R.Output.begin(), R.Output.end(), '\n'), 1);
  spit(Root / "bad.json", "[1, 2]");
  R = analyze("--baseline bad.json");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: bad.json: not a baseline: no \"findings\" array\n");
}

} // namespace
