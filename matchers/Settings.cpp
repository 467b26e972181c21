// Catalog setters called or assigned in the project: a setting each (option,
// value, unit, handle), or a forwarder when the option is the caller's parameter.
#include "matchers/ExtractorImpl.h"
#include "matchers/UriOptions.h"
#include "support/SqlSettings.h"

using namespace clang;

namespace im::matchers {

void Extractor::Impl::addSetting(const catalog::Library &Lib, const catalog::Setter &St,
                                 const Expr *E, SourceLocation At,
                                 llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                                 const FunctionDecl *Enclosing) {
  if (St.ArgCount >= 0 && Args.size() != static_cast<size_t>(St.ArgCount))
    return; // another overload (catalog "arg_count")
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
  model::Setting S;
  HandleRef R = handleFor(St.Handle, E, Args, Object, Enclosing);
  S.HandleKey = R.Key;
  S.Library = Lib.Id;
  S.Concern = O->Concern;
  S.Option = O->Name.empty() ? OptionName : O->Name;
  if (O->Concern == "derive") // one call may derive from several arguments (S3Client(creds, cfg))
    S.Option += St.ValueIsObject ? "#object" : "#" + std::to_string(St.ValueArg);
  S.Scope = O->Scope;
  S.Unit = O->Unit;
  S.ZeroIsInfinite = O->Semantics == "zero_is_infinite" ||
                     O->Semantics == "zero_or_negative_is_infinite" || O->Semantics == "pg_duration";
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
    if (O->Concern == "credential") {
      // Secrets never leave the extractor: keep only where the value comes from.
      bool Literal = S.Val.K == model::Value::Kind::String;
      S.Val.Str.clear();
      S.Val.Text.clear();
      if (Literal)
        S.Val.DependsOn = "literal";
    }
  }
  if (O->Semantics == "pg_duration")
    support::pgDuration(S.Val);
  S.Loc = H.loc(At);
  S.FunctionKey = H.functionKey(Enclosing);
  // "zero_is_default": an explicit 0 selects the library's default, as if unset.
  if (O->Semantics == "zero_is_default" && S.Val.Proven &&
      ((S.Val.K == model::Value::Kind::Int && S.Val.Int == 0) ||
       (S.Val.K == model::Value::Kind::Float && S.Val.Float == 0)))
    return;
  if (O->Semantics == "uri_options" && S.Val.K == model::Value::Kind::String)
    for (auto &U : uriOptionSettings(Lib, S))
      Facts.Settings.push_back(std::move(U));
  Facts.Settings.push_back(std::move(S));
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
  const StringLiteral *SL = nullptr;
  walkStmts(VE, [&](const Stmt *S) {
    SL = dyn_cast<StringLiteral>(S);
    return SL ? Walk::Stop : Walk::Into;
  });
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
