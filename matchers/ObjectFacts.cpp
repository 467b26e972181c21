#include "matchers/ObjectFacts.h"
#include "matchers/StmtWalk.h"


namespace im::matchers {
using namespace clang;

namespace {
/// The expression under temporaries, casts and a default argument.
const Expr *bare(const Expr *E) {
  for (int Depth = 0; E && Depth < 12; ++Depth) {
    const Expr *Next = E->IgnoreParens();
    if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(Next))
      Next = DA->getExpr();
    else if (const auto *EC = dyn_cast<ExprWithCleanups>(Next))
      Next = EC->getSubExpr();
    else if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = MT->getSubExpr();
    else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = BT->getSubExpr();
    else if (const auto *IC = dyn_cast<ImplicitCastExpr>(Next))
      Next = IC->getSubExpr();
    else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = FC->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

/// A member the braced initializer does not name: its default member
/// initializer, value-initialization, or its class's default constructor.
bool implicitInit(const Expr *I) {
  I = I->IgnoreImplicit();
  if (isa<CXXDefaultInitExpr, ImplicitValueInitExpr>(I))
    return true;
  const auto *CC = dyn_cast<CXXConstructExpr>(I);
  return CC && CC->getNumArgs() == 0;
}

/// A value-initialized object whose members keep their default member
/// initializers: no arguments, and no constructor of the project's that could
/// set them otherwise.
bool defaultConstructed(const Expr *E) {
  if (const auto *CC = dyn_cast<CXXConstructExpr>(E))
    return CC->getNumArgs() == 0 && CC->getConstructor() && !CC->getConstructor()->isUserProvided();
  if (const auto *ILE = dyn_cast<InitListExpr>(E)) {
    const InitListExpr *Sem = ILE->isSemanticForm() ? ILE : ILE->getSemanticForm();
    if (!Sem)
      return false;
    for (const Expr *I : Sem->inits())
      if (I && !implicitInit(I))
        return false;
    return true;
  }
  return false;
}
} // namespace

bool ObjectFacts::scalarMember(const FieldDecl *FD) {
  QualType T = FD->getType().getNonReferenceType().getCanonicalType();
  if (T->isArithmeticType() || T->isEnumeralType())
    return true;
  return AstHelpers::durationTick(T).has_value();
}

std::string ObjectFacts::origin(const Expr *E) {
  const Expr *X = bare(E);
  if (!X)
    return "";
  const CXXRecordDecl *RD = X->getType()->getAsCXXRecordDecl();
  if (RD && defaultConstructed(X))
    return "default:" + plainQualifiedName(RD);
  if (const auto *CC = dyn_cast<CXXConstructExpr>(X);
      CC && CC->getNumArgs() == 1 && CC->getConstructor() &&
      (CC->getConstructor()->isCopyConstructor() || CC->getConstructor()->isMoveConstructor()))
    return origin(CC->getArg(0));
  if (const auto *CE = dyn_cast<CallExpr>(X); CE && !isa<CXXOperatorCallExpr>(CE))
    if (const FunctionDecl *FD = CE->getDirectCallee();
        FD && !H.sm().isInSystemHeader(H.sm().getExpansionLoc(FD->getLocation())))
      return "return:" + H.functionKey(FD);
  return "";
}

void ObjectFacts::write(const MemberExpr *ME, const Expr *RHS, const Stmt *At, const std::string &FnKey,
                        std::vector<model::Setting> &Out) {
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!FD || !scalarMember(FD) || isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return;
  HandleRef Object = H.handleOf(ME->getBase());
  if (!Object.Named)
    return;
  model::Setting S;
  S.HandleKey = Object.Key;
  S.Concern = "member";
  S.Option = plainQualifiedName(FD);
  if (auto D = H.durationValue(RHS)) {
    S.Val = *D;
    S.Val.Duration = true;
  } else {
    S.Val = H.evaluate(RHS, "");
  }
  S.Val.Text = H.text(ME, 60) + " = " + H.text(RHS, 60);
  S.Loc = H.loc(At->getBeginLoc());
  S.FunctionKey = FnKey;
  Out.push_back(std::move(S));
}

void ObjectFacts::braced(const std::string &ObjectKey, const InitListExpr *ILE, const VarDecl *VD,
                         const std::string &FnKey, std::vector<model::Setting> &Out) {
  const InitListExpr *Sem = ILE->isSemanticForm() ? ILE : ILE->getSemanticForm();
  const CXXRecordDecl *RD = Sem ? Sem->getType()->getAsCXXRecordDecl() : nullptr;
  if (!RD || !RD->hasDefinition() || !RD->isAggregate() || RD->getNumBases() != 0)
    return;
  unsigned I = 0;
  for (const FieldDecl *FD : RD->fields()) {
    if (I >= Sem->getNumInits())
      break;
    const Expr *Init = Sem->getInit(I++);
    if (!Init || implicitInit(Init) || !scalarMember(FD))
      continue;
    model::Setting S;
    S.HandleKey = ObjectKey;
    S.Concern = "member";
    S.Option = plainQualifiedName(FD);
    if (auto D = H.durationValue(Init)) {
      S.Val = *D;
      S.Val.Duration = true;
    } else {
      S.Val = H.evaluate(Init, "");
    }
    S.Val.Text = VD->getNameAsString() + "." + FD->getNameAsString() + " = " + H.text(Init, 60);
    S.Loc = H.loc(Init->getBeginLoc());
    S.FunctionKey = FnKey;
    Out.push_back(std::move(S));
  }
}

void ObjectFacts::collect(const FunctionDecl *FD, const std::string &FnKey, std::vector<model::Setting> &Out) {
  if (!FD || !FD->hasBody())
    return;
  walkStmts(FD->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    if (auto [LHS, RHS] = assignmentSides(S); LHS) {
      if (const auto *ME = dyn_cast<MemberExpr>(LHS->IgnoreParenImpCasts()))
        write(ME, RHS, S, FnKey, Out);
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() || !VD->getInit())
          continue;
        const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
        if (!RD || !RD->hasDefinition())
          continue;
        const Expr *Init = bare(VD->getInit());
        std::string Key = H.declHandle(VD).Key;
        if (defaultConstructed(Init) ||
            (isa<InitListExpr>(Init) && RD->isAggregate() && RD->getNumBases() == 0)) {
          model::Setting O;
          O.HandleKey = Key;
          O.Concern = "object";
          O.Val.K = model::Value::Kind::Unknown;
          O.Val.DependsOn = "default:" + plainQualifiedName(RD);
          O.Val.Text = H.text(VD->getInit(), 60);
          O.Loc = H.loc(VD->getLocation());
          O.FunctionKey = FnKey;
          Out.push_back(std::move(O));
          if (const auto *ILE = dyn_cast<InitListExpr>(Init))
            braced(Key, ILE, VD, FnKey, Out);
        }
      }
    }
    return Walk::Into;
  });
}

} // namespace im::matchers
