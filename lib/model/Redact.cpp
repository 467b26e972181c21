#include "model/Redact.h"
#include "support/Secrets.h"

namespace im::model {

void redactFacts(model::TUFacts &F) {
  auto R = [](std::string &S) {
    if (!S.empty())
      S = support::redactSecrets(S);
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
  for (auto &C : F.CallSites) {
    R(C.Endpoint);
    R(C.EndpointSource);
    R(C.Handle);
    for (auto *P : {&C.Timeout, &C.Retry, &C.CircuitBreaker, &C.Fallback}) {
      RE(P->Evidence);
      R(P->Reason);
    }
    R(C.ProbeNote);
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
  for (auto &S : F.Settings)
    RV(S.Val);
  for (auto &L : F.Loops)
    RE(L.Evidence);
  for (auto &S : F.Security)
    R(S.Detail);
}

} // namespace im::model
