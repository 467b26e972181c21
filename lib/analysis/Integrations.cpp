#include "analysis/Integrations.h"
#include "support/Names.h"
#include "support/Secrets.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace im::analysis {

namespace {
struct HostVendor {
  const char *Suffix;
  Vendor V;
};
// Canonical names for well-known services; the suffix must match a whole label.
const HostVendor HostVendors[] = {
    {"stripe.com", {"Stripe Payment Gateway", "payment"}},
    {"paypal.com", {"PayPal", "payment"}},
    {"adyen.com", {"Adyen", "payment"}},
    {"braintreegateway.com", {"Braintree", "payment"}},
    {"sendgrid.com", {"SendGrid", "email"}},
    {"mailgun.net", {"Mailgun", "email"}},
    {"postmarkapp.com", {"Postmark", "email"}},
    {"twilio.com", {"Twilio", "sms"}},
    {"s3.amazonaws.com", {"AWS S3", "storage"}},
    {"sqs.amazonaws.com", {"AWS SQS", "queue"}},
    {"amazonaws.com", {"AWS", "cloud"}},
    {"github.com", {"GitHub API", "vcs"}},
    {"slack.com", {"Slack", "chat"}},
    {"googleapis.com", {"Google APIs", "cloud"}},
};
struct EnvVendor {
  const char *Prefix;
  Vendor V;
};
const EnvVendor EnvVendors[] = {
    {"STRIPE_", {"Stripe Payment Gateway", "payment"}},
    {"PAYPAL_", {"PayPal", "payment"}},
    {"ADYEN_", {"Adyen", "payment"}},
    {"SENDGRID_", {"SendGrid", "email"}},
    {"MAILGUN_", {"Mailgun", "email"}},
    {"POSTMARK_", {"Postmark", "email"}},
    {"TWILIO_", {"Twilio", "sms"}},
    {"GITHUB_", {"GitHub API", "vcs"}},
    {"SLACK_", {"Slack", "chat"}},
};

bool endsWithLabel(const std::string &Host, const std::string &Suffix) {
  if (Host == Suffix)
    return true;
  return Host.size() > Suffix.size() &&
         Host.compare(Host.size() - Suffix.size(), Suffix.size(), Suffix) == 0 &&
         Host[Host.size() - Suffix.size() - 1] == '.';
}

} // namespace

std::string roleName(const std::string &Kind, const catalog::Library *Lib) {
  if (Lib && !Lib->Role.empty())
    return Lib->Role;
  if (Kind == "email")
    return "SMTP mail";
  if (Kind == "http")
    return "HTTP API";
  if (Kind == "tcp")
    return "TCP service";
  return Kind;
}

const Vendor *vendorForHost(const std::string &Host) {
  for (const auto &HV : HostVendors)
    if (endsWithLabel(Host, HV.Suffix))
      return &HV.V;
  return nullptr;
}

const Vendor *vendorForEnv(const std::string &Name) {
  for (const auto &EV : EnvVendors)
    if (Name.rfind(EV.Prefix, 0) == 0)
      return &EV.V;
  return nullptr;
}

std::string slug(const std::string &S) {
  std::string Out;
  for (char C : S) {
    if (std::isalnum(static_cast<unsigned char>(C)))
      Out += static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    else if (!Out.empty() && Out.back() != '-')
      Out += '-';
  }
  while (!Out.empty() && Out.back() == '-')
    Out.pop_back();
  return Out;
}

namespace {
/// Union-find over call-site indexes.
struct Groups {
  std::vector<size_t> Parent;
  explicit Groups(size_t N) : Parent(N) {
    for (size_t I = 0; I < N; ++I)
      Parent[I] = I;
  }
  /// The group's root, compressing the path on the way (a loop: the chain of
  /// parents is as long as the input makes it).
  size_t find(size_t I) {
    size_t Root = I;
    while (Parent[Root] != Root)
      Root = Parent[Root];
    while (Parent[I] != Root)
      I = std::exchange(Parent[I], Root);
    return Root;
  }
  void unite(size_t A, size_t B) {
    A = find(A);
    B = find(B);
    if (A != B)
      Parent[std::max(A, B)] = std::min(A, B); // the smallest index leads: deterministic
  }
};

using support::lastName;
using support::scopeOf;

/// How a person names a handle key: `TripRepository::conn_`, `client`.
std::string handleName(const std::string &Key, const std::string &Display) {
  if (Key.rfind("field:", 0) == 0) {
    std::string Q = Key.substr(6);
    std::string Cls = scopeOf(Q);
    return (Cls.empty() ? "" : lastName(Cls) + "::") + lastName(Q);
  }
  if (Key.rfind("global:", 0) == 0)
    return lastName(Key.substr(7));
  return Display;
}

struct SiteInfo {
  ParsedEndpoint P;
  std::string Endpoint;
  const Vendor *V = nullptr;
  std::string Env; // env var the endpoint comes from
};
} // namespace

std::string nameFromEnv(const std::string &Env, const std::string &Role, const std::string &Kind) {
  // ROUTING_API_URL -> "Routing API": the words of the variable without the
  // suffix that says it holds an address.
  std::vector<std::string> Words;
  std::string W;
  for (char C : Env + "_") {
    if (C == '_' || C == '-') {
      if (!W.empty())
        Words.push_back(W);
      W.clear();
    } else {
      W += C;
    }
  }
  static const std::set<std::string> AddressWords = {"URL", "URI", "HOST", "HOSTS", "DSN", "ADDR",
                                                     "ADDRESS", "ENDPOINT", "BROKERS", "PORT",
                                                     "SERVER", "CONNINFO", "CONNECTION", "STRING"};
  while (Words.size() > 1 && AddressWords.count(Words.back()))
    Words.pop_back();
  std::string Pretty;
  for (const auto &Word : Words) {
    bool NoVowel = Word.find_first_of("AEIOUaeiou") == std::string::npos;
    std::string Out = Word;
    if (Word.size() > 3 && !NoVowel) {
      for (size_t I = 1; I < Out.size(); ++I)
        Out[I] = static_cast<char>(std::tolower(static_cast<unsigned char>(Out[I])));
    }
    Pretty += (Pretty.empty() ? "" : " ") + Out;
  }
  std::string Lower = Pretty, RoleLower = Role;
  for (auto *S : {&Lower, &RoleLower})
    for (auto &C : *S)
      C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  if (Lower == RoleLower)
    return Role;
  if (Kind == "http" || Kind == "rpc")
    return Pretty.find("API") != std::string::npos ? Pretty : Pretty + " " + Role;
  return Role + " (" + Pretty + ")";
}

namespace {
/// Where the connection of a group lives, for a name when nothing names the
/// system: the class or variable holding the handle, else the file of the first call.
std::string connectionPlace(const std::vector<model::CallSite> &Sites, const std::vector<size_t> &Ms) {
  for (size_t I : Ms) {
    const auto &C = Sites[I];
    std::string Root = C.RootHandleKey.empty() ? C.HandleKey : C.RootHandleKey;
    if (Root.rfind("field:", 0) == 0) {
      std::string Cls = scopeOf(Root.substr(6));
      return Cls.empty() ? lastName(Root.substr(6)) : lastName(Cls);
    }
    if (Root.rfind("global:", 0) == 0)
      return lastName(Root.substr(7));
  }
  const std::string &F = Sites[Ms.front()].Loc.File;
  return F.substr(F.find_last_of('/') == std::string::npos ? 0 : F.find_last_of('/') + 1);
}
} // namespace

std::vector<model::Integration> groupIntegrations(std::vector<model::CallSite> &Sites,
                                                  const catalog::Catalog &Cat) {
  // Sites sharing a handle share an integration even when only one knows the endpoint.
  std::map<std::string, std::string> EndpointByHandle;
  for (const auto &C : Sites)
    if (!C.Endpoint.empty() && !C.HandleKey.empty())
      EndpointByHandle.emplace(C.HandleKey, C.Endpoint);
  std::vector<SiteInfo> Info(Sites.size());
  for (size_t I = 0; I < Sites.size(); ++I) {
    auto &C = Sites[I];
    auto &S = Info[I];
    S.Endpoint = C.Endpoint;
    if (S.Endpoint.empty())
      if (auto It = EndpointByHandle.find(C.HandleKey); It != EndpointByHandle.end())
        S.Endpoint = It->second;
    S.P = parseEndpoint(S.Endpoint);
    if (const auto *Lib = Cat.library(C.Library))
      if (auto It = Lib->KindByScheme.find(S.P.Scheme); It != Lib->KindByScheme.end())
        C.Kind = It->second;
    if (C.EndpointSource.rfind("env:", 0) == 0)
      S.Env = C.EndpointSource.substr(4);
    S.V = S.P.Host.empty() ? nullptr : vendorForHost(S.P.Host);
    if (!S.V && !S.Env.empty())
      S.V = vendorForEnv(S.Env);
  }

  // Evidence that two call sites talk to the same system, strongest first. A
  // handle that is a parameter is not one: a generic helper serves many systems.
  Groups G(Sites.size());
  std::map<std::string, size_t> FirstWith;
  std::map<size_t, std::set<std::string>> Reasons; // by site, merged into the root later
  // A handle is a reason only when several call sites share it.
  std::map<std::string, std::pair<std::string, std::vector<size_t>>> SharedHandle;
  auto Join = [&](size_t I, const std::string &Key, const std::string &Why) {
    auto [It, New] = FirstWith.emplace(Key, I);
    if (Key.rfind("handle|", 0) == 0) {
      SharedHandle[Key].first = Why;
      SharedHandle[Key].second.push_back(I);
    }
    else
      Reasons[I].insert(Why);
    if (!New)
      G.unite(It->second, I);
  };
  for (size_t I = 0; I < Sites.size(); ++I) {
    const auto &C = Sites[I];
    const auto &S = Info[I];
    // One connection object (a member, a global, what a transaction derives from)
    // is one dependency. Calls through a project wrapper object are one dependency
    // per endpoint: one HTTP client object may serve several vendors.
    std::string Root = C.RootHandleKey.empty() ? C.HandleKey : C.RootHandleKey;
    if (!Root.empty() && Root.rfind("param:", 0) != 0 && Root.rfind("expr@", 0) != 0) {
      std::string Identity = C.Via.empty() ? "" : S.Env.empty() ? S.P.Host : S.Env;
      Join(I, "handle|" + Root + "|" + Identity, "shared client handle `" + handleName(Root, C.Handle) + "`");
    }
    if (S.V)
      Join(I, "vendor|" + S.V->Name, "vendor " + S.V->Name);
    else if (!S.P.Host.empty())
      Join(I, "host|" + C.Library + "|" + S.P.Host + "/" + S.P.Database,
           "endpoint host " + S.P.Host + (S.P.Database.empty() ? "" : "/" + S.P.Database));
    if (!S.Env.empty())
      Join(I, "env|" + S.Env, "endpoint from environment variable " + S.Env);
  }
  for (const auto &[Key, WhyMs] : SharedHandle)
    if (WhyMs.second.size() > 1)
      for (size_t I : WhyMs.second)
        Reasons[I].insert(WhyMs.first);
  // A class that wraps one known system: its other calls with the same library
  // and no endpoint of their own (a URL built at run time) talk to it too.
  std::map<std::pair<std::string, std::string>, std::set<size_t>> KnownByClass;
  for (size_t I = 0; I < Sites.size(); ++I)
    if (Info[I].V || !Info[I].P.Host.empty())
      KnownByClass[{scopeOf(Sites[I].Function), Sites[I].Library}].insert(G.find(I));
  for (size_t I = 0; I < Sites.size(); ++I) {
    if (Info[I].V || !Info[I].P.Host.empty() || !Info[I].Env.empty())
      continue;
    auto It = KnownByClass.find({scopeOf(Sites[I].Function), Sites[I].Library});
    if (It != KnownByClass.end() && It->second.size() == 1 && !scopeOf(Sites[I].Function).empty()) {
      G.unite(*It->second.begin(), I);
      Reasons[I].insert("same wrapper class " + scopeOf(Sites[I].Function));
    }
  }

  // Name each group from what its members know.
  std::map<size_t, std::vector<size_t>> Members;
  for (size_t I = 0; I < Sites.size(); ++I)
    Members[G.find(I)].push_back(I);
  std::map<std::string, size_t> RoleCount;
  for (auto &[Root, Ms] : Members) {
    bool HasVendor = false;
    for (size_t I : Ms)
      HasVendor |= Info[I].V != nullptr;
    if (!HasVendor)
      RoleCount[roleName(Sites[Ms.front()].Kind, Cat.library(Sites[Ms.front()].Library))]++;
  }
  std::map<std::string, model::Integration> ById;
  for (auto &[Root, Ms] : Members) {
    const SiteInfo *Best = nullptr;
    for (size_t I : Ms) // a vendor beats a host beats an env var beats nothing
      if (!Best || (Info[I].V && !Best->V) ||
          (!Best->V && Best->P.Host.empty() && !Info[I].P.Host.empty()) ||
          (!Best->V && Best->P.Host.empty() && Best->Env.empty() && !Info[I].Env.empty()))
        Best = &Info[I];
    const auto &First = Sites[Ms.front()];
    std::string Role = roleName(First.Kind, Cat.library(First.Library));
    std::string Name;
    if (Best->V)
      Name = Best->V->Name;
    else if (First.Kind == "db" && RoleCount[Role] == 1)
      Name = Role + " (primary)";
    else if (First.Kind == "cache" && RoleCount[Role] == 1)
      Name = Role + " cache";
    else if (!Best->P.Host.empty())
      Name = (First.Kind == "cache" ? Role + " cache" : Role) + " (" + Best->P.Host +
             (Best->P.Database.empty() ? "" : "/" + Best->P.Database) + ")";
    else if (!Best->Env.empty())
      Name = nameFromEnv(Best->Env, Role, First.Kind);
    std::string Place;
    if (Name.empty()) {
      Place = connectionPlace(Sites, Ms);
      Name = Role + " (" + Place + ")";
    }
    std::string Id = slug(Name);
    auto &I = ById[Id];
    if (I.Id.empty()) {
      I.Id = Id;
      I.Name = Name;
      I.Kind = First.Kind;
      I.Category = Best->V ? Best->V->Category : First.Kind;
      I.Endpoint = support::redactSecrets(Best->Endpoint);
      I.EndpointSource = Best->Env.empty() ? "" : "env:" + Best->Env;
    }
    std::set<std::string> Why(I.GroupedBy.begin(), I.GroupedBy.end());
    // Groups named by where their connection lives are one integration per place.
    if (!Place.empty() && (!I.CallSites.empty() || Ms.size() > 1))
      Why.insert("connection held in `" + Place + "`, and no endpoint known");
    for (size_t M : Ms) {
      auto &C = Sites[M];
      if (I.Library.find(C.Library) == std::string::npos)
        I.Library += (I.Library.empty() ? "" : ", ") + C.Library;
      C.Integration = Id;
      I.CallSites.push_back(C.Id);
      Why.insert(Reasons[M].begin(), Reasons[M].end());
    }
    I.GroupedBy.assign(Why.begin(), Why.end());
  }
  // Call sites in source order (the order of `Sites`), not string order.
  std::map<std::string, size_t> Pos;
  for (size_t N = 0; N < Sites.size(); ++N)
    Pos.emplace(Sites[N].Id, N);
  std::vector<model::Integration> Out;
  for (auto &[K, I] : ById) {
    std::sort(I.CallSites.begin(), I.CallSites.end(),
              [&](const auto &A, const auto &B) { return Pos[A] < Pos[B]; });
    Out.push_back(std::move(I));
  }
  return Out;
}

} // namespace im::analysis
