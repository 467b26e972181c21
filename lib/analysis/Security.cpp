#include "analysis/Security.h"
#include "analysis/HandleGraph.h"

#include "analysis/SecurityAssessor.h"
#include "analysis/TestCode.h"
#include "support/Files.h"
#include "support/Text.h"

#include <deque>

namespace im::analysis {
namespace security {
using support::lower;

namespace {

/// With TLS, the library verifies the peer unless an option turns it off
/// (catalog transport.verifies_by_default).
bool verifiesByDefault(const catalog::Catalog &Cat, const std::string &Library) {
  const catalog::Library *Lib = Cat.library(Library);
  return Lib && Lib->Transport.VerifiesByDefault;
}

} // namespace

const catalog::Option *optionOf(const catalog::Catalog &Cat, const Setting &S) {
  const catalog::Library *Lib = Cat.library(S.Library);
  if (!Lib)
    return nullptr;
  for (const auto &St : Lib->Setters)
    for (const auto &O : St.Options) {
      if (O.Concern != S.Concern)
        continue;
      if (O.Name == S.Option || (O.Name.empty() && catalog::normalizeName(St.Name) == S.Option))
        return &O;
    }
  // A key read out of a connection string (value semantics "uri_options").
  if (const catalog::Option *O = Lib->uriOption(S.Option); O && O->Concern == S.Concern)
    return O;
  return nullptr;
}

std::string shortFn(const std::string &Key) {
  auto Paren = Key.find('(');
  return Key.substr(0, Paren);
}

Assessor::Assessor(const Merged &M, std::vector<CallSite> &Sites, const catalog::Catalog &Cat,
                   const std::string &Root)
    : M(M), Sites(Sites), Cat(Cat), Root(Root) {
  for (const auto &S : M.Settings)
    if ((S.Concern == "derive" || S.Concern == "connect") && !S.Val.DependsOn.empty())
      Down[S.HandleKey].insert(S.Val.DependsOn);
  for (const auto &F : M.Flows) {
    std::string Param = HandleGraph::paramKey(F.CalleeKey, F.ArgIndex);
    Down[F.HandleKey].insert(Param);
    Up[Param].insert(F.HandleKey);
  }
  for (const auto &Fn : M.Functions)
    FnNames[Fn.Key] = Fn.Name;
  for (const auto &S : M.Security)
    if (S.Type == "value_origin")
      Origins[S.HandleKey].push_back(&S);
}

void Assessor::run(std::vector<Finding> &Findings) {
  collectEnvDefaults();
  for (auto &C : Sites) {
    C.Security = {};
    std::set<std::string> Keys = reach(C.HandleKey);
    for (const auto &X : C.ExtraHandleKeys) // catalog "extra_handles"
      for (const auto &K : reach(X))
        Keys.insert(K);
    if (!C.ImplHandleKey.empty()) // a call through a project wrapper
      for (const auto &K : reach(C.ImplHandleKey))
        Keys.insert(K);
    for (const auto &K : Keys) {
      FirstSite.emplace(K, &C);
      SitesOf[K].push_back(&C);
    }
    assessEndpoint(C, Keys);
    assessCredentials(C, Keys);
  }
  tlsSettings();
  securityFacts();
  envDefaults();
  apiVersions();
  webhooks();
  for (auto &C : Sites) {
    if (C.Security.Transport == "tls" && C.Security.TlsVerification == "unknown" &&
        verifiesByDefault(Cat, C.Library)) {
      C.Security.TlsVerification = "verified";
      note(C, C.Loc, C.Library + " verifies the server certificate unless told otherwise");
    }
    std::sort(C.Security.Evidence.begin(), C.Security.Evidence.end());
    C.Security.Evidence.erase(std::unique(C.Security.Evidence.begin(), C.Security.Evidence.end()),
                              C.Security.Evidence.end());
  }
  std::vector<Finding> Out = Builder.take(/*Ordinals=*/true);
  Findings.insert(Findings.end(), Out.begin(), Out.end());
  std::stable_sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Loc, A.Rule) < std::tie(B.Loc, B.Rule);
  });
}

std::set<std::string> Assessor::reach(const std::string &Key) {
  std::set<std::string> Seen;
  if (Key.empty())
    return Seen;
  struct Item {
    std::string K;
    int Depth;
    bool WentDown;
  };
  std::deque<Item> Work{{Key, 0, false}};
  std::set<std::pair<std::string, bool>> Visited;
  while (!Work.empty()) {
    Item I = Work.front();
    Work.pop_front();
    if (I.Depth > 6 || !Visited.insert({I.K, I.WentDown}).second)
      continue;
    Seen.insert(I.K);
    if (auto It = Down.find(I.K); It != Down.end())
      for (const auto &N : It->second)
        Work.push_back({N, I.Depth + 1, true});
    if (!I.WentDown)
      if (auto It = Up.find(I.K); It != Up.end())
        for (const auto &N : It->second)
          Work.push_back({N, I.Depth + 1, false});
  }
  return Seen;
}

void Assessor::add(const char *Rule, const Location &L, std::string Message, const CallSite *C,
                   const std::string &FunctionKey, const std::string &Identity,
                   std::string Severity) {
  auto [It, New] = Emitted.insert({{Rule, L.File, L.Line, Identity}, Builder.size()});
  if (!New) {
    // One finding per offending setting: further calls it affects are related.
    if (C)
      affects(Builder.at(It->second), *C);
    return;
  }
  std::string Fn = C ? C->Function : functionName(FunctionKey);
  Finding &F = Builder.add(Rule, L, std::move(Message), Fn + "|" + Identity);
  if (!Severity.empty())
    F.Severity = Severity;
  if (C) {
    F.CallSiteId = C->Id;
    F.Integration = C->Integration;
    affects(F, *C);
  }
}

std::optional<bool> Assessor::flagOf(const Value &V) {
  if (V.K == Value::Kind::Int)
    return V.Int != 0;
  if (V.K != Value::Kind::String)
    return std::nullopt;
  std::string L = lower(V.Str);
  if (L == "false" || L == "0" || L == "no" || L == "off")
    return false;
  if (L == "true" || L == "1" || L == "yes" || L == "on")
    return true;
  return std::nullopt;
}

Location Assessor::verifyLocation(const Setting &S) {
  Location L = S.Val.at(0);
  return L.valid() ? L : S.Loc;
}

bool Assessor::onlyPlaintext(const std::string &HandleKey) {
  auto It = SitesOf.find(HandleKey);
  if (It == SitesOf.end() || It->second.empty())
    return false;
  return std::all_of(It->second.begin(), It->second.end(),
                     [&](const CallSite *C) { return C->Security.Transport == "plaintext"; });
}

bool Assessor::onlyLocal(const std::string &HandleKey) {
  auto It = SitesOf.find(HandleKey);
  if (It == SitesOf.end() || It->second.empty())
    return false;
  return std::all_of(It->second.begin(), It->second.end(),
                     [&](const CallSite *C) { return LocalOnly.count(C) != 0; });
}

bool Assessor::isTestFile(const std::string &File) const {
  std::string Path = support::relativeTo(File, Root);
  if (Path == File && !Path.empty() && Path[0] == '/')
    Path = Path.substr(Path.rfind('/') + 1); // outside the root: the name only
  return !testCodeReason(Path).empty();
}

bool Assessor::expectedInTests(const std::string &Kind) {
  return Kind.find("test") != std::string::npos || Kind.find("password") != std::string::npos ||
         Kind == "credential";
}

} // namespace security

void assessSecurity(const Merged &M, std::vector<model::CallSite> &Sites,
                    const catalog::Catalog &Cat, const std::string &SourceRoot,
                    std::vector<model::Finding> &Findings) {
  security::Assessor(M, Sites, Cat, SourceRoot).run(Findings); // merges and sorts all findings
  // A literal passed to an authentication parameter can be seen twice: by the
  // shape rules (which name the kind of secret) and by a catalog `credential`
  // setter. Keep one finding per place, the more specific one.
  std::map<std::tuple<std::string, unsigned, unsigned>, size_t> Seen;
  std::vector<model::Finding> Kept;
  for (size_t I = 0; I < Findings.size(); ++I) {
    auto &F = Findings[I];
    if (F.Rule != "integration-hardcoded-secret") {
      Kept.push_back(std::move(F));
      continue;
    }
    auto Key = std::make_tuple(F.Loc.File, F.Loc.Line, F.Loc.Column);
    auto It = Seen.find(Key);
    bool Generic = F.Message.rfind("hard-coded credential passed to", 0) == 0;
    if (It == Seen.end()) {
      Seen[Key] = Kept.size();
      Kept.push_back(std::move(F));
    } else if (!Generic && Kept[It->second].Message.rfind("hard-coded credential passed to", 0) == 0) {
      Kept[It->second] = std::move(F);
    }
  }
  Findings = std::move(Kept);
}

} // namespace im::analysis
