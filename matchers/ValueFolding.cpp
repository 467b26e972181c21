#include "matchers/AstHelpers.h"

namespace im::matchers {

std::vector<std::string> AstHelpers::optionNames(const clang::Expr *E) {
  using namespace clang;
  std::vector<std::string> Out;
  const auto &SM = sm();
  for (SourceLocation L = E->getBeginLoc(); L.isMacroID();) {
    if (SM.isMacroArgExpansion(L)) {
      L = SM.getImmediateSpellingLoc(L);
      continue;
    }
    llvm::StringRef Name = Lexer::getImmediateMacroName(L, SM, Ctx->getLangOpts());
    if (!Name.empty())
      Out.push_back(Name.str());
    L = SM.getImmediateMacroCallerLoc(L);
  }
  const Expr *X = E->IgnoreParenImpCasts();
  for (int Depth = 0; Depth < 3; ++Depth) {
    const auto *DR = dyn_cast<DeclRefExpr>(X);
    if (!DR)
      break;
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DR->getDecl())) {
      Out.insert(Out.begin(), EC->getNameAsString());
      break;
    }
    // C's curl typecheck macro copies the option into a local first.
    const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
    if (!VD || !VD->getInit())
      break;
    X = VD->getInit()->IgnoreParenImpCasts();
  }
  return Out;
}

std::vector<model::Value::Piece> AstHelpers::literalPieces(const clang::StringLiteral *SL) {
  std::vector<model::Value::Piece> Out;
  auto Cached = PieceCache.find(SL);
  if (Cached != PieceCache.end())
    return Cached->second;
  const auto &SM = sm();
  llvm::StringRef Bytes = SL->getString();
  bool Simple = SL->getNumConcatenated() == 1 &&
                llvm::all_of(Bytes, [](char C) { return C >= 0x20 && C != '"' && C != '\\' && C < 0x7f; });
  bool InMacroBody = false;
  for (unsigned T = 0; T < SL->getNumConcatenated() && !InMacroBody; ++T)
    for (clang::SourceLocation L = SL->getStrTokenLoc(T); L.isMacroID();
         L = SM.getImmediateSpellingLoc(L))
      if (!SM.isMacroArgExpansion(L)) {
        InMacroBody = true;
        break;
      }
  if (InMacroBody || Bytes.size() > 4096 || Bytes.empty()) {
    Out.push_back({0, loc(SL->getBeginLoc())});
  } else {
    clang::SourceLocation Prev;
    unsigned Step = Simple ? static_cast<unsigned>(Bytes.size()) : 1;
    for (unsigned B = 0; B < Bytes.size(); B += Step) {
      clang::SourceLocation L = SM.getFileLoc(
          SL->getLocationOfByte(B, SM, Ctx->getLangOpts(), Ctx->getTargetInfo()));
      if (Prev.isInvalid() || L != Prev.getLocWithOffset(1))
        Out.push_back({B, loc(L)});
      Prev = L;
    }
  }
  PieceCache[SL] = Out;
  return Out;
}

model::Value AstHelpers::evaluate(const clang::Expr *E, llvm::StringRef Unit, int Depth) {
  using namespace clang;
  model::Value V;
  V.Text = text(E);
  V.K = model::Value::Kind::Unknown;
  if (!E || Depth > 4)
    return V;
  E = E->IgnoreParenImpCasts();
  if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(E)) {
    model::Value Inner = evaluate(DA->getExpr(), Unit, Depth + 1);
    Inner.Text = V.Text.empty() ? Inner.Text : V.Text;
    return Inner;
  }
  E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
  const Expr *Braced = E; // `timeval{1, 0}` and `(struct timeval){1, 0}` are their braces
  if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Braced))
    Braced = FC->getSubExpr()->IgnoreUnlessSpelledInSource();
  else if (const auto *CL = dyn_cast<CompoundLiteralExpr>(Braced))
    Braced = CL->getInitializer()->IgnoreUnlessSpelledInSource();
  if (Unit == "timeval")
    if (const auto *IL = dyn_cast<InitListExpr>(Braced)) {
      if (IL->getNumInits() >= 1) {
        model::Value S = evaluate(IL->getInit(0), "", Depth + 1);
        model::Value U = IL->getNumInits() > 1 ? evaluate(IL->getInit(1), "", Depth + 1)
                                               : model::Value{model::Value::Kind::Int};
        if (S.K == model::Value::Kind::Int && U.K == model::Value::Kind::Int) {
          V.K = model::Value::Kind::Float;
          V.Float = static_cast<double>(S.Int) + static_cast<double>(U.Int) / 1e6;
          V.Proven = true;
        }
      }
      return V;
    }
  if (const auto *SL = dyn_cast<StringLiteral>(E)) {
    if (SL->getCharByteWidth() == 1) {
      V.K = model::Value::Kind::String;
      V.Str = SL->getString().str();
      V.Proven = true;
      V.Pieces = literalPieces(SL);
    }
    return V;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    if (const auto *M = MC->getMethodDecl();
        M && (M->getName() == "c_str" || M->getName() == "data"))
      return keepText(evaluate(MC->getImplicitObjectArgument(), Unit, Depth + 1), V.Text);
  }
  // "https://api.stripe.com/v1/refunds?charge=" + id: the constant prefix names
  // the endpoint even though the whole string is only known at run time. A
  // constant suffix ("mongodb://" + hosts + kOptions) keeps its text too: the
  // options it carries are as fixed as the prefix.
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
      OC && OC->getOperator() == OO_Plus && OC->getNumArgs() == 2) {
    model::Value L = evaluate(OC->getArg(0), "", Depth + 1);
    if (L.K == model::Value::Kind::String) {
      model::Value R = evaluate(OC->getArg(1), "", Depth + 1);
      V.K = model::Value::Kind::String;
      V.Pieces = L.Pieces;
      // A constant right-hand side is kept with the positions of its literals
      // ("mongodb://" + hosts + "/?tls=true"): options written there are read.
      bool Constant = R.K == model::Value::Kind::String && R.Proven;
      std::string Tail = Constant ? R.Str : "{...}";
      for (auto P : Constant ? R.Pieces : std::vector<model::Value::Piece>{}) {
        P.Offset += static_cast<unsigned>(L.Str.size());
        V.Pieces.push_back(P);
      }
      V.Str = L.Str + Tail;
      V.Proven = false;
      V.DependsOn = "string built at run time";
      return V;
    }
  }
  if (const auto *CC = dyn_cast<CXXConstructExpr>(E); CC && CC->getNumArgs() >= 1 &&
                                                       Unit != "timeval")
    return keepText(evaluate(CC->getArg(0), Unit, Depth + 1), V.Text);
  if (!E->isValueDependent() && !E->isTypeDependent()) {
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, *Ctx)) {
      V.K = model::Value::Kind::Int;
      V.Int = R.Val.getInt().getExtValue();
      V.Proven = true;
      return V;
    }
    llvm::APFloat F(0.0);
    if (E->getType()->isRealFloatingType() && E->EvaluateAsFloat(F, *Ctx)) {
      V.K = model::Value::Kind::Float;
      V.Float = F.convertToDouble();
      V.Proven = true;
      return V;
    }
  }
  // `(SQLPOINTER)5`, `reinterpret_cast<void *>(5)`: C APIs pass integers through pointers.
  // `(SQLCHAR *)"DSN=..."`: a literal seen through a pointer cast.
  if (const auto *EC = dyn_cast<ExplicitCastExpr>(E); EC && E->getType()->isPointerType() &&
                                                     (EC->getSubExpr()->getType()->isIntegerType() ||
                                                      isa<StringLiteral>(EC->getSubExpr()->IgnoreParenImpCasts())))
    return keepText(evaluate(EC->getSubExpr(), Unit, Depth + 1), V.Text);
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl())) {
      V.DependsOn = "parameter `" + PV->getNameAsString() + "`";
      V.ParamKey = declHandle(PV).Key;
      if (PV->hasDefaultArg() && !PV->hasUninstantiatedDefaultArg() &&
          !PV->hasUnparsedDefaultArg()) {
        model::Value D = evaluate(PV->getDefaultArg(), Unit, Depth + 1);
        if (D.K == model::Value::Kind::Int || D.K == model::Value::Kind::Float ||
            D.K == model::Value::Kind::String) {
          D.Text = V.Text;
          D.Proven = false;
          D.DependsOn = V.DependsOn + " (default argument " + D.Text + ")";
          D.Origin = loc(PV->getLocation());
          D.ParamKey = V.ParamKey;
          return D;
        }
      }
      return V;
    }
    if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl())) {
      if (const Expr *Init = VD->getAnyInitializer()) {
        model::Value I = evaluate(Init, Unit, Depth + 1);
        I.Text = V.Text;
        I.Origin = loc(VD->getLocation());
        if (I.DependsOn.empty())
          I.DependsOn = "variable `" + VD->getNameAsString() + "`";
        return I;
      }
      V.DependsOn = "variable `" + VD->getNameAsString() + "`";
      return V;
    }
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
      std::string Field = plainQualifiedName(FD);
      // `opts.timeout_ms`: the object is named, so what it holds at a call can
      // be followed to where the object was made and written.
      HandleRef Object;
      if (!isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        Object = handleOf(ME->getBase());
      if (const Expr *Init = FD->getInClassInitializer()) {
        model::Value I = evaluate(Init, Unit, Depth + 1);
        I.Text = V.Text;
        I.Proven = false; // the default member initializer may be overridden at run time
        I.DependsOn = "`" + Field + "` (default member initializer " + text(Init) + ")";
        I.Origin = loc(FD->getLocation());
        if (Object.Named) {
          I.MemberOf = Object.Key;
          I.Member = Field;
        }
        return I;
      }
      V.DependsOn = "`" + Field + "`";
      if (Object.Named) {
        V.MemberOf = Object.Key;
        V.Member = Field;
      }
      return V;
    }
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (const auto *FD = CE->getDirectCallee()) {
      llvm::StringRef N = FD->getName();
      if ((N == "getenv" || N == "secure_getenv") && CE->getNumArgs() == 1) {
        model::Value A = evaluate(CE->getArg(0), "", Depth + 1);
        V.DependsOn = A.K == model::Value::Kind::String ? "env:" + A.Str : "env";
        return V;
      }
      // atoi(getenv("X")), std::stol(...): the dependency is the inner value's.
      if (CE->getNumArgs() >= 1 &&
          (N == "atoi" || N == "atol" || N == "stoi" || N == "stol" || N == "stoul" ||
           N == "strtol" || N == "stoll" || N == "atof" || N == "stod")) {
        model::Value A = evaluate(CE->getArg(0), "", Depth + 1);
        V.DependsOn = A.DependsOn;
        return V;
      }
      bool System = sm().isInSystemHeader(sm().getExpansionLoc(FD->getLocation()));
      V.DependsOn = System || FD->isOverloadedOperator()
                        ? "a value computed at run time"
                        : "result of `" + plainQualifiedName(FD) + "()`";
    }
  }
  return V;
}

std::optional<double> AstHelpers::durationTick(clang::QualType T) {
  using namespace clang;
  if (T.isNull())
    return std::nullopt;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl());
  if (!Spec || plainQualifiedName(Spec) != "std::chrono::duration" ||
      Spec->getTemplateArgs().size() < 2 ||
      Spec->getTemplateArgs()[1].getKind() != TemplateArgument::Type)
    return std::nullopt;
  const auto *Ratio = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Spec->getTemplateArgs()[1].getAsType().getCanonicalType()->getAsCXXRecordDecl());
  if (!Ratio || Ratio->getTemplateArgs().size() < 2 ||
      Ratio->getTemplateArgs()[0].getKind() != TemplateArgument::Integral ||
      Ratio->getTemplateArgs()[1].getKind() != TemplateArgument::Integral)
    return std::nullopt;
  double Num = static_cast<double>(Ratio->getTemplateArgs()[0].getAsIntegral().getSExtValue());
  double Den = static_cast<double>(Ratio->getTemplateArgs()[1].getAsIntegral().getSExtValue());
  return Den == 0 ? std::nullopt : std::optional<double>(Num / Den);
}

bool AstHelpers::isTimePoint(clang::QualType T) {
  if (T.isNull())
    return false;
  const auto *RD = T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  return RD && plainQualifiedName(RD) == "std::chrono::time_point";
}

std::optional<model::Value> AstHelpers::durationValue(const clang::Expr *E, int Depth) {
  using namespace clang;
  if (!E || Depth > 4)
    return std::nullopt;
  const Expr *X = E->IgnoreImplicit()->IgnoreParens()->IgnoreImplicit();
  model::Value V;
  V.Text = text(E);
  V.K = model::Value::Kind::Unknown;
  if (isTimePoint(X->getType())) {
    // A deadline: only `now() + d` is read; the duration is the timeout.
    const Expr *Y = X->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Y);
        OC && OC->getOperator() == OO_Plus && OC->getNumArgs() == 2)
      for (const Expr *Side : {OC->getArg(1), OC->getArg(0)})
        if (durationTick(Side->getType()))
          if (auto D = durationValue(Side, Depth + 1)) {
            D->Text = V.Text;
            return D;
          }
    if (const auto *DR = dyn_cast<DeclRefExpr>(Y))
      if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()); VD && VD->getAnyInitializer())
        if (auto D = durationValue(VD->getAnyInitializer(), Depth + 1)) {
          D->Text = V.Text;
          D->Origin = loc(VD->getLocation());
          return D;
        }
    V.DependsOn = "deadline `" + V.Text + "`";
    return V;
  }
  std::optional<double> Tick = durationTick(X->getType());
  if (!Tick)
    return std::nullopt;
  if (!X->isValueDependent() && !X->isTypeDependent()) {
    Expr::EvalResult R;
    if (X->EvaluateAsRValue(R, *Ctx) && R.Val.isStruct() && R.Val.getStructNumFields() >= 1) {
      const APValue &F = R.Val.getStructField(0);
      if (F.isInt() || F.isFloat()) {
        double Count = F.isInt() ? static_cast<double>(F.getInt().getSExtValue())
                                 : F.getFloat().convertToDouble();
        V.K = model::Value::Kind::Float;
        V.Float = Count * *Tick;
        V.Proven = true;
        return V;
      }
    }
  }
  const Expr *Y = X->IgnoreUnlessSpelledInSource()->IgnoreParens();
  if (const auto *DR = dyn_cast<DeclRefExpr>(Y)) {
    if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()); VD && VD->getAnyInitializer())
      if (auto D = durationValue(VD->getAnyInitializer(), Depth + 1)) {
        D->Text = V.Text;
        D->Origin = loc(VD->getLocation());
        if (D->DependsOn.empty() && !isa<ParmVarDecl>(VD))
          D->DependsOn = "variable `" + VD->getNameAsString() + "`";
        return D;
      }
    model::Value P = evaluate(Y, "");
    V.DependsOn = P.DependsOn;
    return V;
  }
  // `std::chrono::seconds(t)`: the count comes from an arithmetic value.
  if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Y))
    Y = FC->getSubExpr()->IgnoreImplicit();
  if (const auto *CC = dyn_cast<CXXConstructExpr>(Y); CC && CC->getNumArgs() == 1) {
    const Expr *A = CC->getArg(0);
    if (durationTick(A->getType()))
      if (auto D = durationValue(A, Depth + 1)) {
        D->Text = V.Text;
        return D;
      }
    model::Value C = evaluate(A, "");
    if (C.K == model::Value::Kind::Int || C.K == model::Value::Kind::Float) {
      V.K = model::Value::Kind::Float;
      V.Float = (C.K == model::Value::Kind::Int ? static_cast<double>(C.Int) : C.Float) * *Tick;
      V.Proven = C.Proven;
      V.DependsOn = C.DependsOn;
      V.Origin = C.Origin;
      return V;
    }
    V.DependsOn = C.DependsOn;
  }
  return V;
}

bool AstHelpers::exitsBlock(const clang::Stmt *S) {
  using namespace clang;
  if (!S)
    return false;
  if (isa<ReturnStmt, CXXThrowExpr, BreakStmt, ContinueStmt>(S))
    return true;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return !CS->body_empty() && exitsBlock(CS->body_back());
  return false;
}

const clang::Expr *AstHelpers::pointeeArg(const clang::Expr *E) {
  using namespace clang;
  if (!E)
    return E;
  const Expr *X = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(X); UO && UO->getOpcode() == UO_AddrOf)
    return UO->getSubExpr();
  return E;
}

std::vector<std::string> AstHelpers::keyedOptionNames(const clang::Expr *E) {
  using namespace clang;
  std::vector<std::string> Out;
  if (!E)
    return Out;
  model::Value V = evaluate(E, "");
  if (V.K == model::Value::Kind::String)
    Out.push_back(V.Str);
  const Expr *X = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
  if (const auto *DR = dyn_cast<DeclRefExpr>(X))
    if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()); VD && VD->hasGlobalStorage())
      Out.push_back(plainQualifiedName(VD));
  return Out;
}

std::optional<double> AstHelpers::withConstants(const clang::Expr *E, const catalog::ValueType &VT,
                                    int Depth) {
  using namespace clang;
  if (!E || Depth > 4 || VT.Constants.empty())
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *DR = dyn_cast<DeclRefExpr>(E))
    if (auto It = VT.Constants.find(plainQualifiedName(DR->getDecl())); It != VT.Constants.end())
      return It->second;
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getOpcode() == BO_Mul) {
    auto Side = [&](const Expr *X) -> std::optional<double> {
      model::Value V = evaluate(X, "", Depth + 1);
      if (V.K == model::Value::Kind::Int && V.Proven)
        return static_cast<double>(V.Int);
      if (V.K == model::Value::Kind::Float && V.Proven)
        return V.Float;
      return withConstants(X, VT, Depth + 1);
    };
    auto L = Side(BO->getLHS()), R = Side(BO->getRHS());
    if (L && R)
      return *L * *R;
  }
  return std::nullopt;
}

std::optional<model::Value> AstHelpers::classTimeValue(const clang::Expr *E, int Depth) {
  using namespace clang;
  if (!E || Depth > 4 || ValueTypes.empty())
    return std::nullopt;
  auto TypeOf = [&](const Expr *X) -> const catalog::ValueType * {
    const auto *RD = X->getType().getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
    auto It = RD ? ValueTypes.find(plainQualifiedName(RD)) : ValueTypes.end();
    return It == ValueTypes.end() ? nullptr : It->second;
  };
  const catalog::ValueType *VT = TypeOf(E);
  if (!VT)
    return std::nullopt;
  model::Value V;
  V.Text = text(E);
  V.K = model::Value::Kind::Unknown;
  const Expr *X = E;
  for (int I = 0; I < 12; ++I) {
    X = X->IgnoreParens();
    if (const auto *FE = dyn_cast<FullExpr>(X))
      X = FE->getSubExpr();
    else if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(X))
      X = MT->getSubExpr();
    else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(X))
      X = BT->getSubExpr();
    else if (const auto *IC = dyn_cast<ImplicitCastExpr>(X))
      X = IC->getSubExpr();
    else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(X))
      X = FC->getSubExpr();
    else
      break;
  }
  if (const auto *CC = dyn_cast<CXXConstructExpr>(X)) {
    unsigned N = CC->getNumArgs();
    if (N == 1 && TypeOf(CC->getArg(0)) == VT) // copy or move
      if (auto Inner = classTimeValue(CC->getArg(0), Depth + 1)) {
        Inner->Text = V.Text;
        return Inner;
      }
    for (const auto &Ctor : VT->Constructors) {
      if (Ctor.Args != N)
        continue;
      double Sum = 0;
      bool Proven = true;
      for (unsigned I = 0; I < N; ++I) {
        model::Value A = evaluate(CC->getArg(I), "", Depth + 1);
        if (A.K != model::Value::Kind::Int && A.K != model::Value::Kind::Float)
          if (auto K = withConstants(CC->getArg(I), *VT)) {
            A.K = model::Value::Kind::Float;
            A.Float = *K;
            A.Proven = true;
          }
        if (A.K != model::Value::Kind::Int && A.K != model::Value::Kind::Float) {
          V.DependsOn = A.DependsOn.empty() ? "`" + A.Text + "`" : A.DependsOn;
          return V;
        }
        Sum += (A.K == model::Value::Kind::Int ? static_cast<double>(A.Int) : A.Float) *
               Ctor.SecondsPerArg[I];
        Proven &= A.Proven;
        if (!A.Proven && V.DependsOn.empty())
          V.DependsOn = A.DependsOn;
        if (A.Origin.valid() && !V.Origin.valid())
          V.Origin = A.Origin;
      }
      V.K = model::Value::Kind::Float;
      V.Float = Sum;
      V.Proven = Proven;
      return V;
    }
    V.DependsOn = "a " + VT->Type.substr(2) + " constructor the catalog does not describe";
    return V;
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(X)) {
    if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
        VD && !isa<ParmVarDecl>(VD) && VD->getAnyInitializer())
      if (auto D = classTimeValue(VD->getAnyInitializer(), Depth + 1)) {
        D->Text = V.Text;
        D->Origin = loc(VD->getLocation());
        if (D->DependsOn.empty())
          D->DependsOn = "variable `" + VD->getNameAsString() + "`";
        return D;
      }
    V.DependsOn = evaluate(DR, "", Depth + 1).DependsOn;
    return V;
  }
  V.DependsOn = "a value computed at run time";
  return V;
}

} // namespace im::matchers
