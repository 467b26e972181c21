#include "catalog/Catalog.h"
#include "catalog/CatalogParse.h"
#include "catalog/MitigationSnippets.h"
#include "support/JsonError.h"
#include "support/Names.h"
#include "support/Units.h"
#include "support/Utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

namespace im::catalog {
using nlohmann::json;

std::string normalizeName(const std::string &Q) {
  return Q.rfind("::", 0) == 0 ? Q.substr(2) : Q;
}

std::optional<HandleSpec> HandleSpec::parse(const std::string &S) {
  HandleSpec H;
  if (S == "none")
    return H;
  if (S == "object") {
    H.K = Kind::Object;
    return H;
  }
  if (S == "result") {
    H.K = Kind::Result;
    return H;
  }
  if (S == "call") {
    H.K = Kind::Call;
    return H;
  }
  if (S.size() > 3 && S.rfind("arg", 0) == 0 &&
      S.find_first_not_of("0123456789", 3) == std::string::npos) {
    // No function has this many parameters; a larger index is a typo, not a
    // number to wrap around.
    unsigned long Index = 0;
    for (size_t I = 3; I < S.size(); ++I)
      if ((Index = Index * 10 + unsigned(S[I] - '0')) > MaxArgIndex)
        return std::nullopt;
    H.K = Kind::Arg;
    H.Index = static_cast<unsigned>(Index);
    return H;
  }
  return std::nullopt;
}

std::string HandleSpec::str() const {
  switch (K) {
  case Kind::None: return "none";
  case Kind::Object: return "object";
  case Kind::Result: return "result";
  case Kind::Call: return "call";
  case Kind::Arg: return "arg" + std::to_string(Index);
  }
  return "none";
}

bool isKnownSemantics(const std::string &N) {
  // Each name is interpreted in lib/analysis/Resolve.cpp (timeoutValue()).
  static const std::set<std::string> Known = {"", "plain", "zero_is_infinite",
                                              "negative_is_infinite", "zero_or_negative_is_infinite",
                                              "zero_disables", "true_enables", "conninfo",
                                              "uri_options", "zero_is_default", "true_disables",
                                              "tls_always", "pg_duration"};
  return Known.count(N) != 0;
}

const Option *Library::uriOption(const std::string &Key) const {
  auto Lower = [](std::string X) {
    for (char &C : X)
      C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    return X;
  };
  for (const auto &O : UriOptions)
    if (Lower(O.Name) == Lower(Key))
      return &O;
  return nullptr;
}

std::string Transport::Parameter::select(const std::string &Value) const {
  std::string L = Value;
  for (char &C : L)
    C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  for (const auto &[What, Values] : this->Values)
    if (std::find(Values.begin(), Values.end(), L) != Values.end())
      return What;
  return "";
}

std::string Option::tlsValue(const std::string &V) const {
  std::string L = V;
  for (char &C : L)
    C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  for (const auto &[What, Values] : TlsValues)
    if (std::find(Values.begin(), Values.end(), L) != Values.end())
      return What;
  return "";
}

const Option *Setter::find(const std::string &OptionName) const {
  if (OptionArg < 0)
    return Options.empty() ? nullptr : &Options.front();
  for (const auto &O : Options)
    if (O.Name == OptionName)
      return &O;
  return nullptr;
}

llvm::Error Catalog::addJson(const std::string &FileName, const std::string &Text) {
  // JSON is UTF-8; name the first byte that is not (a file saved as Latin-1)
  // rather than the parser's "invalid string".
  if (std::string Bad = support::notUtf8(FileName, Text); !Bad.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Bad.c_str());
  if (std::string Deep = support::nestingError(FileName, Text); !Deep.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Deep.c_str());
  json Doc;
  try {
    Doc = json::parse(Text);
  } catch (const json::parse_error &E) {
    // nlohmann reports a byte offset; turn it into line:column.
    size_t Line = 1, Col = 1;
    for (size_t I = 0; I < E.byte && I < Text.size(); ++I) {
      if (Text[I] == '\n') {
        ++Line;
        Col = 1;
      } else {
        ++Col;
      }
    }
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s:%zu:%zu: invalid JSON in catalog file", FileName.c_str(),
                                   Line, Col > 1 ? Col - 1 : 1);
  } catch (const json::exception &E) {
    // A number that does not fit a double (1e400) and the like.
    support::JsonProblem Why = support::describeJsonError(E, Text);
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s:%zu:%zu: %s",
                                   FileName.c_str(), Why.Line ? Why.Line : 1,
                                   Why.Column ? Why.Column : 1, Why.Message.c_str());
  }
  detail::Problems P{FileName, {}};
  const size_t Before = Libraries.size(); // a document with problems adds nothing
  const json *Entries = &Doc;
  json Wrapped;
  if (Doc.is_object() && Doc.contains("libraries"))
    Entries = &Doc["libraries"];
  else if (Doc.is_object()) {
    Wrapped = json::array({Doc});
    Entries = &Wrapped;
  }
  if (!Entries->is_array()) {
    P.add("", "", "expected a library object, an array of them, or {\"libraries\": [...]}");
  } else {
    size_t Index = 0;
    for (const json &E : *Entries) {
      std::string Where = "libraries[" + std::to_string(Index++) + "]";
      if (!E.is_object()) {
        P.add("", Where, "expected an object");
        continue;
      }
      Library L = detail::parseLibrary(E, FileName, Where, P);
      std::string Entry = L.Id.empty() ? Where : L.Id;
      if (library(L.Id))
        P.add(Entry, "id", "duplicate library id (already defined in " +
                               library(L.Id)->SourceFile + ")");
      for (const auto &N : L.ManifestNames)
        for (const auto &Other : Libraries)
          if (std::find(Other.ManifestNames.begin(), Other.ManifestNames.end(), N) !=
              Other.ManifestNames.end())
            P.add(Entry, "manifest_names", "'" + N + "' already names library '" + Other.Id + "'");
      Libraries.push_back(std::move(L));
    }
  }
  if (!P.List.empty())
    Libraries.resize(Before);
  reindex();
  if (P.List.empty())
    return llvm::Error::success();
  std::string All;
  for (const auto &M : P.List)
    All += (All.empty() ? "" : "\n") + M;
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", All.c_str());
}

llvm::Expected<Catalog> Catalog::loadBuiltin() {
  Catalog C;
  for (const auto &F : embeddedCatalogFiles())
    if (auto E = C.addJson(F.Name, F.Text))
      return std::move(E);
  return C;
}

void Catalog::reindex() {
  OpIndex.clear();
  SetterIndex.clear();
  FunctionNames.clear();
  Identifiers.clear();
  auto Last = support::lastName;
  for (const auto &L : Libraries) {
    for (const auto &O : L.Operations)
      FunctionNames.insert(Last(O.Name));
    for (const auto &S : L.Setters) {
      FunctionNames.insert(Last(S.Name));
      for (const auto &O : S.Options)
        if (!O.Name.empty())
          Identifiers.insert(O.Name);
    }
  }
  Identifiers.insert(FunctionNames.begin(), FunctionNames.end());
  for (size_t L = 0; L < Libraries.size(); ++L) {
    for (size_t O = 0; O < Libraries[L].Operations.size(); ++O)
      OpIndex[normalizeName(Libraries[L].Operations[O].Name)] = {L, O};
    for (size_t S = 0; S < Libraries[L].Setters.size(); ++S)
      SetterIndex.insert({normalizeName(Libraries[L].Setters[S].Name), {L, S}});
  }
}

std::vector<std::string> Catalog::operationNames() const {
  std::vector<std::string> Out;
  for (const auto &KV : OpIndex)
    Out.push_back("::" + KV.first);
  return Out;
}

std::vector<std::string> Catalog::setterNames() const {
  std::set<std::string> Out;
  for (const auto &KV : SetterIndex)
    Out.insert("::" + KV.first);
  return {Out.begin(), Out.end()};
}

std::pair<const Library *, const Operation *>
Catalog::lookupOperation(const std::string &Q) const {
  auto It = OpIndex.find(normalizeName(Q));
  if (It == OpIndex.end())
    return {nullptr, nullptr};
  const Library &L = Libraries[It->second.first];
  return {&L, &L.Operations[It->second.second]};
}

std::vector<std::pair<const Library *, const Setter *>>
Catalog::lookupSetters(const std::string &Q) const {
  std::vector<std::pair<const Library *, const Setter *>> Out;
  std::string N = normalizeName(Q);
  auto Add = [&](const std::string &Key) {
    auto Range = SetterIndex.equal_range(Key);
    for (auto It = Range.first; It != Range.second; ++It) {
      const Library &L = Libraries[It->second.first];
      Out.push_back({&L, &L.Setters[It->second.second]});
    }
  };
  Add(N);
  if (N.find("::") != std::string::npos)
    Add("*::" + support::lastName(N)); // "::*::NewStub" entries
  return Out;
}

const Library *Catalog::libraryForManifestName(const std::string &Name) const {
  for (const auto &L : Libraries)
    for (const auto &N : L.ManifestNames)
      if (N == Name)
        return &L;
  for (const auto &L : Libraries)
    for (const auto &Pre : L.ManifestPrefixes)
      if (Name.rfind(Pre, 0) == 0)
        return &L;
  return nullptr;
}

MitigationSnippets Catalog::mitigationsFor(const std::string &LibraryId,
                                           const std::string &OperationName) const {
  const Library *L = library(LibraryId);
  if (!L)
    return {};
  for (const auto &Op : L->Operations)
    if (normalizeName(Op.Name) == normalizeName(OperationName))
      return L->Mitigations.overriddenBy(Op.Mitigations);
  return L->Mitigations;
}

const Library *Catalog::library(const std::string &Id) const {
  for (const auto &L : Libraries)
    if (L.Id == Id)
      return &L;
  return nullptr;
}

} // namespace im::catalog
