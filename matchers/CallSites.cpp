// Catalog operations called in the project: a call site each, with its handle,
// endpoint, loops, guards and handlers, and where a clang-tidy fix-it may insert code.
#include "matchers/ExtractorImpl.h"
#include "matchers/LoopShape.h"

#include "clang/AST/ParentMapContext.h"

#include <algorithm>

using namespace clang;

namespace im::matchers {

void Extractor::Impl::onCatalogCall(const Expr *E, const FunctionDecl *Callee,
                                    llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                                    const FunctionDecl *Enclosing, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation At = isa<CXXMemberCallExpr>(E) ? E->getExprLoc() : E->getBeginLoc();
  if (skip(At, SM))
    return;
  H.setContext(Ctx);
  FixCtx = &Ctx;
  std::string Name = plainQualifiedName(Callee);
  // A catalog call inside the body of a catalog operation (a wrapper the user
  // declared as a client in the config) is that operation's implementation:
  // the wrapper's call sites stand for it.
  bool InsideOperation = Enclosing && lookupOperation(Enclosing).first;
  if (auto [Lib, Op] = lookupOperation(Callee); Lib && Op && !InsideOperation && Args.size() >= Op->MinArgs)
    addCallSite(*Lib, *Op, E, At, Args, Object, Enclosing);
  for (auto [Lib, St] : Cat.lookupSetters(Name))
    addSetting(*Lib, *St, E, At, Args, Object, Enclosing);
}

HandleRef Extractor::Impl::handleFor(const catalog::HandleSpec &Spec, const Expr *E,
                                     llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                                     const FunctionDecl *Enclosing) {
  switch (Spec.K) {
  case catalog::HandleSpec::Kind::Arg:
    if (Spec.Index < Args.size())
      return H.handleOf(Args[Spec.Index]);
    return {};
  case catalog::HandleSpec::Kind::Object:
    return Object ? H.handleOf(Object) : HandleRef{};
  case catalog::HandleSpec::Kind::Result:
    return H.resultHandle(E, Enclosing);
  case catalog::HandleSpec::Kind::Call:
    return callHandle(E);
  case catalog::HandleSpec::Kind::None:
    return {};
  }
  return {};
}

HandleRef Extractor::Impl::callHandle(const Expr *E) {
  const Expr *Call = isa<CallExpr>(E) ? E : nullptr;
  DynTypedNode N = DynTypedNode::create(*E);
  for (int Depth = 0; !Call && Depth < 8; ++Depth) {
    auto Parents = H.context().getParents(N);
    if (Parents.empty())
      break;
    N = Parents[0];
    if (const auto *CE = N.get<CallExpr>())
      Call = CE;
    else if (!N.get<ImplicitCastExpr>() && !N.get<MaterializeTemporaryExpr>() &&
             !N.get<CXXBindTemporaryExpr>() && !N.get<CXXFunctionalCastExpr>() &&
             !N.get<CXXConstructExpr>() && !N.get<ParenExpr>())
      break;
  }
  if (!Call)
    return {};
  return {"call@" + H.locKey(Call->getBeginLoc()), H.text(Call, 60), false};
}

void Extractor::Impl::addCallSite(const catalog::Library &Lib, const catalog::Operation &Op,
                                  const Expr *E, SourceLocation At,
                                  llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                                  const FunctionDecl *Enclosing) {
  model::CallSite C;
  C.Loc = H.loc(At);
  C.Library = Lib.Id;
  C.Kind = Lib.Kind;
  C.Operation = catalog::normalizeName(Op.Name);
  C.Function = H.functionName(Enclosing);
  C.FunctionKey = H.functionKey(Enclosing);
  HandleRef R = handleFor(Op.Handle, E, Args, Object, Enclosing);
  C.Handle = R.Display;
  C.HandleKey = R.Key;
  C.HandleType = R.Type;
  for (const auto &X : Op.ExtraHandles) // catalog "extra_handles"
    if (HandleRef XR = handleFor(X, E, Args, Object, Enclosing); !XR.Key.empty())
      C.ExtraHandleKeys.push_back(XR.Key);
  if (Op.EndpointArg >= 0 && static_cast<size_t>(Op.EndpointArg) < Args.size()) {
    C.EndpointExpr = SF.fold(Args[Op.EndpointArg], Enclosing);
    model::Value V = H.evaluate(Args[Op.EndpointArg], "");
    if (V.K == model::Value::Kind::String) {
      C.Endpoint = V.Str; // redacted by the resolver before any output
      C.EndpointSource = "literal";
    } else if (!V.DependsOn.empty()) {
      C.EndpointSource = V.DependsOn;
    }
  }
  C.InGeneratedCode = isGeneratedFile(C.Loc.File, Opts.GeneratedDirs);
  if (C.InGeneratedCode && !Opts.IncludeGenerated)
    return;
  C.Id = C.Loc.File + ":" + std::to_string(C.Loc.Line) + ":" + std::to_string(C.Loc.Column);
  for (const auto &L : enclosingLoops(H, E, Facts.Loops))
    C.EnclosingLoops.push_back(L);
  C.Guards = Ev.guardsOf(E);
  C.Handlers = Ev.handlersOf(E, Enclosing);
  std::vector<std::string> Strings;
  for (const Expr *A : Args) {
    model::Value V = H.evaluate(A, "");
    if (V.K == model::Value::Kind::String)
      Strings.push_back(V.Str);
  }
  C.ProbeNote = EvidenceFacts::probeNote(Strings);
  C.HealthProbe = !C.ProbeNote.empty();
  if (Op.Handle.K == catalog::HandleSpec::Kind::Arg && Op.Handle.Index < Args.size())
    insertionPoints(C, Args[Op.Handle.Index], E);
  Facts.CallSites.push_back(std::move(C));
}

const Stmt *Extractor::Impl::blockStatement(const Stmt *S, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*S);
  for (int Depth = 0; Depth < 64; ++Depth) {
    auto Parents = Ctx.getParents(N);
    if (Parents.size() != 1)
      return nullptr;
    if (Parents[0].get<CompoundStmt>())
      return N.get<Stmt>();
    if (Parents[0].get<Decl>() && !Parents[0].get<VarDecl>())
      return nullptr; // reached a function or lambda without passing a block
    N = Parents[0];
  }
  return nullptr;
}

const Expr *Extractor::Impl::loopRange(const Expr *E, const FunctionDecl *Enclosing) {
  if (!E || !Enclosing)
    return E;
  const Expr *X = E->IgnoreParenImpCasts();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(X))
    if (const auto *M = MC->getMethodDecl();
        M && M->getNumParams() == 0 && H.Passthrough.count(plainQualifiedName(M)))
      X = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const auto *DR = dyn_cast<DeclRefExpr>(X);
  const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
  if (!VD)
    return E;
  ASTContext &Ctx = Enclosing->getASTContext();
  for (const auto &P : Ctx.getParents(*VD))
    if (const auto *DS = P.get<DeclStmt>())
      for (const auto &Q : Ctx.getParents(*DS))
        if (const auto *FR = Q.get<CXXForRangeStmt>(); FR && FR->getLoopVariable() == VD)
          return FR->getRangeInit();
  return E;
}

void Extractor::Impl::insertionPoints(model::CallSite &C, const Expr *HandleArg, const Expr *Call) {
  if (!FixCtx || !HandleArg)
    return;
  ASTContext &Ctx = *FixCtx;
  const SourceManager &SM = Ctx.getSourceManager();
  auto Plain = [&](SourceLocation L) { return L.isValid() && L.isFileID(); };
  C.Fix.HandleText = H.text(HandleArg);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(HandleArg->IgnoreParenImpCasts()))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) && VD->hasInit())
      for (const auto &P : Ctx.getParents(*VD))
        if (const auto *DS = P.get<DeclStmt>())
          if (blockStatement(DS, Ctx) == DS && Plain(DS->getBeginLoc()) &&
              Plain(DS->getEndLoc()) && SM.isBeforeInTranslationUnit(DS->getEndLoc(), Call->getBeginLoc()))
            C.Fix.AfterHandleInit = H.loc(DS->getEndLoc());
  if (const Stmt *S = blockStatement(Call, Ctx); S && Plain(S->getBeginLoc()))
    C.Fix.BeforeStatement = H.loc(S->getBeginLoc());
}

void Extractor::Impl::onPatternCall(const CallExpr *CE, const FunctionDecl *Callee,
                                    const FunctionDecl *Enclosing, ASTContext &Ctx) {
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  if (!MD || skip(CE->getExprLoc(), Ctx.getSourceManager()))
    return;
  H.setContext(Ctx);
  std::string ClassName = MD->getParent()->getNameAsString();
  for (const auto &Lib : Cat.libraries())
    for (const auto &Pat : Lib.OperationPatterns) {
      if (std::find(Pat.ClassNames.begin(), Pat.ClassNames.end(), ClassName) ==
          Pat.ClassNames.end())
        continue;
      for (unsigned I = 0; I < MD->getNumParams() && I < CE->getNumArgs(); ++I) {
        QualType T = MD->getParamDecl(I)->getType();
        if (T->isPointerType() || T->isReferenceType())
          T = T->getPointeeType();
        const auto *RD = T->getAsCXXRecordDecl();
        if (!RD || plainQualifiedName(RD) != catalog::normalizeName(Pat.ParamType))
          continue;
        catalog::Operation Op;
        Op.Name = "::" + plainQualifiedName(MD);
        Op.Handle.K = catalog::HandleSpec::Kind::Arg;
        Op.Handle.Index = I;
        Op.Label = Pat.Label;
        const Expr *Object = nullptr;
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
          Object = MC->getImplicitObjectArgument();
        if (Pat.ObjectIsExtraHandle)
          Op.ExtraHandles.push_back(catalog::HandleSpec{catalog::HandleSpec::Kind::Object});
        llvm::SmallVector<const Expr *, 8> Args(CE->arguments().begin(), CE->arguments().end());
        addCallSite(Lib, Op, CE, CE->getExprLoc(), Args, Object, Enclosing);
        return;
      }
    }
}

} // namespace im::matchers
