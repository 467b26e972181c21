// The command line and the clang-tidy plugin run the same engine: on the same
// compilation database they report the same findings with the same messages.
// The plugin sees one translation unit at a time, so it may add a caveat
// ("... in another translation unit may ...; run integration-mapper for a
// whole-program answer") and, with that caveat only, report what the whole
// program settles; whole-program rules (inventory) have no check.
#include "ToolRun.h"

#include "analysis/Rules.h"
#include "compdb/CompileDb.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <set>

namespace fs = std::filesystem;
using namespace im;
using im::test::freshTempDir;
using im::test::slurp;

namespace {

struct Diag {
  std::string File;
  unsigned Line = 0, Column = 0;
  std::string Rule, Message;
  bool operator<(const Diag &O) const {
    return std::tie(File, Line, Column, Rule, Message) <
           std::tie(O.File, O.Line, O.Column, O.Rule, O.Message);
  }
};

std::string show(const Diag &D) {
  return D.File + ":" + std::to_string(D.Line) + ":" + std::to_string(D.Column) + ": " +
         D.Message + " [" + D.Rule + "]";
}

std::string run(const std::string &Cmd) {
  std::string Out;
  FILE *P = popen((Cmd + " 2>&1").c_str(), "r");
  std::array<char, 4096> Buf;
  size_t N;
  while ((N = fread(Buf.data(), 1, Buf.size(), P)) > 0)
    Out.append(Buf.data(), N);
  pclose(P);
  return Out;
}

/// `file:line:col: warning: message [rule]` lines, paths made absolute from `Cwd`.
std::set<Diag> parseWarnings(const std::string &Text, const fs::path &Cwd) {
  std::set<Diag> Out;
  std::regex Warning(R"(^(.+):(\d+):(\d+): warning: (.*) \[(integration-[a-z0-9-]+)\]$)");
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);) {
    std::smatch M;
    if (!std::regex_match(L, M, Warning))
      continue;
    fs::path P = M[1].str();
    if (P.is_relative())
      P = Cwd / P;
    Out.insert({fs::weakly_canonical(P).string(), static_cast<unsigned>(std::stoul(M[2])),
                static_cast<unsigned>(std::stoul(M[3])), M[5], M[4]});
  }
  return Out;
}

/// The plugin's message without its single-TU caveat; `Had` says whether it had one.
std::string withoutCaveat(const std::string &Message, bool &Had) {
  static const std::regex Caveat(
      R"( \((a helper|a caller|code) in another translation unit may [^;]*; run integration-mapper for a whole-program answer\)$)");
  std::string Out = std::regex_replace(Message, Caveat, "");
  Had = Out != Message;
  return Out;
}

/// A compile_commands.json with absolute paths (clang-tidy and the CLI read the
/// same commands), written into `Dir`.
void writeAbsoluteDatabase(const compdb::Database &Db, const fs::path &Dir) {
  nlohmann::json J = nlohmann::json::array();
  for (const auto &C : Db.Commands) {
    // clang-tidy prints the source path as the command names it: make it absolute.
    std::vector<std::string> Args = C.Arguments;
    for (auto &A : Args)
      if (fs::path(A).is_relative() && fs::exists(fs::path(C.Directory) / A) &&
          fs::equivalent(fs::path(C.Directory) / A, C.File))
        A = C.File;
    J.push_back({{"directory", C.Directory}, {"file", C.File}, {"arguments", Args}});
  }
  std::ofstream(Dir / "compile_commands.json") << J.dump(2);
}

struct Comparison {
  size_t Same = 0;
  size_t CaveatOnly = 0;       // plugin findings with a caveat the whole program settles
  size_t WholeProgramOnly = 0; // CLI findings where the plugin gave a caveat instead
  /// CLI findings at calls of a project wrapper whose library call is in another
  /// file: one translation unit does not see the wrapper's body (docs/editors.md).
  size_t ThroughUnseenWrapper = 0;
  /// CLI findings at the literal default of a project env reader: the reader's
  /// body (which parameter names the variable, which one it returns) is in
  /// another file, which one translation unit does not see (docs/editors.md).
  size_t EnvReaderDefault = 0;
  /// CLI findings whose affected call is in another file (a constructor's
  /// connect, judged from what a construction in this file passes it): one
  /// translation unit sees the literal or the call, never both.
  size_t AffectsCallElsewhere = 0;
};

/// A finding judged from an env reader's literal default (analysis/Credentials,
/// analysis/Transport): its message names the variable whose default it is.
bool fromEnvReaderDefault(const Diag &D) {
  return D.Message.rfind("hard-coded default for ", 0) == 0 ||
         D.Message.find("(the default of ") != std::string::npos ||
         D.Message.rfind("default of ", 0) == 0;
}

using Places = std::set<std::tuple<std::string, unsigned, unsigned>>;

std::string canonicalFile(const nlohmann::json &Entry) {
  return fs::weakly_canonical(Entry["file"].get<std::string>()).string();
}

/// Where the entries of the CLI's JSON report list `List` stand, for those
/// `Keep(entry, its canonical file)` accepts.
template <typename Fn> Places reportPlaces(const fs::path &Json, const char *List, Fn Keep) {
  Places Out;
  nlohmann::json J = nlohmann::json::parse(slurp(Json), nullptr, false);
  if (!J.is_object())
    return Out;
  for (const auto &E : J[List])
    if (std::string File = E.contains("file") ? canonicalFile(E) : ""; !File.empty() && Keep(E, File))
      Out.insert({File, E["line"].get<unsigned>(), E["column"].get<unsigned>()});
  return Out;
}

/// Call sites of the CLI's JSON report made through a wrapper whose library
/// call is in another file ("via" ends at the implementation).
Places callsThroughWrappersElsewhere(const fs::path &Json) {
  return reportPlaces(Json, "call_sites", [](const nlohmann::json &C, const std::string &File) {
    return C.contains("via") && !C["via"].empty() && canonicalFile(C["via"].back()) != File;
  });
}

/// Findings of the CLI's JSON report whose related (affected) calls are all in
/// another file than the finding itself.
Places findingsAffectingCallsElsewhere(const fs::path &Json) {
  return reportPlaces(Json, "findings", [](const nlohmann::json &F, const std::string &File) {
    if (!F.contains("related") || F["related"].empty())
      return false;
    for (const auto &R : F["related"])
      if (canonicalFile(R) == File)
        return false;
    return true;
  });
}

/// Runs both hosts on the database in `DbDir` and compares what they report.
Comparison compareHosts(const fs::path &DbDir, const std::vector<std::string> &Files,
                        const fs::path &SourceRoot, const fs::path &Out) {
  std::string Cli = run("cd '" + SourceRoot.string() + "' && '" IM_TOOL "' -p '" + DbDir.string() +
                        "' --format diagnostics,json --no-glossary --quiet --output-dir '" +
                        (Out / "cli").string() + "'");
  std::string FileArgs;
  for (const auto &F : Files)
    FileArgs += " '" + F + "'";
  std::string Tidy = run("cd '" + SourceRoot.string() + "' && '" IM_CLANG_TIDY
                         "' --quiet --load='" IM_TIDY_PLUGIN "' --checks='-*,integration-*' "
                         "--header-filter='.*' -p '" + DbDir.string() + "'" + FileArgs);
  std::set<Diag> CliDiags = parseWarnings(Cli, SourceRoot);
  std::set<Diag> TidyDiags = parseWarnings(Tidy, SourceRoot);
  EXPECT_FALSE(CliDiags.empty()) << Cli;
  EXPECT_FALSE(TidyDiags.empty()) << Tidy;

  Comparison C;
  std::set<Diag> TidyStripped;
  // Places where the plugin said one TU cannot decide (a caller elsewhere may
  // retry, a helper elsewhere may set the timeout).
  std::set<std::tuple<std::string, unsigned, unsigned>> Undecided;
  for (const Diag &D : TidyDiags) {
    bool Caveat = false;
    Diag S = D;
    S.Message = withoutCaveat(D.Message, Caveat);
    TidyStripped.insert(S);
    if (Caveat)
      Undecided.insert({D.File, D.Line, D.Column});
    if (CliDiags.count(S))
      ++C.Same;
    else if (Caveat)
      ++C.CaveatOnly; // the whole program settles it: documented difference
    else
      ADD_FAILURE() << "only the plugin reports: " << show(D);
  }
  const auto ThroughWrappers = callsThroughWrappersElsewhere(Out / "cli" / "integration-report.json");
  const auto AffectingElsewhere = findingsAffectingCallsElsewhere(Out / "cli" / "integration-report.json");
  for (const Diag &D : CliDiags) {
    const analysis::RuleInfo *R = analysis::rule(D.Rule);
    if (!R) {
      ADD_FAILURE() << "unregistered rule: " << show(D);
      continue;
    }
    if (!R->SingleTu || TidyStripped.count(D))
      continue;
    // A retry found in a caller in another TU turns "not retried (a caller in
    // another translation unit may retry it ...)" into a verdict on that retry.
    if (Undecided.count({D.File, D.Line, D.Column}))
      ++C.WholeProgramOnly;
    else if (ThroughWrappers.count({D.File, D.Line, D.Column}))
      ++C.ThroughUnseenWrapper;
    else if (fromEnvReaderDefault(D))
      ++C.EnvReaderDefault;
    else if (AffectingElsewhere.count({D.File, D.Line, D.Column}))
      ++C.AffectsCallElsewhere;
    else
      ADD_FAILURE() << "only the command line reports: " << show(D);
  }
  return C;
}

} // namespace

TEST(EngineParity, BundledExample) {
  auto Db = compdb::load(std::string(IM_SOURCE_DIR) + "/compile_commands.example.json");
  ASSERT_TRUE(static_cast<bool>(Db)) << llvm::toString(Db.takeError());
  fs::path Tmp = freshTempDir("im-parity-", "example");
  writeAbsoluteDatabase(*Db, Tmp);
  std::vector<std::string> Files;
  for (const auto &C : Db->Commands)
    Files.push_back(C.File);
  Comparison C = compareHosts(Tmp, Files, fs::path(IM_SOURCE_DIR), Tmp);
  EXPECT_GE(C.Same, 10u);
  // StripeClient.cpp:36: a helper in CurlOptions.cpp sets the timeout; only the
  // whole program knows it.
  EXPECT_EQ(C.CaveatOnly, 1u);
  EXPECT_EQ(C.WholeProgramOnly, 0u);
  // main.cpp:18 constructs the session cache with "cache.internal"; the
  // plaintext Redis connect it configures is in SessionCache.cpp.
  EXPECT_EQ(C.AffectsCallElsewhere, 1u);
  fs::remove_all(Tmp);
}

TEST(EngineParity, DevCorpus) {
  fs::path Devset = fs::path(IM_SOURCE_DIR) / ".." / "shared" / "eval" / "devset";
  if (!fs::exists(Devset / "CMakeLists.txt"))
    GTEST_SKIP() << "no dev corpus at " << Devset.string() << " (../shared is not checked out)";
  std::string Readme = slurp(Devset / "README.md");
  std::smatch M;
  std::regex Packages(R"(\npackages: *([^\n]*))");
  if (!std::regex_search(Readme, M, Packages))
    GTEST_SKIP() << "the dev corpus README lists no packages";
  std::istringstream PkgList(M[1].str());
  for (std::string Pkg; PkgList >> Pkg;)
    if (run("dpkg -s '" + Pkg + "' >/dev/null && echo ok").find("ok") == std::string::npos)
      GTEST_SKIP() << "package " << Pkg << " of the dev corpus is not installed";
  fs::path Build = freshTempDir("im-parity-", "devset");
  std::string Configure = run("cmake -S '" + Devset.string() + "' -B '" + Build.string() +
                              "' -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null && echo ok");
  ASSERT_NE(Configure.find("ok"), std::string::npos) << Configure;
  auto Db = compdb::load(Build.string());
  ASSERT_TRUE(static_cast<bool>(Db)) << llvm::toString(Db.takeError());
  std::vector<std::string> Files;
  for (const auto &C : Db->Commands)
    Files.push_back(C.File);
  Comparison C = compareHosts(Build, Files, fs::weakly_canonical(Devset), Build);
  EXPECT_GE(C.Same, 20u);
  std::cout << "dev corpus: " << C.Same << " findings identical, " << C.CaveatOnly
            << " plugin findings with a single-TU caveat that the whole program settles, "
            << C.WholeProgramOnly << " command-line findings where the plugin gave that caveat, "
            << C.ThroughUnseenWrapper
            << " command-line findings at calls of a wrapper defined in another file, "
            << C.EnvReaderDefault << " at defaults of env readers defined in another file, "
            << C.AffectsCallElsewhere << " at literals passed to a call in another file\n";
  fs::remove_all(Build);
}
