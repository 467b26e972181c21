// The clang-tidy plugin: the integration-mapper rules as clang-tidy checks.
//
//   clang-tidy-19 --load=build/IntegrationMapperTidy.so --checks='-*,integration-*' file.cpp
//
// Built as a MODULE against the shared libclang-cpp/libLLVM that Debian's
// clang-tidy-19 links; the clang-tidy classes come from the clang-tidy binary.
//
// One engine run per translation unit: the first enabled check of a TU creates
// a TuEngine (the same Extractor and analysis::analyse as the CLI, with the
// project's config), the others share it, and each check reports the findings
// of its own rule through the clang-tidy context, with the message text the CLI
// prints. What one TU cannot know is said in the message (analysis/TuScope.h).
//
// Our analysis never takes clang-tidy down: the extractor's matchers run on a
// MatchFinder of the engine's own, over the finished AST, together with the
// pipeline, on a large-stack thread under LLVM's crash recovery (as the CLI
// runs each unit, matchers/Isolation.h). A crash, stack overflow or exception
// there becomes one warning for the file and clang-tidy goes on.
#include "analysis/Pipeline.h"
#include "analysis/Rules.h"
#include "analysis/TuScope.h"
#include "catalog/Catalog.h"
#include "catalog/MitigationSnippets.h"
#include "config/Config.h"
#include "matchers/Extractor.h"
#include "matchers/Isolation.h"
#include "support/Secrets.h"
#include "support/Utf8.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <map>
#include <memory>
#include <optional>

using namespace clang;
using namespace clang::tidy;

namespace im::tidy {

namespace {

/// The engine of one translation unit: extracts its facts once, runs the
/// pipeline once, and hands every check the findings of its rule.
class TuEngine {
public:
  explicit TuEngine(std::string File) : File(std::move(File)) {}

  const std::string &file() const { return File; }

  /// Loads the catalog and config and registers the extractor's matchers on the
  /// engine's own MatchFinder, the first time a check of this TU asks.
  /// Configuration errors are reported through `Reporter`.
  void attach(ClangTidyCheck &Reporter, bool IncludeGenerated) {
    if (Attached)
      return;
    Attached = true;
    auto Loaded = catalog::Catalog::loadBuiltin();
    if (!Loaded) {
      Reporter.configurationDiag("integration-mapper: %0")
          << support::validUtf8(toString(Loaded.takeError()));
      return;
    }
    Cat.emplace(std::move(*Loaded));
    // The project's config from the nearest .integration-mapper.yaml, as the CLI
    // reads it: own clients, circuit breakers, suppressions, names.
    std::string CfgPath = config::findConfig(llvm::sys::path::parent_path(File).str());
    Root = sourceRoot(CfgPath);
    if (!CfgPath.empty()) {
      auto Loaded = config::loadConfig(CfgPath);
      if (!Loaded) {
        Reporter.configurationDiag("integration-mapper: %0")
            << support::validUtf8(toString(Loaded.takeError()));
      } else {
        Cfg = std::move(*Loaded);
        if (auto E = config::extendCatalog(Cfg, *Cat))
          Reporter.configurationDiag("integration-mapper: %0")
              << support::validUtf8(toString(std::move(E)));
      }
    }
    matchers::ExtractOptions Opts;
    Opts.IncludeGenerated = IncludeGenerated;
    X = std::make_unique<matchers::Extractor>(*Cat, Facts, Opts);
    X->registerMatchers(Finder);
  }

  /// The values of the TU's credential-named `-D` macros (`-DDB_PASSWORD=...`):
  /// redacted from every fact, as the command line does. Once per TU.
  void secretDefines(const Preprocessor &PP) {
    if (DefinesRead)
      return;
    DefinesRead = true;
    for (const auto &[Definition, Undefine] : PP.getPreprocessorOpts().Macros)
      if (!Undefine)
        if (std::string V = support::secretMacroValue(Definition); !V.empty())
          Facts.SecretValues.push_back(V);
  }

  /// The analysed TU, computed on the first call (at the end of the TU):
  /// matched, extracted and analysed in isolation. Null when it could not be
  /// (failure() says why).
  const analysis::PipelineResult *result(ASTContext &Ctx) {
    if (!X || !Failure.empty())
      return nullptr;
    if (!Result) {
      Failure = matchers::runIsolated(
          [&] {
            Finder.matchAST(Ctx);
            X->finish();
            std::vector<model::TUFacts> One;
            One.push_back(std::move(Facts));
            analysis::PipelineOptions Opts;
            Opts.SourceRoot = Root;
            Opts.Assess = false; // no risk document in an editor
            Opts.Nolint = false; // clang-tidy reads NOLINT comments itself
            Opts.WholeProgram = false; // callers in other units are not seen
            Result = analysis::analyse(std::move(One), *Cat, Cfg, Opts);
          },
          matchers::DefaultUnitStackMb);
      if (!Failure.empty()) {
        Result.reset();
        return nullptr;
      }
      for (const auto &C : Result->Report.CallSites)
        ById[C.Id] = &C;
    }
    return &*Result;
  }

  /// Why the analysis of this TU failed ("" when it did not), said once: the
  /// first check to ask gets it.
  std::string takeFailure() {
    if (FailureSaid)
      return "";
    FailureSaid = !Failure.empty();
    return Failure;
  }

  const model::CallSite *callSite(const std::string &Id) const {
    auto It = ById.find(Id);
    return It == ById.end() ? nullptr : It->second;
  }

  /// The catalog operation a call site is of (its fix-it, its snippets).
  const catalog::Operation *operation(const std::string &Library, const std::string &Name) const {
    if (!Cat)
      return nullptr;
    auto [L, Op] = Cat->lookupOperation(Name);
    return L && L->Id == Library ? Op : nullptr;
  }

private:
  /// What the config's suppression paths and the test-code judgement are
  /// relative to: the directory of the config file; without one, as the command
  /// line defaults, the working directory when it holds the file.
  std::string sourceRoot(const std::string &CfgPath) const {
    if (!CfgPath.empty())
      return llvm::sys::path::parent_path(CfgPath).str();
    llvm::SmallString<256> Cwd;
    if (llvm::sys::fs::current_path(Cwd))
      return "";
    std::string Dir(Cwd);
    return llvm::StringRef(File).starts_with(Dir + "/") ? Dir : "";
  }

  const std::string File;
  std::string Root;
  bool Attached = false;
  bool DefinesRead = false;
  std::string Failure;
  bool FailureSaid = false;
  std::optional<catalog::Catalog> Cat;
  config::Config Cfg;
  model::TUFacts Facts;
  // The extractor's matchers run on this finder (result()), not on clang-tidy's,
  // so that all of our AST work runs inside the isolation.
  ast_matchers::MatchFinder Finder;
  std::unique_ptr<matchers::Extractor> X;
  std::optional<analysis::PipelineResult> Result;
  std::map<std::string, const model::CallSite *> ById;
};

/// Hands the checks of one TU the same TuEngine. Owned by the check factories
/// (one per clang-tidy run); holds the engine only while the TU's checks live.
class EngineSlot {
public:
  std::shared_ptr<TuEngine> engineFor(const std::string &File) {
    std::shared_ptr<TuEngine> E = Current.lock();
    if (!E || E->file() != File) {
      E = std::make_shared<TuEngine>(File);
      Current = E;
    }
    return E;
  }

private:
  std::weak_ptr<TuEngine> Current;
};

class IntegrationCheck : public ClangTidyCheck {
public:
  IntegrationCheck(StringRef Name, ClangTidyContext *Context, const analysis::RuleInfo &Rule,
                   std::shared_ptr<TuEngine> Engine)
      : ClangTidyCheck(Name, Context), Rule(Rule), Engine(std::move(Engine)),
        IncludeGenerated(boolOption("IncludeGenerated", false)),
        FixTimeoutMs(intOption("FixTimeoutMs", 5000)) {}

  bool isLanguageVersionSupported(const LangOptions &) const override { return true; }

  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "IncludeGenerated", StringRef(IncludeGenerated ? "true" : "false"));
    if (Rule.Fix == analysis::FixIt::InsertTimeout)
      Options.store(Opts, "FixTimeoutMs", StringRef(std::to_string(FixTimeoutMs)));
  }

  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP, Preprocessor *) override {
    this->SM = &SM;
    if (PP)
      Engine->secretDefines(*PP);
  }

  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    Engine->attach(*this, IncludeGenerated);
    // One matcher of the check's own: it hands over the ASTContext, and makes
    // the MatchFinder call onEndOfTranslationUnit.
    Finder->addMatcher(ast_matchers::translationUnitDecl(), this);
  }

  void check(const ast_matchers::MatchFinder::MatchResult &Match) override { Ctx = Match.Context; }

  void onEndOfTranslationUnit() override {
    const analysis::PipelineResult *R = SM && Ctx ? Engine->result(*Ctx) : nullptr;
    if (std::string Why = Engine->takeFailure(); !Why.empty() && SM)
      diag(SM->getLocForStartOfFile(SM->getMainFileID()),
           "integration-mapper could not analyse this file (%0): no integration-* finding is "
           "reported for it",
           DiagnosticIDs::Warning)
          << support::validUtf8(Why);
    if (!R)
      return;
    for (const model::Finding &F : R->Report.Findings)
      if (F.Rule == Rule.Id)
        report(*R, F);
  }

private:
  void report(const analysis::PipelineResult &R, const model::Finding &F) {
    SourceLocation Loc = location(F.Loc);
    if (Loc.isInvalid() || SM->isInSystemHeader(Loc))
      return;
    const model::CallSite *C = Engine->callSite(F.CallSiteId);
    std::string Message = F.Message;
    std::string Caveat = C ? analysis::singleTuCaveat(R.Facts, *C, F.Rule) : "";
    if (!Caveat.empty())
      Message += " " + Caveat;
    else if (std::string Wrapper = C ? analysis::wrapperCaveat(R.Facts, *C) : ""; !Wrapper.empty())
      Message += " " + Wrapper;
    {
      // Names and paths from the project may hold bytes that are not UTF-8;
      // clang-tidy prints (and exports) the message as it is given.
      auto D = diag(Loc, "%0") << support::validUtf8(Message);
      // No fix-it when code this TU does not see may configure the handle: the
      // inserted timeout could override a deliberate one.
      if (C && Rule.Fix == analysis::FixIt::InsertTimeout && Caveat.empty())
        if (auto Fix = timeoutFix(*C))
          D << *Fix;
    }
    if (C)
      evidenceNotes(*C);
  }

  // Options are read as strings: the typed OptionsView::get<T> templates are
  // mangled differently by GCC and by the Clang that built clang-tidy-19, so the
  // plugin would not load. Only the non-template accessors are used.
  bool boolOption(StringRef Name, bool Default) {
    std::string V = StringRef(Options.get(Name, Default ? "true" : "false")).lower();
    if (V == "true" || V == "1" || V == "on")
      return true;
    if (V == "false" || V == "0" || V == "off")
      return false;
    configurationDiag("invalid configuration value '%0' for option '%1%2'; expected true or false")
        << support::validUtf8(V) << getID() << ("." + Name).str();
    return Default;
  }
  int64_t intOption(StringRef Name, int64_t Default) {
    std::string Def = std::to_string(Default);
    std::string V = Options.get(Name, Def).str();
    int64_t Out;
    if (StringRef(V).trim().getAsInteger(10, Out)) {
      configurationDiag("invalid configuration value '%0' for option '%1%2'; expected an integer")
          << support::validUtf8(V) << getID() << ("." + Name).str();
      return Default;
    }
    return Out;
  }

  SourceLocation location(const model::Location &L) const {
    if (!L.valid())
      return {};
    auto FE = SM->getFileManager().getOptionalFileRef(L.File);
    if (!FE)
      return {};
    return SM->translateFileLineCol(*FE, L.Line, std::max(1u, L.Column));
  }

  /// The lines that justify the verdict, as notes an editor can jump to.
  void evidenceNotes(const model::CallSite &C) {
    const model::Protection *P = nullptr;
    if (Rule.Notes == analysis::EvidenceNotes::Timeout)
      P = &C.Timeout;
    else if (Rule.Notes == analysis::EvidenceNotes::Retry)
      P = &C.Retry;
    if (!P)
      return;
    for (const model::Evidence &E : P->Evidence) {
      SourceLocation L = location({E.File, E.Line, 1});
      if (L.isInvalid() || SM->isInSystemHeader(L))
        continue;
      L = L.getLocWithOffset(static_cast<int>(indentOf(L).size()));
      diag(L, "%0", DiagnosticIDs::Note) << support::validUtf8(E.Note);
    }
  }

  /// The whitespace that starts the line holding `Loc`.
  std::string indentOf(SourceLocation Loc) const {
    auto [FID, Offset] = SM->getDecomposedLoc(Loc);
    StringRef Buf = SM->getBufferData(FID);
    size_t Start = Buf.rfind('\n', Offset ? Offset - 1 : 0);
    Start = Start == StringRef::npos ? 0 : Start + 1;
    if (Offset == 0)
      Start = 0;
    size_t End = Start;
    while (End < Buf.size() && (Buf[End] == ' ' || Buf[End] == '\t'))
      ++End;
    return Buf.substr(Start, End - Start).str();
  }

  /// A handle with no timeout setting at all whose operation has a catalog
  /// `fix_it`: the statement goes after the handle's initialisation, else before
  /// the statement that performs.
  std::optional<FixItHint> timeoutFix(const model::CallSite &C) const {
    const catalog::Operation *Op = Engine->operation(C.Library, C.Operation);
    if (FixTimeoutMs <= 0 || !Op || Op->FixIt.empty() || C.Fix.HandleText.empty() ||
        !C.Timeout.Evidence.empty())
      return std::nullopt; // a setting exists (e.g. set to 0): not a mechanical fix
    // The handle as written at the call, its member access kept as the catalog spells it.
    std::string Call = catalog::expandSnippet(Op->FixIt, C.Fix.HandleText, "");
    const std::string Timeout = "{timeout_ms}";
    for (size_t P; (P = Call.find(Timeout)) != std::string::npos;)
      Call.replace(P, Timeout.size(), std::to_string(FixTimeoutMs));
    if (SourceLocation Semi = location(C.Fix.AfterHandleInit); Semi.isValid())
      return FixItHint::CreateInsertion(Semi.getLocWithOffset(1), "\n" + indentOf(Semi) + Call);
    if (SourceLocation Stmt = location(C.Fix.BeforeStatement); Stmt.isValid()) {
      std::string Indent = indentOf(Stmt);
      bool StartsLine = SM->getSpellingColumnNumber(Stmt) == Indent.size() + 1;
      return FixItHint::CreateInsertion(Stmt, Call + (StartsLine ? "\n" + Indent : " "));
    }
    return std::nullopt;
  }

  const analysis::RuleInfo &Rule;
  std::shared_ptr<TuEngine> Engine;
  const bool IncludeGenerated;
  const int64_t FixTimeoutMs;
  const SourceManager *SM = nullptr;
  ASTContext *Ctx = nullptr;
};

/// One check per rule of the registry that one translation unit can decide.
/// Whole-program rules (the inventory cross-checks against env files and build
/// manifests) are not registered.
class IntegrationModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    auto Slot = std::make_shared<EngineSlot>();
    for (const analysis::RuleInfo &Rule : analysis::rules()) {
      if (!Rule.SingleTu)
        continue;
      Factories.registerCheckFactory(
          Rule.Id, [&Rule, Slot](StringRef Name, ClangTidyContext *Ctx) {
            return std::make_unique<IntegrationCheck>(Name, Ctx, Rule,
                                                      Slot->engineFor(Ctx->getCurrentFile().str()));
          });
    }
  }
};

} // namespace

static ClangTidyModuleRegistry::Add<IntegrationModule>
    Registration("integration-mapper-module",
                 "integration-mapper: timeouts, retries and security of external integration calls");

} // namespace im::tidy
