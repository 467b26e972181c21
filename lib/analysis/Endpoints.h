// Folding endpoint strings across functions and translation units: members
// initialised in constructors, project helpers that return built strings, and
// env readers (functions that pass their parameter to getenv, at any depth).
#pragma once

#include "analysis/Merge.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace im::analysis {

/// A folded string, ready for naming and grouping.
struct FoldedEndpoint {
  std::string Text;    // literal pieces, an env var's default in its place, "{...}" elsewhere
  std::string Env;     // the first environment variable it reads
  bool Complete = false; // every piece is a literal (or an env var with a literal default)
  bool HasParam = false; // still depends on a parameter of the function it is in
};

class EndpointFolder {
public:
  explicit EndpointFolder(const Merged &M);

  /// Replaces the parameters of `FnKey` in `E` with the arguments of one call.
  static model::StrExpr substitute(const model::StrExpr &E, const std::string &FnKey,
                                   const std::vector<model::StrExpr> &Args);
  /// Resolves members, env reads and calls of project helpers in `E`.
  model::StrExpr expand(const model::StrExpr &E, int Depth = 0) const;
  static FoldedEndpoint render(const model::StrExpr &E);
  /// Does `E` still name a parameter of `FnKey`?
  static bool dependsOnParams(const model::StrExpr &E, const std::string &FnKey);
  /// Does the address part of `E` (what comes first, after a bare scheme or a
  /// `host=` key) come from a parameter of `FnKey`? A parameter only in the path
  /// or query (`base_ + "/checks/" + id`) does not make a wrapper.
  static bool addressFromParams(const model::StrExpr &E, const std::string &FnKey);

  /// Parameters (function key, index) whose value is the name of an env var read.
  const std::set<std::pair<std::string, unsigned>> &envReaderParams() const { return EnvParams; }
  /// Env vars read through project helpers: `env_or("X", ...)` reads X.
  std::vector<model::EnvRead> helperEnvReads() const;

  /// `E`, written in the parameters of constructor `CtorKey`, with the
  /// arguments of its constructions (`Cache c(cfg.host)`) and expanded, when
  /// every construction gives the same string; empty otherwise.
  model::StrExpr atConstructions(const model::StrExpr &E, const std::string &CtorKey,
                                 int Depth = 0) const;

  /// The constructions of the class whose constructor is `CtorKey`.
  const std::vector<const model::CallEdge *> &constructionsOf(const std::string &CtorKey) const {
    static const std::vector<const model::CallEdge *> None;
    auto It = Made.find(CtorKey);
    return It == Made.end() ? None : It->second;
  }
  /// The string a member holds when every assignment to it is the same one
  /// (unexpanded), else null.
  const model::StrExpr *singleInit(const std::string &FieldKey) const {
    auto It = Inits.find(FieldKey);
    if (It == Inits.end())
      return nullptr;
    for (const model::FieldInit *I : It->second)
      if (I->Expr != It->second.front()->Expr)
        return nullptr;
    return &It->second.front()->Expr;
  }

private:
  const Merged &M;
  std::map<std::string, const model::Function *> Fns;
  std::map<std::string, std::vector<const model::FieldInit *>> Inits;
  std::map<std::string, std::vector<const model::CallEdge *>> Made; // by constructor
  std::set<std::pair<std::string, unsigned>> EnvParams;
};

} // namespace im::analysis
