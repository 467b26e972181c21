// Registers the catalog's matchers, hands each match to the step that reads it
// (CallSites.cpp, Settings.cpp, CallGraph.cpp) and records getenv reads.
#include "matchers/Extractor.h"
#include "matchers/ExtractorImpl.h"
#include "matchers/FactOrder.h"
#include "matchers/SecurityFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace im::matchers {

bool isGeneratedFile(llvm::StringRef Path, const std::vector<std::string> &GeneratedDirs) {
  if (Path.ends_with(".pb.cc") || Path.ends_with(".pb.h") || Path.ends_with(".grpc.pb.cc") ||
      Path.ends_with(".grpc.pb.h") || Path.ends_with(".pb.cpp"))
    return true;
  for (const auto &D : GeneratedDirs)
    if (!D.empty() && Path.starts_with(D) &&
        (Path.size() == D.size() || llvm::sys::path::is_separator(Path[D.size()]) ||
         llvm::sys::path::is_separator(D.back())))
      return true;
  return false;
}

std::pair<const catalog::Library *, const catalog::Operation *>
Extractor::Impl::lookupOperation(const FunctionDecl *FD, int Depth) {
  auto Found = Cat.lookupOperation(plainQualifiedName(FD));
  if (!Found.first && Depth < 8)
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      for (const CXXMethodDecl *Base : MD->overridden_methods())
        if ((Found = lookupOperation(Base, Depth + 1)).first)
          break;
  return Found;
}

bool Extractor::Impl::skip(SourceLocation L, const SourceManager &SM) {
  SourceLocation E = SM.getExpansionLoc(L);
  if (E.isInvalid() || SM.isInSystemHeader(E))
    return true;
  return false;
}

void Extractor::Impl::onEnvRead(const CallExpr *CE, const StringLiteral *Name, ASTContext &Ctx) {
  if (!Name || skip(CE->getBeginLoc(), Ctx.getSourceManager()))
    return;
  H.setContext(Ctx);
  Facts.EnvReads.push_back({Name->getString().str(), H.loc(CE->getBeginLoc())});
}

Extractor::Extractor(const catalog::Catalog &Catalog, model::TUFacts &Facts, ExtractOptions Opts)
    : P(std::make_unique<Impl>(Catalog, Facts, std::move(Opts))) {}
Extractor::~Extractor() = default;

void Extractor::registerMatchers(MatchFinder &Finder) {
  // hasName() does not see through class template specializations
  // (pqxx::basic_connection_base<connect_direct>), so the matcher selects by the
  // unqualified name and run() decides on the full, template-free name.
  for (const auto &L : P->Cat.libraries())
    for (const auto &N : L.HandlePassthrough)
      P->H.Passthrough.insert(catalog::normalizeName(N));
  for (const auto &L : P->Cat.libraries())
    for (const auto &T : L.ValueTypes)
      P->H.ValueTypes[catalog::normalizeName(T.Type)] = &T;
  std::vector<llvm::StringRef> Names(P->Cat.functionNames().begin(), P->Cat.functionNames().end());

  auto Enclosing = optionally(forCallable(functionDecl().bind(ids::EnclosingFn)));
  // Catalog functions and methods, matched by declaration: a same-named function in
  // another namespace or class is not the library's.
  auto CatalogFunction = functionDecl(hasAnyName(Names));
  Finder.addMatcher(callExpr(callee(CatalogFunction), Enclosing).bind(ids::Call), this);
  Finder.addMatcher(
      cxxConstructExpr(hasDeclaration(cxxConstructorDecl(hasAnyName(Names))), Enclosing)
          .bind(ids::Construct),
      this);
  // Operations recognised by shape (generated gRPC stubs): class name + parameter type.
  for (const auto &L : P->Cat.libraries())
    for (const auto &Pat : L.OperationPatterns) {
      std::vector<llvm::StringRef> Classes(Pat.ClassNames.begin(), Pat.ClassNames.end());
      auto Param = qualType(anyOf(pointsTo(cxxRecordDecl(hasName(Pat.ParamType))),
                                  references(cxxRecordDecl(hasName(Pat.ParamType)))));
      Finder.addMatcher(
          cxxMemberCallExpr(callee(cxxMethodDecl(ofClass(cxxRecordDecl(hasAnyName(Classes))),
                                                 hasAnyParameter(hasType(Param)))),
                            Enclosing)
              .bind("patternCall"),
          this);
    }
  // Settings made by assigning a field of a configuration struct.
  std::vector<std::string> FieldStorage;
  for (const auto &L : P->Cat.libraries())
    for (const auto &St : L.Setters)
      if (St.FieldAssignment)
        FieldStorage.push_back(St.Name);
  if (!FieldStorage.empty()) {
    std::vector<llvm::StringRef> Fields(FieldStorage.begin(), FieldStorage.end());
    auto Member = memberExpr(member(fieldDecl(hasAnyName(Fields)))).bind("assignedMember");
    Finder.addMatcher(binaryOperator(isAssignmentOperator(), hasLHS(ignoringParenImpCasts(Member)),
                                     Enclosing)
                          .bind("fieldAssign"),
                      this);
    Finder.addMatcher(cxxOperatorCallExpr(hasOverloadedOperatorName("="),
                                          hasArgument(0, ignoringParenImpCasts(Member)), Enclosing)
                          .bind("fieldAssign"),
                      this);
  }
  // Settings made by assigning through operator[] of a map type (`opts["KEY"] = v`).
  bool AnySubscript = false;
  for (const auto &L : P->Cat.libraries())
    for (const auto &St : L.Setters)
      AnySubscript |= St.SubscriptAssignment;
  if (AnySubscript)
    Finder.addMatcher(
        cxxOperatorCallExpr(hasOverloadedOperatorName("="),
                            hasArgument(0, ignoringParenImpCasts(
                                               cxxOperatorCallExpr(hasOverloadedOperatorName("[]"))
                                                   .bind("subscript"))),
                            Enclosing)
            .bind("subscriptAssign"),
        this);
  // The project's own call graph: who calls whom, and which handles flow where.
  auto ProjectFunction = functionDecl(unless(isExpansionInSystemHeader())).bind(ids::Callee);
  Finder.addMatcher(
      callExpr(callee(ProjectFunction), forCallable(functionDecl().bind(ids::EnclosingFn)))
          .bind("edge"),
      this);
  Finder.addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(unless(isExpansionInSystemHeader()))),
                                     forCallable(functionDecl().bind(ids::EnclosingFn)))
                        .bind("projectConstruct"),
                    this);
  Finder.addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind(ids::Definition),
      this);
  Finder.addMatcher(
      cxxRecordDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind("record"), this);
  // ---- environment variables read by name (getenv, secure_getenv, std::getenv)
  Finder.addMatcher(
      callExpr(callee(functionDecl(hasAnyName("::getenv", "::secure_getenv", "::std::getenv"))),
               hasArgument(0, ignoringParenImpCasts(stringLiteral().bind("env-name"))))
          .bind("env-read"),
      this);
  P->Security = registerSecurityMatchers(Finder, P->Cat, P->Facts);
}

void Extractor::run(const MatchFinder::MatchResult &R) {
  if (const auto *ER = R.Nodes.getNodeAs<CallExpr>("env-read")) {
    P->onEnvRead(ER, R.Nodes.getNodeAs<StringLiteral>("env-name"), *R.Context);
    return;
  }
  const auto *Enclosing = R.Nodes.getNodeAs<FunctionDecl>(ids::EnclosingFn);
  if (const auto *CE = R.Nodes.getNodeAs<CallExpr>(ids::Call)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee)
      return;
    llvm::SmallVector<const Expr *, 8> Args;
    unsigned First = 0;
    const Expr *Object = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      Object = MC->getImplicitObjectArgument();
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
             OC && isa<CXXMethodDecl>(Callee) && OC->getNumArgs() > 0) {
      Object = OC->getArg(0);
      First = 1;
    }
    for (unsigned I = First; I < CE->getNumArgs(); ++I)
      Args.push_back(CE->getArg(I));
    P->onCatalogCall(CE, Callee, Args, Object, Enclosing, *R.Context);
    return;
  }
  if (const auto *CC = R.Nodes.getNodeAs<CXXConstructExpr>(ids::Construct)) {
    llvm::SmallVector<const Expr *, 8> Args(CC->arguments().begin(), CC->arguments().end());
    P->onCatalogCall(CC, CC->getConstructor(), Args, nullptr, Enclosing, *R.Context);
    return;
  }
  if (const auto *A = R.Nodes.getNodeAs<Expr>("fieldAssign")) {
    const auto *ME = R.Nodes.getNodeAs<MemberExpr>("assignedMember");
    const Expr *RHS = nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(A))
      RHS = BO->getRHS();
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(A); OC && OC->getNumArgs() == 2)
      RHS = OC->getArg(1);
    if (ME && RHS)
      P->onFieldAssignment(A, ME, RHS, Enclosing, *R.Context);
    return;
  }
  if (const auto *A = R.Nodes.getNodeAs<CXXOperatorCallExpr>("subscriptAssign")) {
    if (const auto *Sub = R.Nodes.getNodeAs<CXXOperatorCallExpr>("subscript"))
      P->onSubscriptAssignment(A, Sub, Enclosing, *R.Context);
    return;
  }
  if (const auto *CE = R.Nodes.getNodeAs<CallExpr>("patternCall")) {
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      P->onPatternCall(CE, Callee, Enclosing, *R.Context);
    return;
  }
  if (const auto *CC = R.Nodes.getNodeAs<CXXConstructExpr>("projectConstruct")) {
    if (Enclosing)
      P->onProjectConstruct(CC, Enclosing, *R.Context);
    return;
  }
  if (const auto *CE = R.Nodes.getNodeAs<CallExpr>("edge")) {
    const auto *Callee = R.Nodes.getNodeAs<FunctionDecl>(ids::Callee);
    if (Callee && Enclosing)
      P->onProjectCall(CE, Callee, Enclosing, *R.Context);
    return;
  }
  if (const auto *FD = R.Nodes.getNodeAs<FunctionDecl>(ids::Definition))
    P->onDefinition(FD, *R.Context);
  if (const auto *RD = R.Nodes.getNodeAs<CXXRecordDecl>("record"))
    P->onRecord(RD, *R.Context);
}

void Extractor::finish() {
  auto &F = P->Facts;
  canonicalOrder(F);
  // Security facts deduplicated; secrets never leave the translation unit.
  finishSecurityFacts(F);
}

} // namespace im::matchers
