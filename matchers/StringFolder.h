// Strings as pieces: what an endpoint, a URL or an env var name is built from.
// The extractor records them as model::StrExpr (literals, env reads, parameters,
// members, calls of project functions); analysis/Endpoints folds them across
// functions and translation units.
#pragma once

#include "matchers/AstHelpers.h"
#include "model/Facts.h"

namespace im::matchers {

class StringFolder {
public:
  explicit StringFolder(AstHelpers &H) : H(H) {}

  /// `E` as pieces. `Within` is the function whose body is searched for
  /// `s += ...`, `s.append(...)` and `os << ...` on a local built before `E`.
  model::StrExpr fold(const clang::Expr *E, const clang::FunctionDecl *Within, int Depth = 0);
  /// An integer argument as text: a constant's decimal digits, or the parameter
  /// it names (substituted by its callers' arguments); empty otherwise.
  model::StrExpr integral(const clang::Expr *E);

  /// Is `T` a string type (std::string, string_view, char pointer or array)?
  static bool stringLike(clang::QualType T);

  /// Parameters `FD` passes to getenv/secure_getenv directly.
  std::vector<unsigned> getenvParams(const clang::FunctionDecl *FD);

  /// Parameters `FD` returns as they are, alone or as a branch of `?:`
  /// (`return v ? std::string(v) : fallback;`): an env reader's fallback.
  std::vector<unsigned> returnedParams(const clang::FunctionDecl *FD);

  /// What `FD` returns, one StrExpr per `return`, when it returns a string.
  std::vector<model::StrExpr> returns(const clang::FunctionDecl *FD);

  /// Values its constructor gives each field (initializer list, assignments in the
  /// body) and default member initializers of its class.
  std::vector<model::FieldInit> fieldInits(const clang::CXXConstructorDecl *Ctor);

  /// Assignments to string fields in `FD`'s body (`cfg.url = ...`, `this->host_ = ...`).
  std::vector<model::FieldInit> fieldAssignments(const clang::FunctionDecl *FD);

  /// Default member initializers of `RD`'s string fields.
  std::vector<model::FieldInit> defaultInits(const clang::CXXRecordDecl *RD);

private:
  AstHelpers &H;
  void append(model::StrExpr &Out, model::StrExpr More);
  void unknown(model::StrExpr &Out, const clang::Expr *E);
  /// Pieces appended to local `VD` before `Before` in `Within` (+=, append, <<).
  void mutations(const clang::VarDecl *VD, const clang::Expr *Before,
                 const clang::FunctionDecl *Within, model::StrExpr &Out, int Depth);
  /// A printf/fmt format with its arguments spliced in (`%s`, `{}`).
  model::StrExpr format(llvm::StringRef Fmt, llvm::ArrayRef<const clang::Expr *> Args,
                        bool Printf, const clang::FunctionDecl *Within, int Depth);
};

} // namespace im::matchers
