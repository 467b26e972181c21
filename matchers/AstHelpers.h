// AST helpers shared by the extractor: locations, names, function keys and
// handle identity (AstHelpers.cpp), and what the compiler can tell of a value
// (ValueFolding.cpp). The shape of loops around a call is in LoopShape.h.
// Included only by matcher code.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"
#include "matchers/StmtWalk.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace im::matchers {

/// How the code refers to a handle: a stable key shared by every mention of the
/// same variable, field or parameter, and the name a person reads.
struct HandleRef {
  std::string Key;
  std::string Display;
  bool Named = false; // a variable, field, parameter or lambda (not an arbitrary expression)
  std::string Type;   // pointer | smart_pointer | object | "" (see CallSite::HandleType)
};

/// Whether a class, or one of its bases, owns a pointer it hands out: it has
/// `operator->`, or a `get()` without arguments returning a pointer
/// (`std::shared_ptr<void>` has no `operator->`; libstdc++ declares both in a base).
bool isSmartPointerClass(const clang::CXXRecordDecl *RD, int Depth = 0);

/// The sides of a plain assignment `a = b`, built-in or an overloaded
/// `operator=`; {nullptr, nullptr} for anything else.
std::pair<const clang::Expr *, const clang::Expr *> assignmentSides(const clang::Stmt *S);

/// Whether a value of type `T` is a callable whose target is chosen at run
/// time: a pointer or reference to function, or a library's type-erased
/// callable (a class from a system header with an `operator()`:
/// std::function, boost::function, absl::AnyInvocable, ...). A lambda's own
/// closure type is not: a call on it names its body directly.
bool callableSlotType(clang::QualType T);

/// How a declaration of type `T` holds a handle: a raw pointer, a smart pointer
/// (unique_ptr, shared_ptr, a library's own), another class, or "" when the type
/// is dependent or neither.
std::string handleTypeOf(clang::QualType T);

/// "ns::Class::method" without template arguments or inline namespaces, so it
/// matches the catalog's spelling for every specialization.
std::string plainQualifiedName(const clang::NamedDecl *D);

class AstHelpers {
public:
  void setContext(clang::ASTContext &C) {
    if (Ctx != &C) {
      Ctx = &C;
      FileNames.clear();
      PieceCache.clear();
    }
  }

  const clang::SourceManager &sm() const { return Ctx->getSourceManager(); }
  clang::ASTContext &context() const { return *Ctx; }

  // ------------------------------------------ locations, names, handles

  /// The file, line and column where `L` is expanded.
  model::Location loc(clang::SourceLocation L);
  /// "file:line:column" of loc(L).
  std::string locKey(clang::SourceLocation L);
  /// The source text of `E` on one line, cut after `Max` characters.
  std::string text(const clang::Expr *E, size_t Max = 120);

  static const clang::FunctionDecl *pattern(const clang::FunctionDecl *FD) {
    if (!FD)
      return nullptr;
    if (const auto *P = FD->getTemplateInstantiationPattern())
      FD = P;
    return FD;
  }

  static const clang::CXXRecordDecl *lambdaClass(const clang::FunctionDecl *FD) {
    if (const auto *MD = llvm::dyn_cast_or_null<clang::CXXMethodDecl>(FD))
      if (MD->getParent()->isLambda())
        return MD->getParent();
    return nullptr;
  }

  /// A key naming the function and its parameter types ("ns::f(int)", "lambda@file:l:c").
  std::string functionKey(const clang::FunctionDecl *FD);
  /// The name a person reads ("ns::C::f", "ns::f::<lambda>").
  std::string functionName(const clang::FunctionDecl *FD);
  /// The handle a parameter, variable or field is.
  HandleRef declHandle(const clang::ValueDecl *D);

  /// The field a trivial getter returns (`T *get() { return field_; }`), if any.
  static const clang::FieldDecl *getterField(const clang::CXXMethodDecl *M);

  /// The handle an expression denotes: follows smart-pointer access, address-of
  /// and dereference to the variable, field or parameter underneath.
  HandleRef handleOf(const clang::Expr *E);

  /// The variable, field or assignee that receives the value of a call or
  /// construction (`CURL *h = curl_easy_init()`, `conn_(opts)`, `c = redisConnect()`).
  HandleRef resultHandle(const clang::Expr *E, const clang::FunctionDecl *Enclosing = nullptr);

  // ---------------------------------------------------------- value folding

  /// The option an argument names: an enumerator (CURLOPT_TIMEOUT), or any macro
  /// it was spelled through (ZMQ_RCVTIMEO). Candidates are tried in order.
  std::vector<std::string> optionNames(const clang::Expr *E);

  static model::Value keepText(model::Value V, const std::string &Text) {
    V.Text = Text;
    return V;
  }

  /// Where the bytes of a string literal were written (model::Value::Pieces):
  /// one piece per run of bytes that follow each other in the source, so a
  /// concatenation over several lines or an escape sequence starts a new one.
  /// A literal spelled in a macro's body is one piece at the macro's use; one
  /// written as a macro's argument (curl_easy_setopt is a macro in curl's
  /// headers) is placed where it is written.
  std::vector<model::Value::Piece> literalPieces(const clang::StringLiteral *SL);

  /// What the compiler can tell of a value. `Unit` "timeval" folds a struct
  /// timeval initializer into seconds.
  model::Value evaluate(const clang::Expr *E, llvm::StringRef Unit, int Depth = 0);

  // -------------------------------------------- catalog value extensions
  // Generic, data-independent readings of argument shapes that client libraries
  // use for options: std::chrono durations and deadlines, pointers to the value
  // (mysql_options(m, OPT, &t)), string-keyed options ("socket.timeout.ms") and
  // option objects (zmq::sockopt::rcvtimeo).

  /// Seconds per tick of a std::chrono::duration type (std::ratio<N, D>).
  static std::optional<double> durationTick(clang::QualType T);

  /// Whether `T` is a std::chrono::time_point.
  static bool isTimePoint(clang::QualType T);

  /// A std::chrono duration (`std::chrono::seconds(5)`, `500ms`, a local holding
  /// one) or a deadline `clock::now() + duration`, folded into seconds (Float).
  /// std::nullopt when `E` is neither; Kind Unknown when it is one whose count
  /// the compiler cannot tell.
  std::optional<model::Value> durationValue(const clang::Expr *E, int Depth = 0);

  /// An option value passed by address (`&timeout`): the pointee's expression.
  static const clang::Expr *pointeeArg(const clang::Expr *E);

  /// Does `S` leave the enclosing block (return, throw, break, continue, or a
  /// block ending in one)? The body of an `if (...) return;` guard.
  static bool exitsBlock(const clang::Stmt *S);

  /// Option names an argument spells besides macros and enumerators: a string
  /// literal key ("socket.timeout.ms", also through a local) and the qualified
  /// name of an option object (`zmq::sockopt::rcvtimeo`).
  std::vector<std::string> keyedOptionNames(const clang::Expr *E);

  /// Functions that return (a layer of) their argument, so the handle is the
  /// argument's: `beast::get_lowest_layer(stream).expires_after(...)`. Filled
  /// from the catalog's "handle_passthrough" names.
  std::set<std::string> Passthrough;

  /// Library time classes read from their constructors, by qualified name without
  /// leading "::". Filled from the catalog's "value_types".
  std::map<std::string, const catalog::ValueType *> ValueTypes;

  /// A constructor argument that names a catalog "value_types" constant, alone or
  /// multiplied by a constant (`5 * Poco::Timespan::SECONDS`).
  std::optional<double> withConstants(const clang::Expr *E, const catalog::ValueType &VT,
                                      int Depth = 0);

  /// A value of a catalog "value_types" class (`Poco::Timespan(5, 0)`,
  /// `Timespan(250000)`, an integer converted implicitly, a local holding one),
  /// folded into seconds (Float) with the weights of the constructor of that
  /// arity. std::nullopt when `E` is not of such a class; Kind Unknown when it is
  /// one whose value the compiler cannot tell.
  std::optional<model::Value> classTimeValue(const clang::Expr *E, int Depth = 0);

private:
  clang::ASTContext *Ctx = nullptr;
  llvm::DenseMap<clang::FileID, std::string> FileNames;
  llvm::DenseMap<const clang::StringLiteral *, std::vector<model::Value::Piece>> PieceCache;
};

} // namespace im::matchers
