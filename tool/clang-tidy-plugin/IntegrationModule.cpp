// The clang-tidy plugin: the integration-mapper rules as clang-tidy checks.
//
//   clang-tidy-19 --load=build/IntegrationMapperTidy.so --checks='-*,integration-*' file.cpp
//
// Built as a MODULE against the shared libclang-cpp/libLLVM that Debian's
// clang-tidy-19 links; the clang-tidy classes come from the clang-tidy binary.
// Each check runs the same Extractor as the CLI over its translation unit, then
// the same merge/resolve/evaluateRules, and reports the findings of its rule
// with the message text the CLI prints. What one TU cannot know is said in the
// message (see analysis/TuScope.h).
#include "analysis/Integrations.h"
#include "analysis/Resolve.h"
#include "analysis/Rules.h"
#include "analysis/TuScope.h"
#include "catalog/Catalog.h"
#include "analysis/Security.h"
#include "config/Config.h"
#include "matchers/Extractor.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/Path.h"

#include <optional>

using namespace clang;
using namespace clang::tidy;

namespace im::tidy {

namespace {

/// The checks: one row per rule of analysis::rules() that one translation unit
/// can decide, with what only the plugin adds. Rows whose rule is not (yet) in
/// analysis::rules() are not registered. Whole-program rules (the inventory
/// cross-checks against env files and build manifests) have no row.
struct CheckRow {
  const char *Rule;
  bool TimeoutFixIt;  // offers `curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, N)`
};

constexpr CheckRow CheckTable[] = {
    {"integration-missing-timeout", true},
    {"integration-unverified-timeout", false},
    {"integration-unbounded-retry", false},
    {"integration-retry-without-backoff", false},
    {"integration-missing-retry", false},
    // Security rules (issue 5): registered as soon as Rules.cpp defines them.
    // A new per-call rule needs one row here (and a test in test/tidy).
    {"integration-tls-verification-disabled", false},
    {"integration-plaintext-transport", false},
    {"integration-tls-downgrade-possible", false},
    {"integration-hardcoded-secret", false},
    {"integration-webhook-signature-unverified", false},
    {"integration-api-version-unpinned", false},
};

class IntegrationCheck : public ClangTidyCheck {
public:
  IntegrationCheck(StringRef Name, ClangTidyContext *Context, const CheckRow &Row)
      : ClangTidyCheck(Name, Context), Ctx(Context), Row(Row),
        IncludeGenerated(boolOption("IncludeGenerated", false)),
        FixTimeoutMs(intOption("FixTimeoutMs", 5000)) {}

  bool isLanguageVersionSupported(const LangOptions &) const override { return true; }

  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "IncludeGenerated", StringRef(IncludeGenerated ? "true" : "false"));
    if (Row.TimeoutFixIt)
      Options.store(Opts, "FixTimeoutMs", StringRef(std::to_string(FixTimeoutMs)));
  }

  void registerPPCallbacks(const SourceManager &SM, Preprocessor *, Preprocessor *) override {
    this->SM = &SM;
  }

  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    if (!Cat) {
      auto Loaded = catalog::Catalog::loadBuiltin();
      if (!Loaded) {
        configurationDiag("integration-mapper: %0") << toString(Loaded.takeError());
        return;
      }
      Cat.emplace(std::move(*Loaded));
      // The project's own clients from the nearest .integration-mapper.yaml, as the CLI reads them.
      std::string CfgPath = config::findConfig(
          llvm::sys::path::parent_path(Ctx->getCurrentFile()).str());
      if (!CfgPath.empty()) {
        auto Cfg = config::loadConfig(CfgPath);
        llvm::Error E = Cfg ? config::extendCatalog(*Cfg, *Cat) : Cfg.takeError();
        if (E)
          configurationDiag("integration-mapper: %0") << toString(std::move(E));
      }
    }
    Facts = model::TUFacts{};
    matchers::ExtractOptions Opts;
    Opts.IncludeGenerated = IncludeGenerated;
    X = std::make_unique<matchers::Extractor>(*Cat, Facts, Opts);
    X->registerMatchers(*Finder);
    // The Extractor receives the catalog matches. The check registers one matcher
    // of its own so that the MatchFinder calls its onEndOfTranslationUnit.
    Finder->addMatcher(ast_matchers::translationUnitDecl(), this);
  }

  void check(const ast_matchers::MatchFinder::MatchResult &) override {}

  void onEndOfTranslationUnit() override {
    if (!X || !SM)
      return;
    X->finish();
    std::vector<model::TUFacts> One;
    One.push_back(std::move(Facts));
    analysis::Merged M = analysis::merge(std::move(One));
    analysis::resolve(M, *Cat);
    std::vector<model::CallSite> Sites = M.CallSites;
    analysis::groupIntegrations(Sites, *Cat);
    std::map<std::string, const model::CallSite *> ById;
    for (const auto &C : Sites)
      ById[C.Id] = &C;
    std::vector<model::Finding> Findings = analysis::evaluateRules(Sites, *Cat, "");
    analysis::assessSecurity(M, Sites, *Cat, "", Findings); // the same security rules as the CLI
    for (const model::Finding &F : Findings) {
      if (F.Rule != Row.Rule)
        continue;
      SourceLocation Loc = location(F.Loc);
      if (Loc.isInvalid() || SM->isInSystemHeader(Loc))
        continue;
      const model::CallSite *C = ById.count(F.CallSiteId) ? ById[F.CallSiteId] : nullptr;
      std::string Message = F.Message;
      std::string Caveat = C ? analysis::singleTuCaveat(M, *C, F.Rule) : "";
      if (!Caveat.empty())
        Message += " " + Caveat;
      {
        auto D = diag(Loc, "%0") << Message;
        // No fix-it when code this TU does not see may configure the handle: the
        // inserted timeout could override a deliberate one.
        if (C && Row.TimeoutFixIt && Caveat.empty())
          if (auto Fix = timeoutFix(*C))
            D << *Fix;
      }
      if (C)
        evidenceNotes(*C, F.Rule);
    }
    // X stays alive: the MatchFinder may still call onEndOfTranslationUnit on the
    // callbacks X registered (the security collector) after this one.
  }

private:
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
        << V << getID() << ("." + Name).str();
    return Default;
  }
  int64_t intOption(StringRef Name, int64_t Default) {
    std::string Def = std::to_string(Default);
    std::string V = Options.get(Name, Def).str();
    int64_t Out;
    if (StringRef(V).trim().getAsInteger(10, Out)) {
      configurationDiag("invalid configuration value '%0' for option '%1%2'; expected an integer")
          << V << getID() << ("." + Name).str();
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
  void evidenceNotes(const model::CallSite &C, const std::string &Rule) {
    const model::Protection *P = nullptr;
    if (Rule == "integration-missing-timeout" || Rule == "integration-unverified-timeout")
      P = &C.Timeout;
    else if (Rule == "integration-unbounded-retry" || Rule == "integration-retry-without-backoff")
      P = &C.Retry;
    if (!P)
      return;
    for (const model::Evidence &E : P->Evidence) {
      SourceLocation L = location({E.File, E.Line, 1});
      if (L.isInvalid() || SM->isInSystemHeader(L))
        continue;
      L = L.getLocWithOffset(static_cast<int>(indentOf(L).size()));
      diag(L, "%0", DiagnosticIDs::Note) << E.Note;
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

  /// libcurl easy handle with no timeout setting at all: set CURLOPT_TIMEOUT_MS
  /// after the handle's initialisation, else before the statement that performs.
  std::optional<FixItHint> timeoutFix(const model::CallSite &C) const {
    if (FixTimeoutMs <= 0 || C.Library != "libcurl" || C.Operation != "curl_easy_perform" ||
        C.Fix.HandleText.empty() || !C.Timeout.Evidence.empty())
      return std::nullopt; // a setting exists (e.g. set to 0): not a mechanical fix
    std::string Call = "curl_easy_setopt(" + C.Fix.HandleText + ", CURLOPT_TIMEOUT_MS, " +
                       std::to_string(FixTimeoutMs) + "L);";
    if (SourceLocation Semi = location(C.Fix.AfterHandleInit); Semi.isValid())
      return FixItHint::CreateInsertion(Semi.getLocWithOffset(1), "\n" + indentOf(Semi) + Call);
    if (SourceLocation Stmt = location(C.Fix.BeforeStatement); Stmt.isValid()) {
      std::string Indent = indentOf(Stmt);
      bool StartsLine = SM->getSpellingColumnNumber(Stmt) == Indent.size() + 1;
      return FixItHint::CreateInsertion(Stmt, Call + (StartsLine ? "\n" + Indent : " "));
    }
    return std::nullopt;
  }

  ClangTidyContext *Ctx;
  const CheckRow Row;
  const bool IncludeGenerated;
  const int64_t FixTimeoutMs;
  // Per-check, per-TU state (clang-tidy creates the checks for every TU).
  std::optional<catalog::Catalog> Cat;
  model::TUFacts Facts;
  std::unique_ptr<matchers::Extractor> X;
  const SourceManager *SM = nullptr;
};

class IntegrationModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    for (const CheckRow &Row : CheckTable) {
      if (!analysis::rule(Row.Rule))
        continue;
      Factories.registerCheckFactory(Row.Rule, [Row](StringRef Name, ClangTidyContext *Ctx) {
        return std::make_unique<IntegrationCheck>(Name, Ctx, Row);
      });
    }
  }
};

} // namespace

static ClangTidyModuleRegistry::Add<IntegrationModule>
    Registration("integration-mapper-module",
                 "integration-mapper: timeouts and retries of external integration calls");

} // namespace im::tidy
