#include "model/Redact.h"
#include "support/Secrets.h"

namespace im::model {

namespace {

/// Literal pieces of a folded string (and of the arguments of its calls and env
/// reads), redacted one by one: a secret split across two literals is not seen.
void redactPieces(StrExpr &E, const std::vector<std::string> &Known) {
  for (auto &P : E) {
    if (P.Kind == "lit" || P.Kind == "unknown")
      P.Text = support::redactKnown(P.Text, Known);
    for (auto &A : P.Args)
      redactPieces(A, Known);
  }
}

} // namespace

void redactFacts(model::TUFacts &F) {
  const std::vector<std::string> &Known = F.SecretValues;
  auto R = [&](std::string &S) {
    if (!S.empty())
      S = support::redactKnown(S, Known);
  };
  auto RV = [&](Value &V) {
    R(V.Str);
    R(V.Text);
    R(V.DependsOn);
  };
  auto RE = [&](std::vector<model::Evidence> &Ev) {
    for (auto &E : Ev)
      R(E.Note);
  };
  R(F.Unit.Error);
  R(F.Unit.Configuration);
  for (auto &C : F.CallSites) {
    R(C.Endpoint);
    R(C.EndpointSource);
    R(C.Handle);
    for (auto *P : {&C.Timeout, &C.Retry, &C.CircuitBreaker, &C.Fallback}) {
      RE(P->Evidence);
      R(P->Reason);
    }
    R(C.ProbeNote);
    redactPieces(C.EndpointExpr, Known);
    RE(C.FailModeEvidence);
    RE(C.InactiveNotes);
    for (auto &Hd : C.Handlers) {
      RE(Hd.CatalogCalls);
      RE(Hd.Notes);
    }
  }
  for (auto &A : F.ArgValues)
    RV(A.Val);
  for (auto &Cl : F.Classes)
    RE(Cl.Evidence);
  for (auto &S : F.Settings) {
    RV(S.Val);
    redactPieces(S.Expr, Known);
  }
  for (auto &FI : F.FieldInits)
    redactPieces(FI.Expr, Known);
  for (auto &E : F.Calls)
    for (auto &A : E.StrArgs)
      redactPieces(A, Known);
  for (auto &E : F.Constructions)
    for (auto &A : E.StrArgs)
      redactPieces(A, Known);
  for (auto &E : F.CallableCalls)
    for (auto &A : E.StrArgs)
      redactPieces(A, Known);
  for (auto &Fn : F.Functions)
    for (auto &Ret : Fn.Returns)
      redactPieces(Ret, Known);
  for (auto &L : F.Loops)
    RE(L.Evidence);
  for (auto &S : F.Security)
    R(S.Detail);
  F.SecretValues.clear();
}

} // namespace im::model
