// The shape of the loops around a call: whether a loop repeats the call until
// it succeeds, is bounded, sleeps, backs off and adds jitter. Included only by
// matcher code.
#pragma once

#include "matchers/AstHelpers.h"

#include <string>
#include <vector>

namespace im::matchers {

/// Describes every loop around `Call` (up to its function) and returns their ids.
std::vector<std::string> enclosingLoops(AstHelpers &H, const clang::Expr *Call,
                                        std::vector<model::LoopFact> &Out, int CallableParam = -1);

/// For a function that invokes one of its callable parameters (a template
/// `F f` or a `std::function`) inside a loop: a loop fact naming that parameter.
void analyzeCallableParams(AstHelpers &H, const clang::FunctionDecl *FD,
                           std::vector<model::LoopFact> &Out,
                           std::vector<model::HandleFlow> *Flows = nullptr);

/// The local that receives the call's result (`CURLcode rc = perform(h)`,
/// `rc = ...`, `r = client.get()` through a class's operator=).
const clang::VarDecl *resultVar(clang::ASTContext &Ctx, const clang::Expr *Call);

/// Does `S` name the variable `V` or contain the expression `Call`?
bool mentions(const clang::Stmt *S, const clang::VarDecl *V, const clang::Expr *Call);

} // namespace im::matchers
