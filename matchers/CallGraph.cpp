// The project's own call graph: call edges, constants and handles reaching
// parameters, definitions (keys, returns, callable parameters) and classes.
#include "matchers/ExtractorImpl.h"
#include "matchers/LoopShape.h"

using namespace clang;

namespace im::matchers {

void Extractor::Impl::onProjectCall(const CallExpr *CE, const FunctionDecl *Callee,
                                    const FunctionDecl *Caller, ASTContext &Ctx) {
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
  // Another instantiation of the same caller made this call already: the edge
  // is recorded once (its arguments may still differ, a variadic pack).
  const bool NewEdge = SeenEdges.insert(model::keyOf(Edge)).second;
  if (NewEdge) {
    Edge.Loops = enclosingLoops(H, CE, Facts.Loops);
    Edge.Guards = Ev.guardsOf(CE);
    Edge.Handlers = Ev.handlersOf(CE, Caller);
  }
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
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE); MC && NewEdge)
    if (HandleRef R = H.handleOf(MC->getImplicitObjectArgument()); R.Named) {
      Edge.ObjectKey = R.Key;
      Edge.Object = R.Display;
    }
  // String arguments as pieces: a wrapper's endpoint parameter, an env helper's name.
  bool AnyString = false;
  for (unsigned I = Shift; NewEdge && I < CE->getNumArgs(); ++I) {
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
    addArgValue(Arg, Edge.CalleeKey, I - Shift, Edge.Loc, Edge.CallerKey);
    if (I - Shift < Callee->getNumParams() && callableSlotType(Callee->getParamDecl(I - Shift)->getType()))
      if (std::string V = callableValue(Arg); !V.empty() && V.rfind("lambda:", 0) != 0)
        addFlow({V, Edge.CalleeKey, I - Shift, Edge.Loc, Edge.CallerKey});
    HandleRef R = H.handleOf(Arg);
    if (!R.Named)
      continue;
    addFlow({R.Key, Edge.CalleeKey, I - Shift, Edge.Loc, Edge.CallerKey});
  }
  if (NewEdge)
    Facts.Calls.push_back(std::move(Edge));
}

model::ArgValue Extractor::Impl::argValue(const Expr *Arg, const std::string &Callee,
                                          unsigned Index, const model::Location &Loc,
                                          const std::string &Caller) {
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

void Extractor::Impl::onProjectConstruct(const CXXConstructExpr *CC, const FunctionDecl *Caller,
                                         ASTContext &Ctx) {
  const CXXConstructorDecl *Ctor = CC->getConstructor();
  if (!Ctor || Ctor->isImplicit() || skip(CC->getBeginLoc(), Ctx.getSourceManager()) ||
      Ctx.getSourceManager().isInSystemHeader(Ctx.getSourceManager().getExpansionLoc(Ctor->getLocation())))
    return;
  H.setContext(Ctx);
  std::string Callee = H.functionKey(Ctor);
  std::string CallerKey = H.functionKey(Caller);
  model::Location Loc = H.loc(CC->getBeginLoc());
  for (unsigned I = 0; I < CC->getNumArgs(); ++I) {
    const Expr *Arg = CC->getArg(I);
    addArgValue(Arg, Callee, I, Loc, CallerKey);
    if (HandleRef R = H.handleOf(Arg); R.Named)
      addFlow({R.Key, Callee, I, Loc, CallerKey});
    if (I < Ctor->getNumParams() && callableSlotType(Ctor->getParamDecl(I)->getType()))
      if (std::string V = callableValue(Arg); !V.empty() && V.rfind("lambda:", 0) != 0)
        addFlow({V, Callee, I, Loc, CallerKey});
  }
  // A member built from a constructor parameter is known at each construction.
  model::CallEdge Made;
  Made.StrArgs = constructionStrings(CC, Caller);
  if (!Made.StrArgs.empty()) {
    Made.CallerKey = CallerKey;
    Made.CalleeKey = Callee;
    Made.Loc = Loc;
    // The object built (`RestClient orders("https://...")`, a member's
    // initializer): its methods' endpoints are this construction's.
    if (HandleRef R = H.resultHandle(CC, Caller); R.Named) {
      Made.ObjectKey = R.Key;
      Made.Object = R.Display;
    }
    Facts.Constructions.push_back(std::move(Made));
  }
}

std::vector<model::StrExpr> Extractor::Impl::constructionStrings(const CXXConstructExpr *CC,
                                                                 const FunctionDecl *Caller) {
  const CXXConstructorDecl *Ctor = CC->getConstructor();
  std::vector<model::StrExpr> Out;
  bool AnyString = false;
  for (unsigned I = 0; I < CC->getNumArgs(); ++I) {
    bool Str = I < Ctor->getNumParams() && StringFolder::stringLike(Ctor->getParamDecl(I)->getType());
    Out.push_back(Str ? SF.fold(CC->getArg(I), Caller) : model::StrExpr{});
    AnyString |= !Out.back().empty();
  }
  if (!AnyString)
    Out.clear();
  return Out;
}

void Extractor::Impl::onDefinition(const FunctionDecl *FD, ASTContext &Ctx) {
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
  callableFacts(FD, Key);
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

std::string Extractor::Impl::callableValue(const Expr *E) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return "lambda:" + H.functionKey(L->getCallOperator());
    if (const auto *CC = dyn_cast<CXXConstructExpr>(E); CC && CC->getNumArgs() == 1) {
      E = CC->getArg(0); // std::function's converting, copy or move constructor
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<CallExpr>(E); CE && CE->getNumArgs() == 1)
      if (const FunctionDecl *FD = CE->getDirectCallee();
          FD && FD->isInStdNamespace() && (FD->getName() == "move" || FD->getName() == "forward")) {
        E = CE->getArg(0);
        continue;
      }
    break;
  }
  if (!E)
    return "";
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DR->getDecl()))
      return "function:" + H.functionKey(FD);
    if (callableSlotType(DR->getType()))
      if (HandleRef R = H.declHandle(DR->getDecl()); R.Named)
        return R.Key;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E); ME && callableSlotType(ME->getType()))
    if (HandleRef R = H.declHandle(ME->getMemberDecl()); R.Named)
      return R.Key;
  return "";
}

void Extractor::Impl::callableFacts(const FunctionDecl *FD, const std::string &Key) {
  if (!FD->hasBody())
    return;
  auto Bind = [&](const HandleRef &Slot, const Expr *Value, SourceLocation At) {
    if (!Slot.Named)
      return;
    if (std::string V = callableValue(Value); !V.empty() && V != Slot.Key)
      Facts.CallableBinds.push_back({Slot.Key, V, H.loc(At), Key});
  };
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (const FieldDecl *F = Init->getMember(); F && Init->getInit() && callableSlotType(F->getType()))
        Bind(H.declHandle(F), Init->getInit(), Init->getSourceLocation());
  walkStmts(FD->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip; // a lambda's body is a definition of its own
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit() && callableSlotType(VD->getType()))
          Bind(H.declHandle(VD), VD->getInit(), VD->getLocation());
      return Walk::Into;
    }
    auto [LHS, RHS] = assignmentSides(S);
    if (LHS && callableSlotType(LHS->getType())) {
      Bind(H.handleOf(LHS), RHS, S->getBeginLoc());
      return Walk::Into;
    }
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE || skip(CE->getBeginLoc(), H.context().getSourceManager()))
      return Walk::Into;
    // The callable invoked and the parameter types its arguments bind to.
    const Expr *Slot = nullptr;
    unsigned First = 0;
    llvm::SmallVector<QualType, 4> Params;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
        OC && OC->getOperator() == OO_Call && OC->getNumArgs() >= 1 &&
        callableSlotType(OC->getArg(0)->getType())) {
      Slot = OC->getArg(0);
      First = 1;
      if (const FunctionDecl *Op = OC->getDirectCallee())
        for (const ParmVarDecl *P : Op->parameters())
          Params.push_back(P->getType());
    } else if (!CE->getDirectCallee() && !isa<CXXMemberCallExpr>(CE) && CE->getCallee() &&
               callableSlotType(CE->getCallee()->IgnoreParenImpCasts()->getType())) {
      Slot = CE->getCallee();
      QualType T = Slot->IgnoreParenImpCasts()->getType();
      if (T->isPointerType())
        T = T->getPointeeType();
      if (const auto *Proto = T->getAs<FunctionProtoType>())
        for (QualType P : Proto->param_types())
          Params.push_back(P);
    }
    if (!Slot)
      return Walk::Into;
    HandleRef R = H.handleOf(Slot);
    if (!R.Named || R.Key.rfind("lambda:", 0) == 0)
      return Walk::Into;
    model::CallEdge Edge;
    Edge.CallerKey = Key;
    Edge.CalleeKey = "callable:" + R.Key;
    Edge.Loc = H.loc(CE->getExprLoc());
    Edge.Loops = enclosingLoops(H, CE, Facts.Loops);
    Edge.Guards = Ev.guardsOf(CE);
    Edge.Handlers = Ev.handlersOf(CE, FD);
    Edge.Through = R.Display;
    bool AnyString = false;
    for (unsigned I = First; I < CE->getNumArgs(); ++I) {
      QualType T = I - First < Params.size() ? Params[I - First] : CE->getArg(I)->getType();
      Edge.StrArgs.push_back(StringFolder::stringLike(T) ? SF.fold(CE->getArg(I), FD) : model::StrExpr{});
      AnyString |= !Edge.StrArgs.back().empty();
    }
    if (!AnyString)
      Edge.StrArgs.clear();
    Facts.CallableCalls.push_back(std::move(Edge));
    return Walk::Into;
  });
}

void Extractor::Impl::onRecord(const CXXRecordDecl *RD, ASTContext &Ctx) {
  if (skip(RD->getLocation(), Ctx.getSourceManager()))
    return;
  H.setContext(Ctx);
  // Default member initializers, also of aggregates that have no constructor
  // of their own (`struct Config { std::string url = "http://..."; };`).
  for (auto &I : SF.defaultInits(RD))
    Facts.FieldInits.push_back(std::move(I));
  // A member of a project class built by its default member initializer
  // (`RestClient orders_{"https://orders.internal"};`): a construction of that
  // member, as if each constructor of `RD` made it.
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FieldDecl *F : RD->fields()) {
    const Expr *Init = F->getInClassInitializer();
    if (!Init)
      continue;
    Init = Init->IgnoreImplicit();
    if (const auto *IL = dyn_cast<InitListExpr>(Init); IL && IL->getNumInits() == 1)
      Init = IL->getInit(0)->IgnoreImplicit();
    const auto *CC = dyn_cast<CXXConstructExpr>(Init);
    const CXXConstructorDecl *Ctor = CC ? CC->getConstructor() : nullptr;
    if (!Ctor || Ctor->isImplicit() || SM.isInSystemHeader(SM.getExpansionLoc(Ctor->getLocation())))
      continue;
    model::CallEdge Made;
    Made.StrArgs = constructionStrings(CC, nullptr);
    if (Made.StrArgs.empty())
      continue;
    Made.CalleeKey = H.functionKey(Ctor);
    Made.Loc = H.loc(CC->getBeginLoc());
    HandleRef R = H.declHandle(F);
    Made.ObjectKey = R.Key;
    Made.Object = R.Display;
    Facts.Constructions.push_back(std::move(Made));
  }
  if (auto C = Ev.classFact(RD))
    if (SeenClasses.insert(C->Name).second)
      Facts.Classes.push_back(std::move(*C));
}

} // namespace im::matchers
