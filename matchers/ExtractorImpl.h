// The state and steps of one translation unit's extraction, shared by the files
// that implement them: call sites and fix-it insertion points (CallSites.cpp),
// settings and forwarders (Settings.cpp), the project's call graph and
// definitions (CallGraph.cpp), matcher registration, dispatch and env reads
// (Extractor.cpp). Included only by those files.
#pragma once

#include "matchers/AstHelpers.h"
#include "matchers/EvidenceFacts.h"
#include "matchers/Extractor.h"
#include "matchers/ObjectFacts.h"
#include "matchers/StringFolder.h"
#include "model/FactKeys.h"

#include <memory>
#include <set>
#include <string>
#include <utility>

namespace im::matchers {

struct Extractor::Impl {
  const catalog::Catalog &Cat;
  model::TUFacts &Facts;
  ExtractOptions Opts;
  std::set<std::string> SeenFunctions;
  std::set<std::string> SeenClasses;
  // Argument, flow and call-edge facts already recorded in this unit: a
  // template's instantiations repeat them, and the merge keeps the first.
  std::set<model::ArgKey> SeenArgs;
  std::set<model::FlowKey> SeenFlows;
  std::set<model::EdgeKey> SeenEdges;
  AstHelpers H;
  StringFolder SF{H};
  ObjectFacts Objects{H};
  EvidenceFacts Ev{H, [this](const clang::FunctionDecl *FD) -> std::string {
                     auto [Lib, Op] = lookupOperation(FD);
                     return Lib ? Lib->Id + ":" + catalog::normalizeName(Op->Name) : "";
                   }};
  // The security matchers (matchers/SecurityFacts.cpp).
  std::unique_ptr<clang::ast_matchers::MatchFinder::MatchCallback> Security;
  clang::ASTContext *FixCtx = nullptr; // set by onCatalogCall, read by insertionPoints

  Impl(const catalog::Catalog &C, model::TUFacts &F, ExtractOptions O)
      : Cat(C), Facts(F), Opts(std::move(O)) {}

  /// The catalog operation `FD` is: by its own name, else (a virtual interface
  /// implemented by a project class) by a method it overrides.
  std::pair<const catalog::Library *, const catalog::Operation *>
  lookupOperation(const clang::FunctionDecl *FD, int Depth = 0);
  bool skip(clang::SourceLocation L, const clang::SourceManager &SM);

  // ---------------------------------------------- call sites (CallSites.cpp)
  void onCatalogCall(const clang::Expr *E, const clang::FunctionDecl *Callee,
                     llvm::ArrayRef<const clang::Expr *> Args, const clang::Expr *Object,
                     const clang::FunctionDecl *Enclosing, clang::ASTContext &Ctx);
  HandleRef handleFor(const catalog::HandleSpec &Spec, const clang::Expr *E,
                      llvm::ArrayRef<const clang::Expr *> Args, const clang::Expr *Object,
                      const clang::FunctionDecl *Enclosing);
  /// Handle "call": the call itself, or the call whose argument `E`
  /// constructs; options passed as typed arguments of the operation share it.
  HandleRef callHandle(const clang::Expr *E);
  void addCallSite(const catalog::Library &Lib, const catalog::Operation &Op, const clang::Expr *E,
                   clang::SourceLocation At, llvm::ArrayRef<const clang::Expr *> Args,
                   const clang::Expr *Object, const clang::FunctionDecl *Enclosing);

  // Insertion points for clang-tidy fix-its (see CallSite::Fix).
  /// The block-level statement (direct child of a `{}`) that contains `S`, or null.
  const clang::Stmt *blockStatement(const clang::Stmt *S, clang::ASTContext &Ctx);
  /// `for (const auto &e : results) s.connect(e.endpoint())`: an element of a
  /// range (seen through a catalog passthrough) stands for the range, the
  /// endpoints a resolver returned; anything else is itself.
  const clang::Expr *loopRange(const clang::Expr *E, const clang::FunctionDecl *Enclosing);
  void insertionPoints(model::CallSite &C, const clang::Expr *HandleArg, const clang::Expr *Call);
  /// A call recognised by shape (catalog "operation_patterns"): a method of a
  /// class with one of the pattern's names taking the pattern's parameter type.
  void onPatternCall(const clang::CallExpr *CE, const clang::FunctionDecl *Callee,
                     const clang::FunctionDecl *Enclosing, clang::ASTContext &Ctx);

  // ------------------------------------------------ settings (Settings.cpp)
  void addSetting(const catalog::Library &Lib, const catalog::Setter &St, const clang::Expr *E,
                  clang::SourceLocation At, llvm::ArrayRef<const clang::Expr *> Args,
                  const clang::Expr *Object, const clang::FunctionDecl *Enclosing);
  /// `PQconnectdbParams(keywords, values, expand)`: a setting per keyword the
  /// setter lists, with the value at the same index of the values array.
  void addKeywordSettings(const catalog::Library &Lib, const catalog::Setter &St, const clang::Expr *E,
                          clang::SourceLocation At, llvm::ArrayRef<const clang::Expr *> Args,
                          const clang::Expr *Object, const clang::FunctionDecl *Enclosing);
  /// A setter whose option is a parameter of the enclosing function (or lambda):
  /// that function forwards to the library; its callers name the option.
  void addForwarder(const catalog::Library &Lib, const catalog::Setter &St, const clang::Expr *E,
                    clang::SourceLocation At, llvm::ArrayRef<const clang::Expr *> Args,
                    const clang::Expr *Object, const clang::FunctionDecl *Enclosing);
  /// The condition around or before `Call` that makes its run-time `Value`
  /// positive whenever the call runs (`if (t > 0)`, `if (t <= 0) return;`), or null.
  const clang::Expr *positiveGuard(const clang::Expr *Call, const clang::Expr *Value);
  bool provesPositive(const clang::Expr *Cond, bool WhenTrue, const std::string &Source);
  bool isZero(const clang::Expr *E);
  /// `socket.connect(tcp::endpoint(make_address("10.0.0.7"), 6379))`: the first
  /// string the endpoint expression is built from is the handle's endpoint.
  void addConnectEndpoint(const std::string &LibId, const clang::Expr *VE,
                          const std::string &HandleKey, clang::SourceLocation At,
                          const clang::FunctionDecl *Enclosing);
  /// `obj.field = value` where the field is a catalog setter marked
  /// field_assignment: a setting on `obj`.
  void onFieldAssignment(const clang::Expr *Assign, const clang::MemberExpr *ME,
                         const clang::Expr *RHS, const clang::FunctionDecl *Enclosing,
                         clang::ASTContext &Ctx);
  /// Does `T` (through typedefs and elaboration) name `Name` (qualified, no "::")?
  static bool typeNamed(clang::QualType T, const std::string &Name);
  /// `map[key] = value` on a map type a catalog setter names (subscript_assignment).
  void onSubscriptAssignment(const clang::CXXOperatorCallExpr *Assign,
                             const clang::CXXOperatorCallExpr *Sub,
                             const clang::FunctionDecl *Enclosing, clang::ASTContext &Ctx);

  // ------------------------------------------- call graph (CallGraph.cpp)
  /// Records `F` unless this unit has that flow already.
  void addFlow(model::HandleFlow F) {
    if (SeenFlows.insert(model::keyOf(F)).second)
      Facts.Flows.push_back(std::move(F));
  }
  /// Records what `Arg` passes unless this unit has that argument already (its
  /// value is then not folded again).
  void addArgValue(const clang::Expr *Arg, const std::string &Callee, unsigned Index,
                   const model::Location &Loc, const std::string &Caller) {
    if (SeenArgs.insert(model::argKey(Loc, Callee, Index)).second)
      Facts.ArgValues.push_back(argValue(Arg, Callee, Index, Loc, Caller));
  }
  void onProjectCall(const clang::CallExpr *CE, const clang::FunctionDecl *Callee,
                     const clang::FunctionDecl *Caller, clang::ASTContext &Ctx);
  /// What a call passes to parameter `Index` of a project function: a constant
  /// (a std::chrono duration folded into seconds), the caller's own parameter,
  /// or unknown; with the option names it spells, for forwarders.
  model::ArgValue argValue(const clang::Expr *Arg, const std::string &Callee, unsigned Index,
                           const model::Location &Loc, const std::string &Caller);
  /// `T obj(args)` / `new T(args)` of a project class: constants and handles
  /// reach the constructor's parameters as they do a function's.
  void onProjectConstruct(const clang::CXXConstructExpr *CC, const clang::FunctionDecl *Caller,
                          clang::ASTContext &Ctx);
  /// A construction's string arguments by parameter index, folded in
  /// `Caller` (null for a default member initializer); empty when none is a string.
  std::vector<model::StrExpr> constructionStrings(const clang::CXXConstructExpr *CC,
                                                  const clang::FunctionDecl *Caller);
  void onDefinition(const clang::FunctionDecl *FD, clang::ASTContext &Ctx);
  /// Calls through callable slots in `FD`'s body (a std::function or
  /// function-pointer parameter, member or variable), and what is stored
  /// into such slots there: the analysis binds the calls to the functions and
  /// lambdas that reach the slot.
  void callableFacts(const clang::FunctionDecl *FD, const std::string &Key);
  /// The callable `E` evaluates to: "function:<key>", "lambda:<key>", or the
  /// key of the slot it reads; "" when it is none of these.
  std::string callableValue(const clang::Expr *E);
  void onRecord(const clang::CXXRecordDecl *RD, clang::ASTContext &Ctx);

  // -------------------------------------------- env reads (Extractor.cpp)
  /// getenv("NAME") reads, for the env-file cross-checks.
  void onEnvRead(const clang::CallExpr *CE, const clang::StringLiteral *Name,
                 clang::ASTContext &Ctx);
};

} // namespace im::matchers
