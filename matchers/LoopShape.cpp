#include "matchers/LoopShape.h"

#include "matchers/StmtWalk.h"

#include <set>

namespace im::matchers {
namespace {

/// The member a call invokes as a callable (`this->presetup_(h)`: a
/// std::function or function object held in a field), or null.
const clang::FieldDecl *invokedField(const clang::CallExpr *CE) {
  using namespace clang;
  const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
  if (!OC || OC->getOperator() != OO_Call || OC->getNumArgs() < 1)
    return nullptr;
  const auto *ME = dyn_cast<MemberExpr>(OC->getArg(0)->IgnoreParenImpCasts());
  return ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
}

int invokedParam(const clang::CallExpr *CE) {
  using namespace clang;
  const Expr *Callee = CE->getCallee();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
      OC && OC->getOperator() == OO_Call && OC->getNumArgs() >= 1)
    Callee = OC->getArg(0);
  else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
    Callee = MC->getImplicitObjectArgument();
  else if (const auto *FD = CE->getDirectCallee();
           FD && FD->getName() == "invoke" && CE->getNumArgs() >= 1)
    Callee = CE->getArg(0);
  if (!Callee)
    return -1;
  Callee = Callee->IgnoreUnlessSpelledInSource()->IgnoreParens();
  if (const auto *DR = dyn_cast<DeclRefExpr>(Callee))
    if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl()))
      return static_cast<int>(PV->getFunctionScopeIndex());
  return -1;
}

bool containsExit(const clang::Stmt *S, bool InNestedLoop = false) {
  using namespace clang;
  return walkStmtsWith(S, InNestedLoop, [](const Stmt *X, bool &Nested) {
    if (isa<ReturnStmt, GotoStmt, CXXThrowExpr>(X))
      return Walk::Stop;
    if (isa<BreakStmt>(X) && !Nested)
      return Walk::Stop;
    if (isa<LambdaExpr>(X))
      return Walk::Skip;
    Nested = Nested || isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(X);
    return Walk::Into;
  });
}

struct BodyScan {
  std::vector<model::Evidence> Sleeps;
  std::vector<const clang::Expr *> SleepArgs;
  std::set<const clang::VarDecl *> Grown; // vars multiplied or shifted in the loop
  std::vector<model::Evidence> GrowthEvidence;
  std::vector<model::Evidence> JitterEvidence;
  std::vector<model::Evidence> SuccessExits;
  std::vector<model::Evidence> PollExits; // exits on the value of a reply, not on success
  std::vector<model::Evidence> LimitChecks;
  std::optional<int> LimitValue;
};

bool isSleepName(llvm::StringRef N) {
  return N == "sleep" || N == "usleep" || N == "nanosleep" || N == "sleep_for" ||
         N == "sleep_until" || N == "Sleep" || N == "msleep" || N == "SleepFor";
}

bool isRandomName(llvm::StringRef N) {
  return N == "rand" || N == "random" || N == "rand_r" || N == "drand48" || N == "lrand48" ||
         N == "arc4random" || N == "arc4random_uniform" || N.contains("uniform_int_distribution") ||
         N.contains("uniform_real_distribution") || N == "jitter";
}

bool growsExpr(const clang::Expr *E) {
  using namespace clang;
  return walkStmts(E, [](const Stmt *S) {
    const auto *X = dyn_cast<Expr>(S);
    if (!X)
      return Walk::Skip;
    X = X->IgnoreParenImpCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(X))
      if (BO->getOpcode() == BO_Mul || BO->getOpcode() == BO_Shl)
        return Walk::Stop;
    if (const auto *CE = dyn_cast<CallExpr>(X))
      if (const auto *FD = CE->getDirectCallee())
        if (FD->getName() == "pow" || FD->getName() == "exp2" || FD->getName() == "ldexp")
          return Walk::Stop;
    return Walk::Into;
  });
}

const clang::BinaryOperator *relational(const clang::Expr *E) {
  using namespace clang;
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isRelationalOp() || BO->getOpcode() == BO_NE)
      return BO;
    if (BO->isLogicalOp()) {
      if (auto *L = relational(BO->getLHS()))
        return L;
      return relational(BO->getRHS());
    }
  }
  return nullptr;
}

/// A comparison in the loop condition that bounds the loop: not the test of
/// the call's own result (`while (perform(h) != OK)` repeats forever).
const clang::BinaryOperator *boundingRelational(const clang::Expr *E,
                                                const clang::VarDecl *ResultVar,
                                                const clang::Expr *Call) {
  using namespace clang;
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isLogicalOp()) {
      if (auto *L = boundingRelational(BO->getLHS(), ResultVar, Call))
        return L;
      return boundingRelational(BO->getRHS(), ResultVar, Call);
    }
    if ((BO->isRelationalOp() || BO->getOpcode() == BO_NE) && !mentions(BO, ResultVar, Call))
      return BO;
  }
  return nullptr;
}

std::optional<int> constantSide(AstHelpers &H, const clang::Expr *Cond) {
  using namespace clang;
  const BinaryOperator *BO = relational(Cond);
  if (!BO)
    return std::nullopt;
  for (const Expr *Side : {BO->getRHS(), BO->getLHS()}) {
    model::Value V = H.evaluate(Side, "");
    if (V.K == model::Value::Kind::Int && V.Int > 0 && V.Int < 1000) {
      int N = static_cast<int>(V.Int);
      if (BO->getOpcode() == BO_LE || BO->getOpcode() == BO_GE)
        ++N;
      return N;
    }
  }
  return std::nullopt;
}

bool mentionsCollection(const clang::Expr *Cond) {
  using namespace clang;
  return Cond && walkStmts(Cond, [](const Stmt *S) {
    if (!isa<Expr>(S))
      return Walk::Skip;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (const auto *M = MC->getMethodDecl()) {
        llvm::StringRef N = M->getName();
        if (N == "size" || N == "end" || N == "empty" || N == "cend" || N == "length")
          return Walk::Stop;
      }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
      for (const Expr *A : OC->arguments())
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(A->IgnoreImplicit()))
          if (const auto *M = MC->getMethodDecl();
              M && (M->getName() == "end" || M->getName() == "cend"))
            return Walk::Stop;
    return Walk::Into;
  });
}

/// Does `Cond` ask about the value of the call's reply rather than whether the
/// call failed: a comparison (possibly negated) whose operand carrying the
/// result is a class value (`time_left > 0ms`, `*reply == "OK"`, a string or a
/// duration)? A class value is only there when the call returned; a failure
/// does not produce one to compare. Scalar comparisons (`rc == 0`,
/// `status == 200`) and tests of presence (`if (reply)`) stay failure tests.
bool isValueQuestion(const clang::Expr *Cond, const clang::VarDecl *ResultVar, const clang::Expr *Call) {
  using namespace clang;
  if (!Cond)
    return false;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot)
    return isValueQuestion(UO->getSubExpr(), ResultVar, Call);
  auto ClassValue = [&](const Expr *X) {
    X = X->IgnoreParenImpCasts();
    return mentions(X, ResultVar, Call) && X->getType()->isRecordType();
  };
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Cond)) {
    switch (OC->getOperator()) {
    case OO_Less:
    case OO_Greater:
    case OO_LessEqual:
    case OO_GreaterEqual:
    case OO_EqualEqual:
    case OO_ExclaimEqual:
    case OO_Spaceship:
      return OC->getNumArgs() == 2 && (ClassValue(OC->getArg(0)) || ClassValue(OC->getArg(1)));
    default:
      return false;
    }
  }
  return false;
}

void scanNode(AstHelpers &H, const clang::Stmt *S, const clang::VarDecl *ResultVar,
              const clang::Expr *Call, BodyScan &B) {
  using namespace clang;
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    if (const auto *FD = CE->getDirectCallee()) {
      std::string N = FD->getNameAsString();
      if (isSleepName(N)) {
        model::Location L = H.loc(CE->getBeginLoc());
        B.Sleeps.push_back({L.File, L.Line, "sleeps: " + H.text(CE, 80)});
        if (CE->getNumArgs() >= 1)
          B.SleepArgs.push_back(CE->getArg(0));
      }
      std::string Q = plainQualifiedName(FD);
      if (isRandomName(N) || isRandomName(Q)) {
        model::Location L = H.loc(CE->getBeginLoc());
        B.JitterEvidence.push_back({L.File, L.Line, "randomizes: " + H.text(CE, 60)});
      }
    }
  }
  if (const auto *CC = dyn_cast<CXXConstructExpr>(S))
    if (const auto *RD = CC->getConstructor()->getParent(); RD && isRandomName(RD->getName())) {
      model::Location L = H.loc(CC->getBeginLoc());
      B.JitterEvidence.push_back({L.File, L.Line, "randomizes: " + H.text(CC, 60)});
    }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    const auto *DR = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
    const VarDecl *V = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
    bool Grows = false;
    if (BO->getOpcode() == BO_MulAssign || BO->getOpcode() == BO_ShlAssign)
      Grows = true;
    if (BO->getOpcode() == BO_Assign && growsExpr(BO->getRHS()))
      Grows = true;
    if (V && Grows) {
      B.Grown.insert(V);
      model::Location L = H.loc(BO->getBeginLoc());
      B.GrowthEvidence.push_back({L.File, L.Line, "grows delay: " + H.text(BO, 60)});
    }
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    // chrono durations: `delay *= 2`
    if ((OC->getOperator() == OO_StarEqual || OC->getOperator() == OO_LessLessEqual) &&
        OC->getNumArgs() == 2)
      if (const auto *DR = dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
        if (const auto *V = dyn_cast<VarDecl>(DR->getDecl())) {
          B.Grown.insert(V);
          model::Location L = H.loc(OC->getBeginLoc());
          B.GrowthEvidence.push_back({L.File, L.Line, "grows delay: " + H.text(OC, 60)});
        }
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 && growsExpr(OC->getArg(1)))
      if (const auto *DR = dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
        if (const auto *V = dyn_cast<VarDecl>(DR->getDecl())) {
          B.Grown.insert(V);
          model::Location L = H.loc(OC->getBeginLoc());
          B.GrowthEvidence.push_back({L.File, L.Line, "grows delay: " + H.text(OC, 60)});
        }
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    const Expr *Cond = If->getCond();
    bool OnResult = mentions(Cond, ResultVar, Call);
    if (OnResult && (containsExit(If->getThen()) || containsExit(If->getElse()))) {
      model::Location L = H.loc(If->getBeginLoc());
      if (isValueQuestion(Cond, ResultVar, Call))
        B.PollExits.push_back({L.File, L.Line, "stops on the reply's value: " + H.text(Cond, 60)});
      else
        B.SuccessExits.push_back({L.File, L.Line, "stops when the call succeeds: " + H.text(Cond, 60)});
    }
    if (!OnResult && (containsExit(If->getThen())) && relational(Cond)) {
      model::Location L = H.loc(If->getBeginLoc());
      B.LimitChecks.push_back({L.File, L.Line, "gives up after a limit: " + H.text(Cond, 60)});
      if (auto N = constantSide(H, Cond))
        B.LimitValue = *N;
    }
  }
}

/// Sleeps, growing delays, jitter, success exits and limit checks in `S` and
/// below it (lambdas left out).
void scanBody(AstHelpers &H, const clang::Stmt *S, const clang::VarDecl *ResultVar,
              const clang::Expr *Call, BodyScan &B) {
  walkStmts(S, [&](const clang::Stmt *X) {
    if (llvm::isa<clang::LambdaExpr>(X))
      return Walk::Skip;
    scanNode(H, X, ResultVar, Call, B);
    return Walk::Into;
  });
}

/// The variable that carries the call's result into its next pass: the result
/// variable itself, or one the loop assigns from it (`cursor = reply.next`),
/// when it is among the call's arguments (`cursor = scan(cursor, ...)`). A
/// retry sends the same request again; a loop like this sends a new one.
const clang::VarDecl *carriedIntoCall(const clang::Stmt *Body, const clang::VarDecl *ResultVar,
                                      const clang::Expr *Call) {
  using namespace clang;
  if (!ResultVar || !Body)
    return nullptr;
  std::set<const VarDecl *> Carried = {ResultVar};
  // Two passes catch a value derived from a value derived from the result.
  for (int Pass = 0; Pass < 2; ++Pass)
    walkStmts(Body, [&](const Stmt *S) {
      if (isa<LambdaExpr>(S))
        return Walk::Skip;
      const Expr *Lhs = nullptr, *Rhs = nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp()) {
        Lhs = BO->getLHS();
        Rhs = BO->getRHS();
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
                 OC && OC->isAssignmentOp() && OC->getNumArgs() == 2) {
        Lhs = OC->getArg(0);
        Rhs = OC->getArg(1);
      }
      if (Lhs)
        if (const auto *DR = dyn_cast<DeclRefExpr>(Lhs->IgnoreParenImpCasts()))
          if (const auto *V = dyn_cast<VarDecl>(DR->getDecl()); V && !Carried.count(V))
            for (const VarDecl *From : std::set<const VarDecl *>(Carried))
              if (mentions(Rhs, From, nullptr)) {
                Carried.insert(V);
                break;
              }
      return Walk::Into;
    });
  std::vector<const Expr *> All;
  if (const auto *CE = dyn_cast<CallExpr>(Call))
    All.assign(CE->arg_begin(), CE->arg_end());
  else if (const auto *CC = dyn_cast<CXXConstructExpr>(Call))
    All.assign(CC->arg_begin(), CC->arg_end());
  for (const Expr *A : All)
    for (const VarDecl *V : Carried)
      if (mentions(A, V, nullptr))
        return V;
  return nullptr;
}

model::LoopFact describeLoop(AstHelpers &H, const clang::Stmt *Loop, const clang::Expr *Call,
                             const clang::VarDecl *ResultVar, const clang::CXXTryStmt *Try) {
  using namespace clang;
  model::LoopFact L;
  L.Loc = H.loc(Loop->getBeginLoc());
  L.Id = L.Loc.File + ":" + std::to_string(L.Loc.Line) + ":" + std::to_string(L.Loc.Column);
  const Stmt *Body = nullptr;
  const Expr *Cond = nullptr;
  if (const auto *F = dyn_cast<ForStmt>(Loop)) {
    Body = F->getBody();
    Cond = F->getCond();
  } else if (const auto *W = dyn_cast<WhileStmt>(Loop)) {
    Body = W->getBody();
    Cond = W->getCond();
  } else if (const auto *D = dyn_cast<DoStmt>(Loop)) {
    Body = D->getBody();
    Cond = D->getCond();
  } else if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop)) {
    Body = R->getBody();
    L.IteratesCollection = true;
    L.Evidence.push_back({L.Loc.File, L.Loc.Line, "iterates over a collection"});
  }
  // Enclosing function of the loop.
  DynTypedNode N = DynTypedNode::create(*Loop);
  for (int Depth = 0; Depth < 60; ++Depth) {
    auto Parents = H.context().getParents(N);
    if (Parents.empty())
      break;
    N = Parents[0];
    if (const auto *FD = N.get<FunctionDecl>()) {
      L.FunctionKey = H.functionKey(FD);
      break;
    }
    if (const auto *LE = N.get<LambdaExpr>()) {
      L.FunctionKey = H.functionKey(LE->getCallOperator());
      break;
    }
  }
  if (Cond && mentionsCollection(Cond)) {
    L.IteratesCollection = true;
    L.Evidence.push_back({L.Loc.File, L.Loc.Line, "iterates over a collection: " + H.text(Cond, 60)});
  }
  if (const VarDecl *Carried = carriedIntoCall(Body, ResultVar, Call); Carried && !L.IteratesCollection) {
    L.IteratesCollection = true;
    L.Pages = true;
    L.Evidence.push_back({L.Loc.File, L.Loc.Line,
                          "pages through results: `" + Carried->getNameAsString() +
                              "`, from the previous reply, is an argument of the call"});
  }
  BodyScan B;
  scanBody(H, Body, ResultVar, Call, B);
  // Bounded: a relational loop condition, a deadline, or a limit check that exits.
  if (const clang::BinaryOperator *Bound = boundingRelational(Cond, ResultVar, Call);
      Bound && !L.IteratesCollection) {
    L.Bounded = true;
    L.MaxAttempts = constantSide(H, Bound);
    L.Evidence.push_back({L.Loc.File, L.Loc.Line, "bounded: " + H.text(Cond, 60)});
  } else if (!B.LimitChecks.empty()) {
    L.Bounded = true;
    L.MaxAttempts = B.LimitValue;
    L.Evidence.push_back(B.LimitChecks.front());
  }
  // Success exit: a branch on the result that leaves the loop, a loop condition on
  // the result, or (with exceptions) an exit after the call inside the try block.
  // A loop that leaves only on the value of a reply repeats calls that
  // returned: it polls for an outcome (a lock becoming free, a job finishing).
  // Unless a handler inside the loop catches the call's failure and goes
  // round again, a failure leaves the loop, so it is no retry.
  bool CatchesInside = Try && Try->getNumHandlers() > 0 && containsExit(Try->getTryBlock()) &&
                       !containsExit(Try->getHandler(0)->getHandlerBlock());
  bool PollCond = Cond && mentions(Cond, ResultVar, Call) && isValueQuestion(Cond, ResultVar, Call);
  if (B.SuccessExits.empty() && (!B.PollExits.empty() || PollCond) && !L.IteratesCollection &&
      !CatchesInside) {
    L.Polls = true;
    if (!B.PollExits.empty())
      L.Evidence.push_back(B.PollExits.front());
    else
      L.Evidence.push_back({L.Loc.File, L.Loc.Line, "repeats on the reply's value: " + H.text(Cond, 60)});
  } else if (!B.SuccessExits.empty()) {
    L.ExitsOnSuccess = true;
    L.Evidence.push_back(B.SuccessExits.front());
  } else if (Cond && mentions(Cond, ResultVar, Call) && !L.IteratesCollection && !PollCond) {
    L.ExitsOnSuccess = true;
    L.Evidence.push_back({L.Loc.File, L.Loc.Line, "repeats while the call fails: " + H.text(Cond, 60)});
  } else if (Try && containsExit(Try->getTryBlock()) && Try->getNumHandlers() > 0) {
    L.ExitsOnSuccess = true;
    model::Location TL = H.loc(Try->getBeginLoc());
    L.Evidence.push_back({TL.File, TL.Line, "leaves the loop when the call does not throw"});
  }
  if (!B.Sleeps.empty()) {
    L.Sleeps = true;
    L.Evidence.push_back(B.Sleeps.front());
    for (const Expr *A : B.SleepArgs) {
      bool Grows = growsExpr(A);
      if (!Grows)
        for (const VarDecl *V : B.Grown)
          if (mentions(A, V, nullptr))
            Grows = true;
      if (Grows) {
        L.Backoff = true;
        break;
      }
    }
    if (L.Backoff && !B.GrowthEvidence.empty())
      L.Evidence.push_back(B.GrowthEvidence.front());
  }
  if (!B.JitterEvidence.empty()) {
    L.Jitter = true;
    L.Evidence.push_back(B.JitterEvidence.front());
  }
  return L;
}

} // namespace

std::vector<std::string> enclosingLoops(AstHelpers &H, const clang::Expr *Call,
                                        std::vector<model::LoopFact> &Out, int CallableParam) {
  using namespace clang;
  std::vector<std::string> Ids;
  const VarDecl *ResultVar = resultVar(H.context(), Call);
  DynTypedNode N = DynTypedNode::create(*Call);
  const Stmt *Child = Call;
  const CXXTryStmt *TryAround = nullptr;
  for (int Depth = 0; Depth < 40; ++Depth) {
    auto Parents = H.context().getParents(N);
    if (Parents.empty())
      break;
    N = Parents[0];
    if (N.get<FunctionDecl>() || N.get<LambdaExpr>() || N.get<BlockDecl>())
      break;
    const Stmt *S = N.get<Stmt>();
    if (!S)
      continue;
    if (const auto *T = dyn_cast<CXXTryStmt>(S); T && !TryAround && Child == T->getTryBlock())
      TryAround = T;
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S)) {
      model::LoopFact L = describeLoop(H, S, Call, ResultVar, TryAround);
      // A loop is judged relative to one call in it (does *this* call's success end it?).
      L.Id += "@" + H.locKey(Call->getBeginLoc());
      L.CallableParam = CallableParam;
      Ids.push_back(L.Id);
      Out.push_back(std::move(L));
    }
    Child = S;
  }
  return Ids;
}

void analyzeCallableParams(AstHelpers &H, const clang::FunctionDecl *FD,
                           std::vector<model::LoopFact> &Out, std::vector<model::HandleFlow> *Flows) {
  using namespace clang;
  if (!FD->hasBody())
    return;
  std::string FnKey = H.functionKey(FD);
  walkStmts(FD->getBody(), [&](const Stmt *S) {
    if (isa<LambdaExpr>(S))
      return Walk::Skip;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      // `presetup_(h)` on a callable member: what it holds is set elsewhere
      // (a constructor argument, a setter), so the handle goes where the
      // analysis cannot follow.
      if (const FieldDecl *Held = invokedField(CE); Held && Flows)
        for (unsigned I = 1; I < CE->getNumArgs(); ++I)
          if (HandleRef R = H.handleOf(CE->getArg(I)); R.Named)
            Flows->push_back({R.Key, "opaque:" + plainQualifiedName(Held), I - 1,
                              H.loc(CE->getBeginLoc()), FnKey});
      int Param = invokedParam(CE);
      if (Param >= 0)
        enclosingLoops(H, CE, Out, Param);
      // `configure(h)` on a std::function / template parameter: the handle flows
      // into whatever callable the caller passes there.
      if (Param >= 0 && Flows) {
        unsigned First = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
        for (unsigned I = First; I < CE->getNumArgs(); ++I) {
          HandleRef R = H.handleOf(CE->getArg(I));
          if (R.Named)
            Flows->push_back({R.Key, "callable:" + FnKey + "#" + std::to_string(Param),
                              I - First, H.loc(CE->getBeginLoc()), FnKey});
        }
      }
    }
    return Walk::Into;
  });
}

const clang::VarDecl *resultVar(clang::ASTContext &Ctx, const clang::Expr *Call) {
  using namespace clang;
  DynTypedNode N = DynTypedNode::create(*Call);
  for (int Depth = 0; Depth < 6; ++Depth) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    if (const auto *VD = N.get<VarDecl>())
      return VD;
    if (const auto *BO = N.get<BinaryOperator>()) {
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DR = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
          return dyn_cast<VarDecl>(DR->getDecl());
      return nullptr;
    }
    if (const auto *OC = N.get<CXXOperatorCallExpr>()) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
        if (const auto *DR = dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
          return dyn_cast<VarDecl>(DR->getDecl());
      return nullptr;
    }
    if (!N.get<ImplicitCastExpr>() && !N.get<ExprWithCleanups>() &&
        !N.get<MaterializeTemporaryExpr>() && !N.get<CXXBindTemporaryExpr>() &&
        !N.get<ParenExpr>() && !N.get<CXXConstructExpr>() && !N.get<CStyleCastExpr>() &&
        !N.get<CXXStaticCastExpr>() && !N.get<CXXFunctionalCastExpr>())
      return nullptr;
  }
  return nullptr;
}

bool mentions(const clang::Stmt *S, const clang::VarDecl *V, const clang::Expr *Call) {
  using namespace clang;
  return walkStmts(S, [&](const Stmt *X) {
    if (Call && X == Call)
      return Walk::Stop;
    if (V)
      if (const auto *DR = dyn_cast<DeclRefExpr>(X); DR && DR->getDecl() == V)
        return Walk::Stop;
    return Walk::Into;
  });
}

} // namespace im::matchers
