// lib-level pieces of the CI outputs: NOLINT parsing, baselines, the gate,
// SARIF structure, and what one translation unit cannot know.
#include "analysis/Nolint.h"
#include "analysis/Rules.h"
#include "analysis/TuScope.h"
#include "report/Ci.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace im;
using nlohmann::json;

namespace {

model::Finding finding(const std::string &File, unsigned Line, const std::string &Rule,
                       const std::string &Severity, const std::string &Fp) {
  model::Finding F;
  F.Loc = {File, Line, 3};
  F.Rule = Rule;
  F.Severity = Severity;
  F.Message = "`curl_easy_perform` on `h` has no timeout";
  F.Fingerprint = Fp;
  F.Integration = "example-com";
  return F;
}

const char *Timeout = "integration-missing-timeout";
const char *Retry = "integration-missing-retry";

// ------------------------------------------------------------------ NOLINT

TEST(Nolint, SameLineWithAndWithoutList) {
  std::string Src = "a();\n"
                    "b(); // NOLINT\n"
                    "c(); // NOLINT(integration-missing-timeout)\n"
                    "d(); // NOLINT(integration-*-retry, bugprone-*)\n"
                    "e(); // NOLINTFOO\n";
  EXPECT_FALSE(analysis::isSuppressed(Src, 1, Timeout));
  EXPECT_TRUE(analysis::isSuppressed(Src, 2, Timeout));
  EXPECT_TRUE(analysis::isSuppressed(Src, 2, Retry));
  EXPECT_TRUE(analysis::isSuppressed(Src, 3, Timeout));
  EXPECT_FALSE(analysis::isSuppressed(Src, 3, Retry));
  EXPECT_TRUE(analysis::isSuppressed(Src, 4, Retry));
  EXPECT_FALSE(analysis::isSuppressed(Src, 4, Timeout));
  EXPECT_FALSE(analysis::isSuppressed(Src, 5, Timeout));
}

TEST(Nolint, NextLineAppliesOnlyToTheNextLine) {
  std::string Src = "// NOLINTNEXTLINE(integration-missing-retry)\n"
                    "a();\n"
                    "b();\n";
  EXPECT_FALSE(analysis::isSuppressed(Src, 1, Retry));
  EXPECT_TRUE(analysis::isSuppressed(Src, 2, Retry));
  EXPECT_FALSE(analysis::isSuppressed(Src, 2, Timeout));
  EXPECT_FALSE(analysis::isSuppressed(Src, 3, Retry));
}

TEST(Nolint, BeginEndRegion) {
  std::string Src = "// NOLINTBEGIN(integration-missing-timeout)\n"
                    "a();\n"
                    "// NOLINTEND(integration-missing-timeout)\n"
                    "b();\n";
  EXPECT_TRUE(analysis::isSuppressed(Src, 2, Timeout));
  EXPECT_FALSE(analysis::isSuppressed(Src, 2, Retry));
  EXPECT_FALSE(analysis::isSuppressed(Src, 4, Timeout));
}

TEST(Nolint, DropSuppressedReadsEachFileOnce) {
  int Reads = 0;
  auto Read = [&](const std::string &P) -> std::optional<std::string> {
    ++Reads;
    if (P == "/missing.cpp")
      return std::nullopt;
    return std::string("x();\ny(); // NOLINT(integration-missing-timeout)\n");
  };
  size_t Dropped = 0;
  auto Out = analysis::dropSuppressed({finding("/a.cpp", 2, Timeout, "high", "1"),
                                       finding("/a.cpp", 2, Retry, "low", "2"),
                                       finding("/missing.cpp", 2, Timeout, "high", "3")},
                                      Read, &Dropped);
  EXPECT_EQ(Dropped, 1u);
  ASSERT_EQ(Out.size(), 2u);
  EXPECT_EQ(Out[0].Fingerprint, "2");
  EXPECT_EQ(Out[1].Fingerprint, "3");
  EXPECT_EQ(Reads, 2);
}

// ------------------------------------------------------------------ baseline and gate

TEST(Baseline, RoundTripMatchesByFingerprintNotLine) {
  report::RunInfo Run{"0.1.0", "/src", "", {}};
  std::string Text = report::emitBaseline({finding("/src/a.cpp", 10, Timeout, "high", "aaa")}, Run);
  auto P = std::filesystem::temp_directory_path() / ("im-baseline-" + std::to_string(getpid()));
  std::ofstream(P) << Text;
  auto B = report::loadBaseline(P.string());
  ASSERT_TRUE(static_cast<bool>(B)) << llvm::toString(B.takeError());
  EXPECT_EQ(*B, std::set<std::string>{"aaa"});
  size_t Matched = 0;
  // Same finding moved to line 11, and a new one.
  auto Out = report::withoutBaseline({finding("/src/a.cpp", 11, Timeout, "high", "aaa"),
                                      finding("/src/a.cpp", 20, Timeout, "high", "bbb")},
                                     *B, &Matched);
  EXPECT_EQ(Matched, 1u);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Fingerprint, "bbb");
  json J = json::parse(Text);
  EXPECT_EQ(J["findings"][0]["file"], "a.cpp");
  EXPECT_EQ(J["findings"][0]["rule"], Timeout);
  std::filesystem::remove(P);
}

TEST(Baseline, BadFileNamesTheFile) {
  auto P = std::filesystem::temp_directory_path() / ("im-badbase-" + std::to_string(getpid()));
  std::ofstream(P) << "{\"findings\": [{\"rule\": \"x\"}]}";
  auto B = report::loadBaseline(P.string());
  ASSERT_FALSE(static_cast<bool>(B));
  EXPECT_EQ(llvm::toString(B.takeError()),
            P.string() + ": a finding without a \"fingerprint\" string");
  std::ofstream(P) << "not json";
  B = report::loadBaseline(P.string());
  ASSERT_FALSE(static_cast<bool>(B));
  EXPECT_THAT(llvm::toString(B.takeError()), testing::HasSubstr(P.string() + ": not valid JSON"));
  std::filesystem::remove(P);
}

TEST(Gate, FailOnThresholds) {
  std::vector<model::Finding> F = {finding("/a.cpp", 1, Retry, "low", "1"),
                                   finding("/a.cpp", 2, Timeout, "medium", "2")};
  EXPECT_FALSE(report::failsGate(F, "none"));
  EXPECT_TRUE(report::failsGate(F, "low"));
  EXPECT_TRUE(report::failsGate(F, "medium"));
  EXPECT_FALSE(report::failsGate(F, "high"));
  EXPECT_FALSE(report::failsGate(F, "critical"));
  EXPECT_FALSE(report::failsGate({}, "low"));
  EXPECT_TRUE(report::isFailOnLevel("critical"));
  EXPECT_TRUE(report::isFailOnLevel("none"));
  EXPECT_FALSE(report::isFailOnLevel("severe"));
}

// ------------------------------------------------------------------ outputs

TEST(Diagnostics, ClangStyleLinesRelativeToCwd) {
  auto F = finding("/work/p/src/a.cpp", 7, Timeout, "high", "1");
  F.Loc.Column = 9;
  auto G = finding("/elsewhere/b.cpp", 3, Retry, "low", "2");
  EXPECT_EQ(report::emitDiagnostics({F, G}, "/work/p"),
            "src/a.cpp:7:9: warning: `curl_easy_perform` on `h` has no timeout "
            "[integration-missing-timeout]\n"
            "/elsewhere/b.cpp:3:3: warning: `curl_easy_perform` on `h` has no timeout "
            "[integration-missing-retry]\n");
}

TEST(Sarif, LevelsFollowSeverity) {
  EXPECT_STREQ(report::sarifLevel("critical"), "error");
  EXPECT_STREQ(report::sarifLevel("high"), "error");
  EXPECT_STREQ(report::sarifLevel("medium"), "warning");
  EXPECT_STREQ(report::sarifLevel("low"), "note");
}

TEST(Sarif, RulesAndResultsFieldByField) {
  model::Report R;
  R.Findings = {finding("/src/dir with space/a.cpp", 12, Timeout, "high", "0123456789abcdef"),
                finding("/outside/b.cpp", 4, Retry, "low", "fedcba9876543210")};
  report::RunInfo Run{"0.1.0", "/src", "", {}};
  json S = json::parse(report::emitSarif(R, Run));
  EXPECT_EQ(S["version"], "2.1.0");
  EXPECT_EQ(S["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(S["runs"].size(), 1u);
  const json &Run0 = S["runs"][0];
  const json &Driver = Run0["tool"]["driver"];
  EXPECT_EQ(Driver["name"], "integration-mapper");
  EXPECT_EQ(Driver["version"], "0.1.0");
  EXPECT_TRUE(Driver["informationUri"].get<std::string>().rfind("https://", 0) == 0);
  ASSERT_EQ(Driver["rules"].size(), analysis::rules().size());
  size_t TimeoutIndex = 0;
  for (size_t I = 0; I < Driver["rules"].size(); ++I) {
    const json &Rule = Driver["rules"][I];
    const auto *Info = analysis::rule(Rule["id"].get<std::string>());
    ASSERT_NE(Info, nullptr);
    EXPECT_EQ(Rule["name"], Info->Name);
    EXPECT_EQ(Rule["shortDescription"]["text"], Info->ShortDescription);
    EXPECT_EQ(Rule["fullDescription"]["text"], Info->FullDescription);
    EXPECT_THAT(Rule["help"]["text"].get<std::string>(), testing::HasSubstr(Info->FullDescription));
    EXPECT_TRUE(Rule["properties"]["security-severity"].is_string());
    EXPECT_TRUE(Rule["properties"]["tags"].is_array());
    if (Rule["id"] == Timeout)
      TimeoutIndex = I;
  }
  EXPECT_EQ(Driver["rules"][TimeoutIndex]["properties"]["security-severity"], "7.5");
  EXPECT_THAT(Driver["rules"][TimeoutIndex]["help"]["text"].get<std::string>(),
              testing::HasSubstr("How to fix: Set a total timeout"));
  EXPECT_EQ(Run0["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///src/");

  ASSERT_EQ(Run0["results"].size(), 2u);
  const json &A = Run0["results"][0];
  EXPECT_EQ(A["ruleId"], Timeout);
  EXPECT_EQ(A["ruleIndex"], TimeoutIndex);
  EXPECT_EQ(A["level"], "error");
  EXPECT_EQ(A["message"]["text"], "`curl_easy_perform` on `h` has no timeout");
  const json &Phys = A["locations"][0]["physicalLocation"];
  EXPECT_EQ(Phys["artifactLocation"]["uri"], "dir%20with%20space/a.cpp");
  EXPECT_EQ(Phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(Phys["region"]["startLine"], 12);
  EXPECT_EQ(Phys["region"]["startColumn"], 3);
  EXPECT_EQ(A["partialFingerprints"]["primaryLocationLineHash"], "0123456789abcdef:1");
  const json &B = Run0["results"][1];
  EXPECT_EQ(B["level"], "note");
  // Outside the source root: an absolute file URI, no base id.
  EXPECT_EQ(B["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///outside/b.cpp");
  EXPECT_FALSE(B["locations"][0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
}

TEST(Sarif, BaselineStateMarksKnownFindings) {
  model::Report R;
  R.Findings = {finding("/src/a.cpp", 1, Timeout, "high", "old"),
                finding("/src/a.cpp", 2, Timeout, "high", "fresh")};
  report::RunInfo Run{"0.1.0", "/src", "", {}};
  json Plain = json::parse(report::emitSarif(R, Run));
  EXPECT_FALSE(Plain["runs"][0]["results"][0].contains("baselineState"));
  std::set<std::string> Baseline{"old"};
  json S = json::parse(report::emitSarif(R, Run, &Baseline));
  EXPECT_EQ(S["runs"][0]["results"][0]["baselineState"], "unchanged");
  EXPECT_EQ(S["runs"][0]["results"][1]["baselineState"], "new");
}

// ------------------------------------------------------------------ one translation unit

TEST(TuScope, HelperWithoutBodySaysSo) {
  analysis::Merged M;
  model::CallSite C;
  C.Loc = {"/a.cpp", 10, 3};
  C.HandleKey = "var:h@/a.cpp:5:9";
  C.Function = "fetch";
  M.Flows.push_back({C.HandleKey, "configure(CURL *)", 0, {"/a.cpp", 8, 3}, "fetch()"});
  EXPECT_EQ(analysis::singleTuCaveat(M, C, Timeout),
            "(a helper in another translation unit may set it; run integration-mapper for a "
            "whole-program answer)");
  // The helper's body is in this TU (and sets nothing): the TU knows.
  M.Functions.push_back({"configure(CURL *)", "configure", {"/a.cpp", 1, 6}});
  EXPECT_EQ(analysis::singleTuCaveat(M, C, Timeout), "");
  // Passed only after the call: cannot configure it.
  M.Functions.clear();
  M.Flows[0].Loc = {"/a.cpp", 12, 3};
  EXPECT_EQ(analysis::singleTuCaveat(M, C, Timeout), "");
}

TEST(TuScope, ParametersMembersAndCallers) {
  analysis::Merged M;
  model::CallSite C;
  C.Loc = {"/a.cpp", 10, 3};
  C.HandleKey = "param:fetch(CURL *)#0";
  C.Function = "fetch";
  EXPECT_THAT(analysis::singleTuCaveat(M, C, Timeout),
              testing::StartsWith("(a caller in another translation unit may set it;"));
  C.HandleKey = "field:Client::curl_";
  EXPECT_THAT(analysis::singleTuCaveat(M, C, Timeout),
              testing::StartsWith("(code in another translation unit may set it on the member;"));
  EXPECT_THAT(analysis::singleTuCaveat(M, C, Retry),
              testing::StartsWith("(a caller in another translation unit may retry it;"));
  C.Function = "main";
  EXPECT_EQ(analysis::singleTuCaveat(M, C, Retry), "");
  EXPECT_EQ(analysis::singleTuCaveat(M, C, "integration-unbounded-retry"), "");
}

TEST(TuScope, ATimeoutFromAParameterIsDecidedByCallersElsewhere) {
  analysis::Merged M;
  model::Setting S;
  S.HandleKey = "field:Db::mysql_";
  S.Option = "MYSQL_OPT_CONNECT_TIMEOUT";
  S.Loc = {"/a.cpp", 8, 3};
  S.Val.ParamKey = "param:Db::open(unsigned int)#0";
  M.Settings.push_back(S);
  model::CallSite C;
  C.Loc = {"/a.cpp", 10, 3};
  C.Function = "Db::open";
  C.Timeout.Status = "conditional";
  C.Timeout.Evidence.push_back({"/a.cpp", 8, "MYSQL_OPT_CONNECT_TIMEOUT = timeout_s"});
  const char *Unverified = "integration-unverified-timeout";
  EXPECT_THAT(analysis::singleTuCaveat(M, C, Unverified),
              testing::StartsWith("(a caller in another translation unit may pass a constant for it;"));
  // A value from the environment is not the callers' to decide.
  M.Settings[0].Val.ParamKey.clear();
  EXPECT_EQ(analysis::singleTuCaveat(M, C, Unverified), "");
}

} // namespace
