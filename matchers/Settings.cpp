// Catalog setters called or assigned in the project: a setting each (option,
// value, unit, handle), or a forwarder when the option is the caller's parameter.
#include "catalog/OptionSetting.h"
#include "matchers/ExtractorImpl.h"
#include "matchers/UriOptions.h"
#include "support/SqlSettings.h"

#include <cstdlib>

using namespace clang;

namespace im::matchers {

namespace {

/// The expression a value is read from, through conversions that keep a
/// positive value positive: casts, `.count()`, a constructor, a function or a
/// method of one argument (`to_timeval(t)`, `duration_cast<ms>(t)`).
const Expr *valueSource(const Expr *E) {
  for (int I = 0; E && I < 8; ++I) {
    E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (MC->getNumArgs() == 0 && M && M->getIdentifier() && M->getName() == "count") {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      if (MC->getNumArgs() == 1) { // a converting method: `to_timeval(t)` on this
        E = MC->getArg(0);
        continue;
      }
      break;
    }
    if (isa<CXXOperatorCallExpr>(E))
      break;
    if (const auto *CE = dyn_cast<CallExpr>(E); CE && CE->getNumArgs() == 1) {
      E = CE->getArg(0);
      continue;
    }
    if (const auto *CC = dyn_cast<CXXConstructExpr>(E); CC && CC->getNumArgs() == 1) {
      E = CC->getArg(0);
      continue;
    }
    if (const auto *EC = dyn_cast<ExplicitCastExpr>(E)) {
      E = EC->getSubExpr();
      continue;
    }
    break;
  }
  return E;
}

} // namespace

bool Extractor::Impl::isZero(const Expr *E) {
  E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = CE->getDirectCallee(); F && F->getIdentifier() && F->getName() == "zero" &&
                                                       CE->getNumArgs() == 0)
      return true; // duration::zero()
  if (auto D = H.durationValue(E))
    return (D->K == model::Value::Kind::Float && D->Float == 0) || (D->K == model::Value::Kind::Int && D->Int == 0);
  model::Value V = H.evaluate(E, "");
  return (V.K == model::Value::Kind::Int && V.Int == 0) || (V.K == model::Value::Kind::Float && V.Float == 0);
}

/// Whether condition `Cond` being `WhenTrue` proves `Source` positive:
/// `x > 0`/`0 < x` when true, `x <= 0`/`0 >= x` when false; through `&&` when true
/// and `||` when false.
bool Extractor::Impl::provesPositive(const Expr *Cond, bool WhenTrue, const std::string &Source) {
  Cond = Cond->IgnoreParenImpCasts();
  BinaryOperatorKind Op;
  const Expr *L = nullptr, *R = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    Op = BO->getOpcode();
    L = BO->getLHS();
    R = BO->getRHS();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Cond); OC && OC->getNumArgs() == 2 &&
                                                                   OC->isInfixBinaryOp()) {
    Op = BinaryOperator::getOverloadedOpcode(OC->getOperator());
    L = OC->getArg(0);
    R = OC->getArg(1);
  } else {
    return false;
  }
  if ((Op == BO_LAnd && WhenTrue) || (Op == BO_LOr && !WhenTrue))
    return provesPositive(L, WhenTrue, Source) || provesPositive(R, WhenTrue, Source);
  auto Same = [&](const Expr *X) { return H.text(valueSource(X), 400) == Source; };
  // Normalise to `x OP 0`.
  if (isZero(L) && Same(R)) {
    std::swap(L, R);
    Op = BinaryOperator::reverseComparisonOp(Op);
  } else if (!(isZero(R) && Same(L))) {
    return false;
  }
  return WhenTrue ? Op == BO_GT : Op == BO_LE;
}

/// `if (x > 0) setter(x)` or `if (x <= 0) return; setter(x);`: the condition
/// that makes the value of the setting at `Call` positive whenever the call runs.
const Expr *Extractor::Impl::positiveGuard(const Expr *Call, const Expr *Value) {
  std::string Source = H.text(valueSource(Value), 400);
  if (Source.empty())
    return nullptr;
  auto &Ctx = H.context();
  DynTypedNode N = DynTypedNode::create(*Call);
  const Stmt *Child = Call;
  for (int Depth = 0; Depth < 40; ++Depth) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    if (N.get<FunctionDecl>() || N.get<LambdaExpr>())
      return nullptr;
    const Stmt *S = N.get<Stmt>();
    if (!S)
      continue;
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      if (Child == If->getThen() && provesPositive(If->getCond(), true, Source))
        return If->getCond();
      if (Child == If->getElse() && provesPositive(If->getCond(), false, Source))
        return If->getCond();
    }
    if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
      if (Child == CO->getTrueExpr() && provesPositive(CO->getCond(), true, Source))
        return CO->getCond();
      if (Child == CO->getFalseExpr() && provesPositive(CO->getCond(), false, Source))
        return CO->getCond();
    }
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      for (const Stmt *Prev : CS->body()) {
        if (Prev == Child)
          break;
        if (const auto *If = dyn_cast<IfStmt>(Prev); If && !If->getElse() && AstHelpers::exitsBlock(If->getThen()) &&
                                                     provesPositive(If->getCond(), false, Source))
          return If->getCond();
      }
    // Assignments between the guard and the call are not looked at: a guard
    // and a setter several statements apart in one block still count.
    Child = S;
  }
  return nullptr;
}

void Extractor::Impl::addSetting(const catalog::Library &Lib, const catalog::Setter &St,
                                 const Expr *E, SourceLocation At,
                                 llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                                 const FunctionDecl *Enclosing) {
  if (St.ArgCount >= 0 && Args.size() != static_cast<size_t>(St.ArgCount))
    return; // another overload (catalog "arg_count")
  if (St.KeywordArrays) {
    addKeywordSettings(Lib, St, E, At, Args, Object, Enclosing);
    return;
  }
  const catalog::Option *O = nullptr;
  std::string OptionName;
  std::optional<model::Value> SqlValue; // sql_set: the value written in the SQL text
  if (St.SqlSet) {
    if (static_cast<size_t>(St.OptionArg) >= Args.size())
      return;
    model::Value Sql = H.evaluate(Args[St.OptionArg], "");
    auto Parsed = Sql.K == model::Value::Kind::String ? support::parseSqlSet(Sql.Str) : std::nullopt;
    if (!Parsed || !(O = St.find(Parsed->first)))
      return; // not a SET of an option this catalog tracks: the call is only a query
    OptionName = Parsed->first;
    SqlValue = Sql;
    SqlValue->Str = Parsed->second;
    SqlValue->Text = H.text(Args[St.OptionArg], 80);
  } else if (St.OptionArg >= 0) {
    if (static_cast<size_t>(St.OptionArg) >= Args.size())
      return;
    std::vector<std::string> Candidates = H.optionNames(Args[St.OptionArg]);
    for (auto &K : H.keyedOptionNames(Args[St.OptionArg]))
      Candidates.push_back(std::move(K));
    for (const auto &Candidate : Candidates)
      if ((O = St.find(Candidate))) {
        OptionName = Candidate;
        break;
      }
  } else {
    O = St.find("");
    OptionName = catalog::normalizeName(St.Name);
  }
  if (!O) {
    if (St.OptionArg >= 0 && !St.SqlSet)
      addForwarder(Lib, St, E, At, Args, Object, Enclosing);
    return; // an option this catalog does not track
  }
  model::Setting S = catalog::settingOf(*O, OptionName);
  HandleRef R = handleFor(St.Handle, E, Args, Object, Enclosing);
  S.HandleKey = R.Key;
  S.Library = Lib.Id;
  if (O->Concern == "derive") // one call may derive from several arguments (S3Client(creds, cfg))
    S.Option += St.ValueIsObject ? "#object" : "#" + std::to_string(St.ValueArg);
  if (SqlValue)
    S.Val = *SqlValue;
  const Expr *VE = St.ValueIsObject ? Object
                   : St.ValueArg >= 0 && static_cast<size_t>(St.ValueArg) < Args.size()
                       ? Args[St.ValueArg]
                       : nullptr;
  if (VE) {
    if (O->Concern == "derive" || O->Concern == "connect") {
      S.Val.K = model::Value::Kind::Unknown;
      S.Val.DependsOn = H.handleOf(loopRange(VE, Enclosing)).Key;
      S.Val.Text = H.text(VE);
      if (O->Concern == "connect")
        addConnectEndpoint(Lib.Id, VE, R.Key, At, Enclosing);
    } else if (auto D = H.durationValue(H.pointeeArg(VE))) {
      S.Val = *D; // a std::chrono duration carries its own unit
      S.Val.Duration = true;
      S.Unit = "s";
    } else if (auto T = H.classTimeValue(VE)) {
      S.Val = *T; // catalog "value_types": Poco::Timespan(5, 0)
      S.Unit = "s";
    } else {
      S.Val = H.evaluate(H.pointeeArg(VE), O->Unit);
    }
    if (O->Concern == "endpoint")
      S.Expr = SF.fold(VE, Enclosing);
    if (O->Concern == "timeout" && S.Val.K != model::Value::Kind::Int && S.Val.K != model::Value::Kind::Float && E)
      if (const Expr *G = positiveGuard(E, VE)) {
        S.Val.PositiveWhen = H.text(G, 160);
        S.Val.PositiveAt = H.loc(G->getBeginLoc());
      }
  }
  catalog::settleValue(*O, S.Val); // secrets never leave the extractor
  S.Loc = H.loc(At);
  S.FunctionKey = H.functionKey(Enclosing);
  if (catalog::selectsDefault(*O, S.Val))
    return;
  if (O->Semantics == "uri_options" && S.Val.K == model::Value::Kind::String)
    for (auto &U : uriOptionSettings(Lib, S))
      Facts.Settings.push_back(std::move(U));
  Facts.Settings.push_back(std::move(S));
}

namespace {
/// The elements of the array a variable names (`keys` for
/// `const char *const keys[] = {"host", "connect_timeout", nullptr};`), or none.
std::vector<const Expr *> arrayElements(const Expr *A) {
  const auto *DR = A ? dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts()) : nullptr;
  const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
  const auto *IL = VD && VD->getInit() ? dyn_cast<InitListExpr>(VD->getInit()->IgnoreImplicit()) : nullptr;
  if (!IL)
    return {};
  return std::vector<const Expr *>(IL->inits().begin(), IL->inits().end());
}
} // namespace

void Extractor::Impl::addKeywordSettings(const catalog::Library &Lib, const catalog::Setter &St,
                                         const Expr *E, SourceLocation At,
                                         llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                                         const FunctionDecl *Enclosing) {
  if (static_cast<size_t>(St.OptionArg) >= Args.size() || static_cast<size_t>(St.ValueArg) >= Args.size())
    return;
  std::vector<const Expr *> Keys = arrayElements(Args[St.OptionArg]);
  std::vector<const Expr *> Vals = arrayElements(Args[St.ValueArg]);
  // libpq: with expand_dbname non-zero, a dbname value is itself a connection
  // string; otherwise it is only the database's name.
  bool Expand = false;
  if (St.ExpandArg >= 0 && static_cast<size_t>(St.ExpandArg) < Args.size()) {
    model::Value X = H.evaluate(Args[St.ExpandArg], "");
    Expand = X.K == model::Value::Kind::Int && X.Int != 0;
  }
  HandleRef R = handleFor(St.Handle, E, Args, Object, Enclosing);
  for (size_t I = 0; I < Keys.size() && I < Vals.size(); ++I) {
    model::Value K = H.evaluate(Keys[I], "");
    const catalog::Option *O = K.K == model::Value::Kind::String ? St.find(K.Str) : nullptr;
    if (!O || (O->Semantics == "conninfo" && !Expand))
      continue;
    model::Setting S = catalog::settingOf(*O, K.Str);
    S.HandleKey = R.Key;
    S.Library = Lib.Id;
    S.Val = H.evaluate(Vals[I], O->Unit);
    if (O->Concern == "timeout" && S.Val.K == model::Value::Kind::String) {
      // Values are strings ("10"): a decimal integer is the number it spells.
      char *End = nullptr;
      long long N = std::strtoll(S.Val.Str.c_str(), &End, 10);
      if (!S.Val.Str.empty() && End && *End == '\0') {
        S.Val.K = model::Value::Kind::Int;
        S.Val.Int = N;
      } else {
        S.Val.K = model::Value::Kind::Unknown;
      }
    }
    if (!S.Val.Origin.valid())
      S.Val.Origin = H.loc(Vals[I]->getBeginLoc()); // the values array's line, as evidence
    if (O->Concern == "endpoint")
      S.Expr = SF.fold(Vals[I], Enclosing);
    catalog::settleValue(*O, S.Val);
    S.Loc = H.loc(At);
    S.FunctionKey = H.functionKey(Enclosing);
    if (catalog::selectsDefault(*O, S.Val))
      continue;
    Facts.Settings.push_back(std::move(S));
  }
}

void Extractor::Impl::addForwarder(const catalog::Library &Lib, const catalog::Setter &St,
                                   const Expr *E, SourceLocation At,
                                   llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                                   const FunctionDecl *Enclosing) {
  auto ParamOf = [&](const Expr *A) -> const ParmVarDecl * {
    const auto *DR = A ? dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts()) : nullptr;
    // `key.c_str()` of a std::string parameter names the same option.
    if (!DR)
      if (const auto *MC = A ? dyn_cast<CXXMemberCallExpr>(A->IgnoreParenImpCasts()) : nullptr)
        if (MC->getMethodDecl() && (MC->getMethodDecl()->getName() == "c_str" ||
                                    MC->getMethodDecl()->getName() == "data"))
          DR = dyn_cast<DeclRefExpr>(MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
    const auto *PV = DR ? dyn_cast<ParmVarDecl>(DR->getDecl()) : nullptr;
    return PV && Enclosing && PV->getDeclContext() == Enclosing ? PV : nullptr;
  };
  const ParmVarDecl *OptParam = ParamOf(Args[St.OptionArg]);
  if (!OptParam)
    return;
  model::ForwarderFact W;
  W.FunctionKey = H.functionKey(Enclosing);
  W.Library = Lib.Id;
  W.Setter = St.Name;
  W.OptionParam = OptParam->getFunctionScopeIndex();
  const Expr *VE = St.ValueArg >= 0 && static_cast<size_t>(St.ValueArg) < Args.size()
                       ? Args[St.ValueArg]
                       : nullptr;
  if (const ParmVarDecl *VP = ParamOf(VE ? H.pointeeArg(VE) : nullptr))
    W.ValueParam = static_cast<int>(VP->getFunctionScopeIndex());
  else if (VE)
    W.Val = H.evaluate(H.pointeeArg(VE), "");
  W.HandleKey = handleFor(St.Handle, E, Args, Object, Enclosing).Key;
  W.Loc = H.loc(At);
  Facts.Forwarders.push_back(std::move(W));
}

void Extractor::Impl::addConnectEndpoint(const std::string &LibId, const Expr *VE,
                                         const std::string &HandleKey, SourceLocation At,
                                         const FunctionDecl *Enclosing) {
  // The address is the first argument all the way down: `resolve("host", "80")`,
  // `tcp::endpoint(make_address("10.0.0.1"), 80)`. A literal in another place
  // (the port of `resolve(host, "80")`) is not the address.
  const StringLiteral *SL = nullptr;
  const Expr *Cur = VE;
  for (int Depth = 0; Cur && Depth < 8 && !SL; ++Depth) {
    Cur = Cur->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if ((SL = dyn_cast<StringLiteral>(Cur)))
      break;
    if (isa<CXXOperatorCallExpr>(Cur))
      Cur = nullptr; // an operator's operands are not an address
    else if (const auto *CE = dyn_cast<CallExpr>(Cur))
      Cur = CE->getNumArgs() ? CE->getArg(0) : nullptr;
    else if (const auto *CC = dyn_cast<CXXConstructExpr>(Cur))
      Cur = CC->getNumArgs() ? CC->getArg(0) : nullptr;
    else
      Cur = nullptr;
  }
  if (!SL || HandleKey.empty())
    return;
  model::Setting S;
  S.HandleKey = HandleKey;
  S.Library = LibId;
  S.Concern = "endpoint";
  S.Option = "connect";
  S.Val.K = model::Value::Kind::String;
  S.Val.Str = SL->getString().str();
  S.Val.Text = H.text(SL);
  S.Val.Proven = true;
  S.Loc = H.loc(At);
  S.FunctionKey = H.functionKey(Enclosing);
  Facts.Settings.push_back(std::move(S));
}

void Extractor::Impl::onFieldAssignment(const Expr *Assign, const MemberExpr *ME, const Expr *RHS,
                                        const FunctionDecl *Enclosing, ASTContext &Ctx) {
  if (skip(Assign->getBeginLoc(), Ctx.getSourceManager()))
    return;
  H.setContext(Ctx);
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!FD)
    return;
  const Expr *Args[] = {RHS};
  for (auto [Lib, St] : Cat.lookupSetters(plainQualifiedName(FD)))
    if (St->FieldAssignment)
      addSetting(*Lib, *St, Assign, Assign->getBeginLoc(), Args, ME->getBase(), Enclosing);
}

bool Extractor::Impl::typeNamed(QualType T, const std::string &Name) {
  T = T.getNonReferenceType();
  for (int Depth = 0; Depth < 8 && !T.isNull(); ++Depth) {
    if (const auto *TT = dyn_cast<TypedefType>(T.getTypePtr())) {
      if (plainQualifiedName(TT->getDecl()) == Name)
        return true;
      T = TT->desugar();
    } else if (const auto *ET = dyn_cast<ElaboratedType>(T.getTypePtr())) {
      T = ET->getNamedType();
    } else {
      break;
    }
  }
  const auto *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  return RD && plainQualifiedName(RD) == Name;
}

void Extractor::Impl::onSubscriptAssignment(const CXXOperatorCallExpr *Assign,
                                            const CXXOperatorCallExpr *Sub,
                                            const FunctionDecl *Enclosing, ASTContext &Ctx) {
  if (Assign->getNumArgs() != 2 || Sub->getNumArgs() != 2 ||
      skip(Assign->getBeginLoc(), Ctx.getSourceManager()))
    return;
  H.setContext(Ctx);
  const Expr *Map = Sub->getArg(0)->IgnoreParenImpCasts();
  const Expr *Args[] = {Sub->getArg(1), Assign->getArg(1)};
  for (const auto &Lib : Cat.libraries())
    for (const auto &St : Lib.Setters)
      if (St.SubscriptAssignment && typeNamed(Map->getType(), catalog::normalizeName(St.Name)))
        addSetting(Lib, St, Assign, Assign->getBeginLoc(), Args, Map, Enclosing);
}

} // namespace im::matchers
