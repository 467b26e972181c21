#include "inventory/Inventory.h"
#include "inventory/ParseUtil.h"

#include "analysis/Integrations.h"
#include "support/Endpoint.h"
#include "support/Files.h"
#include "support/Text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace im::inventory {

namespace fs = std::filesystem;

namespace {

using support::endsWith;
using support::lower;
using support::startsWith;
using support::upper;

} // namespace

using detail::lineAt;
using detail::problem;
using detail::trim;

// ---------------------------------------------------------------- discovery
bool isEnvFileName(const std::string &F) { return F == ".env" || startsWith(F, ".env."); }

Discovered discover(const std::string &Root, const WalkOptions &Opts) {
  Discovered D;
  unsigned Visited = 0;
  static const std::set<std::string> SkipNames = {"node_modules", "third_party", "3rdparty",
                                                  "vendor", "external", "_deps"};
  std::set<std::string> Skip;
  for (const auto &S : Opts.Skip)
    Skip.insert(fs::path(S).lexically_normal().string());
  std::function<void(const fs::path &, unsigned)> Walk = [&](const fs::path &Dir, unsigned Depth) {
    std::error_code EC;
    std::vector<fs::directory_entry> Entries;
    for (fs::directory_iterator It(Dir, EC), End; !EC && It != End; It.increment(EC)) {
      if (++Visited > Opts.MaxEntries) {
        D.Truncated = true;
        return;
      }
      Entries.push_back(*It);
    }
    std::sort(Entries.begin(), Entries.end(),
              [](const auto &A, const auto &B) { return A.path() < B.path(); });
    for (const auto &E : Entries) {
      std::string Name = E.path().filename().string();
      std::error_code SE;
      if (E.is_directory(SE) && !E.is_symlink(SE)) {
        if (Name.empty() || Name[0] == '.' || SkipNames.count(Name) || startsWith(Name, "build") ||
            startsWith(Name, "cmake-build-") || Skip.count(E.path().lexically_normal().string()) ||
            fs::exists(E.path() / "CMakeCache.txt", SE) ||
            fs::exists(E.path() / ".integration-mapper-ignore", SE))
          continue;
        if (Depth >= Opts.MaxDepth) {
          D.Truncated = true;
          continue;
        }
        Walk(E.path(), Depth + 1);
        if (Visited > Opts.MaxEntries)
          return;
      } else if (E.is_regular_file(SE)) {
        if (isEnvFileName(Name))
          D.EnvFiles.push_back(E.path().string());
        else if (!manifestKind(Name).empty())
          D.Manifests.push_back(E.path().string());
      }
    }
  };
  Walk(fs::path(Root), 0);
  std::sort(D.EnvFiles.begin(), D.EnvFiles.end());
  std::sort(D.Manifests.begin(), D.Manifests.end());
  return D;
}

// ---------------------------------------------------------------- env files
std::string classifyEnvName(const std::string &Raw) {
  std::string N = upper(Raw);
  static const char *Credential[] = {"_API_KEY", "_APIKEY", "_SECRET_KEY", "_ACCESS_KEY",
                                     "_PRIVATE_KEY", "_SECRET", "_TOKEN", "_PASSWORD", "_PASSWD",
                                     "_PASS", "_PWD", "_CREDENTIALS", "_AUTH_KEY", "_CLIENT_SECRET"};
  static const char *CredentialExact[] = {"API_KEY", "SECRET_KEY", "PASSWORD", "TOKEN", "SECRET",
                                          "ACCESS_KEY", "AUTH_TOKEN", "PRIVATE_KEY"};
  static const char *Endpoint[] = {"_URL", "_URI", "_ENDPOINT", "_HOST", "_HOSTNAME", "_DSN",
                                   "_ADDR", "_ADDRESS", "_BROKERS", "_SERVER", "_SERVERS",
                                   "_BASE_URL"};
  static const char *EndpointExact[] = {"DATABASE_URL", "REDIS_URL", "DSN", "HOST", "URL"};
  for (const char *E : CredentialExact)
    if (N == E)
      return "credential";
  for (const char *E : EndpointExact)
    if (N == E)
      return "endpoint";
  for (const char *S : Credential)
    if (endsWith(N, S))
      return "credential";
  for (const char *S : Endpoint)
    if (endsWith(N, S))
      return "endpoint";
  return "";
}

EnvParse parseEnvFile(const std::string &Path, const std::string &Text) {
  EnvParse P;
  std::vector<std::string> Lines;
  {
    size_t S = Text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; // UTF-8 byte order mark
    while (S <= Text.size()) {
      size_t E = Text.find('\n', S);
      if (E == std::string::npos) {
        if (S < Text.size())
          Lines.push_back(Text.substr(S));
        break;
      }
      Lines.push_back(Text.substr(S, E - S));
      S = E + 1;
    }
  }
  for (size_t I = 0; I < Lines.size(); ++I) {
    unsigned LineNo = static_cast<unsigned>(I + 1);
    std::string L = trim(Lines[I]);
    if (L.empty() || L[0] == '#')
      continue;
    if (startsWith(L, "export ") || startsWith(L, "export\t"))
      L = trim(L.substr(7));
    size_t K = 0;
    if (!L.empty() && (std::isalpha(static_cast<unsigned char>(L[0])) || L[0] == '_'))
      while (K < L.size() && (std::isalnum(static_cast<unsigned char>(L[K])) || L[K] == '_' ||
                              L[K] == '.'))
        ++K;
    std::string Name = L.substr(0, K);
    size_t Eq = K;
    while (Eq < L.size() && (L[Eq] == ' ' || L[Eq] == '\t'))
      ++Eq;
    if (Name.empty() || Eq >= L.size() || L[Eq] != '=') {
      P.Problems.push_back(problem(Path, LineNo, "expected NAME=value"));
      continue;
    }
    std::string Rest = trim(L.substr(Eq + 1));
    std::string Value; // stays in this function
    if (!Rest.empty() && (Rest[0] == '"' || Rest[0] == '\'' || Rest[0] == '`')) {
      char Q = Rest[0];
      std::string Body = Rest.substr(1);
      size_t Close = std::string::npos;
      size_t J = I;
      for (;;) {
        for (size_t C = 0; C < Body.size(); ++C) {
          if (Q == '"' && Body[C] == '\\') {
            ++C;
            continue;
          }
          if (Body[C] == Q) {
            Close = C;
            break;
          }
        }
        if (Close != std::string::npos || Q == '`' || J + 1 >= Lines.size())
          break;
        Body += "\n" + Lines[++J]; // quoted values may span lines
      }
      if (Close == std::string::npos) {
        P.Problems.push_back(problem(Path, LineNo, "unterminated quoted value of " + Name));
        if (Q != '`')
          break; // everything after an unterminated quote is part of it
        continue;
      }
      std::string After = trim(Body.substr(Close + 1));
      I = J;
      if (!After.empty() && After[0] != '#') {
        P.Problems.push_back(problem(Path, LineNo, "unexpected text after the quoted value of " + Name));
        continue;
      }
      Value = Body.substr(0, Close);
    } else {
      size_t Hash = Rest.find(" #");
      if (Hash == std::string::npos)
        Hash = Rest.find("\t#");
      Value = trim(Rest.substr(0, Hash));
    }
    model::EnvVariable V;
    V.Name = Name;
    V.Loc = {Path, LineNo, 1};
    V.Class = classifyEnvName(Name);
    V.Empty = Value.empty();
    if (support::urlSchemeHost(Value, V.Scheme, V.Host)) {
      V.Plaintext = support::isPlaintextScheme(V.Scheme) == true && !V.Host.empty() &&
                    !support::isLocalHost(V.Host);
      if (V.Class.empty())
        V.Class = "endpoint"; // a URL under any name is an endpoint
    }
    P.Variables.push_back(std::move(V));
  }
  return P;
}

// ---------------------------------------------------------------- the run
model::Inventory collect(const std::string &Root, const catalog::Catalog &Cat,
                         const WalkOptions &Opts) {
  model::Inventory Inv;
  Inv.Enabled = true;
  if (fs::path(Root).lexically_normal() == fs::path("/")) {
    // Sources with no common directory: the whole file system is no project.
    Inv.Problems.push_back(problem("/", 0, "the source root is the file-system root: env files "
                                           "and manifests not searched (pass --source-root)"));
    return Inv;
  }
  Discovered D = discover(Root, Opts);
  Inv.EnvFiles = D.EnvFiles;
  Inv.Manifests = D.Manifests;
  Inv.Truncated = D.Truncated;
  constexpr size_t MaxFileSize = 4 << 20;
  auto Read = [&](const std::string &Path, std::string &Out) {
    std::error_code EC;
    auto Size = fs::file_size(Path, EC);
    if (!EC && Size > MaxFileSize) {
      Inv.Problems.push_back(problem(Path, 0, "larger than 4 MiB; skipped"));
      return false;
    }
    auto T = support::readFile(Path);
    if (!T) {
      Inv.Problems.push_back(problem(Path, 0, "cannot read: " + llvm::toString(T.takeError())));
      return false;
    }
    Out = std::move(*T);
    return true;
  };
  for (const auto &F : D.EnvFiles) {
    std::string Text;
    if (!Read(F, Text))
      continue;
    EnvParse P = parseEnvFile(F, Text);
    for (auto &V : P.Variables)
      Inv.Variables.push_back(std::move(V));
    for (auto &Pr : P.Problems)
      Inv.Problems.push_back(std::move(Pr));
  }
  for (const auto &F : D.Manifests) {
    std::string Text;
    if (!Read(F, Text))
      continue;
    ManifestParse P = parseManifest(F, Text, Cat);
    for (auto &L : P.Libraries)
      Inv.Libraries.push_back(std::move(L));
    for (auto &Pr : P.Problems)
      Inv.Problems.push_back(std::move(Pr));
  }
  return Inv;
}

std::vector<model::EnvRead> collectEnvReads(const std::vector<model::TUFacts> &Units) {
  std::vector<model::EnvRead> Out;
  for (const auto &U : Units)
    Out.insert(Out.end(), U.EnvReads.begin(), U.EnvReads.end());
  std::sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Name) < std::tie(B.Loc, B.Name);
  });
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const auto &A, const auto &B) { return A.Loc == B.Loc && A.Name == B.Name; }),
            Out.end());
  return Out;
}

namespace {
/// STRIPE from STRIPE_API_KEY, REDIS from REDIS_URL: the name without its
/// classification suffix.
std::string envStem(const std::string &Name) {
  std::string N = upper(Name);
  for (const char *S : {"_API_KEY", "_APIKEY", "_SECRET_KEY", "_ACCESS_KEY", "_PRIVATE_KEY",
                        "_CLIENT_SECRET", "_SECRET", "_TOKEN", "_PASSWORD", "_PASSWD", "_PASS",
                        "_PWD", "_CREDENTIALS", "_AUTH_KEY", "_BASE_URL", "_URL", "_URI",
                        "_ENDPOINT", "_HOSTNAME", "_HOST", "_DSN", "_ADDRESS", "_ADDR", "_BROKERS",
                        "_SERVERS", "_SERVER", "_PORT", "_USER", "_USERNAME", "_DB", "_DATABASE"})
    if (endsWith(N, S) && N.size() > std::string(S).size())
      return N.substr(0, N.size() - std::string(S).size());
  return "";
}

} // namespace

void crossReference(model::Report &R, const catalog::Catalog &Cat) {
  model::Inventory &Inv = R.Inventory;
  std::set<std::string> Read;
  for (const auto &E : Inv.EnvReads)
    Read.insert(E.Name);
  for (auto &V : Inv.Variables)
    V.ReadByCode = Read.count(V.Name) != 0;

  std::set<std::string> Called;
  for (const auto &C : R.CallSites)
    Called.insert(C.Library);
  for (const auto &L : Cat.libraries())
    if (Called.count(L.Id))
      Called.insert(L.BuiltOn.begin(), L.BuiltOn.end());
  for (auto &L : Inv.Libraries)
    L.Called = Called.count(L.Library) != 0;

  std::map<std::string, size_t> ById;
  for (size_t I = 0; I < R.Integrations.size(); ++I)
    ById[R.Integrations[I].Id] = I;
  auto Integration = [&](const std::string &Id) -> model::Integration & {
    return R.Integrations[ById.at(Id)];
  };

  // Which integration does a variable name? First what the code says (a call
  // site whose endpoint comes from it), then vendor and host names, then a
  // sibling variable with the same stem (REDIS_PASSWORD beside REDIS_URL).
  std::map<std::string, std::string> ByEnvSource, ByStem;
  for (const auto &C : R.CallSites)
    if (startsWith(C.EndpointSource, "env:") && !C.Integration.empty())
      ByEnvSource.emplace(C.EndpointSource.substr(4), C.Integration);
  auto FindByName = [&](const std::string &Name) -> std::string {
    for (const auto &I : R.Integrations)
      if (I.Name == Name)
        return I.Id;
    return "";
  };
  auto FindByHost = [&](const std::string &Host) -> std::string {
    for (const auto &I : R.Integrations)
      if (!I.Endpoint.empty() && support::parseEndpoint(I.Endpoint).Host == Host)
        return I.Id;
    return "";
  };
  auto Resolve = [&](const model::EnvVariable &V, bool Create) -> std::string {
    if (auto It = ByEnvSource.find(V.Name); It != ByEnvSource.end())
      return It->second;
    const analysis::Vendor *Vd = analysis::vendorForEnv(V.Name);
    if (!Vd && !V.Host.empty())
      Vd = analysis::vendorForHost(V.Host);
    if (Vd)
      if (std::string Id = FindByName(Vd->Name); !Id.empty())
        return Id;
    if (!V.Host.empty())
      if (std::string Id = FindByHost(V.Host); !Id.empty())
        return Id;
    std::string Stem = envStem(V.Name);
    if (!Stem.empty())
      if (auto It = ByStem.find(Stem); It != ByStem.end())
        return It->second;
    // A database, cache or broker URL and the one code integration of that role whose
    // endpoint the code does not know (Redis (hiredis) and REDIS_URL). Not for HTTP:
    // a service talks to many HTTP APIs.
    if (std::string Role = support::schemeRole(V.Scheme);
        !Role.empty() && support::schemeKind(V.Scheme) != "http") {
      std::string Match;
      int Count = 0;
      for (const auto &I : R.Integrations)
        if (startsWith(I.Name, Role + " (") && I.Endpoint.empty() && !I.CallSites.empty())
          Match = I.Id, ++Count;
      if (Count == 1)
        return Match;
    }
    if (!Create)
      return "";
    // Named only by the environment: a vendor, or a remote endpoint with a known scheme.
    model::Integration I;
    if (Vd) {
      I.Name = Vd->Name;
      I.Kind = Vd->Category;
    } else if (!V.Host.empty() && !support::schemeRole(V.Scheme).empty()) {
      I.Name = support::schemeRole(V.Scheme) + " (" + V.Host + ")";
      I.Kind = support::schemeKind(V.Scheme);
    } else {
      return "";
    }
    if (!V.Host.empty())
      I.Endpoint = V.Scheme + "://" + V.Host; // all an env value may show
    I.Id = analysis::slug(I.Name);
    if (!ById.count(I.Id)) {
      ById[I.Id] = R.Integrations.size();
      R.Integrations.push_back(I);
    }
    return I.Id;
  };
  // Two passes: endpoints first (they name hosts), then credentials join them by stem.
  for (int Pass = 0; Pass < 2; ++Pass)
    for (auto &V : Inv.Variables) {
      if (V.Class.empty() || (Pass == 0) != (V.Class == "endpoint") || !V.Integration.empty())
        continue;
      V.Integration = Resolve(V, true);
      if (V.Integration.empty())
        continue;
      if (std::string Stem = envStem(V.Name); !Stem.empty())
        ByStem.emplace(Stem, V.Integration);
      std::string Note = "env " + V.Name + " (" + V.Class;
      if (!V.Scheme.empty())
        Note += ", " + V.Scheme + "://" + V.Host;
      Note += ")";
      Integration(V.Integration).Sources.push_back({V.Loc.File, V.Loc.Line, Note});
    }
  for (const auto &L : Inv.Libraries)
    for (auto &I : R.Integrations) {
      std::string Libs = ", " + I.Library + ",";
      if (!I.Library.empty() && Libs.find(", " + L.Library + ",") != std::string::npos)
        I.Sources.push_back({L.Loc.File, L.Loc.Line, L.Manifest + " links " + L.Library + " (" + L.Name + ")"});
    }
  for (auto &I : R.Integrations) {
    std::sort(I.Sources.begin(), I.Sources.end());
    I.Sources.erase(std::unique(I.Sources.begin(), I.Sources.end()), I.Sources.end());
  }
  std::sort(R.Integrations.begin(), R.Integrations.end(),
            [](const auto &A, const auto &B) { return A.Id < B.Id; });
}

} // namespace im::inventory
