#include "report/Ci.h"

#include "analysis/Rules.h"
#include "support/Files.h"
#include "support/Utf8.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

namespace im::report {

using nlohmann::json;

namespace {

// Placeholder home page until the project is published; SARIF viewers link it.
constexpr const char *InformationUri = "https://github.com/integration-mapper/integration-mapper";

/// Percent-encodes what a URI reference may not contain (keeps `/`).
std::string uriEncode(const std::string &Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || C == '/' || C == '-' || C == '_' || C == '.' || C == '~')
      Out += static_cast<char>(C);
    else
      Out += fmt::format("%{:02X}", C);
  }
  return Out;
}

std::string rootUri(const std::string &Root) {
  std::string U = "file://" + uriEncode(Root);
  if (U.back() != '/')
    U += '/';
  return U;
}

} // namespace

const char *sarifLevel(const std::string &Severity) {
  int R = analysis::severityRank(Severity);
  return R >= 3 ? "error" : R == 2 ? "warning" : "note";
}

std::string emitSarif(const model::Report &R, const RunInfo &Run,
                      const std::set<std::string> *Baseline) {
  json Rules = json::array();
  std::map<std::string, size_t> Index;
  for (const auto &Rule : analysis::rules()) {
    Index[Rule.Id] = Rules.size();
    std::string Help = std::string(Rule.FullDescription) +
                       (Rule.Remedy ? std::string("\n\nHow to fix: ") + Rule.Remedy : "");
    Rules.push_back(
        {{"id", Rule.Id},
         {"name", Rule.Name},
         {"shortDescription", {{"text", Rule.ShortDescription}}},
         {"fullDescription", {{"text", Rule.FullDescription}}},
         {"help", {{"text", Help}}},
         {"defaultConfiguration", {{"level", sarifLevel(Rule.Severity)}}},
         {"properties",
          {{"security-severity", fmt::format("{:.1f}", Rule.SecuritySeverity)},
           {"problem.severity", analysis::severityRank(Rule.Severity) >= 3 ? "error"
                                : analysis::severityRank(Rule.Severity) == 2 ? "warning"
                                                                              : "recommendation"},
           {"precision", "high"},
           {"tags", json::array({"reliability", "security", "external/integration"})}}}});
  }

  json Results = json::array();
  for (const auto &F : R.Findings) {
    json Artifact;
    std::string Rel = support::relativeTo(F.Loc.File, Run.SourceRoot);
    if (!Run.SourceRoot.empty() && Rel != F.Loc.File) {
      Artifact = {{"uri", uriEncode(Rel)}, {"uriBaseId", "%SRCROOT%"}};
    } else {
      Artifact = {{"uri", "file://" + uriEncode(F.Loc.File)}};
    }
    json Region = {{"startLine", F.Loc.Line}};
    if (F.Loc.Column)
      Region["startColumn"] = F.Loc.Column;
    json Result = {
        {"ruleId", F.Rule},
        {"level", sarifLevel(F.Severity)},
        {"message", {{"text", F.Message}}},
        {"locations", json::array({{{"physicalLocation",
                                     {{"artifactLocation", Artifact}, {"region", Region}}}}})},
        {"partialFingerprints",
         {{"primaryLocationLineHash", F.Fingerprint + ":1"},
          {"integrationMapper/v1", F.Fingerprint}}},
        {"properties", {{"severity", F.Severity}, {"integration", F.Integration}}}};
    if (!F.Related.empty()) {
      json Related = json::array();
      for (const auto &E : F.Related) {
        std::string RelE = support::relativeTo(E.File, Run.SourceRoot);
        json A = !Run.SourceRoot.empty() && RelE != E.File
                     ? json{{"uri", uriEncode(RelE)}, {"uriBaseId", "%SRCROOT%"}}
                     : json{{"uri", "file://" + uriEncode(E.File)}};
        Related.push_back({{"id", Related.size()},
                           {"message", {{"text", E.Note}}},
                           {"physicalLocation",
                            {{"artifactLocation", A}, {"region", {{"startLine", E.Line}}}}}});
      }
      Result["relatedLocations"] = std::move(Related);
    }
    if (auto It = Index.find(F.Rule); It != Index.end())
      Result["ruleIndex"] = It->second;
    if (Baseline)
      Result["baselineState"] = Baseline->count(F.Fingerprint) ? "unchanged" : "new";
    Results.push_back(std::move(Result));
  }

  json Tool = {{"driver",
                {{"name", "integration-mapper"},
                 {"version", Run.Version},
                 {"semanticVersion", Run.Version},
                 {"informationUri", InformationUri},
                 {"rules", Rules}}}};
  json RunJ = {{"tool", Tool}, {"results", Results}, {"columnKind", "unicodeCodePoints"}};
  if (!Run.SourceRoot.empty())
    RunJ["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", rootUri(Run.SourceRoot)}}}};
  json Doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({RunJ})}};
  return support::dumpJson(Doc) + "\n";
}

} // namespace im::report
