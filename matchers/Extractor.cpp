#include "matchers/Extractor.h"
#include "matchers/AstHelpers.h"
#include "matchers/LoopShape.h"
#include "matchers/EvidenceFacts.h"
#include "matchers/FactOrder.h"
#include "matchers/SecurityFacts.h"
#include "matchers/UriOptions.h"
#include "matchers/ObjectFacts.h"
#include "matchers/StringFolder.h"
#include "support/Endpoint.h"
#include "support/SqlSettings.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstring>
#include <map>

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

struct Extractor::Impl {
  const catalog::Catalog &Cat;
  model::TUFacts &Facts;
  ExtractOptions Opts;
  std::set<std::string> SeenFunctions;
  std::set<std::string> SeenClasses;
  AstHelpers H;
  StringFolder SF{H};
  ObjectFacts Objects{H};
  EvidenceFacts Ev{H, [this](const FunctionDecl *FD) -> std::string {
                     auto [Lib, Op] = lookupOperation(FD);
                     return Lib ? Lib->Id + ":" + catalog::normalizeName(Op->Name) : "";
                   }};
  std::unique_ptr<MatchFinder::MatchCallback> Security; // matchers/SecurityFacts.cpp

  Impl(const catalog::Catalog &C, model::TUFacts &F, ExtractOptions O)
      : Cat(C), Facts(F), Opts(std::move(O)) {}

  /// The catalog operation `FD` is: by its own name, else (a virtual interface
  /// implemented by a project class) by a method it overrides.
  std::pair<const catalog::Library *, const catalog::Operation *>
  lookupOperation(const FunctionDecl *FD, int Depth = 0) {
    auto Found = Cat.lookupOperation(plainQualifiedName(FD));
    if (!Found.first && Depth < 8)
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
        for (const CXXMethodDecl *Base : MD->overridden_methods())
          if ((Found = lookupOperation(Base, Depth + 1)).first)
            break;
    return Found;
  }

  bool skip(SourceLocation L, const SourceManager &SM) {
    SourceLocation E = SM.getExpansionLoc(L);
    if (E.isInvalid() || SM.isInSystemHeader(E))
      return true;
    return false;
  }

  void onCatalogCall(const Expr *E, const FunctionDecl *Callee,
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

  HandleRef handleFor(const catalog::HandleSpec &Spec, const Expr *E,
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

  /// Handle "call": the call itself, or the call whose argument `E`
  /// constructs; options passed as typed arguments of the operation share it.
  HandleRef callHandle(const Expr *E) {
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

  void addCallSite(const catalog::Library &Lib, const catalog::Operation &Op, const Expr *E,
                   SourceLocation At, llvm::ArrayRef<const Expr *> Args, const Expr *Object,
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

  // ---- insertion points for clang-tidy fix-its (see CallSite::Fix).
  ASTContext *FixCtx = nullptr; // set by onCatalogCall
  /// The block-level statement (direct child of a `{}`) that contains `S`, or null.
  const Stmt *blockStatement(const Stmt *S, ASTContext &Ctx) {
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

  /// `for (const auto &e : results) s.connect(e.endpoint())`: an element of a
  /// range (seen through a catalog passthrough) stands for the range, the
  /// endpoints a resolver returned; anything else is itself.
  const Expr *loopRange(const Expr *E, const FunctionDecl *Enclosing) {
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

  void insertionPoints(model::CallSite &C, const Expr *HandleArg, const Expr *Call) {
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

  void addSetting(const catalog::Library &Lib, const catalog::Setter &St, const Expr *E,
                  SourceLocation At, llvm::ArrayRef<const Expr *> Args, const Expr *Object,
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

  /// A setter whose option is a parameter of the enclosing function (or lambda):
  /// that function forwards to the library; its callers name the option.
  void addForwarder(const catalog::Library &Lib, const catalog::Setter &St, const Expr *E,
                    SourceLocation At, llvm::ArrayRef<const Expr *> Args, const Expr *Object,
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

  /// `socket.connect(tcp::endpoint(make_address("10.0.0.7"), 6379))`: the first
  /// string the endpoint expression is built from is the handle's endpoint.
  void addConnectEndpoint(const std::string &LibId, const Expr *VE, const std::string &HandleKey,
                          SourceLocation At,
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

  // ------------------------------------------- operation patterns
  /// A call recognised by shape (catalog "operation_patterns"): a method of a
  /// class with one of the pattern's names taking the pattern's parameter type.
  void onPatternCall(const CallExpr *CE, const FunctionDecl *Callee, const FunctionDecl *Enclosing,
                     ASTContext &Ctx) {
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

  // ---------------------------------------------- field assignments
  /// `obj.field = value` where the field is a catalog setter marked
  /// field_assignment: a setting on `obj`.
  void onFieldAssignment(const Expr *Assign, const MemberExpr *ME, const Expr *RHS,
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

  /// Does `T` (through typedefs and elaboration) name `Name` (qualified, no "::")?
  static bool typeNamed(QualType T, const std::string &Name) {
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

  /// `map[key] = value` on a map type a catalog setter names (subscript_assignment).
  void onSubscriptAssignment(const CXXOperatorCallExpr *Assign, const CXXOperatorCallExpr *Sub,
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

  void onProjectCall(const CallExpr *CE, const FunctionDecl *Callee, const FunctionDecl *Caller,
                     ASTContext &Ctx) {
    const SourceManager &SM = Ctx.getSourceManager();
    if (skip(CE->getBeginLoc(), SM))
      return;
    // A catalog function declared in a header included with -I rather than
    // -isystem (pkg-config's `-I/usr/include/libmongoc-1.0`) is not the project's:
    // a flow into its parameter would join the handles of every caller.
    if (!Callee->hasBody()) {
      std::string Name = plainQualifiedName(Callee);
      if (Cat.lookupOperation(Name).first || !Cat.lookupSetters(Name).empty())
        return;
    }
    H.setContext(Ctx);
    model::CallEdge Edge;
    Edge.CallerKey = H.functionKey(Caller);
    Edge.CalleeKey = H.functionKey(Callee);
    Edge.Loc = H.loc(CE->getExprLoc());
    Edge.Loops = enclosingLoops(H, CE, Facts.Loops);
    Edge.Guards = Ev.guardsOf(CE);
    Edge.Handlers = Ev.handlersOf(CE, Caller);
    // `auto h = makeHandle();`: the variable is what the callee returned.
    if (HandleRef R = H.resultHandle(CE, Caller); R.Named) {
      model::Setting S;
      S.HandleKey = R.Key;
      S.Concern = "derive";
      S.Val.K = model::Value::Kind::Unknown;
      S.Val.DependsOn = "return:" + Edge.CalleeKey;
      S.Loc = Edge.Loc;
      S.FunctionKey = Edge.CallerKey;
      Facts.Settings.push_back(std::move(S));
    }
    // Arguments that name a handle (or a lambda) flow into the callee's parameters.
    unsigned Shift = 0;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(CE))
      if (isa<CXXMethodDecl>(Callee) && Op->getNumArgs() > 0)
        Shift = 1; // operator() on an object: argument 0 is the object itself
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      if (HandleRef R = H.handleOf(MC->getImplicitObjectArgument()); R.Named) {
        Edge.ObjectKey = R.Key;
        Edge.Object = R.Display;
      }
    // String arguments as pieces: a wrapper's endpoint parameter, an env helper's name.
    bool AnyString = false;
    for (unsigned I = Shift; I < CE->getNumArgs(); ++I) {
      QualType T = I - Shift < Callee->getNumParams() ? Callee->getParamDecl(I - Shift)->getType()
                                                       : CE->getArg(I)->getType();
      Edge.StrArgs.push_back(StringFolder::stringLike(T) ? SF.fold(CE->getArg(I), Caller)
                                                         : model::StrExpr{});
      AnyString |= !Edge.StrArgs.back().empty();
    }
    if (!AnyString)
      Edge.StrArgs.clear();
    for (unsigned I = Shift; I < CE->getNumArgs(); ++I) {
      // Constants reaching parameters (default arguments included) let the
      // resolver decide a value the callee only sees as a parameter.
      const Expr *Arg = CE->getArg(I);
      Facts.ArgValues.push_back(argValue(Arg, Edge.CalleeKey, I - Shift, Edge.Loc, Edge.CallerKey));
      if (const auto *DR = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
        if (const auto *Fn = dyn_cast<FunctionDecl>(DR->getDecl()))
          Facts.Flows.push_back({"function:" + H.functionKey(Fn), Edge.CalleeKey, I - Shift,
                                 Edge.Loc, Edge.CallerKey});
      HandleRef R = H.handleOf(Arg);
      if (!R.Named)
        continue;
      Facts.Flows.push_back({R.Key, Edge.CalleeKey, I - Shift, Edge.Loc, Edge.CallerKey});
    }
    Facts.Calls.push_back(std::move(Edge));
  }

  /// What a call passes to parameter `Index` of a project function: a constant
  /// (a std::chrono duration folded into seconds), the caller's own parameter,
  /// or unknown; with the option names it spells, for forwarders.
  model::ArgValue argValue(const Expr *Arg, const std::string &Callee, unsigned Index,
                           const model::Location &Loc, const std::string &Caller) {
    model::ArgValue A;
    A.CalleeKey = Callee;
    A.Index = Index;
    A.Loc = Loc;
    A.CallerKey = Caller;
    A.FromDefault = isa<CXXDefaultArgExpr>(Arg->IgnoreImplicit());
    if (auto D = H.durationValue(Arg)) {
      A.Val = *D;
      A.Val.Duration = true;
    } else {
      A.Val = H.evaluate(Arg, "");
    }
    if (A.Val.K != model::Value::Kind::Int && A.Val.K != model::Value::Kind::Float &&
        A.Val.K != model::Value::Kind::String) {
      A.Val.K = model::Value::Kind::Unknown;
      if (A.Val.Text.empty())
        A.Val.Text = H.text(Arg, 60);
    }
    A.Names = H.optionNames(Arg);
    // An object of class type made at the call (`RequestOptions{}`, a default
    // argument, `make_options()`): its members are followed from there.
    if (A.Val.K == model::Value::Kind::Unknown && Arg->getType()->isRecordType())
      if (std::string Origin = Objects.origin(Arg); !Origin.empty())
        A.Val.DependsOn = Origin;
    return A;
  }

  /// `T obj(args)` / `new T(args)` of a project class: constants and handles
  /// reach the constructor's parameters as they do a function's.
  void onProjectConstruct(const CXXConstructExpr *CC, const FunctionDecl *Caller, ASTContext &Ctx) {
    const CXXConstructorDecl *Ctor = CC->getConstructor();
    if (!Ctor || Ctor->isImplicit() || skip(CC->getBeginLoc(), Ctx.getSourceManager()) ||
        Ctx.getSourceManager().isInSystemHeader(Ctx.getSourceManager().getExpansionLoc(Ctor->getLocation())))
      return;
    H.setContext(Ctx);
    std::string Callee = H.functionKey(Ctor);
    std::string CallerKey = H.functionKey(Caller);
    model::Location Loc = H.loc(CC->getBeginLoc());
    model::CallEdge Made;
    bool AnyString = false;
    for (unsigned I = 0; I < CC->getNumArgs(); ++I) {
      const Expr *Arg = CC->getArg(I);
      Facts.ArgValues.push_back(argValue(Arg, Callee, I, Loc, CallerKey));
      if (HandleRef R = H.handleOf(Arg); R.Named)
        Facts.Flows.push_back({R.Key, Callee, I, Loc, CallerKey});
      bool Str = I < Ctor->getNumParams() && StringFolder::stringLike(Ctor->getParamDecl(I)->getType());
      Made.StrArgs.push_back(Str ? SF.fold(Arg, Caller) : model::StrExpr{});
      AnyString |= !Made.StrArgs.back().empty();
    }
    // A member built from a constructor parameter is known at each construction.
    if (AnyString) {
      Made.CallerKey = CallerKey;
      Made.CalleeKey = Callee;
      Made.Loc = Loc;
      Facts.Constructions.push_back(std::move(Made));
    }
  }

  // ---- getenv("NAME") reads, for the env-file cross-checks
  void onEnvRead(const CallExpr *CE, const StringLiteral *Name, ASTContext &Ctx) {
    if (!Name || skip(CE->getBeginLoc(), Ctx.getSourceManager()))
      return;
    H.setContext(Ctx);
    Facts.EnvReads.push_back({Name->getString().str(), H.loc(CE->getBeginLoc())});
  }

  void onDefinition(const FunctionDecl *FD, ASTContext &Ctx) {
    const SourceManager &SM = Ctx.getSourceManager();
    if (skip(FD->getLocation(), SM) || FD->isImplicit())
      return;
    H.setContext(Ctx);
    std::string Key = H.functionKey(FD);
    if (!SeenFunctions.insert(Key).second)
      return;
    model::Function Fn{Key, H.functionName(FD), H.loc(FD->getLocation())};
    Fn.GetenvParams = SF.getenvParams(FD);
    if (!Fn.GetenvParams.empty())
      Fn.ReturnedParams = SF.returnedParams(FD);
    Fn.Returns = SF.returns(FD);
    Fn.Special = isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD) ||
                 isa<CXXConversionDecl>(FD) || FD->isOverloadedOperator() ||
                 AstHelpers::lambdaClass(FD) != nullptr;
    // The header other translation units see it through (the prefilter follows it).
    if (const FunctionDecl *First = FD->getCanonicalDecl(); First != FD)
      if (std::string F = H.loc(First->getLocation()).File; F != Fn.Loc.File)
        Fn.DeclFile = F;
    Facts.Functions.push_back(std::move(Fn));
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD); Ctor && Ctor->hasBody())
      for (auto &I : SF.fieldInits(Ctor))
        Facts.FieldInits.push_back(std::move(I));
    else if (FD->hasBody()) // `cfg.url = env_or(...)` in a config loader
      for (auto &I : SF.fieldAssignments(FD))
        Facts.FieldInits.push_back(std::move(I));
    analyzeCallableParams(H, FD, Facts.Loops, &Facts.Flows);
    Objects.collect(FD, Key, Facts.ObjectSettings);
    Ev.scopeGuards(FD, Key, Facts.ScopeGuards);
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      for (const CXXMethodDecl *Base : MD->overridden_methods())
        Facts.Overrides.push_back({Key, H.functionKey(Base), H.loc(Base->getLocation()).File});
    // `return h;`: callers that keep the result get what was configured on `h`.
    if (FD->hasBody()) {
      walkStmts(FD->getBody(), [&](const Stmt *S) {
        if (isa<LambdaExpr>(S))
          return Walk::Skip;
        if (const auto *R = dyn_cast<ReturnStmt>(S); R && R->getRetValue())
          if (HandleRef H2 = H.handleOf(R->getRetValue()); H2.Named) {
            model::Setting St;
            St.HandleKey = "return:" + Key;
            St.Concern = "derive";
            St.Val.K = model::Value::Kind::Unknown;
            St.Val.DependsOn = H2.Key;
            St.Loc = H.loc(R->getBeginLoc());
            St.FunctionKey = Key;
            Facts.Settings.push_back(std::move(St));
          }
        return Walk::Into;
      });
    }
  }

  void onRecord(const CXXRecordDecl *RD, ASTContext &Ctx) {
    if (skip(RD->getLocation(), Ctx.getSourceManager()))
      return;
    H.setContext(Ctx);
    // Default member initializers, also of aggregates that have no constructor
    // of their own (`struct Config { std::string url = "http://..."; };`).
    for (auto &I : SF.defaultInits(RD))
      Facts.FieldInits.push_back(std::move(I));
    if (auto C = Ev.classFact(RD))
      if (SeenClasses.insert(C->Name).second)
        Facts.Classes.push_back(std::move(*C));
  }
};

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
