// Snippets plus the security assessment of their call sites, for the security
// tests: findings by rule and by the line (and column) of a /*@marker*/.
#pragma once

#include "Snippet.h"

#include "analysis/Security.h"
#include "model/Facts.h"

#include <filesystem>

namespace im::test {

struct Secured {
  Snippets S;
  std::vector<model::Finding> Findings;

  explicit Secured(const std::string &Code, std::vector<std::string> Extra = {},
                   const std::string &Name = "sec.cpp")
      : Secured(std::vector<SnippetFile>{{Name, Code, std::move(Extra)}}) {}
  explicit Secured(std::vector<SnippetFile> Files) : S(std::move(Files)) {
    analysis::assessSecurity(S.M, S.M.CallSites, builtinCatalog(),
                             std::filesystem::current_path().string(), Findings);
  }

  std::vector<const model::Finding *> of(const std::string &Rule) const {
    std::vector<const model::Finding *> Out;
    for (const auto &F : Findings)
      if (F.Rule == Rule)
        Out.push_back(&F);
    return Out;
  }
  const model::Finding *at(const std::string &Rule, const std::string &Marker) const {
    unsigned L = S.line(Marker);
    for (const auto &F : Findings)
      if (F.Rule == Rule && F.Loc.Line == L)
        return &F;
    return nullptr;
  }
  std::string dump() const {
    std::string O;
    for (const auto &F : Findings)
      O += std::to_string(F.Loc.Line) + ":" + std::to_string(F.Loc.Column) + " " + F.Rule + ": " +
           F.Message + "\n";
    return O;
  }
};

} // namespace im::test
