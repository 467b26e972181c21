#include "config/Config.h"

#include "support/Files.h"
#include "support/JsonError.h"
#include "support/Utf8.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace im::config {
namespace {
struct Business {
  std::optional<double> DailyRevenue;
  std::optional<std::string> Currency;
};

// Any YAML value, kept as a tree so that `catalog:` can take the JSON entry schema
// (docs/catalog.md) written in YAML. LLVM's YAML I/O reads it through
// PolymorphicTraits: the input node decides which of the three it is.
struct AnyNode;
struct AnyScalar {
  std::string Text;
  bool Quoted = false; // "5", '5' or a block scalar: text, whatever it looks like
};
struct AnyMap {
  std::vector<std::string> Keys;
  std::vector<AnyNode> Values;
};
struct AnySeq {
  std::vector<AnyNode> Items;
};
struct AnyNode {
  llvm::yaml::NodeKind Kind = llvm::yaml::NodeKind::Scalar;
  AnyScalar Scalar;
  AnyMap Map;
  AnySeq Seq;
};

nlohmann::json toJson(const AnyNode &N) {
  switch (N.Kind) {
  case llvm::yaml::NodeKind::Map: {
    nlohmann::json O = nlohmann::json::object();
    for (size_t I = 0; I < N.Map.Keys.size(); ++I)
      O[N.Map.Keys[I]] = toJson(N.Map.Values[I]);
    return O;
  }
  case llvm::yaml::NodeKind::Sequence: {
    nlohmann::json A = nlohmann::json::array();
    for (const auto &I : N.Seq.Items)
      A.push_back(toJson(I));
    return A;
  }
  case llvm::yaml::NodeKind::Scalar:
    break;
  }
  llvm::StringRef T = N.Scalar.Text;
  // A quoted scalar is a string, as in JSON: `label: "404"` stays text, so a
  // catalog entry's text field can hold digits.
  if (N.Scalar.Quoted)
    return T.str();
  if (T.empty() || T == "null" || T == "~")
    return nullptr;
  if (T == "true" || T == "false")
    return T == "true";
  long long I;
  if (!T.getAsInteger(10, I))
    return I;
  double D;
  if (!T.getAsDouble(D) && std::isfinite(D))
    return D;
  return T.str();
}
} // namespace
} // namespace im::config

LLVM_YAML_IS_SEQUENCE_VECTOR(im::config::IntegrationOverride)
LLVM_YAML_IS_SEQUENCE_VECTOR(im::config::Suppression)
LLVM_YAML_IS_SEQUENCE_VECTOR(im::config::AnyNode)

namespace llvm::yaml {
using im::config::Business;
using im::config::Config;
using im::config::IntegrationOverride;
using im::config::Suppression;

using im::config::AnyMap;
using im::config::AnyNode;
using im::config::AnyScalar;
using im::config::AnySeq;

template <> struct ScalarTraits<AnyScalar> {
  static void output(const AnyScalar &V, void *, raw_ostream &OS) { OS << V.Text; }
  // The context is the Input being read (parseConfig sets it): its current node
  // tells a quoted scalar from a plain one, which the unquoted text cannot.
  static StringRef input(StringRef S, void *Ctx, AnyScalar &V) {
    V.Text = S.str();
    const Node *N = Ctx ? static_cast<Input *>(Ctx)->getCurrentNode() : nullptr;
    if (const auto *Plain = dyn_cast_or_null<ScalarNode>(N))
      V.Quoted = Plain->getRawValue().starts_with("\"") || Plain->getRawValue().starts_with("'");
    else
      V.Quoted = isa_and_nonnull<BlockScalarNode>(N);
    return "";
  }
  static QuotingType mustQuote(StringRef S) { return needsQuotes(S); }
};
template <> struct CustomMappingTraits<AnyMap> {
  static void inputOne(IO &IO, StringRef Key, AnyMap &M) {
    M.Keys.push_back(Key.str());
    M.Values.emplace_back();
    IO.mapRequired(M.Keys.back().c_str(), M.Values.back());
  }
  static void output(IO &IO, AnyMap &M) {
    for (size_t I = 0; I < M.Keys.size(); ++I)
      IO.mapRequired(M.Keys[I].c_str(), M.Values[I]);
  }
};
template <> struct SequenceTraits<AnySeq> {
  static size_t size(IO &, AnySeq &S) { return S.Items.size(); }
  static AnyNode &element(IO &, AnySeq &S, size_t I) {
    if (I >= S.Items.size())
      S.Items.resize(I + 1);
    return S.Items[I];
  }
};
template <> struct PolymorphicTraits<AnyNode> {
  static NodeKind getKind(const AnyNode &N) { return N.Kind; }
  static AnyScalar &getAsScalar(AnyNode &N) {
    N.Kind = NodeKind::Scalar;
    return N.Scalar;
  }
  static AnyMap &getAsMap(AnyNode &N) {
    N.Kind = NodeKind::Map;
    return N.Map;
  }
  static AnySeq &getAsSequence(AnyNode &N) {
    N.Kind = NodeKind::Sequence;
    return N.Seq;
  }
};

template <> struct MappingTraits<Business> {
  static void mapping(IO &IO, Business &B) {
    IO.mapOptional("daily_revenue", B.DailyRevenue);
    IO.mapOptional("currency", B.Currency);
  }
  static std::string validate(IO &, Business &B) {
    if (B.DailyRevenue && (*B.DailyRevenue < 0 || !std::isfinite(*B.DailyRevenue)))
      return "business.daily_revenue: must be a non-negative number";
    if (B.Currency && B.Currency->empty())
      return "business.currency: must not be empty";
    return "";
  }
};

template <> struct MappingTraits<IntegrationOverride> {
  static void mapping(IO &IO, IntegrationOverride &O) {
    IO.mapRequired("match", O.Match);
    IO.mapOptional("name", O.Name);
    IO.mapOptional("criticality", O.Criticality);
    IO.mapOptional("rto_target", O.RtoTarget);
    IO.mapOptional("traffic_share", O.TrafficShare);
    IO.mapOptional("failure_impact", O.FailureImpact);
  }
  static std::string validate(IO &, IntegrationOverride &O) {
    std::string Where = "integrations['" + O.Match + "'].";
    if (O.Match.empty())
      return "integrations[].match: must name an integration id or name";
    if (O.Criticality && (*O.Criticality < 1 || *O.Criticality > 10))
      return Where + "criticality: must be between 1 and 10";
    if (O.RtoTarget) {
      O.RtoTargetSeconds = im::config::parseDuration(*O.RtoTarget);
      if (!O.RtoTargetSeconds)
        return Where + "rto_target: expected a duration like 30s, 5m, 1h or 2d";
    }
    if (O.TrafficShare && !(*O.TrafficShare >= 0 && *O.TrafficShare <= 1))
      return Where + "traffic_share: must be a fraction between 0 and 1";
    return "";
  }
};

template <> struct MappingTraits<Suppression> {
  static void mapping(IO &IO, Suppression &S) {
    IO.mapOptional("rule", S.Rule);
    IO.mapOptional("path", S.Path);
    IO.mapOptional("integration", S.Integration);
    IO.mapOptional("reason", S.Reason);
  }
  static std::string validate(IO &, Suppression &S) {
    if (S.Rule.empty() && S.Path.empty() && S.Integration.empty())
      return "suppressions[]: give at least one of rule, path, integration";
    return "";
  }
};

template <> struct MappingTraits<Config> {
  static void mapping(IO &IO, Config &C) {
    Business B;
    IO.mapOptional("business", B);
    IO.mapOptional("entry_points", C.EntryPoints);
    IO.mapOptional("integrations", C.Integrations);
    IO.mapOptional("suppressions", C.Suppressions);
    IO.mapOptional("circuit_breakers", C.CircuitBreakers);
    IO.mapOptional("test_code", C.TestCode);
    IO.mapOptional("not_test_code", C.NotTestCode);
    std::vector<AnyNode> Entries;
    IO.mapOptional("catalog", Entries);
    if (!Entries.empty()) {
      nlohmann::json A = nlohmann::json::array();
      for (const auto &E : Entries)
        A.push_back(im::config::toJson(E));
      C.CatalogJson = im::support::dumpJson(A, -1);
    }
    IO.mapOptional("catalog_files", C.CatalogFiles);
    C.DailyRevenue = B.DailyRevenue;
    if (B.Currency)
      C.Currency = *B.Currency;
  }
};
} // namespace llvm::yaml

namespace im::config {

namespace {
/// LLVM's YAML I/O messages for a value of the wrong kind, in the user's terms.
std::string describeYamlError(llvm::StringRef Msg) {
  if (Msg == "unexpected scalar")
    return "expected a single value, not a list or mapping";
  if (Msg == "not a sequence")
    return "expected a list";
  if (Msg == "not a mapping")
    return "expected a mapping of keys and values";
  return Msg.str();
}

/// The path of the value starting at `At` below `N`, or nullopt when `At` is
/// not in `N`. LLVM's YAML I/O reports a value of the wrong kind at the first
/// character of its node, which is where this parse of the same text has it.
std::optional<std::string> pathTo(llvm::yaml::Node *N, const char *At, const std::string &Path) {
  if (!N)
    return std::nullopt;
  if (N->getSourceRange().Start.getPointer() == At)
    return Path;
  if (auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(N)) {
    for (auto &KV : *M) {
      auto *Key = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(KV.getKey());
      if (!Key)
        return std::nullopt;
      llvm::SmallString<32> Storage;
      std::string Name = Key->getValue(Storage).str();
      if (auto P = pathTo(KV.getValue(), At, Path.empty() ? Name : Path + "." + Name))
        return P;
    }
  } else if (auto *S = llvm::dyn_cast<llvm::yaml::SequenceNode>(N)) {
    size_t I = 0;
    for (auto &Item : *S)
      if (auto P = pathTo(&Item, At, Path + "[" + std::to_string(I++) + "]"))
        return P;
  } else if (auto *Sc = llvm::dyn_cast<llvm::yaml::ScalarNode>(N)) {
    llvm::StringRef Raw = Sc->getRawValue();
    if (At >= Raw.begin() && At < Raw.end())
      return Path;
  }
  return std::nullopt;
}

/// The byte offset in the YAML `Text` where its nesting first exceeds
/// support::MaxNesting, or nullopt: a '[' or '{' one flow level too deep, or a
/// line whose block structure (indentation and "- " or "? " indicators, each a
/// level or more) starts its content further right than twice that. LLVM's
/// parser recurses once per level, and `- - - ... x` on one line is thousands.
/// Quoted scalars, comments and block scalars (`|`, `>`) are skipped.
std::optional<size_t> yamlTooDeep(llvm::StringRef Text) {
  const size_t MaxFlow = support::MaxNesting, MaxColumn = 2 * support::MaxNesting;
  size_t Flow = 0;
  size_t I = 0;
  // A block scalar's lines are text, however they are indented: skipped while
  // indented more than the line that introduced it.
  std::optional<size_t> BlockScalarIndent;
  while (I < Text.size()) {
    size_t LineStart = I, Indent = 0;
    while (I < Text.size() && Text[I] == ' ')
      ++I, ++Indent;
    bool Blank = I >= Text.size() || Text[I] == '\n' || Text[I] == '\r' || Text[I] == '#';
    if (BlockScalarIndent && Flow == 0) {
      if (Blank || Indent > *BlockScalarIndent) {
        I = Text.find('\n', I);
        I = I == llvm::StringRef::npos ? Text.size() : I + 1;
        continue;
      }
      BlockScalarIndent.reset();
    }
    if (Flow == 0 && Indent > MaxColumn)
      return I;
    // The rest of the line: block indicators, quotes, comments and flow brackets.
    bool ValueStart = true; // a quote or bracket here opens a scalar or collection
    size_t Indicators = 0;  // "- " and "? " on this line, each opening a level
    for (; I < Text.size() && Text[I] != '\n'; ++I) {
      char C = Text[I];
      if ((C == '-' || C == '?') && ValueStart && Flow == 0 &&
          (I + 1 == Text.size() || Text[I + 1] == ' ' || Text[I + 1] == '\n')) {
        if (Indent + 2 * ++Indicators > MaxColumn)
          return I;
        continue;
      }
      if (C == '#' && (I == LineStart || Text[I - 1] == ' ' || Text[I - 1] == '\t')) {
        I = Text.find('\n', I);
        if (I == llvm::StringRef::npos)
          I = Text.size();
        break;
      }
      if ((C == '"' || C == '\'') && (ValueStart || Flow > 0)) {
        // A quoted scalar, possibly over several lines.
        for (++I; I < Text.size() && Text[I] != C; ++I)
          if (C == '"' && Text[I] == '\\')
            ++I;
          else if (C == '\'' && Text[I] == '\'' && I + 1 < Text.size() && Text[I + 1] == '\'')
            ++I;
        ValueStart = false;
        continue;
      }
      if ((C == '[' || C == '{') && (ValueStart || Flow > 0)) {
        if (++Flow > MaxFlow)
          return I;
        ValueStart = true;
        continue;
      }
      if ((C == ']' || C == '}') && Flow > 0) {
        --Flow;
        continue;
      }
      if ((C == '|' || C == '>') && ValueStart && Flow == 0) {
        BlockScalarIndent = Indent;
        I = Text.find('\n', I);
        if (I == llvm::StringRef::npos)
          I = Text.size();
        break;
      }
      if (C == ' ' || C == '\t' || C == '\r')
        continue;
      // After "key: " or ", " a value starts again.
      ValueStart = (C == ':' || C == ',') && (I + 1 >= Text.size() || Text[I + 1] == ' ' ||
                                              Text[I + 1] == '\n' || Flow > 0);
    }
    if (I < Text.size())
      ++I; // the newline
  }
  return std::nullopt;
}

/// The key path of the value starting at `At` in the YAML `Text`
/// ("business.daily_revenue", "integrations[0].name"); "" when none.
std::string keyPathAt(llvm::StringRef Text, const char *At) {
  llvm::SourceMgr SM;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {}, nullptr); // reported already
  llvm::yaml::Stream S(llvm::MemoryBufferRef(Text, ""), SM);
  // The first document only, as the config reader: after a syntax error the
  // stream does not advance, and a loop over its documents would not end.
  auto Doc = S.begin();
  if (Doc == S.end())
    return "";
  return pathTo(Doc->getRoot(), At, "").value_or("");
}
} // namespace

std::optional<double> parseDuration(llvm::StringRef S) {
  S = S.trim();
  if (S.empty())
    return std::nullopt;
  double Mult = 1;
  char Last = S.back();
  if (Last == 's' || Last == 'm' || Last == 'h' || Last == 'd') {
    Mult = Last == 's' ? 1 : Last == 'm' ? 60 : Last == 'h' ? 3600 : 86400;
    S = S.drop_back().trim();
  }
  double V;
  if (S.getAsDouble(V) || V < 0)
    return std::nullopt;
  return V * Mult;
}

llvm::Expected<Config> parseConfig(llvm::StringRef Text, const std::string &Path) {
  struct Diag {
    llvm::StringRef Text;
    std::string First;
  } D{Text, {}};
  auto Handler = [](const llvm::SMDiagnostic &Di, void *Ctx) {
    auto *Dg = static_cast<Diag *>(Ctx);
    if (!Dg->First.empty())
      return;
    llvm::StringRef Raw = Di.getMessage();
    std::string Msg = describeYamlError(Raw);
    // A value of the wrong kind: name the field it is the value of, as a path
    // ("business.daily_revenue", "integrations[0].name"). Syntax errors, our
    // own checks ("integrations['a'].rto_target: ...") and messages naming
    // their key ("unknown key 'x'") stay as they are.
    bool WrongKind = Msg != Raw || Raw.starts_with("invalid ") || Raw.starts_with("out of range");
    const char *At = Di.getLoc().getPointer();
    if (WrongKind && At >= Dg->Text.begin() && At <= Dg->Text.end())
      if (std::string Field = keyPathAt(Dg->Text, At); !Field.empty())
        Msg += " (field '" + Field + "')";
    Dg->First = std::to_string(Di.getLineNo()) + ":" + std::to_string(Di.getColumnNo() + 1) +
                ": " + Msg;
  };
  // YAML is read as UTF-8: a file saved as Latin-1 is named at its first such
  // byte instead of reaching the parser (or the catalog entries' JSON).
  if (std::string Bad = support::notUtf8(Path, Text.str()); !Bad.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Bad.c_str());
  if (auto Deep = yamlTooDeep(Text)) {
    size_t Line, Column;
    support::lineAndColumn(Text.str(), *Deep, Line, Column);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s:%zu:%zu: nested deeper than %zu levels", Path.c_str(), Line,
                                   Column, support::MaxNesting);
  }
  Config C;
  if (Text.trim().empty()) {
    C.Path = Path;
    return C;
  }
  llvm::yaml::Input In(llvm::MemoryBufferRef(Text, Path), nullptr, Handler, &D);
  In.setContext(&In); // for AnyScalar: was a catalog entry's scalar quoted
  In >> C;
  if (In.error())
    return llvm::createStringError(
        In.error(), "%s", (Path + ":" + (D.First.empty() ? "1:1: malformed YAML" : D.First)).c_str());
  C.Path = Path;
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  for (auto &F : C.CatalogFiles)
    if (!llvm::sys::path::is_absolute(F)) {
      llvm::SmallString<256> Abs(Dir);
      llvm::sys::path::append(Abs, F);
      F = std::string(Abs);
    }
  return C;
}

/// Cat.addJson, with a value of the wrong JSON type (a string where a boolean
/// belongs) turned into an error naming the file instead of an exception.
static llvm::Error addCatalogJson(catalog::Catalog &Cat, const std::string &Name,
                                  const std::string &Text) {
  try {
    return Cat.addJson(Name, Text);
  } catch (const nlohmann::json::exception &E) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s", Name.c_str(),
                                   support::describeJsonError(E, Text).Message.c_str());
  }
}

llvm::Error extendCatalog(const Config &C, catalog::Catalog &Cat) {
  if (!C.CatalogJson.empty())
    if (auto E = addCatalogJson(Cat, C.Path + " (catalog)", C.CatalogJson))
      return E;
  for (const auto &F : C.CatalogFiles) {
    auto Text = support::readFile(F);
    if (!Text)
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: catalog_files: %s",
                                     C.Path.c_str(), llvm::toString(Text.takeError()).c_str());
    if (auto E = addCatalogJson(Cat, F, *Text))
      return E;
  }
  return llvm::Error::success();
}

llvm::Expected<Config> loadConfig(const std::string &Path) {
  auto Text = support::readFile(Path);
  if (!Text)
    return Text.takeError();
  return parseConfig(*Text, Path);
}

std::string findConfig(const std::string &Start) {
  std::string Dir = Start;
  while (!Dir.empty()) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, ConfigFileName);
    if (llvm::sys::fs::is_regular_file(Candidate))
      return std::string(Candidate);
    std::string Parent = llvm::sys::path::parent_path(Dir).str();
    if (Parent == Dir)
      break;
    Dir = Parent;
  }
  return "";
}

const IntegrationOverride *Config::overrideFor(const std::string &Id,
                                               const std::string &Name) const {
  for (const auto &O : Integrations)
    if (O.Match == Id || O.Match == Name)
      return &O;
  return nullptr;
}

bool Config::suppressed(const std::string &Rule, const std::string &RelPath,
                        const std::string &Integration) const {
  for (const auto &S : Suppressions)
    if ((S.Rule.empty() || S.Rule == Rule) &&
        (S.Path.empty() || RelPath.rfind(S.Path, 0) == 0) &&
        (S.Integration.empty() || S.Integration == Integration))
      return true;
  return false;
}

} // namespace im::config
