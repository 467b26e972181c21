#include "matchers/Driver.h"

#include "support/Secrets.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <algorithm>

#include <set>

using namespace clang;

namespace im::matchers {

const char *clangResourceDir() { return IM_CLANG_RESOURCE_DIR; }

namespace {
/// Keeps the first error (with its location) and counts them; prints nothing.
class FirstErrorConsumer : public DiagnosticConsumer {
public:
  std::string First;
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error || !First.empty())
      return;
    llvm::SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      const SourceManager &SM = Info.getSourceManager();
      SourceLocation L = SM.getFileLoc(Info.getLocation());
      PresumedLoc P = SM.getPresumedLoc(L);
      if (P.isValid()) {
        std::string File = P.getFilename();
        if (auto FE = SM.getFileEntryRefForID(SM.getFileID(L)))
          File = SM.getFileManager().getCanonicalName(*FE).str();
        First = File + ":" + std::to_string(P.getLine()) + ":" +
                std::to_string(P.getColumn()) + ": " + std::string(Msg);
        return;
      }
    }
    First = std::string(Msg);
  }
};

/// Records project code in inactive #if branches that names catalog functions
/// or options, so a verdict that another build configuration would change is noted.
class InactiveRecorder : public PPCallbacks {
public:
  InactiveRecorder(SourceManager &SM, const std::set<std::string> &Names, model::TUFacts &Facts)
      : SM(SM), Names(Names), Facts(Facts) {}
  void SourceRangeSkipped(SourceRange Range, SourceLocation EndifLoc) override {
    SourceLocation B = SM.getExpansionLoc(Range.getBegin());
    if (B.isInvalid() || SM.isInSystemHeader(B))
      return;
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(SM.getFileID(B), &Invalid);
    if (Invalid)
      return;
    unsigned Begin = SM.getFileOffset(B);
    unsigned End = SM.getFileOffset(SM.getExpansionLoc(Range.getEnd()));
    if (End <= Begin || End > Buf.size())
      return;
    StringRef Text = Buf.slice(Begin, End);
    model::InactiveCode I;
    for (size_t P = 0; P < Text.size();) {
      if (std::isalpha(static_cast<unsigned char>(Text[P])) || Text[P] == '_') {
        size_t Q = P;
        while (Q < Text.size() && (std::isalnum(static_cast<unsigned char>(Text[Q])) || Text[Q] == '_'))
          ++Q;
        std::string Word = Text.slice(P, Q).str();
        if (Names.count(Word) &&
            std::find(I.Names.begin(), I.Names.end(), Word) == I.Names.end())
          I.Names.push_back(Word);
        P = Q;
      } else {
        ++P;
      }
    }
    if (I.Names.empty())
      return;
    std::string File;
    if (auto FE = SM.getFileEntryRefForID(SM.getFileID(B)))
      File = SM.getFileManager().getCanonicalName(*FE).str();
    I.Loc = {File, SM.getExpansionLineNumber(B), SM.getExpansionColumnNumber(B)};
    I.EndLine = SM.getExpansionLineNumber(SM.getExpansionLoc(Range.getEnd()));
    Facts.Inactive.push_back(std::move(I));
  }

private:
  SourceManager &SM;
  const std::set<std::string> &Names;
  model::TUFacts &Facts;
};

/// Runs the matchers over the project's code only: the traversal scope is set
/// to the top-level declarations outside system headers (every handler drops
/// matches there anyway). Declarations in system headers stay reachable from
/// project code by lookup (a callee, a type); what is saved is their traversal
/// and, above all, the parent map `forCallable` and `hasAncestor` build over
/// everything traversed, which for a translation unit including Boost or gRPC
/// is a large share of the memory and of the time after the parse.
class ProjectScopeConsumer : public ASTConsumer {
public:
  explicit ProjectScopeConsumer(std::unique_ptr<ASTConsumer> Matchers)
      : Matchers(std::move(Matchers)) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    const SourceManager &SM = Ctx.getSourceManager();
    std::vector<Decl *> Scope;
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      SourceLocation L = D->getLocation();
      if (L.isInvalid() || !SM.isInSystemHeader(SM.getExpansionLoc(L)))
        Scope.push_back(D);
    }
    Ctx.setTraversalScope(Scope);
    Matchers->HandleTranslationUnit(Ctx);
  }

private:
  std::unique_ptr<ASTConsumer> Matchers;
};

class ExtractAction : public ASTFrontendAction {
public:
  ExtractAction(ast_matchers::MatchFinder &F, const std::set<std::string> &Names,
                model::TUFacts &Facts, std::vector<std::string> *Inputs)
      : Finder(F), Names(Names), Facts(Facts), Inputs(Inputs) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<InactiveRecorder>(CI.getSourceManager(), Names, Facts));
    return std::make_unique<ProjectScopeConsumer>(Finder.newASTConsumer());
  }
  /// Every file the preprocessor entered (the main file, each header once,
  /// -include files), as absolute paths: what the facts depend on.
  void EndSourceFileAction() override {
    if (!Inputs)
      return;
    SourceManager &SM = getCompilerInstance().getSourceManager();
    FileManager &FM = SM.getFileManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      llvm::SmallString<256> Path(It->first.getName());
      FM.makeAbsolutePath(Path);
      // Not "..": through a symbolic link (/lib -> usr/lib) it is not lexical.
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
      Inputs->push_back(std::string(Path));
    }
    std::sort(Inputs->begin(), Inputs->end());
    Inputs->erase(std::unique(Inputs->begin(), Inputs->end()), Inputs->end());
  }

private:
  ast_matchers::MatchFinder &Finder;
  const std::set<std::string> &Names;
  model::TUFacts &Facts;
  std::vector<std::string> *Inputs;
};

} // namespace

std::vector<std::string> adjustArguments(const compdb::Command &C, const DriverOptions &Opts,
                                         std::vector<std::string> *Dropped) {
  tooling::CommandLineArguments Args = C.Arguments;
  auto Adjust = tooling::combineAdjusters(
      tooling::getClangStripOutputAdjuster(),
      tooling::combineAdjusters(tooling::getClangSyntaxOnlyAdjuster(),
                                tooling::getClangStripDependencyFileAdjuster()));
  Args = Adjust(Args, C.File);
  Args = tooling::getStripPluginsAdjuster()(Args, C.File);

  // GCC-only flags (-fno-canonical-system-headers, -mabi=..., ...) make Clang's
  // driver fail; the parse does not need them.
  std::vector<const char *> Ptrs;
  for (size_t I = 1; I < Args.size(); ++I)
    Ptrs.push_back(Args[I].c_str());
  const llvm::opt::OptTable &Table = driver::getDriverOptTable();
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed =
      Table.ParseArgs(Ptrs, MissingIndex, MissingCount,
                      llvm::opt::Visibility(driver::options::ClangOption));
  std::set<unsigned> Drop;
  for (const llvm::opt::Arg *A : Parsed.filtered(driver::options::OPT_UNKNOWN))
    Drop.insert(A->getIndex() + 1);
  tooling::CommandLineArguments Kept;
  for (size_t I = 0; I < Args.size(); ++I) {
    if (Drop.count(static_cast<unsigned>(I))) {
      if (Dropped)
        Dropped->push_back(Args[I]);
      continue;
    }
    Kept.push_back(Args[I]);
  }
  Args = std::move(Kept);

  bool HasResourceDir = false;
  for (const auto &A : Args)
    if (A.rfind("-resource-dir", 0) == 0)
      HasResourceDir = true;
  tooling::CommandLineArguments Out;
  Out.push_back(Args.empty() ? std::string("clang++") : Args[0]);
  for (const auto &A : Opts.ExtraArgsBefore)
    Out.push_back(A);
  for (size_t I = 1; I < Args.size(); ++I)
    Out.push_back(Args[I]);
  if (!HasResourceDir)
    Out.push_back(std::string("-resource-dir=") + clangResourceDir());
  Out.push_back("-Wno-unknown-warning-option");
  Out.push_back("-fno-caret-diagnostics"); // also silences "N errors generated."
  Out.push_back("-w");
  for (const auto &A : Opts.ExtraArgs)
    Out.push_back(A);
  return Out;
}

model::TUFacts analyzeFile(const catalog::Catalog &Catalog, const compdb::Command &C,
                           const DriverOptions &Opts, std::vector<std::string> *Inputs) {
  model::TUFacts Facts;
  Facts.Unit.File = C.File;
  if (!C.Exists) {
    Facts.Unit.Status = "skipped";
    Facts.Unit.Error = C.File + ": listed in the compilation database but does not exist "
                                "(generated at build time?)";
    return Facts;
  }
  std::vector<std::string> Dropped;
  std::vector<std::string> Args = adjustArguments(C, Opts, &Dropped);
  // The preprocessor configuration this verdict holds for; the values of
  // credential-named macros (-DDB_PASSWORD="...") are redacted from every fact.
  for (size_t I = 1; I < Args.size(); ++I) {
    const std::string &A = Args[I];
    bool Takes = (A == "-D" || A == "-U" || A == "-include") && I + 1 < Args.size();
    std::string Flag = Takes ? A + Args[I + 1] : A;
    if (Takes)
      ++I;
    else if (!(A.rfind("-D", 0) == 0 || A.rfind("-U", 0) == 0 || A.rfind("-std=", 0) == 0 ||
               A.rfind("--target=", 0) == 0 || A.rfind("-m", 0) == 0))
      continue;
    Facts.Unit.Configuration += (Facts.Unit.Configuration.empty() ? "" : " ") + Flag;
    if (std::string V = Flag.rfind("-D", 0) == 0 ? support::secretMacroValue(Flag.substr(2)) : "";
        !V.empty())
      Facts.SecretValues.push_back(V);
  }
  const std::vector<std::string> SecretDefines = Facts.SecretValues;

  // Each file gets its own file system with its own working directory, so
  // translation units can run in parallel threads.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = llvm::vfs::createPhysicalFileSystem();
  FS->setCurrentWorkingDirectory(C.Directory);
  llvm::IntrusiveRefCntPtr<FileManager> Files(new FileManager(FileSystemOptions(), FS));

  ast_matchers::MatchFinder Finder;
  Extractor X(Catalog, Facts, Opts.Extract);
  X.registerMatchers(Finder);
  auto Action = std::make_unique<ExtractAction>(Finder, Catalog.identifiers(), Facts, Inputs);
  FirstErrorConsumer Diags;
  tooling::ToolInvocation Invocation(Args, std::move(Action), Files.get(),
                                     std::make_shared<PCHContainerOperations>());
  Invocation.setDiagnosticConsumer(&Diags);
  bool Ok = Invocation.run();
  X.finish();
  Facts.Unit.ErrorCount = Diags.getNumErrors();
  if (!Ok || Diags.getNumErrors() > 0) {
    Facts.Unit.Status = "failed";
    Facts.Unit.Error = Diags.First.empty() ? "the compiler could not process this file"
                                           : support::redactKnown(Diags.First, SecretDefines);
  }
  (void)Dropped;
  return Facts;
}

} // namespace im::matchers
