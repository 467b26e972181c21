#include "Planning.h"
#include "Console.h"
#include "matchers/Isolation.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <set>

using namespace llvm;

namespace im::cli {

namespace {

std::string commonDir(const std::vector<std::string> &Files) {
  if (Files.empty())
    return currentDir();
  std::string Prefix = sys::path::parent_path(Files[0]).str();
  for (const auto &F : Files)
    while (!Prefix.empty() && F.rfind(Prefix + "/", 0) != 0)
      Prefix = sys::path::parent_path(Prefix).str();
  return Prefix.empty() ? "/" : Prefix;
}

/// Like clang tools: compile_commands.json above the first source (or the
/// working directory); "" when there is none.
std::string findDatabase(const CliOptions &O) {
  std::string Dir = O.Sources.empty() ? currentDir()
                                      : sys::path::parent_path(compdb::absolutePath(
                                            O.Sources.front(), currentDir()))
                                            .str();
  for (; !Dir.empty(); Dir = sys::path::parent_path(Dir).str()) {
    SmallString<256> Candidate(Dir);
    sys::path::append(Candidate, "compile_commands.json");
    if (sys::fs::exists(Candidate))
      return std::string(Candidate);
    if (Dir == "/")
      break;
  }
  return "";
}

int selectSources(const CliOptions &O, Plan &P) {
  if (O.Sources.empty()) {
    P.Selected = P.Db.Commands;
  } else {
    std::set<std::string> Wanted;
    for (const auto &S : O.Sources) {
      std::string Abs = compdb::absolutePath(S, currentDir());
      if (!sys::fs::exists(Abs))
        return fail(S + ": no such file");
      auto It = std::find_if(P.Db.Commands.begin(), P.Db.Commands.end(),
                             [&](const compdb::Command &C) { return C.File == Abs; });
      if (It == P.Db.Commands.end())
        return fail(S + ": not in the compilation database " + P.Db.Path);
      if (Wanted.insert(Abs).second)
        P.Selected.push_back(*It);
    }
  }
  for (const auto &C : P.Selected)
    if (C.Exists && !sys::fs::can_execute(C.File) && !sys::fs::exists(C.File))
      return fail(C.File + ": cannot read");
  for (const auto &C : P.Selected)
    if (C.Exists) {
      sys::fs::file_status St;
      if (auto E = sys::fs::status(C.File, St); E || !sys::fs::is_regular_file(St))
        return fail(C.File + ": not a regular file");
      int FD;
      if (auto E2 = sys::fs::openFileForRead(C.File, FD))
        return fail(C.File + ": cannot read: " + E2.message());
      sys::fs::closeFile(FD);
    }
  return ExitOk;
}

/// --source-root, else the working directory when it holds every source, else
/// the deepest directory holding them all.
std::string sourceRoot(const CliOptions &O, const Plan &P) {
  if (!O.SourceRoot.empty())
    return compdb::absolutePath(O.SourceRoot, currentDir());
  std::vector<std::string> Files;
  for (const auto &C : P.Selected)
    Files.push_back(C.File);
  std::string Cwd = currentDir();
  bool AllInside = std::all_of(Files.begin(), Files.end(),
                               [&](const std::string &F) { return F.rfind(Cwd + "/", 0) == 0; });
  return AllInside ? Cwd : commonDir(Files);
}

} // namespace

int planRun(const CliOptions &O, Plan &P) {
  std::string DbPath = O.BuildPath.empty() ? findDatabase(O) : O.BuildPath;
  if (DbPath.empty())
    return fail("no compilation database: pass -p <build dir or compile_commands.json>");
  auto Db = compdb::load(DbPath);
  if (!Db)
    return fail(toString(Db.takeError()));
  P.Db = std::move(*Db);
  if (!O.Quiet)
    for (const auto &S : P.Db.Skipped)
      err() << "integration-mapper: warning: " << P.Db.Path << ": " << S << " (skipped)\n";
  if (int Rc = selectSources(O, P))
    return Rc;

  P.Driver.ExtraArgs = O.ExtraArgs;
  P.Driver.ExtraArgsBefore = O.ExtraArgsBefore;
  P.Driver.Extract.IncludeGenerated = O.IncludeGenerated;
  SmallString<256> Dir(P.Db.Path);
  sys::path::remove_filename(Dir);
  std::string DbDir =
      compdb::absolutePath(std::string(Dir.empty() ? "." : Dir.str()), currentDir());
  // A database inside a build tree (build/compile_commands.json): sources under it are generated.
  bool DbIsBuildDir = sys::fs::exists(DbDir + "/CMakeCache.txt") ||
                      sys::fs::exists(DbDir + "/build.ninja") ||
                      sys::fs::exists(DbDir + "/Makefile");
  if (DbIsBuildDir)
    P.Driver.Extract.GeneratedDirs.push_back(DbDir);
  P.Root = sourceRoot(O, P);
  return ExitOk;
}

int loadCatalogAndConfig(const CliOptions &O, const Plan &P,
                         std::optional<catalog::Catalog> &Cat, config::Config &Cfg) {
  auto Loaded = catalog::Catalog::loadBuiltin();
  if (!Loaded)
    return fail(toString(Loaded.takeError()));
  Cat.emplace(std::move(*Loaded));
  std::string CfgPath = O.ConfigFile;
  if (CfgPath.empty() && !P.Selected.empty())
    CfgPath = config::findConfig(sys::path::parent_path(P.Selected.front().File).str());
  if (!CfgPath.empty()) {
    auto C = config::loadConfig(CfgPath);
    if (!C)
      return fail(toString(C.takeError()));
    Cfg = std::move(*C);
  }
  // The project's own clients and wrappers (docs/catalog.md, "Your own clients").
  if (auto E = config::extendCatalog(Cfg, *Cat))
    return fail(toString(std::move(E)));
  return ExitOk;
}

} // namespace im::cli
