// Fills model::TUFacts for one translation unit from the client catalog.
// The only component (with Driver.cpp) that sees Clang's AST.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

#include <memory>
#include <set>

namespace im::matchers {

namespace ids {
constexpr llvm::StringLiteral Call = "call";
constexpr llvm::StringLiteral Construct = "construct";
constexpr llvm::StringLiteral EnclosingFn = "fn";
constexpr llvm::StringLiteral Callee = "callee";
constexpr llvm::StringLiteral Definition = "definition";
} // namespace ids

/// Options that change what is extracted, shared by the CLI and the plugin.
struct ExtractOptions {
  /// Report call sites in generated code (*.pb.cc, files under the build dir).
  bool IncludeGenerated = false;
  /// Directories whose files count as generated (the build directory).
  std::vector<std::string> GeneratedDirs;
};

/// Registers the matchers for every catalog entry and converts matches into
/// facts. One instance per translation unit.
class Extractor : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  Extractor(const catalog::Catalog &Catalog, model::TUFacts &Facts, ExtractOptions Opts = {});
  ~Extractor() override;

  void registerMatchers(clang::ast_matchers::MatchFinder &Finder);
  void run(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  /// Sorts and deduplicates what was collected (instantiations repeat nodes).
  void finish();

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/// Is this path generated plumbing (protobuf/gRPC output)?
bool isGeneratedFile(llvm::StringRef Path, const std::vector<std::string> &GeneratedDirs);

} // namespace im::matchers
