#include "report/Glossary.h"

#include "analysis/Scoring.h"
#include "support/Files.h"
#include "support/JsonError.h"
#include "support/Utf8.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

namespace im::report {
using nlohmann::ordered_json;

llvm::Expected<std::string> mergeGlossary(const std::string &Existing, const std::string &Path,
                                          const model::Report &R) {
  ordered_json G = ordered_json::object();
  if (!Existing.empty()) {
    if (std::string Bad = support::notUtf8(Path, Existing); !Bad.empty())
      return llvm::createStringError(std::errc::invalid_argument, "%s (glossary left untouched)",
                                     Bad.c_str());
    if (std::string Deep = support::nestingError(Path, Existing); !Deep.empty())
      return llvm::createStringError(std::errc::invalid_argument, "%s (glossary left untouched)",
                                     Deep.c_str());
    try {
      G = ordered_json::parse(Existing);
    } catch (const ordered_json::parse_error &E) {
      std::string What = E.what();
      if (auto P = What.find("parse error"); P != std::string::npos)
        What = What.substr(P);
      // What the parser last read may be a piece of another tool's secret.
      if (auto Last = What.find("; last read"); Last != std::string::npos)
        What = What.substr(0, Last);
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: malformed glossary, left untouched: %s", Path.c_str(),
                                     What.c_str());
    } catch (const ordered_json::exception &E) {
      // A number that does not fit a double (1e400) and the like.
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: malformed glossary, left untouched: %s", Path.c_str(),
                                     support::jsonErrorLine(E, Existing).c_str());
    }
    if (!G.is_object())
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: malformed glossary, left untouched: expected a JSON object",
                                     Path.c_str());
  }
  if (!G.contains("integrations"))
    G["integrations"] = ordered_json::object();
  if (!G["integrations"].is_object())
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: malformed glossary, left untouched: \"integrations\" is not "
                                   "an object",
                                   Path.c_str());
  auto &Ints = G["integrations"];
  // An entry we would write that holds something other than an object is not
  // ours to replace (another tool's value, a hand edit): the glossary is refused
  // before any entry changes.
  for (const auto &X : R.Risk.Integrations) {
    std::string Key = analysis::glossaryKey(X.Id);
    if (auto It = Ints.find(Key); It != Ints.end() && !It->is_object())
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: malformed glossary, left untouched: "
                                     "\"integrations\".\"%s\" is not an object",
                                     Path.c_str(), Key.c_str());
  }
  for (const auto &X : R.Risk.Integrations) {
    std::string Key = analysis::glossaryKey(X.Id);
    auto &E = Ints[Key]; // fields other tools added to this entry stay
    if (!E.is_object())
      E = ordered_json::object();
    E["canonical_name"] = X.Name;
    E["type"] = X.GlossaryType;
    E["discovered_by"] = "integration-mapper";
    std::string Level = X.Level;
    for (auto &C : Level)
      C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    E["risk_level"] = Level;
    E["failure_impact"] = X.FailureSummary;
  }
  return support::dumpJson(G) + "\n";
}

llvm::Expected<GlossaryUpdate> prepareGlossary(const std::string &Path, const model::Report &R) {
  std::string Existing;
  if (llvm::sys::fs::exists(Path)) {
    auto Text = support::readFile(Path);
    if (!Text)
      return Text.takeError();
    Existing = std::move(*Text);
  }
  auto Merged = mergeGlossary(Existing, Path, R);
  if (!Merged)
    return Merged.takeError();
  GlossaryUpdate U;
  U.Path = Path;
  U.Changed = Existing != *Merged;
  U.Text = std::move(*Merged);
  return U;
}

llvm::Error writeGlossary(const GlossaryUpdate &U) {
  if (!U.Changed)
    return llvm::Error::success();
  llvm::SmallString<256> Dir(U.Path);
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return llvm::createStringError(EC, "%s: cannot create directory: %s", Dir.c_str(),
                                     EC.message().c_str());
  return support::writeFileAtomic(U.Path, U.Text);
}

llvm::Error updateGlossary(const std::string &Path, const model::Report &R) {
  auto U = prepareGlossary(Path, R);
  if (!U)
    return U.takeError();
  return writeGlossary(*U);
}

} // namespace im::report
