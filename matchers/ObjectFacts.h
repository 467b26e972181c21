// Plain option objects of the project: a struct of settings that a caller fills
// and passes to a wrapper (`RequestOptions opts; opts.timeout_ms = 0;
// http.post(url, body, opts)`). The extractor records, as settings on the
// object's handle key, how each local object of class type was made and which
// of its scalar members are assigned; analysis/MemberValues follows a member
// read inside the wrapper (`opts.timeout_ms`) back to them, caller by caller.
#pragma once

#include "matchers/AstHelpers.h"
#include "model/Facts.h"

#include <vector>

namespace im::matchers {

class ObjectFacts {
public:
  explicit ObjectFacts(AstHelpers &H) : H(H) {}

  /// "member" settings for `obj.field = value` (and for the members a braced
  /// initializer names) and "object" settings for default-constructed locals of
  /// class type, in the body of `FD` (lambda bodies are their own functions).
  void collect(const clang::FunctionDecl *FD, const std::string &FnKey, std::vector<model::Setting> &Out);

  /// How an object of class type passed by value or reference is made, as a
  /// Value::DependsOn: "default:<class>" (value-initialized, by a default argument
  /// too), "return:<function key>" (the result of a project function), or empty.
  std::string origin(const clang::Expr *E);

private:
  AstHelpers &H;
  /// A scalar, enum or std::chrono duration member: what timeouts and limits are.
  static bool scalarMember(const clang::FieldDecl *FD);
  void write(const clang::MemberExpr *ME, const clang::Expr *RHS, const clang::Stmt *At,
             const std::string &FnKey, std::vector<model::Setting> &Out);
  void braced(const std::string &ObjectKey, const clang::InitListExpr *ILE, const clang::VarDecl *VD,
              const std::string &FnKey, std::vector<model::Setting> &Out);
};

} // namespace im::matchers
