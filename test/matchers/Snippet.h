// Parses C++ snippets against the real Debian headers and runs the extractor
// and the resolver on them, so a test states verdicts, not AST shapes.
// Expected places are marked in the snippet with comments: /*@name*/.
#pragma once

#include "analysis/Resolve.h"
#include "catalog/Catalog.h"
#include "matchers/Extractor.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Tooling/Tooling.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace im::test {

inline const catalog::Catalog &builtinCatalog() {
  static catalog::Catalog C = [] {
    auto X = catalog::Catalog::loadBuiltin();
    if (!X) {
      ADD_FAILURE() << llvm::toString(X.takeError());
      return catalog::Catalog();
    }
    return std::move(*X);
  }();
  return C;
}

struct SnippetFile {
  std::string Name; // virtual file name, e.g. "helper.cpp"
  std::string Code;
  std::vector<std::string> ExtraArgs = {};
};

/// The resolved facts of one or more snippets (each its own translation unit).
class Snippets {
public:
  Snippets(std::vector<SnippetFile> Files, const catalog::Catalog &Cat = builtinCatalog(),
           const std::vector<std::string> &BreakerClasses = {}) {
    std::vector<model::TUFacts> All;
    for (auto &F : Files) {
      Sources[F.Name] = F.Code;
      std::vector<std::string> Args = {"-std=c++17", "-resource-dir=" IM_CLANG_RESOURCE_DIR,
                                       "-I" IM_TEST_INPUTS "/mirror", "-Wno-everything"};
      for (auto &A : F.ExtraArgs)
        Args.push_back(A);
      auto AST = clang::tooling::buildASTFromCodeWithArgs(F.Code, Args, F.Name);
      model::TUFacts Facts;
      Facts.Unit.File = F.Name;
      if (!AST) {
        ADD_FAILURE() << "could not parse " << F.Name;
        continue;
      }
      if (AST->getDiagnostics().hasErrorOccurred())
        ADD_FAILURE() << F.Name << " does not compile (see diagnostics above)";
      clang::ast_matchers::MatchFinder Finder;
      matchers::Extractor X(Cat, Facts);
      X.registerMatchers(Finder);
      Finder.matchAST(AST->getASTContext());
      X.finish();
      All.push_back(std::move(Facts));
    }
    M = analysis::merge(std::move(All));
    analysis::resolve(M, Cat, BreakerClasses);
  }

  /// Line of the marker /*@Name*/ in any snippet.
  unsigned line(const std::string &Marker) const {
    for (const auto &[File, Code] : Sources) {
      std::istringstream In(Code);
      std::string L;
      for (unsigned N = 1; std::getline(In, L); ++N)
        if (L.find("/*@" + Marker + "*/") != std::string::npos)
          return N;
    }
    ADD_FAILURE() << "no marker /*@" << Marker << "*/";
    return 0;
  }

  /// The only call site in function `Fn` (qualified name as reported).
  const model::CallSite &callIn(const std::string &Fn) const {
    const model::CallSite *Found = nullptr;
    for (const auto &C : M.CallSites)
      if (C.Function == Fn) {
        EXPECT_EQ(Found, nullptr) << "more than one call site in " << Fn;
        Found = &C;
      }
    if (!Found) {
      ADD_FAILURE() << "no call site in " << Fn << "\n" << dump();
      static model::CallSite Empty;
      return Empty;
    }
    return *Found;
  }

  const model::CallSite *callAt(unsigned Line) const {
    for (const auto &C : M.CallSites)
      if (C.Loc.Line == Line)
        return &C;
    return nullptr;
  }

  bool hasEvidenceAt(const model::Protection &P, unsigned Line) const {
    for (const auto &E : P.Evidence)
      if (E.Line == Line)
        return true;
    return false;
  }

  std::string dump() const {
    std::ostringstream O;
    for (const auto &C : M.CallSites) {
      O << C.Loc.File << ":" << C.Loc.Line << ":" << C.Loc.Column << " " << C.Operation << " in "
        << C.Function << " handle=" << C.Handle << " timeout=" << C.Timeout.Status << " ("
        << C.Timeout.Reason << ") retry=" << C.Retry.Status << " (" << C.Retry.Reason << ")\n";
      for (const auto &E : C.Timeout.Evidence)
        O << "    timeout evidence " << E.Line << ": " << E.Note << "\n";
      for (const auto &E : C.Retry.Evidence)
        O << "    retry evidence " << E.Line << ": " << E.Note << "\n";
    }
    return O.str();
  }

  analysis::Merged M;

private:
  std::map<std::string, std::string> Sources;
};

/// A test suite over one snippet, parsed once for all its tests:
///   const char *const AsioCode = R"cpp(...)cpp";  constexpr char AsioName[] = "asio.cpp";
///   using Asio = test::SnippetSuite<&AsioCode, AsioName>;
template <const char *const *Code, const char *Name> class SnippetSuite : public testing::Test {
protected:
  static void SetUpTestSuite() { S = new Snippets(std::vector<SnippetFile>{{Name, *Code}}); }
  static void TearDownTestSuite() {
    delete S;
    S = nullptr;
  }
  static Snippets *S;
};
template <const char *const *Code, const char *Name>
Snippets *SnippetSuite<Code, Name>::S = nullptr;

} // namespace im::test
