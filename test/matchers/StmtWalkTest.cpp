// Statement walks whose depth the input decides keep their own stack on the
// heap: a 20,000-term `a + a + ...` is walked on a thread whose stack is far too
// small for one frame per level, and the walks still visit what the recursive
// ones did, in the same order.
#include "matchers/LoopShape.h"
#include "matchers/StmtWalk.h"

#include "clang/Tooling/Tooling.h"
#include "llvm/Support/thread.h"

#include <gtest/gtest.h>

#include <optional>

namespace {

using namespace clang;
using im::matchers::mentions;
using im::matchers::Walk;
using im::matchers::walkStmts;
using im::matchers::walkStmtsWith;

/// Runs `F` on a thread with a `Bytes` stack and waits for it.
template <typename Fn> void onStack(unsigned Bytes, Fn F) {
  llvm::thread T(std::optional<unsigned>(Bytes), F);
  T.join();
}

std::unique_ptr<ASTUnit> parse(const std::string &Code) {
  std::unique_ptr<ASTUnit> AST;
  // Clang itself recurses on deep expressions: it parses on a large stack, as
  // the tool does.
  onStack(256u << 20, [&] {
    AST = tooling::buildASTFromCodeWithArgs(Code, {"-std=c++17", "-Wno-everything"}, "walk.cpp");
  });
  return AST;
}

const FunctionDecl *function(ASTUnit &AST, llvm::StringRef Name) {
  for (const Decl *D : AST.getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->getName() == Name && FD->hasBody())
      return FD;
  return nullptr;
}

/// The integer literals `Visit` sees, in the order it sees them.
std::vector<uint64_t> literals(const Stmt *Root, llvm::function_ref<Walk(const Stmt *)> Then) {
  std::vector<uint64_t> Out;
  walkStmts(Root, [&](const Stmt *S) {
    if (const auto *IL = dyn_cast<IntegerLiteral>(S))
      Out.push_back(IL->getValue().getZExtValue());
    return Then(S);
  });
  return Out;
}

TEST(StmtWalk, VisitsParentsFirstAndChildrenInSourceOrder) {
  auto AST = parse("int h(int, int, int);\n"
                   "int f() { return h(1, h(2, 3, 4), 5) + 6; }\n");
  ASSERT_TRUE(AST);
  const FunctionDecl *F = function(*AST, "f");
  ASSERT_TRUE(F);
  EXPECT_EQ(literals(F->getBody(), [](const Stmt *) { return Walk::Into; }),
            (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  // Skip leaves out the inner call's arguments and nothing else.
  int Calls = 0;
  EXPECT_EQ(literals(F->getBody(),
                     [&](const Stmt *S) {
                       return isa<CallExpr>(S) && ++Calls == 2 ? Walk::Skip : Walk::Into;
                     }),
            (std::vector<uint64_t>{1, 5, 6}));
  // Stop ends the whole walk and says so.
  std::vector<uint64_t> Seen;
  bool Stopped = walkStmts(F->getBody(), [&](const Stmt *S) {
    if (const auto *IL = dyn_cast<IntegerLiteral>(S)) {
      Seen.push_back(IL->getValue().getZExtValue());
      if (Seen.back() == 3)
        return Walk::Stop;
    }
    return Walk::Into;
  });
  EXPECT_TRUE(Stopped);
  EXPECT_EQ(Seen, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_FALSE(walkStmts(F->getBody(), [](const Stmt *) { return Walk::Into; }));
}

TEST(StmtWalk, StateIsHandedFromParentToChildrenOnly) {
  // The state of a loop body is not its sibling's: `3` is inside the loop, `4`
  // after it.
  auto AST = parse("void g(int);\n"
                   "void f() { g(1); for (int i = 0; i < 2; ++i) g(3); g(4); }\n");
  ASSERT_TRUE(AST);
  const FunctionDecl *F = function(*AST, "f");
  ASSERT_TRUE(F);
  std::vector<std::pair<uint64_t, bool>> Seen;
  walkStmtsWith(F->getBody(), false, [&](const Stmt *S, bool &InLoop) {
    InLoop = InLoop || isa<ForStmt>(S);
    if (const auto *IL = dyn_cast<IntegerLiteral>(S); IL && IL->getValue() != 0 && IL->getValue() != 2)
      Seen.emplace_back(IL->getValue().getZExtValue(), InLoop);
    return Walk::Into;
  });
  EXPECT_EQ(Seen, (std::vector<std::pair<uint64_t, bool>>{{1, false}, {3, true}, {4, false}}));
}

TEST(StmtWalk, TwentyThousandTermExpressionNeedsNoDeepStack) {
  const unsigned Terms = 20000;
  std::string Code = "int deep(int a, int b) {\n  return a";
  for (unsigned I = 1; I < Terms; ++I)
    Code += " + a";
  Code += ";\n}\n";
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  const FunctionDecl *F = function(*AST, "deep");
  ASSERT_TRUE(F);
  const VarDecl *A = F->getParamDecl(0), *B = F->getParamDecl(1);
  unsigned UsesOfA = 0;
  bool MentionsA = false, MentionsB = true;
  // 256 KB: one frame per level of the 20,000 would need several MB.
  onStack(256u << 10, [&] {
    walkStmts(F->getBody(), [&](const Stmt *S) {
      if (const auto *DR = dyn_cast<DeclRefExpr>(S); DR && DR->getDecl() == A)
        ++UsesOfA;
      return Walk::Into;
    });
    // The first `a` in source order is the deepest node of the tree.
    MentionsA = mentions(F->getBody(), A, nullptr);
    MentionsB = mentions(F->getBody(), B, nullptr);
  });
  EXPECT_EQ(UsesOfA, Terms);
  EXPECT_TRUE(MentionsA);
  EXPECT_FALSE(MentionsB);
}

} // namespace
