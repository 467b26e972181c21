// getenv("NAME") reads recorded as facts, on the real glibc/libstdc++
// headers: ::getenv, std::getenv, secure_getenv with a literal; nothing else.
#include "matchers/Extractor.h"
#include "Snippet.h"

#include <gmock/gmock.h>

namespace {

std::vector<std::string> envReads(const std::string &Code) {
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++17", "-resource-dir=" IM_CLANG_RESOURCE_DIR, "-Wno-everything"}, "env.cpp");
  EXPECT_TRUE(AST && !AST->getDiagnostics().hasErrorOccurred());
  im::model::TUFacts Facts;
  clang::ast_matchers::MatchFinder Finder;
  im::matchers::Extractor X(im::test::builtinCatalog(), Facts);
  X.registerMatchers(Finder);
  Finder.matchAST(AST->getASTContext());
  X.finish();
  std::vector<std::string> Out;
  for (const auto &E : Facts.EnvReads)
    Out.push_back(E.Name + "@" + std::to_string(E.Loc.Line));
  return Out;
}

TEST(EnvReads, LiteralNamesThroughEveryGetenvSpelling) {
  std::string Code = R"(#include <cstdlib>
#include <stdlib.h>
#include <string>
namespace mine { const char *getenv(const char *); }
const char *fromVar(const char *n) { return getenv(n); }
int main() {
  const char *a = getenv("API_URL");
  const char *b = std::getenv("API_TOKEN");
  const char *c = secure_getenv("DB_PASSWORD");
  const char *d = mine::getenv("NOT_THE_ENV");
  std::string e = std::string(std::getenv(("REDIS_URL")));
  return a && b && c && d && !e.empty();
}
)";
  EXPECT_THAT(envReads(Code), testing::ElementsAre("API_URL@7", "API_TOKEN@8", "DB_PASSWORD@9",
                                                   "REDIS_URL@11"));
}

} // namespace
