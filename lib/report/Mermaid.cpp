#include "report/Mermaid.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace im::report {

namespace {
constexpr size_t MaxWrappers = 40;

std::string nodeId(const std::string &Prefix, const std::string &S) {
  std::string O = Prefix;
  for (char C : S)
    O += std::isalnum(static_cast<unsigned char>(C)) ? C : '_';
  return O;
}

std::string quote(const std::string &S) {
  std::string O;
  for (char C : S)
    O += C == '"' ? std::string("#quot;") : std::string(1, C);
  return O;
}
} // namespace

std::string architectureMermaid(const model::RiskDocument &D) {
  size_t NE = std::min(D.EntryPoints.size(), model::MaxDrawnEntryPoints);
  std::ostringstream M;
  M << "flowchart TD\n";
  M << "  subgraph L1[\"Layer 1: Entry points\"]\n";
  for (size_t K = 0; K < NE; ++K)
    M << "    E" << K << "([\"" << quote(D.EntryPoints[K]) << "\"])\n";
  M << "  end\n";
  std::set<std::string> AllWrappers;
  for (const auto &X : D.Integrations)
    AllWrappers.insert(X.Wrappers.begin(), X.Wrappers.end());
  std::vector<std::string> Ws(AllWrappers.begin(), AllWrappers.end());
  if (Ws.size() > MaxWrappers || D.EntryPoints.size() > NE)
    M << "  %% not drawn: " << D.EntryPoints.size() - NE << " entry points, "
      << (Ws.size() > MaxWrappers ? Ws.size() - MaxWrappers : 0) << " wrappers (see the JSON)\n";
  if (Ws.size() > MaxWrappers)
    Ws.resize(MaxWrappers);
  M << "  subgraph L2[\"Layer 2: Business logic (client wrappers)\"]\n";
  for (size_t K = 0; K < Ws.size(); ++K)
    M << "    W" << K << "[\"" << quote(Ws[K]) << "\"]\n";
  M << "  end\n";
  for (const char *Layer : {"external", "data"}) {
    M << "  subgraph " << (std::string(Layer) == "external" ? "L3[\"Layer 3: External services\"]"
                                                            : "L4[\"Layer 4: Data layer\"]")
      << "\n";
    for (const auto &X : D.Integrations)
      if (X.Layer == Layer)
        M << "    " << nodeId("I_", X.Id) << (X.Layer == "data" ? "[(\"" : "[\"") << quote(X.Name)
          << "<br/>" << X.Level << " " << X.Criticality << "/10" << (X.Spof ? " SPOF" : "")
          << (X.Layer == "data" ? "\")]" : "\"]") << "\n";
    M << "  end\n";
  }
  // Entry -> wrapper when the entry reaches it; wrapper -> integration.
  for (size_t E = 0; E < NE && E < D.ReachedWrappers.size(); ++E)
    for (size_t W = 0; W < Ws.size(); ++W)
      if (std::binary_search(D.ReachedWrappers[E].begin(), D.ReachedWrappers[E].end(), Ws[W]))
        M << "  E" << E << " --> W" << W << "\n";
  for (size_t W = 0; W < Ws.size(); ++W)
    for (const auto &X : D.Integrations)
      if (std::find(X.Wrappers.begin(), X.Wrappers.end(), Ws[W]) != X.Wrappers.end())
        M << "  W" << W << " --> " << nodeId("I_", X.Id) << "\n";
  return M.str();
}

std::string dependencyMermaid(const model::RiskDocument &D) {
  size_t NE = std::min(D.EntryPoints.size(), model::MaxDrawnEntryPoints);
  std::ostringstream M;
  M << "flowchart LR\n";
  for (const auto &X : D.Integrations)
    M << "  " << nodeId("I_", X.Id) << "{{\"" << quote(X.Name) << " fails\"}}\n";
  for (size_t K = 0; K < NE; ++K)
    M << "  E" << K << "([\"" << quote(D.EntryPoints[K]) << "\"])\n";
  std::map<std::string, const model::IntegrationRisk *> ById;
  for (const auto &Y : D.Integrations)
    ById[Y.Id] = &Y; // the last one, as a scan would find
  for (const auto &B : D.Dependencies) {
    auto Found = ById.find(B.Integration);
    if (Found == ById.end())
      continue;
    const model::IntegrationRisk *X = Found->second;
    for (size_t K = 0; K < NE; ++K) {
      bool Uses = std::find(X->UsedBy.begin(), X->UsedBy.end(), D.EntryPoints[K]) != X->UsedBy.end();
      if (!Uses)
        continue;
      M << "  " << nodeId("I_", X->Id) << (B.Breaks.empty() ? " -. degrades .-> E" : " -- breaks --> E")
        << K << "\n";
    }
  }
  std::set<std::pair<std::string, std::string>> Done;
  for (const auto &B : D.Dependencies)
    for (const auto &C : B.Cascades)
      if (Done.insert({std::min(B.Integration, C), std::max(B.Integration, C)}).second)
        M << "  " << nodeId("I_", std::min(B.Integration, C)) << " <-. same path .-> "
          << nodeId("I_", std::max(B.Integration, C)) << "\n";
  return M.str();
}

} // namespace im::report
