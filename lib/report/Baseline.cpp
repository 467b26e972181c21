// Diagnostics lines, baselines and the --fail-on gate.
#include "report/Ci.h"

#include "analysis/Rules.h"
#include "support/Files.h"
#include "support/Utf8.h"

#include <nlohmann/json.hpp>

namespace im::report {

using nlohmann::json;

std::string emitDiagnostics(const std::vector<model::Finding> &Findings, const std::string &Cwd) {
  std::string Out;
  for (const auto &F : Findings)
    Out += support::relativeTo(F.Loc.File, Cwd) + ":" + std::to_string(F.Loc.Line) + ":" +
           std::to_string(F.Loc.Column) + ": warning: " + F.Message + " [" + F.Rule + "]\n";
  return support::validUtf8(Out);
}

std::string emitBaseline(const std::vector<model::Finding> &Findings, const RunInfo &Run) {
  json List = json::array();
  for (const auto &F : Findings)
    List.push_back({{"fingerprint", F.Fingerprint},
                    {"rule", F.Rule},
                    {"file", support::relativeTo(F.Loc.File, Run.SourceRoot)},
                    {"line", F.Loc.Line},
                    {"message", F.Message}});
  json Doc = {{"tool", "integration-mapper"},
              {"version", Run.Version},
              {"baseline_version", 1},
              {"note", "Findings accepted as known. Matched by fingerprint, not by line: "
                       "moving code does not make them new."},
              {"findings", List}};
  return support::dumpJson(Doc) + "\n";
}

llvm::Expected<std::set<std::string>> loadBaseline(const std::string &Path) {
  auto Text = support::readFile(Path);
  if (!Text)
    return Text.takeError();
  if (std::string NotUtf8 = support::notUtf8(Path, *Text); !NotUtf8.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", NotUtf8.c_str());
  if (std::string Deep = support::nestingError(Path, *Text); !Deep.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Deep.c_str());
  auto Bad = [&](const std::string &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Path + ": " + Why);
  };
  json Doc = json::parse(*Text, nullptr, false);
  if (Doc.is_discarded())
    return Bad("not valid JSON (expected a baseline written by --write-baseline)");
  if (!Doc.is_object() || !Doc.contains("findings") || !Doc["findings"].is_array())
    return Bad("not a baseline: no \"findings\" array");
  std::set<std::string> Out;
  for (const auto &F : Doc["findings"]) {
    if (!F.is_object() || !F.contains("fingerprint") || !F["fingerprint"].is_string())
      return Bad("a finding without a \"fingerprint\" string");
    Out.insert(F["fingerprint"].get<std::string>());
  }
  return Out;
}

std::vector<model::Finding> withoutBaseline(std::vector<model::Finding> Findings,
                                            const std::set<std::string> &Baseline,
                                            size_t *Matched) {
  std::vector<model::Finding> Out;
  size_t N = 0;
  for (auto &F : Findings) {
    if (Baseline.count(F.Fingerprint)) {
      ++N;
      continue;
    }
    Out.push_back(std::move(F));
  }
  if (Matched)
    *Matched = N;
  return Out;
}

bool isFailOnLevel(const std::string &Level) {
  return Level == "none" || analysis::severityRank(Level) > 0;
}

bool failsGate(const std::vector<model::Finding> &Findings, const std::string &Level) {
  int Min = analysis::severityRank(Level);
  if (Level == "none" || Min == 0)
    return false;
  for (const auto &F : Findings)
    if (analysis::severityRank(F.Severity) >= Min)
      return true;
  return false;
}

} // namespace im::report
