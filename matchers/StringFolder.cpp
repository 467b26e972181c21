#include "matchers/StringFolder.h"
#include "matchers/StmtWalk.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace im::matchers {

namespace {
const Expr *strip(const Expr *E) {
  for (int I = 0; E && I < 16; ++I) {
    const Expr *Before = E;
    E = E->IgnoreParenImpCasts();
    if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(E))
      E = DA->getExpr();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    if (const auto *EC = dyn_cast<ExprWithCleanups>(E))
      E = EC->getSubExpr();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FC->getSubExpr();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && CE->getNumArgs() >= 1 &&
                                                        !isa<CXXTemporaryObjectExpr>(CE) &&
                                                        (CE->getNumArgs() == 1 ||
                                                         isa<CXXDefaultArgExpr>(CE->getArg(1))))
      E = CE->getArg(0);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      if (const auto *M = MC->getMethodDecl();
          M && M->getNumParams() == 0 &&
          (isa<CXXConversionDecl>(M) || M->getName() == "c_str" || M->getName() == "data"))
        E = MC->getImplicitObjectArgument(); // also std::string -> string_view
    // `host_(std::move(host))`: the value is the argument.
    if (const auto *CE = dyn_cast<CallExpr>(E); CE && CE->getNumArgs() == 1 && !isa<CXXMemberCallExpr>(CE))
      if (const FunctionDecl *FD = CE->getDirectCallee();
          FD && FD->isInStdNamespace() && (FD->getName() == "move" || FD->getName() == "forward"))
        E = CE->getArg(0);
    if (E == Before)
      return E;
  }
  return E;
}

bool isOstream(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string N = plainQualifiedName(RD);
  return N == "std::basic_ostringstream" || N == "std::basic_stringstream";
}
} // namespace

bool StringFolder::stringLike(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isPointerType() || T->isArrayType()) {
    QualType P = T->isPointerType() ? T->getPointeeType() : QualType(T->getArrayElementTypeNoTypeQual(), 0);
    return P->isCharType();
  }
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string N = plainQualifiedName(RD);
  return N == "std::basic_string" || N == "std::basic_string_view" || N == "std::__cxx11::basic_string";
}

void StringFolder::append(model::StrExpr &Out, model::StrExpr More) {
  for (auto &P : More) {
    if (!Out.empty() && Out.back().Kind == P.Kind && (P.Kind == "lit" || P.Kind == "unknown")) {
      Out.back().Text += P.Text;
      continue;
    }
    Out.push_back(std::move(P));
  }
}

void StringFolder::unknown(model::StrExpr &Out, const Expr *E) {
  append(Out, {{"unknown", "{" + H.text(E, 40) + "}", {}}});
}

model::StrExpr StringFolder::integral(const Expr *E) {
  const Expr *X = E->IgnoreParenImpCasts();
  if (const auto *DR = dyn_cast<DeclRefExpr>(X))
    if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl()))
      return {{"param", H.declHandle(PV).Key, {}}};
  clang::Expr::EvalResult R;
  if (!X->isValueDependent() && X->EvaluateAsInt(R, H.context()) && R.Val.getInt().getSignificantBits() <= 64)
    return {{"lit", std::to_string(R.Val.getInt().getExtValue()), {}}};
  return {};
}

model::StrExpr StringFolder::fold(const Expr *E, const FunctionDecl *Within, int Depth) {
  model::StrExpr Out;
  if (!E)
    return Out;
  if (Depth > 8) {
    unknown(Out, E);
    return Out;
  }
  const Expr *X = strip(E);
  if (const auto *SL = dyn_cast<StringLiteral>(X)) {
    if (SL->getCharByteWidth() == 1)
      append(Out, {{"lit", SL->getString().str(), {}}});
    else
      unknown(Out, X);
    return Out;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(X)) {
    if (OC->getOperator() == OO_Plus && OC->getNumArgs() == 2) {
      append(Out, fold(OC->getArg(0), Within, Depth + 1));
      append(Out, fold(OC->getArg(1), Within, Depth + 1));
      return Out;
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(X)) {
    // `os.str()` on a local ostringstream: what was streamed into it before.
    if (const auto *M = MC->getMethodDecl(); M && M->getName() == "str" && M->getNumParams() == 0)
      if (const auto *DR = dyn_cast<DeclRefExpr>(strip(MC->getImplicitObjectArgument())))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
            VD && VD->hasLocalStorage() && isOstream(VD->getType())) {
          mutations(VD, E, Within, Out, Depth);
          if (Out.empty())
            unknown(Out, X);
          return Out;
        }
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(X)) {
    if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl())) {
      append(Out, {{"param", H.declHandle(PV).Key, {}}});
      return Out;
    }
    if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl())) {
      if (const Expr *Init = VD->getAnyInitializer())
        if (!isOstream(VD->getType()))
          append(Out, fold(Init, Within, Depth + 1));
      if (VD->hasLocalStorage())
        mutations(VD, E, Within, Out, Depth);
      if (Out.empty())
        unknown(Out, X);
      return Out;
    }
  }
  if (const auto *ME = dyn_cast<MemberExpr>(X))
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
      append(Out, {{"field", H.declHandle(FD).Key, {}}});
      return Out;
    }
  if (const auto *CE = dyn_cast<CallExpr>(X))
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      llvm::StringRef N = FD->getName();
      bool System = H.sm().isInSystemHeader(H.sm().getExpansionLoc(FD->getLocation()));
      if ((N == "getenv" || N == "secure_getenv") && CE->getNumArgs() == 1) {
        append(Out, {{"env", "", {fold(CE->getArg(0), Within, Depth + 1)}}});
        return Out;
      }
      // std::to_string(n): the digits of a constant, or the parameter it reads
      // (a helper's `conninfo + " connect_timeout=" + std::to_string(s)`).
      if (N == "to_string" && System && CE->getNumArgs() == 1 &&
          CE->getArg(0)->getType()->isIntegralOrEnumerationType()) {
        model::StrExpr Digits = integral(CE->getArg(0));
        append(Out, Digits.empty() ? model::StrExpr{{"unknown", H.text(X, 60), {}}} : Digits);
        return Out;
      }
      if (N == "format" && CE->getNumArgs() >= 1)
        if (const auto *Fmt = dyn_cast<StringLiteral>(strip(CE->getArg(0)))) {
          llvm::SmallVector<const Expr *, 8> Args(CE->arguments().begin() + 1, CE->arguments().end());
          return format(Fmt->getString(), Args, false, Within, Depth);
        }
      if (!System && !FD->isOverloadedOperator() && !isa<CXXMemberCallExpr>(CE)) {
        model::StrPiece P{"call", H.functionKey(FD), {}};
        for (unsigned I = 0; I < CE->getNumArgs(); ++I)
          P.Args.push_back(stringLike(CE->getArg(I)->getType()) ? fold(CE->getArg(I), Within, Depth + 1)
                           : CE->getArg(I)->getType()->isIntegralOrEnumerationType() ? integral(CE->getArg(I))
                                                                                        : model::StrExpr{});
        Out.push_back(std::move(P));
        return Out;
      }
    }
  unknown(Out, X);
  return Out;
}

model::StrExpr StringFolder::format(llvm::StringRef Fmt, llvm::ArrayRef<const Expr *> Args,
                                    bool Printf, const FunctionDecl *Within, int Depth) {
  model::StrExpr Out;
  size_t Next = 0;
  std::string Lit;
  for (size_t I = 0; I < Fmt.size(); ++I) {
    bool Spec = false;
    if (Printf && Fmt[I] == '%' && I + 1 < Fmt.size()) {
      if (Fmt[I + 1] == '%') {
        Lit += '%';
        ++I;
        continue;
      }
      size_t J = I + 1;
      while (J < Fmt.size() && !std::isalpha(static_cast<unsigned char>(Fmt[J])))
        ++J;
      while (J < Fmt.size() && std::strchr("hlLzjt", Fmt[J]))
        ++J;
      I = J;
      Spec = true;
    } else if (!Printf && Fmt[I] == '{') {
      if (I + 1 < Fmt.size() && Fmt[I + 1] == '{') {
        Lit += '{';
        ++I;
        continue;
      }
      size_t J = Fmt.find('}', I);
      if (J == llvm::StringRef::npos)
        break;
      I = J;
      Spec = true;
    } else if (!Printf && Fmt[I] == '}' && I + 1 < Fmt.size() && Fmt[I + 1] == '}') {
      Lit += '}';
      ++I;
      continue;
    }
    if (!Spec) {
      Lit += Fmt[I];
      continue;
    }
    append(Out, {{"lit", Lit, {}}});
    Lit.clear();
    if (Next < Args.size())
      append(Out, fold(Args[Next++], Within, Depth + 1));
    else
      append(Out, {{"unknown", "{...}", {}}});
  }
  if (!Lit.empty())
    append(Out, {{"lit", Lit, {}}});
  return Out;
}

void StringFolder::mutations(const VarDecl *VD, const Expr *Before, const FunctionDecl *Within,
                             model::StrExpr &Out, int Depth) {
  if (!Within || !Within->hasBody())
    return;
  const SourceManager &SM = H.sm();
  auto IsVar = [&](const Expr *E) {
    const auto *DR = dyn_cast_or_null<DeclRefExpr>(E ? strip(E) : nullptr);
    return DR && DR->getDecl() == VD;
  };
  auto Earlier = [&](const Stmt *S) {
    return SM.isBeforeInTranslationUnit(S->getBeginLoc(), Before->getBeginLoc());
  };
  walkStmts(Within->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S); OC && Earlier(OC)) {
      if (OC->getOperator() == OO_PlusEqual && OC->getNumArgs() == 2 && IsVar(OC->getArg(0))) {
        append(Out, fold(OC->getArg(1), Within, Depth + 1));
        return Walk::Skip;
      }
      if (OC->getOperator() == OO_LessLess && OC->getNumArgs() == 2) {
        // `os << a << b`: the leftmost operand is the stream.
        std::vector<const Expr *> Parts;
        const Expr *L = OC;
        while (const auto *Op = dyn_cast<CXXOperatorCallExpr>(strip(L))) {
          if (Op->getOperator() != OO_LessLess || Op->getNumArgs() != 2)
            break;
          Parts.push_back(Op->getArg(1));
          L = Op->getArg(0);
        }
        if (IsVar(L)) {
          for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
            if (stringLike((*It)->getType()) || isa<StringLiteral>(strip(*It)))
              append(Out, fold(*It, Within, Depth + 1));
            else
              unknown(Out, *It);
          }
          return Walk::Skip;
        }
      }
    }
    // `snprintf(buf, sizeof buf, "http://%s:%d/", host, port)` into a local buffer.
    if (const auto *CE = dyn_cast<CallExpr>(S); CE && Earlier(CE) && CE->getNumArgs() >= 2)
      if (const FunctionDecl *F = CE->getDirectCallee();
          F && (F->getName() == "snprintf" || F->getName() == "sprintf") && IsVar(CE->getArg(0))) {
        unsigned FmtIdx = F->getName() == "snprintf" ? 2 : 1;
        if (FmtIdx < CE->getNumArgs())
          if (const auto *Fmt = dyn_cast<StringLiteral>(strip(CE->getArg(FmtIdx)))) {
            llvm::SmallVector<const Expr *, 8> Args(CE->arguments().begin() + FmtIdx + 1,
                                                    CE->arguments().end());
            Out.clear();
            append(Out, format(Fmt->getString(), Args, true, Within, Depth));
          }
        return Walk::Skip;
      }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S); MC && Earlier(MC))
      if (const auto *M = MC->getMethodDecl();
          M && M->getName() == "append" && MC->getNumArgs() >= 1 &&
          IsVar(MC->getImplicitObjectArgument())) {
        append(Out, fold(MC->getArg(0), Within, Depth + 1));
        return Walk::Skip;
      }
    return Walk::Into;
  });
}

std::vector<unsigned> StringFolder::getenvParams(const FunctionDecl *FD) {
  std::vector<unsigned> Out;
  if (!FD || !FD->hasBody())
    return Out;
  walkStmts(FD->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = CE->getDirectCallee();
          Callee && (Callee->getName() == "getenv" || Callee->getName() == "secure_getenv") &&
          CE->getNumArgs() == 1)
        if (const auto *DR = dyn_cast<DeclRefExpr>(strip(CE->getArg(0))))
          if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl());
              PV && PV->getDeclContext() == FD &&
              std::find(Out.begin(), Out.end(), PV->getFunctionScopeIndex()) == Out.end())
            Out.push_back(PV->getFunctionScopeIndex());
    return Walk::Into;
  });
  return Out;
}

std::vector<unsigned> StringFolder::returnedParams(const FunctionDecl *FD) {
  std::vector<unsigned> Out;
  if (!FD || !FD->hasBody())
    return Out;
  // Both branches of `c ? a : b` are returned; a chain of them is walked with
  // a worklist, not recursion.
  auto Returned = [&](const Expr *Root) {
    std::vector<const Expr *> Work{Root};
    while (!Work.empty()) {
      const Expr *E = Work.back();
      Work.pop_back();
      if (!E)
        continue;
      E = strip(E);
      if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
        Work.push_back(CO->getFalseExpr());
        Work.push_back(CO->getTrueExpr());
        continue;
      }
      if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && CE->getNumArgs() == 1) {
        Work.push_back(CE->getArg(0));
        continue;
      }
      if (const auto *DR = dyn_cast<DeclRefExpr>(E))
        if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl());
            PV && PV->getDeclContext() == FD &&
            std::find(Out.begin(), Out.end(), PV->getFunctionScopeIndex()) == Out.end())
          Out.push_back(PV->getFunctionScopeIndex());
    }
  };
  walkStmts(FD->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      Returned(R->getRetValue());
      return Walk::Skip;
    }
    return Walk::Into;
  });
  return Out;
}

std::vector<model::StrExpr> StringFolder::returns(const FunctionDecl *FD) {
  std::vector<model::StrExpr> Out;
  if (!FD || !FD->hasBody() || !stringLike(FD->getReturnType()))
    return Out;
  walkStmts(FD->getBody(), [&](const Stmt *S) {
    if (Out.size() > 8)
      return Walk::Stop;
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    if (const auto *R = dyn_cast<ReturnStmt>(S); R && R->getRetValue()) {
      // `return v ? std::string(v) : fallback;` returns either branch: each is
      // an alternative, as two returns would be.
      std::vector<const Expr *> Work{R->getRetValue()};
      while (!Work.empty()) {
        const Expr *V = Work.back();
        Work.pop_back();
        if (const auto *CO = dyn_cast<ConditionalOperator>(strip(V))) {
          Work.push_back(CO->getFalseExpr());
          Work.push_back(CO->getTrueExpr());
          continue;
        }
        model::StrExpr E = fold(V, FD);
        if (std::find(Out.begin(), Out.end(), E) == Out.end())
          Out.push_back(std::move(E));
      }
      return Walk::Skip;
    }
    return Walk::Into;
  });
  return Out;
}

std::vector<model::FieldInit> StringFolder::fieldInits(const CXXConstructorDecl *Ctor) {
  std::vector<model::FieldInit> Out;
  for (const CXXCtorInitializer *Init : Ctor->inits())
    if (const FieldDecl *F = Init->getMember(); F && Init->getInit() && stringLike(F->getType()) &&
                                               Init->isWritten())
      Out.push_back({H.declHandle(F).Key, fold(Init->getInit(), Ctor), H.loc(Init->getSourceLocation())});
  for (auto &I : fieldAssignments(Ctor))
    Out.push_back(std::move(I));
  for (auto &I : defaultInits(Ctor->getParent()))
    Out.push_back(std::move(I));
  return Out;
}

std::vector<model::FieldInit> StringFolder::fieldAssignments(const FunctionDecl *FD) {
  std::vector<model::FieldInit> Out;
  if (!FD || !FD->hasBody())
    return Out;
  walkStmts(FD->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    auto [LHS, RHS] = assignmentSides(S);
    if (LHS && RHS)
      if (const auto *ME = dyn_cast<MemberExpr>(LHS->IgnoreParenImpCasts()))
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()); F && stringLike(F->getType())) {
          Out.push_back({H.declHandle(F).Key, fold(RHS, FD), H.loc(S->getBeginLoc())});
          return Walk::Skip;
        }
    return Walk::Into;
  });
  return Out;
}

std::vector<model::FieldInit> StringFolder::defaultInits(const CXXRecordDecl *RD) {
  std::vector<model::FieldInit> Out;
  if (!RD || !RD->hasDefinition())
    return Out;
  for (const FieldDecl *F : RD->fields())
    if (const Expr *Init = F->getInClassInitializer(); Init && stringLike(F->getType()))
      Out.push_back({H.declHandle(F).Key, fold(Init, nullptr), H.loc(Init->getBeginLoc())});
  return Out;
}

} // namespace im::matchers
