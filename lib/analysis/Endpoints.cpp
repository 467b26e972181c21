#include "analysis/Endpoints.h"
#include "analysis/HandleGraph.h"

#include <algorithm>

namespace im::analysis {

namespace {
bool isParamOf(const std::string &Key, const std::string &FnKey) {
  auto P = HandleGraph::paramOf(Key);
  return P && P->first == FnKey;
}
unsigned paramIndex(const std::string &Key) { return HandleGraph::paramOf(Key)->second; }
std::string asLiteral(const model::StrExpr &E) {
  if (E.size() == 1 && E[0].Kind == "lit")
    return E[0].Text;
  return "";
}
bool allLiteral(const model::StrExpr &E) {
  return !E.empty() && std::all_of(E.begin(), E.end(), [](const model::StrPiece &P) {
    return P.Kind == "lit";
  });
}
} // namespace

EndpointFolder::EndpointFolder(const Merged &Merged) : M(Merged) {
  for (const auto &F : M.Functions) {
    Fns[F.Key] = &F;
    for (unsigned I : F.GetenvParams)
      EnvParams.insert({F.Key, I});
  }
  for (const auto &I : M.FieldInits)
    Inits[I.FieldKey].push_back(&I);
  for (const auto &E : M.Constructions)
    Made[E.CalleeKey].push_back(&E);
  // A parameter handed on to an env reader's name parameter names an env var too
  // (`env_int_or(name)` calling `env_or(name, "")`), at any depth.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &Fl : M.Flows)
      if (auto P = HandleGraph::paramOf(Fl.HandleKey); P && EnvParams.count({Fl.CalleeKey, Fl.ArgIndex}))
        Changed |= EnvParams.insert(*P).second;
  }
}

model::StrExpr EndpointFolder::substitute(const model::StrExpr &E, const std::string &FnKey,
                                          const std::vector<model::StrExpr> &Args) {
  model::StrExpr Out;
  for (const auto &P : E) {
    if (P.Kind == "param" && isParamOf(P.Text, FnKey)) {
      unsigned I = paramIndex(P.Text);
      if (I < Args.size() && !Args[I].empty())
        Out.insert(Out.end(), Args[I].begin(), Args[I].end());
      else
        Out.push_back({"unknown", "{...}", {}});
      continue;
    }
    model::StrPiece Q = P;
    for (auto &A : Q.Args)
      A = substitute(A, FnKey, Args);
    Out.push_back(std::move(Q));
  }
  return Out;
}

model::StrExpr EndpointFolder::expand(const model::StrExpr &E, int Depth) const {
  model::StrExpr Out;
  auto Unknown = [&](const std::string &T) { Out.push_back({"unknown", T, {}}); };
  for (const auto &P : E) {
    if (Depth > 6) {
      Unknown("{...}");
      continue;
    }
    if (P.Kind == "field") {
      auto It = Inits.find(P.Text);
      std::vector<model::StrExpr> Distinct;
      if (It != Inits.end())
        for (const model::FieldInit *I : It->second)
          if (std::find(Distinct.begin(), Distinct.end(), I->Expr) == Distinct.end())
            Distinct.push_back(I->Expr);
      if (Distinct.size() == 1) {
        auto X = expand(Distinct[0], Depth + 1);
        // A member set from a constructor parameter is known only to its
        // callers: the constructions of the class say what it holds.
        auto Param = std::find_if(X.begin(), X.end(), [](const auto &Q) { return Q.Kind == "param"; });
        if (Param != X.end()) {
          X = atConstructions(X, HandleGraph::functionOfParam(Param->Text), Depth + 1);
          Param = std::find_if(X.begin(), X.end(), [](const auto &Q) { return Q.Kind == "param"; });
        }
        if (!X.empty() && Param == X.end()) {
          Out.insert(Out.end(), X.begin(), X.end());
          continue;
        }
      }
      Out.push_back(P);
      continue;
    }
    if (P.Kind == "env") {
      model::StrPiece Q = P;
      for (auto &A : Q.Args)
        A = expand(A, Depth + 1);
      Out.push_back(std::move(Q));
      continue;
    }
    if (P.Kind == "call") {
      auto It = Fns.find(P.Text);
      if (It == Fns.end() || It->second->Returns.empty()) {
        Unknown("{...}");
        continue;
      }
      // Each return with the call's arguments; an env read wins, and a literal
      // alternative is its default (`return fallback;` in env_or).
      std::vector<model::StrExpr> Alts;
      for (const auto &R : It->second->Returns)
        Alts.push_back(expand(substitute(R, P.Text, P.Args), Depth + 1));
      const model::StrExpr *EnvAlt = nullptr, *LitAlt = nullptr;
      for (const auto &A : Alts) {
        if (A.size() == 1 && A[0].Kind == "env" && !EnvAlt)
          EnvAlt = &A;
        else if (allLiteral(A) && !LitAlt)
          LitAlt = &A;
      }
      if (EnvAlt) {
        model::StrPiece Env = (*EnvAlt)[0];
        if (Env.Args.size() < 2 && LitAlt) {
          Env.Args.resize(1);
          Env.Args.push_back(*LitAlt);
        }
        Out.push_back(std::move(Env));
      } else if (Alts.size() == 1) {
        Out.insert(Out.end(), Alts[0].begin(), Alts[0].end());
      } else {
        Unknown("{...}");
      }
      continue;
    }
    Out.push_back(P);
  }
  return Out;
}

model::StrExpr EndpointFolder::atConstructions(const model::StrExpr &E, const std::string &CtorKey,
                                               int Depth) const {
  auto It = Made.find(CtorKey);
  if (It == Made.end() || Depth > 6)
    return {};
  model::StrExpr Same;
  for (const model::CallEdge *C : It->second) {
    model::StrExpr X = expand(substitute(E, CtorKey, C->StrArgs), Depth + 1);
    if (dependsOnParams(X, CtorKey) || (!Same.empty() && X != Same))
      return {};
    Same = std::move(X);
  }
  return Same;
}

FoldedEndpoint EndpointFolder::render(const model::StrExpr &E) {
  FoldedEndpoint F;
  F.Complete = !E.empty();
  for (const auto &P : E) {
    if (P.Kind == "lit") {
      F.Text += P.Text;
    } else if (P.Kind == "env") {
      std::string Name = P.Args.empty() ? "" : asLiteral(P.Args[0]);
      if (F.Env.empty() && !Name.empty())
        F.Env = Name;
      std::string Default = P.Args.size() > 1 ? asLiteral(P.Args[1]) : "";
      F.Text += Default.empty() ? "{$" + (Name.empty() ? std::string("?") : Name) + "}" : Default;
      F.Complete &= !Default.empty();
    } else {
      F.HasParam |= P.Kind == "param";
      if (F.Text.empty() || F.Text.size() < 5 || F.Text.compare(F.Text.size() - 5, 5, "{...}") != 0)
        F.Text += "{...}";
      F.Complete = false;
    }
  }
  return F;
}

bool EndpointFolder::dependsOnParams(const model::StrExpr &E, const std::string &FnKey) {
  for (const auto &P : E) {
    if (P.Kind == "param" && isParamOf(P.Text, FnKey))
      return true;
    for (const auto &A : P.Args)
      if (dependsOnParams(A, FnKey))
        return true;
  }
  return false;
}

bool EndpointFolder::addressFromParams(const model::StrExpr &E, const std::string &FnKey) {
  size_t I = 0;
  for (std::string Lead; I < E.size() && E[I].Kind == "lit"; ++I) {
    Lead += E[I].Text;
    bool Prefix = Lead.empty() || (Lead.size() >= 3 && Lead.compare(Lead.size() - 3, 3, "://") == 0) ||
                  Lead.back() == '=' || Lead.back() == '@';
    if (!Prefix)
      return false;
  }
  if (I == E.size())
    return false;
  const auto &P = E[I];
  if (P.Kind == "param")
    return isParamOf(P.Text, FnKey);
  if (P.Kind == "call" || P.Kind == "env")
    return dependsOnParams({P}, FnKey);
  return false;
}

std::vector<model::EnvRead> EndpointFolder::helperEnvReads() const {
  std::vector<model::EnvRead> Out;
  for (const auto &E : M.Calls)
    for (unsigned I = 0; I < E.StrArgs.size(); ++I)
      if (EnvParams.count({E.CalleeKey, I}))
        if (std::string Name = asLiteral(E.StrArgs[I]); !Name.empty())
          Out.push_back({Name, E.Loc});
  return Out;
}

} // namespace im::analysis
