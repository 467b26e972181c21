#include "matchers/AstHelpers.h"

#include <functional>

namespace im::matchers {

std::pair<const clang::Expr *, const clang::Expr *> assignmentSides(const clang::Stmt *S) {
  using namespace clang;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign)
    return {BO->getLHS(), BO->getRHS()};
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
    return {OC->getArg(0), OC->getArg(1)};
  return {nullptr, nullptr};
}

bool callableSlotType(clang::QualType T) {
  using namespace clang;
  if (T.isNull())
    return false;
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isFunctionType())
    return true;
  if (T->isPointerType())
    return T->getPointeeType()->isFunctionType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || RD->isLambda() || !RD->hasDefinition())
    return false;
  const SourceManager &SM = RD->getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(RD->getLocation())))
    return false;
  // boost::function<Sig> inherits its operator() from boost::functionN.
  std::function<bool(const CXXRecordDecl *, int)> HasCall = [&](const CXXRecordDecl *R, int Depth) {
    if (!R || !R->hasDefinition() || Depth > 3)
      return false;
    R = R->getDefinition();
    for (const auto *M : R->methods())
      if (M->getOverloadedOperator() == OO_Call)
        return true;
    for (const auto &B : R->bases())
      if (HasCall(B.getType()->getAsCXXRecordDecl(), Depth + 1))
        return true;
    return false;
  };
  return HasCall(RD, 0);
}

bool isSmartPointerClass(const clang::CXXRecordDecl *RD, int Depth) {
  using namespace clang;
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  for (const auto *M : RD->methods())
    if (M->getOverloadedOperator() == OO_Arrow ||
        (M->getNumParams() == 0 && M->getIdentifier() && M->getName() == "get" &&
         M->getReturnType()->isPointerType()))
      return true;
  for (const auto &B : RD->bases())
    if (isSmartPointerClass(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}

std::string handleTypeOf(clang::QualType T) {
  using namespace clang;
  if (T.isNull() || T->isDependentType())
    return "";
  T = T.getNonReferenceType();
  if (T->isPointerType())
    return "pointer";
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return "";
  return isSmartPointerClass(RD) ? "smart_pointer" : "object";
}

std::string plainQualifiedName(const clang::NamedDecl *D) {
  using namespace clang;
  std::vector<std::string> Parts;
  Parts.push_back(D->getNameAsString());
  for (const DeclContext *C = D->getDeclContext(); C; C = C->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(C)) {
      if (NS->isInline())
        continue;
      Parts.push_back(NS->isAnonymousNamespace() ? "(anonymous)" : NS->getNameAsString());
    } else if (const auto *RD = dyn_cast<RecordDecl>(C)) {
      Parts.push_back(RD->getNameAsString());
    } else if (const auto *FD = dyn_cast<FunctionDecl>(C)) {
      Parts.push_back(FD->getNameAsString());
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    Out += (Out.empty() ? "" : "::") + *It;
  return Out;
}

model::Location AstHelpers::loc(clang::SourceLocation L) {
  const auto &SM = sm();
  clang::SourceLocation E = SM.getExpansionLoc(L);
  if (E.isInvalid())
    return {};
  clang::FileID FID = SM.getFileID(E);
  auto It = FileNames.find(FID);
  if (It == FileNames.end()) {
    std::string Name;
    if (auto FE = SM.getFileEntryRefForID(FID))
      Name = SM.getFileManager().getCanonicalName(*FE).str();
    It = FileNames.insert({FID, Name}).first;
  }
  return {It->second, SM.getExpansionLineNumber(E), SM.getExpansionColumnNumber(E)};
}

std::string AstHelpers::locKey(clang::SourceLocation L) {
  model::Location X = loc(L);
  return X.File + ":" + std::to_string(X.Line) + ":" + std::to_string(X.Column);
}

std::string AstHelpers::text(const clang::Expr *E, size_t Max) {
  if (!E)
    return "";
  const auto &SM = sm();
  // Macro arguments are shown as the user spelled them, not as the whole expansion.
  clang::SourceLocation B = SM.getFileLoc(E->getBeginLoc());
  clang::SourceLocation End = SM.getFileLoc(E->getEndLoc());
  std::string T;
  if (B.isValid() && End.isValid() && SM.getFileID(B) == SM.getFileID(End) &&
      !SM.isBeforeInTranslationUnit(End, B))
    T = clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(B, End), SM,
                                    Ctx->getLangOpts())
            .str();
  else
    T = clang::Lexer::getSourceText(SM.getExpansionRange(E->getSourceRange()), SM,
                                    Ctx->getLangOpts())
            .str();
  std::string Out;
  bool Space = false;
  for (char C : T) {
    if (C == '\n' || C == '\t' || C == ' ') {
      Space = !Out.empty();
      continue;
    }
    if (Space)
      Out += ' ';
    Space = false;
    Out += C;
  }
  if (Out.size() > Max)
    Out = Out.substr(0, Max) + "...";
  return Out;
}

std::string AstHelpers::functionKey(const clang::FunctionDecl *FD) {
  if (!FD)
    return "<global>";
  FD = pattern(FD);
  if (const auto *L = lambdaClass(FD))
    return "lambda@" + locKey(L->getLocation());
  std::string Key = plainQualifiedName(FD) + "(";
  clang::PrintingPolicy PP(Ctx->getLangOpts());
  PP.SuppressTagKeyword = true;
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    Key += (I ? "," : "") + FD->getParamDecl(I)->getType().getCanonicalType().getAsString(PP);
  Key += ")";
  if (const auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(FD); MD && MD->isConst())
    Key += " const";
  return Key;
}

std::string AstHelpers::functionName(const clang::FunctionDecl *FD) {
  if (!FD)
    return "<global>";
  FD = pattern(FD);
  if (const auto *L = lambdaClass(FD)) {
    const clang::DeclContext *DC = L->getDeclContext();
    while (DC && !llvm::isa<clang::FunctionDecl>(DC))
      DC = DC->getParent();
    return functionName(llvm::dyn_cast_or_null<clang::FunctionDecl>(DC)) + "::<lambda>";
  }
  return plainQualifiedName(FD);
}

HandleRef AstHelpers::declHandle(const clang::ValueDecl *D) {
  using namespace clang;
  if (const auto *PV = dyn_cast<ParmVarDecl>(D)) {
    const auto *Fn = dyn_cast_or_null<FunctionDecl>(PV->getDeclContext());
    return {"param:" + functionKey(Fn) + "#" + std::to_string(PV->getFunctionScopeIndex()),
            PV->getNameAsString(), true, handleTypeOf(PV->getType())};
  }
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->hasGlobalStorage() && !VD->isStaticLocal())
      return {"global:" + plainQualifiedName(VD), VD->getNameAsString(), true,
              handleTypeOf(VD->getType())};
    return {"var:" + VD->getNameAsString() + "@" + locKey(VD->getLocation()),
            VD->getNameAsString(), true, handleTypeOf(VD->getType())};
  }
  if (const auto *FD = dyn_cast<FieldDecl>(D))
    return {"field:" + plainQualifiedName(FD), FD->getNameAsString(), true,
            handleTypeOf(FD->getType())};
  return {};
}

const clang::FieldDecl *AstHelpers::getterField(const clang::CXXMethodDecl *M) {
  using namespace clang;
  if (!M || M->getNumParams() != 0)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!M->hasBody(Def) || !Def)
    return nullptr;
  // Every return returns the same member (`if (!h_) throw ...; return h_;`).
  const FieldDecl *Field = nullptr;
  bool Other = false;
  walkStmts(Def->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    const auto *Ret = dyn_cast<ReturnStmt>(S);
    if (!Ret)
      return Walk::Into;
    const auto *ME = Ret->getRetValue()
                         ? dyn_cast<MemberExpr>(Ret->getRetValue()->IgnoreParenImpCasts())
                         : nullptr;
    const auto *F = ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
                        ? dyn_cast<FieldDecl>(ME->getMemberDecl())
                        : nullptr;
    if (!F || (Field && F != Field)) {
      Other = true;
      return Walk::Stop;
    }
    Field = F;
    return Walk::Skip;
  });
  return Other ? nullptr : Field;
}

HandleRef AstHelpers::handleOf(const clang::Expr *E) {
  using namespace clang;
  if (!E)
    return {};
  for (int Depth = 0; Depth < 8; ++Depth) {
    E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(E)) {
      E = DA->getExpr();
      continue;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return {"lambda:" + functionKey(L->getCallOperator()), "<lambda>", true};
    if (const auto *CC = dyn_cast<CXXConstructExpr>(E); CC && CC->getNumArgs() == 1) {
      E = CC->getArg(0);
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *PC = dyn_cast<CallExpr>(E); PC && !isa<CXXMemberCallExpr>(PC) &&
                                                  !Passthrough.empty() && PC->getNumArgs() >= 1)
      if (const auto *FD = PC->getDirectCallee(); FD && Passthrough.count(plainQualifiedName(FD))) {
        E = PC->getArg(0); // catalog "handle_passthrough"
        continue;
      }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      // unique_ptr::get(), shared_ptr::get(): the handle is the owning pointer.
      // `stream.lowest_layer()`: a catalog "handle_passthrough" method without arguments.
      if (const auto *M = MC->getMethodDecl();
          M && M->getNumParams() == 0 && Passthrough.count(plainQualifiedName(M))) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      if (const auto *M = MC->getMethodDecl();
          M && M->getNumParams() == 0 && (M->getName() == "get" || M->getName() == "native_handle")) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      // A getter (`getCurlHandle()` returning `this->curlHandle`): the field it returns.
      if (const FieldDecl *F = getterField(MC->getMethodDecl()))
        return declHandle(F);
      break;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
        OC->getNumArgs() >= 1) {
      E = OC->getArg(0);
      continue;
    }
    break;
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(E))
    if (HandleRef R = declHandle(DR->getDecl()); R.Named)
      return R;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (HandleRef R = declHandle(ME->getMemberDecl()); R.Named)
      return R;
  if (const auto *TE = dyn_cast<CXXThisExpr>(E)) {
    auto *RD = TE->getType()->getPointeeCXXRecordDecl();
    return {"this:" + (RD ? plainQualifiedName(RD) : std::string("?")), "this", true, "pointer"};
  }
  return {"expr@" + locKey(E->getBeginLoc()), text(E, 60), false};
}

HandleRef AstHelpers::resultHandle(const clang::Expr *E, const clang::FunctionDecl *Enclosing) {
  using namespace clang;
  // A member initialized in a constructor's initializer list: `conn_("host=...")`.
  if (const auto *Ctor = llvm::dyn_cast_or_null<CXXConstructorDecl>(Enclosing))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->getMember() && Init->getInit() &&
          (Init->getInit() == E || Init->getInit()->IgnoreImplicit() == E ||
           Init->getInit()->IgnoreUnlessSpelledInSource() == E))
        return declHandle(Init->getMember());
  DynTypedNode N = DynTypedNode::create(*E);
  for (int Depth = 0; Depth < 10; ++Depth) {
    auto Parents = Ctx->getParents(N);
    if (Parents.empty())
      break;
    const DynTypedNode &P = Parents[0];
    if (const auto *VD = P.get<VarDecl>())
      return declHandle(VD);
    if (const auto *Init = P.get<CXXCtorInitializer>()) {
      if (Init->getMember())
        return declHandle(Init->getMember());
      break;
    }
    if (const auto *BO = P.get<BinaryOperator>()) {
      if (BO->isAssignmentOp())
        return handleOf(BO->getLHS());
      break;
    }
    if (const auto *OC = P.get<CXXOperatorCallExpr>()) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
        return handleOf(OC->getArg(0));
      break;
    }
    if (const auto *PE = P.get<Expr>()) {
      if (isa<ImplicitCastExpr, ExprWithCleanups, MaterializeTemporaryExpr,
              CXXBindTemporaryExpr, ParenExpr, CXXFunctionalCastExpr, CStyleCastExpr,
              CXXNewExpr, CXXConstructExpr, CXXStaticCastExpr, InitListExpr>(PE)) {
        N = P;
        continue;
      }
    }
    break;
  }
  return {"expr@" + locKey(E->getBeginLoc()), text(E, 60), false};
}

} // namespace im::matchers
