#include "Shards.h"

#include "support/Files.h"
#include "support/Utf8.h"

#include <nlohmann/json.hpp>

#include <map>

using nlohmann::json;

namespace im::cli {

namespace {
constexpr const char *Format = "integration-mapper facts 1";

llvm::Error err(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Message.c_str());
}
} // namespace

llvm::Error writeFactsFile(const std::string &Path, const FactsFile &F) {
  json J;
  J["format"] = Format;
  J["shard"] = {F.Index, F.Count};
  J["prefilter"] = F.Prefilter;
  J["salt"] = F.Salt;
  J["database"] = F.Database;
  J["sources"] = F.Sources;
  J["units"] = json::array();
  for (const auto &U : F.Units)
    J["units"].push_back(model::toJson(U));
  return support::writeFileAtomic(Path, support::dumpJson(J, -1));
}

llvm::Expected<FactsFile> readFactsFile(const std::string &Path) {
  auto Text = support::readFile(Path);
  if (!Text)
    return Text.takeError();
  return parseFactsFile(Path, *Text);
}

llvm::Expected<FactsFile> parseFactsFile(const std::string &Path, const std::string &Text) {
  if (std::string Deep = support::nestingError(Path, Text); !Deep.empty())
    return err(Deep);
  json J = json::parse(Text, nullptr, /*allow_exceptions=*/false);
  if (!J.is_object() || !J.contains("format") || !J["format"].is_string() ||
      J["format"].get<std::string>() != Format)
    return err(Path + ": not a facts file of this version of integration-mapper (written by "
                      "--shard)");
  FactsFile F;
  F.Path = Path;
  try {
    auto Index = support::integerAs<unsigned>(J.at("shard").at(0));
    auto Count = support::integerAs<unsigned>(J.at("shard").at(1));
    if (!Index || !Count)
      return err(Path + ": malformed facts file: bad shard number");
    F.Index = *Index;
    F.Count = *Count;
    F.Prefilter = J.at("prefilter").get<bool>();
    F.Salt = J.at("salt").get<std::string>();
    F.Database = J.at("database").get<std::string>();
    F.Sources = J.at("sources").get<std::vector<std::string>>();
    for (const auto &U : J.at("units"))
      F.Units.push_back(model::tuFactsFromJson(U));
  } catch (const std::exception &E) {
    return err(Path + ": malformed facts file: " + E.what());
  }
  if (F.Count == 0 || F.Index == 0 || F.Index > F.Count)
    return err(Path + ": malformed facts file: bad shard number");
  return F;
}

llvm::Expected<FactsFile> combineShards(std::vector<FactsFile> Files) {
  if (Files.empty())
    return err("no facts file");
  FactsFile All = Files.front();
  All.Units.clear();
  std::map<unsigned, std::string> Seen;
  for (auto &F : Files) {
    auto Differs = [&](const char *What) {
      return err(F.Path + ": " + What + " differs from " + Files.front().Path +
                 ": the shards are not from one run");
    };
    if (F.Count != All.Count)
      return Differs("the number of shards");
    if (F.Prefilter != All.Prefilter)
      return Differs("--no-prefilter");
    if (F.Salt != All.Salt)
      return Differs("the tool, catalog or extraction options");
    if (F.Database != All.Database)
      return Differs("the compilation database");
    if (F.Sources != All.Sources)
      return Differs("the selected sources");
    if (auto [It, New] = Seen.emplace(F.Index, F.Path); !New)
      return err(F.Path + ": shard " + std::to_string(F.Index) + "/" + std::to_string(F.Count) +
                 " is also " + It->second);
    for (auto &U : F.Units)
      All.Units.push_back(std::move(U));
  }
  for (unsigned I = 1; I <= All.Count; ++I)
    if (!Seen.count(I))
      return err("shard " + std::to_string(I) + "/" + std::to_string(All.Count) +
                 " is missing: merge needs the facts of every shard");
  return All;
}

} // namespace im::cli
