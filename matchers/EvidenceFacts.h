// AST facts behind the non-timeout protections: guards around a call (circuit
// breakers, rate limiters), what happens when it fails (catch blocks and error
// branches: fallbacks, requeues, fail-open/closed), breaker-shaped classes, RAII
// deadline guards, constants passed to parameters, overrides, health probes.
// Included only by Extractor.cpp.
#pragma once

#include "matchers/AstHelpers.h"
#include "matchers/LoopShape.h"

#include <cctype>

namespace im::matchers {

/// Answers "is this function a catalog operation?" with "library:operation".
using CatalogLookup = std::function<std::string(const clang::FunctionDecl *)>;

class EvidenceFacts {
public:
  EvidenceFacts(AstHelpers &H, CatalogLookup Lookup) : H(H), Lookup(std::move(Lookup)) {}

  /// Member calls tested in conditions around the call, and `if (...) return;`
  /// guards before it in enclosing blocks.
  std::vector<model::GuardFact> guardsOf(const clang::Expr *Call) {
    using namespace clang;
    std::vector<model::GuardFact> Out;
    auto &Ctx = H.context();
    DynTypedNode N = DynTypedNode::create(*Call);
    const Stmt *Child = Call;
    for (int Depth = 0; Depth < 40; ++Depth) {
      auto Parents = Ctx.getParents(N);
      if (Parents.empty())
        break;
      N = Parents[0];
      if (N.get<FunctionDecl>() || N.get<LambdaExpr>())
        break;
      const Stmt *S = N.get<Stmt>();
      if (!S)
        continue;
      if (const auto *If = dyn_cast<IfStmt>(S); If && Child == If->getThen())
        memberCalls(If->getCond(), false, Out);
      if (const auto *CS = dyn_cast<CompoundStmt>(S))
        for (const Stmt *Prev : CS->body()) {
          if (Prev == Child)
            break;
          if (const auto *If = dyn_cast<IfStmt>(Prev); If && !If->getElse() && AstHelpers::exitsBlock(If->getThen()))
            memberCalls(If->getCond(), true, Out);
        }
      Child = S;
    }
    return Out;
  }

  /// The catch blocks around the call and the branches that run when its result
  /// reports a failure.
  std::vector<model::HandlerFact> handlersOf(const clang::Expr *Call,
                                             const clang::FunctionDecl *Enclosing) {
    using namespace clang;
    std::vector<model::HandlerFact> Out;
    auto &Ctx = H.context();
    const VarDecl *Result = resultVar(Ctx, Call);
    Guarded = "";
    if (const auto *CE = dyn_cast<CallExpr>(Call))
      if (const FunctionDecl *FD = CE->getDirectCallee())
        Guarded = FD->getNameAsString();
    DynTypedNode N = DynTypedNode::create(*Call);
    const Stmt *Child = Call;
    const VarDecl *CondVar = nullptr; // `if (auto v = call())`: the call initialises v
    for (int Depth = 0; Depth < 40; ++Depth) {
      auto Parents = Ctx.getParents(N);
      if (Parents.empty())
        break;
      N = Parents[0];
      if (N.get<FunctionDecl>() || N.get<LambdaExpr>())
        break;
      if (const auto *VD = N.get<VarDecl>())
        CondVar = VD;
      const Stmt *S = N.get<Stmt>();
      if (!S)
        continue;
      if (const auto *If = dyn_cast<IfStmt>(S); If && CondVar && If->getConditionVariable() == CondVar) {
        missBranch(If, Out);
        CondVar = nullptr;
      }
      if (const auto *Try = dyn_cast<CXXTryStmt>(S); Try && Child == Try->getTryBlock())
        for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
          model::HandlerFact F;
          F.Kind = "catch";
          F.Loc = H.loc(Try->getHandler(I)->getBeginLoc());
          scan(Try->getHandler(I)->getHandlerBlock(), F);
          Out.push_back(std::move(F));
        }
      // The call in an if condition: `if (perform(h) != OK) { ... }`.
      if (const auto *If = dyn_cast<IfStmt>(S); If && Child == If->getCond() && !missBranch(If, Out)) {
        if (const Stmt *Failure = failureBranch(If)) {
          model::HandlerFact F;
          F.Kind = "error-check";
          F.Loc = H.loc(If->getBeginLoc());
          scan(Failure, F);
          Out.push_back(std::move(F));
        } else {
          afterEarlyReturn(If, Call, nullptr, Out);
        }
      }
      Child = S;
    }
    // Branches on the result variable after the call, in the same function.
    if (Result && Enclosing && Enclosing->hasBody()) {
      walkStmts(Enclosing->getBody(), [&](const Stmt *S) {
        if (isa<LambdaExpr>(S))
          return Walk::Skip;
        if (const auto *If = dyn_cast<IfStmt>(S))
          if (mentions(If->getCond(), Result, nullptr) &&
              !Ctx.getSourceManager().isBeforeInTranslationUnit(If->getBeginLoc(),
                                                                Call->getBeginLoc()) &&
              !missBranch(If, Out)) {
            if (const Stmt *Failure = failureBranch(If)) {
              model::HandlerFact F;
              F.Kind = "error-check";
              F.Loc = H.loc(If->getBeginLoc());
              scan(Failure, F);
              Out.push_back(std::move(F));
            } else {
              afterEarlyReturn(If, Call, Result, Out);
            }
          }
        return Walk::Into;
      });
    }
    return Out;
  }

  /// A class shaped like a circuit breaker: an open/closed state, a failure
  /// counter and a reset timer; or named like one.
  std::optional<model::ClassFact> classFact(const clang::CXXRecordDecl *RD) {
    using namespace clang;
    if (!RD->isThisDeclarationADefinition() || RD->isLambda())
      return std::nullopt;
    model::ClassFact C;
    C.Name = plainQualifiedName(RD);
    C.Loc = H.loc(RD->getLocation());
    std::string Lower = lower(RD->getNameAsString());
    C.BreakerName = Lower.find("breaker") != std::string::npos;
    bool Open = false, Closed = false, Counter = false, Timer = false;
    const FieldDecl *CounterField = nullptr, *TimerField = nullptr;
    auto NoteEnum = [&](const EnumDecl *ED) {
      for (const EnumConstantDecl *EC : ED->enumerators()) {
        std::string N = lower(EC->getNameAsString());
        if (N.find("open") != std::string::npos && N.find("half") == std::string::npos)
          Open = true;
        if (N.find("closed") != std::string::npos)
          Closed = true;
      }
    };
    for (const Decl *D : RD->decls())
      if (const auto *ED = dyn_cast<EnumDecl>(D))
        NoteEnum(ED);
    for (const FieldDecl *F : RD->fields()) {
      std::string N = lower(F->getNameAsString());
      QualType T = F->getType().getNonReferenceType();
      if (const auto *ET = T->getAs<EnumType>())
        NoteEnum(ET->getDecl());
      std::string TypeName = lower(T.getAsString());
      if ((T->isIntegerType() || TypeName.find("atomic") != std::string::npos) &&
          (N.find("fail") != std::string::npos || N.find("error") != std::string::npos)) {
        Counter = true;
        CounterField = F;
      }
      if (TypeName.find("chrono") != std::string::npos || N.find("reset") != std::string::npos ||
          N.find("cooldown") != std::string::npos || N.find("open_until") != std::string::npos ||
          N.find("opened_at") != std::string::npos) {
        Timer = true;
        if (TypeName.find("chrono") != std::string::npos)
          TimerField = F;
      }
    }
    // Without an open/closed state: a yes/no method that reads the failure
    // count and the reset time together (`blown()`: enough failures and the
    // cool-down not over) is the breaker's state, computed.
    std::string Gate;
    if (Counter && Timer && !(Open && Closed) && CounterField && TimerField)
      for (const CXXMethodDecl *M : RD->methods()) {
        const FunctionDecl *Def = nullptr;
        if (!M->getReturnType()->isBooleanType() || !M->hasBody(Def) || !Def)
          continue;
        bool ReadsCount = false, ReadsTime = false;
        walkStmts(Def->getBody(), [&](const Stmt *X) {
          if (const auto *ME = dyn_cast<MemberExpr>(X)) {
            ReadsCount |= ME->getMemberDecl() == CounterField;
            ReadsTime |= ME->getMemberDecl() == TimerField;
          }
          return Walk::Into;
        });
        if (ReadsCount && ReadsTime) {
          Gate = M->getNameAsString();
          break;
        }
      }
    C.BreakerShape = (Open && Closed && Counter && Timer) || !Gate.empty();
    if (!C.BreakerShape && !C.BreakerName)
      return std::nullopt;
    C.Evidence.push_back({C.Loc.File, C.Loc.Line,
                          !C.BreakerShape ? "circuit breaker by name"
                          : Gate.empty()  ? "circuit breaker by shape: open/closed state, failure "
                                            "count and reset timer"
                                          : "circuit breaker by shape: failure count and reset "
                                            "time read together in `" + Gate + "()`"});
    return C;
  }

  /// RAII objects declared in `FD` whose class looks like a deadline/timeout guard
  /// and whose constructor takes a duration.
  void scopeGuards(const clang::FunctionDecl *FD, const std::string &FnKey,
                   std::vector<model::ScopeGuard> &Out) {
    using namespace clang;
    if (!FD->hasBody())
      return;
    walkStmtsWith(FD->getBody(), static_cast<const CompoundStmt *>(nullptr),
                  [&](const Stmt *S, const CompoundStmt *&Scope) {
      if (isa<LambdaExpr>(S))
        return Walk::Skip;
      if (const auto *CS = dyn_cast<CompoundStmt>(S))
        Scope = CS;
      if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (auto G = guardVar(VD, Scope)) {
              G->FunctionKey = FnKey;
              Out.push_back(*G);
            }
      return Walk::Into;
    });
  }

  /// A cheap probe: a catalog call with "SELECT 1", "PING" or a health path.
  static std::string probeNote(const std::vector<std::string> &Strings) {
    for (const auto &S : Strings) {
      std::string L = lower(S);
      auto Trim = [](std::string X) {
        while (!X.empty() && (std::isspace(static_cast<unsigned char>(X.back())) || X.back() == ';'))
          X.pop_back();
        return X;
      };
      std::string T = Trim(L);
      if (T == "select 1" || T == "ping" || L.find("/health") != std::string::npos ||
          L.find("/healthz") != std::string::npos || L.find("/readyz") != std::string::npos ||
          L.find("/ping") != std::string::npos)
        return "probes with \"" + (S.size() > 40 ? S.substr(0, 40) : S) + "\"";
    }
    return "";
  }

  static std::string lower(std::string S) {
    for (auto &C : S)
      C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    return S;
  }

private:
  /// `if (auto v = get()) return v;` / `if (v) { return *v; }` on a result of
  /// class type (std::optional, a smart pointer) with no else: the statements
  /// after the if run when the result is empty. Records them as a "miss"
  /// handler; true when the if has that shape.
  /// `if (primary(m)) return true; ... backup(m);`: the condition is the call's
  /// own success flag (its bool or pointer result, or the variable holding it),
  /// the success branch leaves the function and there is no else, so the
  /// statements after the `if` run only when the call failed: its error branch.
  /// A question about the value (`if (name.empty()) return ...;`) is not.
  void afterEarlyReturn(const clang::IfStmt *If, const clang::Expr *Call, const clang::VarDecl *Result,
                        std::vector<model::HandlerFact> &Out) {
    using namespace clang;
    if (If->getElse() || !If->getThen())
      return;
    const Expr *Cond = If->getCond()->IgnoreParenImpCasts();
    const auto *Ref = dyn_cast<DeclRefExpr>(Cond);
    bool Flag = Cond == Call->IgnoreParenImpCasts() || (Result && Ref && Ref->getDecl() == Result);
    if (!Flag || !(Cond->getType()->isBooleanType() || Cond->getType()->isPointerType()))
      return;
    const Stmt *Then = If->getThen();
    if (const auto *CS = dyn_cast<CompoundStmt>(Then))
      Then = CS->body_empty() ? nullptr : CS->body_back();
    if (!Then || !isa<ReturnStmt>(Then))
      return;
    auto Parents = H.context().getParents(*If);
    const auto *Block = Parents.empty() ? nullptr : Parents[0].get<CompoundStmt>();
    if (!Block)
      return;
    model::HandlerFact F;
    F.Kind = "error-check";
    F.Loc = H.loc(If->getBeginLoc());
    bool After = false;
    for (const Stmt *Next : Block->body()) {
      if (After)
        scan(Next, F);
      After |= Next == If;
    }
    Out.push_back(std::move(F));
  }

  bool missBranch(const clang::IfStmt *If, std::vector<model::HandlerFact> &Out) {
    using namespace clang;
    const Expr *C = If->getCond()->IgnoreParenImpCasts();
    // operator bool / has_value() test for a value; any other member (`r.empty()`,
    // `r.is_null()`) is a question about the value, not the miss shape.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!MD || !(isa<CXXConversionDecl>(MD) || MD->getNameAsString() == "has_value"))
        return false;
      C = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
    }
    if (If->getElse() || !AstHelpers::exitsBlock(If->getThen()) || !C->getType()->getAsCXXRecordDecl())
      return false;
    const Stmt *Parent = nullptr;
    for (const auto &P : H.context().getParents(*If))
      Parent = P.get<CompoundStmt>();
    if (!Parent)
      return false;
    model::HandlerFact F;
    F.Kind = "miss";
    F.Loc = H.loc(If->getBeginLoc());
    bool After = false;
    for (const Stmt *S : cast<CompoundStmt>(Parent)->body()) {
      if (After)
        scan(S, F);
      if (S == If)
        After = true;
    }
    Out.push_back(std::move(F));
    return true;
  }

  /// Is the value of `E` used (returned, assigned, tested, passed on) rather than
  /// dropped as a statement of its own?
  bool valueUsed(const clang::Expr *E) {
    using namespace clang;
    DynTypedNode N = DynTypedNode::create(*E);
    for (int Depth = 0; Depth < 8; ++Depth) {
      auto Parents = H.context().getParents(N);
      if (Parents.empty())
        return false;
      N = Parents[0];
      if (N.get<CompoundStmt>())
        return false;
      if (const auto *PE = N.get<Expr>();
          PE && isa<ImplicitCastExpr, ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
                    ParenExpr, CXXFunctionalCastExpr>(PE))
        continue;
      if (const auto *CS = N.get<CStyleCastExpr>(); CS && CS->getType()->isVoidType())
        return false;
      return true;
    }
    return true;
  }

  /// A constant or empty result served in place of the failed one: a floating or
  /// string literal, `{}` or a default-constructed value of a type that is not an
  /// error signal (bool, pointer, std::optional, an integer status code).
  static bool defaultResult(const clang::Expr *V) {
    using namespace clang;
    if (!V)
      return false;
    QualType T = V->getType();
    if (T->isBooleanType() || T->isPointerType() || T->isNullPtrType() || T->isIntegerType() ||
        T->isEnumeralType())
      return false;
    if (const auto *RD = T->getAsCXXRecordDecl(); RD && RD->getName() == "optional")
      return false;
    const Expr *X = V->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (isa<FloatingLiteral, StringLiteral>(X))
      return true;
    if (const auto *IL = dyn_cast<InitListExpr>(X))
      return IL->getNumInits() == 0;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(X))
      return CE->getNumArgs() == 0 ||
             (CE->getNumArgs() == 1 && isa<StringLiteral>(CE->getArg(0)->IgnoreParenImpCasts()));
    if (const auto *UO = dyn_cast<UnaryOperator>(X); UO && UO->getOpcode() == UO_Minus)
      return isa<FloatingLiteral>(UO->getSubExpr()->IgnoreParens());
    return false;
  }

  void memberCalls(const clang::Expr *Cond, bool EarlyExit, std::vector<model::GuardFact> &Out) {
    using namespace clang;
    if (!Cond)
      return;
    walkStmts(Cond, [&](const Stmt *S) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
        if (const auto *M = MC->getMethodDecl()) {
          model::GuardFact G;
          G.CalleeKey = H.functionKey(M);
          G.Method = plainQualifiedName(M);
          G.Loc = H.loc(MC->getBeginLoc());
          G.EarlyExit = EarlyExit;
          Out.push_back(std::move(G));
        }
      return Walk::Into;
    });
  }

  static bool okName(llvm::StringRef N) {
    std::string L = lower(N.str());
    return L.find("ok") != std::string::npos || L.find("success") != std::string::npos;
  }

  /// What a condition that tests a call's result says when it is true.
  enum class Outcome { Failure, Success, Unknown };

  /// `if (!reply)`, `if (rc != CURLE_OK)`, `if (rc)` on an error code: true means
  /// the call failed. `if (reply)`, `if (rc == 0)`, `if (ok)`: true means it
  /// succeeded. A comparison of the result's value with another value
  /// (`*id == expected`, `n > 3`) says nothing about failure, and neither does a
  /// `&&`/`||` unless every operand says the same thing: `if (id && *id == val)`
  /// is not an error check, its else branch also runs on a mismatch.
  Outcome conditionOutcome(const clang::Expr *E) {
    using namespace clang;
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
      // `!x` of anything that is not a known success or failure test asks
      // whether the result is missing.
      switch (conditionOutcome(UO->getSubExpr())) {
      case Outcome::Failure:
        return Outcome::Success;
      case Outcome::Success:
      case Outcome::Unknown:
        return Outcome::Failure;
      }
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr) {
        Outcome L = conditionOutcome(BO->getLHS()), R = conditionOutcome(BO->getRHS());
        return L == R ? L : Outcome::Unknown;
      }
      const Expr *Lhs = BO->getLHS()->IgnoreParenImpCasts(), *Rhs = BO->getRHS()->IgnoreParenImpCasts();
      // Strings, optionals' contents and other class values compared with
      // each other are a question about the value, not about failure.
      auto Scalar = [](const Expr *X) {
        QualType T = X->getType();
        return T->isIntegralOrEnumerationType() || T->isPointerType() || T->isNullPtrType() ||
               T->isBooleanType();
      };
      if (!Scalar(Lhs) || !Scalar(Rhs))
        return Outcome::Unknown;
      bool RIsOk = false, RIsNullish = false;
      if (const auto *DR = dyn_cast<DeclRefExpr>(Rhs))
        RIsOk = okName(DR->getDecl()->getName());
      Expr::EvalResult ER;
      if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(Rhs) ||
          (!Rhs->isValueDependent() && Rhs->EvaluateAsInt(ER, H.context()) && ER.Val.getInt() == 0))
        RIsNullish = true;
      switch (BO->getOpcode()) {
      case BO_NE:
        // rc != OK, rc != 0: failed; ptr != nullptr: got one.
        if (RIsNullish && isPointerLike(Lhs))
          return Outcome::Success;
        return RIsOk || RIsNullish ? Outcome::Failure : Outcome::Unknown;
      case BO_EQ:
        // rc == 0 in C APIs, rc == OK: succeeded; ptr == nullptr, rc == ERR_X: failed.
        if (RIsNullish)
          return isPointerLike(Lhs) ? Outcome::Failure : Outcome::Success;
        return RIsOk ? Outcome::Success : Outcome::Failure;
      case BO_LT:
        return RIsNullish ? Outcome::Failure : Outcome::Unknown; // rc < 0
      default:
        return Outcome::Unknown;
      }
    }
    QualType T = E->getType();
    // A true std::error_code / boost::system::error_code means an error.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      if (isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
        if (const CXXRecordDecl *RD = MC->getImplicitObjectArgument()->getType()->getAsCXXRecordDecl();
            RD && (RD->getName() == "error_code" || RD->getName() == "error_condition"))
          return Outcome::Failure;
    if (T->isPointerType() || T->isBooleanType())
      return Outcome::Success; // if (reply), if (ok)
    if (T->isIntegralOrEnumerationType())
      return Outcome::Failure; // if (rc): a non-zero status code
    return Outcome::Unknown;
  }

  /// Which branch of `if (cond)` runs when the tested result means failure, or
  /// null when the condition does not say.
  const clang::Stmt *failureBranch(const clang::IfStmt *If) {
    switch (conditionOutcome(If->getCond())) {
    case Outcome::Failure:
      return If->getThen();
    case Outcome::Success:
      return If->getElse();
    case Outcome::Unknown:
      return nullptr;
    }
    return nullptr;
  }

  static bool isPointerLike(const clang::Expr *E) {
    clang::QualType T = E->IgnoreParenImpCasts()->getType();
    return T->isPointerType() || T->isNullPtrType();
  }

  /// What a failure branch does: calls (catalog, project, dropped), re-queues,
  /// returned values, rethrows, defaults assigned; lambdas left out.
  void scan(const clang::Stmt *S, model::HandlerFact &F) {
    walkStmts(S, [&](const clang::Stmt *X) {
      if (llvm::isa<clang::LambdaExpr>(X))
        return Walk::Skip;
      scanNode(X, F);
      return Walk::Into;
    });
  }

  void scanNode(const clang::Stmt *S, model::HandlerFact &F) {
    using namespace clang;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = CE->getDirectCallee()) {
        std::string Cat = Lookup(FD);
        model::Location L = H.loc(CE->getBeginLoc());
        // Only a call that can replace the failed result counts as another
        // source: its value is used, or it is the same operation on another
        // object (`backup_.send(m)` after `primary_.send(m)`). A dropped call
        // (`audit_.record(...)`, a log line) records the failure elsewhere.
        bool Replaces = valueUsed(CE) || (!Guarded.empty() && FD->getNameAsString() == Guarded);
        if (!Replaces) {
          if (Cat.empty() && !H.context().getSourceManager().isInSystemHeader(
                                 H.context().getSourceManager().getExpansionLoc(FD->getLocation())))
            F.DroppedCalleeKeys.push_back(H.functionKey(FD));
        } else if (!Cat.empty()) {
          F.CatalogCalls.push_back({L.File, L.Line, Cat});
        } else if (!H.context().getSourceManager().isInSystemHeader(
                       H.context().getSourceManager().getExpansionLoc(FD->getLocation()))) {
          F.CalleeKeys.push_back(H.functionKey(FD));
        }
        std::string N = FD->getNameAsString();
        static const char *Queue[] = {"push",    "push_back", "emplace", "emplace_back", "enqueue",
                                      "schedule", "post",     "requeue", "retry_later",  "defer"};
        for (const char *Q : Queue)
          if (N == Q) {
            std::string Args;
            for (const Expr *A : CE->arguments())
              Args += " " + lower(H.text(A, 200));
            if (Args.find("attempt") != std::string::npos || Args.find("retr") != std::string::npos ||
                Args.find("now()") != std::string::npos || Args.find("backoff") != std::string::npos ||
                Args.find("next") != std::string::npos) {
              F.Requeues = true;
              F.Notes.push_back({L.File, L.Line, "re-queues the request: " + H.text(CE, 80)});
            }
          }
      }
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      if (const Expr *V = R->getRetValue()) {
        const Expr *X = V->IgnoreParenImpCasts();
        if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(X))
          F.ReturnsBool = B->getValue();
        if (defaultResult(V)) {
          model::Location L = H.loc(R->getBeginLoc());
          F.Notes.push_back({L.File, L.Line, "serves default value " + H.text(V, 60)});
        }
        std::string T = lower(H.text(V, 80));
        for (const char *W : {"cache", "fallback", "default", "stale", "last_known", "lastknown",
                              "backup", "replica", "secondary"})
          if (T.find(W) != std::string::npos) {
            model::Location L = H.loc(R->getBeginLoc());
            F.Notes.push_back({L.File, L.Line, "serves " + H.text(V, 60)});
            break;
          }
      }
    }
    if (const auto *Th = dyn_cast<CXXThrowExpr>(S); Th && !Th->getSubExpr())
      F.Rethrows = true;
    // `catch (...) { value = 1.0; }`: a default assigned, and the code carries on.
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign && defaultResult(BO->getRHS())) {
      model::Location L = H.loc(BO->getBeginLoc());
      F.Notes.push_back({L.File, L.Line, "serves default value " + H.text(BO->getRHS(), 60)});
    }
  }

  std::optional<model::ScopeGuard> guardVar(const clang::VarDecl *VD,
                                           const clang::CompoundStmt *Scope) {
    using namespace clang;
    const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition() || !Scope)
      return std::nullopt;
    const auto *Dtor = RD->getDestructor();
    if (!Dtor || !Dtor->isUserProvided())
      return std::nullopt;
    std::string Name = lower(RD->getNameAsString());
    bool Named = false;
    for (const char *W : {"deadline", "timeout", "watchdog", "timer", "guard", "cancel"})
      if (Name.find(W) != std::string::npos)
        Named = true;
    if (!Named)
      return std::nullopt;
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(VD->getInit() ? VD->getInit()->IgnoreImplicit()
                                                                      : nullptr);
    if (!CE)
      return std::nullopt;
    model::ScopeGuard G;
    bool Duration = false;
    for (const Expr *A : CE->arguments()) {
      std::string T = lower(A->getType().getAsString());
      if (T.find("duration") != std::string::npos || T.find("chrono") != std::string::npos) {
        Duration = true;
        G.Seconds = chronoSeconds(A);
      }
    }
    if (!Duration)
      return std::nullopt;
    G.ClassName = plainQualifiedName(RD);
    G.Var = VD->getNameAsString();
    G.Loc = H.loc(VD->getLocation());
    G.ScopeEnd = H.loc(Scope->getRBracLoc());
    return G;
  }

  /// seconds(5), milliseconds(500), 5s, 500ms: the duration in seconds, if constant.
  std::optional<double> chronoSeconds(const clang::Expr *E) {
    using namespace clang;
    E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
    std::string Type = lower(E->getType().getAsString());
    double Scale = 1;
    if (Type.find("milli") != std::string::npos)
      Scale = 1e-3;
    else if (Type.find("micro") != std::string::npos)
      Scale = 1e-6;
    else if (Type.find("nano") != std::string::npos)
      Scale = 1e-9;
    else if (Type.find("ratio<60") != std::string::npos || Type.find("minutes") != std::string::npos)
      Scale = 60;
    const Expr *Count = nullptr;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && CE->getNumArgs() == 1)
      Count = CE->getArg(0);
    else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      Count = FC->getSubExpr();
    else if (const auto *UL = dyn_cast<UserDefinedLiteral>(E))
      Count = UL->getCookedLiteral();
    else if (const auto *TO = dyn_cast<CXXTemporaryObjectExpr>(E); TO && TO->getNumArgs() == 1)
      Count = TO->getArg(0);
    if (!Count)
      return std::nullopt;
    model::Value V = H.evaluate(Count, "");
    if (V.K == model::Value::Kind::Int)
      return static_cast<double>(V.Int) * Scale;
    if (V.K == model::Value::Kind::Float)
      return V.Float * Scale;
    return std::nullopt;
  }

  AstHelpers &H;
  CatalogLookup Lookup;
  std::string Guarded; // the name of the call whose handlers are being described
};

} // namespace im::matchers
