// Walking a statement tree without recursion. The depth of a tree is the
// input's to choose (a 20,000-term `a + a + ...`, a 20,000-long else-if chain),
// so a walk that recursed once per level could overflow the stack; these keep
// their own stack on the heap.
#pragma once

#include "clang/AST/Stmt.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace im::matchers {

/// What a visit asks of the walk.
enum class Walk {
  Into, // go on into this statement's children
  Skip, // leave its children out
  Stop, // end the whole walk
};

/// Visits `Root` and the statements below it, each parent before its children
/// and children in source order, with a value handed down from each statement
/// to its children: `Visit(const clang::Stmt *, State &)` receives its parent's
/// value and may change it for its own children (the innermost scope, "inside a
/// nested loop"). Null children are not visited. Returns true when a visit
/// stopped the walk.
template <typename State, typename Fn>
bool walkStmtsWith(const clang::Stmt *Root, State Initial, Fn &&Visit) {
  std::vector<std::pair<const clang::Stmt *, State>> Stack;
  Stack.emplace_back(Root, std::move(Initial));
  while (!Stack.empty()) {
    auto [S, Mine] = std::move(Stack.back());
    Stack.pop_back();
    if (!S)
      continue;
    Walk W = Visit(S, Mine);
    if (W == Walk::Stop)
      return true;
    if (W == Walk::Skip)
      continue;
    size_t Mark = Stack.size();
    for (const clang::Stmt *C : S->children())
      if (C)
        Stack.emplace_back(C, Mine);
    std::reverse(Stack.begin() + static_cast<std::ptrdiff_t>(Mark), Stack.end());
  }
  return false;
}

/// walkStmtsWith without a value: `Visit(const clang::Stmt *)` returns a Walk.
template <typename Fn> bool walkStmts(const clang::Stmt *Root, Fn &&Visit) {
  struct None {};
  return walkStmtsWith(Root, None{}, [&](const clang::Stmt *S, None &) { return Visit(S); });
}

} // namespace im::matchers
