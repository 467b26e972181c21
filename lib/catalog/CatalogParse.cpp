// The field-by-field reader of catalog entries (docs/catalog.md lists the fields).
#include "catalog/CatalogParse.h"
#include "catalog/MitigationSnippets.h"
#include "support/Names.h"
#include "support/Units.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>

namespace im::catalog::detail {
using nlohmann::json;

namespace {
const std::set<std::string> Kinds = {"http", "db", "cache", "queue", "email", "rpc", "cloud", "local", "tcp"};
const std::set<std::string> Concerns = {"timeout", "endpoint", "tls_verify", "tls", "credential",
                                        "retry", "derive", "connect", "peer"};
const std::set<std::string> Scopes = {"", "total", "connect", "read", "write", "async"};

/// The string field `K` of `J`, "" when it is absent or not a string. Only for
/// fields whose value is checked afterwards (a name, a kind): there "" is
/// already reported, with a message saying what belongs there.
std::string checkedLater(const json &J, const char *K) {
  if (!J.is_object())
    return std::string();
  auto It = J.find(K);
  return It != J.end() && It->is_string() ? It->get<std::string>() : std::string();
}

std::string fieldPath(const std::string &Path, const char *K) {
  return Path.empty() ? std::string(K) : Path + "." + K;
}

/// True when `J` has a field `K` that is not a string (textField reported it).
bool notAString(const json &J, const char *K) {
  return J.is_object() && J.contains(K) && !J[K].is_string();
}

/// The text field `K` of the object `J` ("" when it is absent). Any other value,
/// 5 or a list or null, is a problem naming the field: read as "" it would
/// silently drop a label, a unit or a handle.
std::string textField(const json &J, const char *K, const std::string &Entry,
                      const std::string &Path, Problems &P) {
  if (!J.is_object())
    return std::string();
  auto It = J.find(K);
  if (It == J.end())
    return std::string();
  if (!It->is_string()) {
    P.add(Entry, fieldPath(Path, K), "expected a string");
    return std::string();
  }
  return It->get<std::string>();
}

bool validQualifiedName(const std::string &N) {
  if (N.empty())
    return false;
  // An overloaded operator as the last component: `::soci::session::operator<<`.
  if (auto Op = N.rfind("::operator"); Op != std::string::npos && Op + 10 < N.size()) {
    std::string Sym = N.substr(Op + 10);
    if (Sym.find_first_not_of("<>=!+-*/%&|^[](),~") == std::string::npos)
      return validQualifiedName(N.substr(0, Op) + "::operator");
  }
  for (char C : N)
    if (!(std::isalnum(static_cast<unsigned char>(C)) || C == '_' || C == ':' || C == '~'))
      return false;
  return true;
}

void parseOption(const json &J, const std::string &Entry, const std::string &Path, Problems &P,
                 Option &O) {
  if (!J.is_object()) {
    P.add(Entry, Path, "expected an object");
    return;
  }
  O.Name = textField(J, "option", Entry, Path, P);
  O.Concern = checkedLater(J, "concern");
  O.Scope = textField(J, "scope", Entry, Path, P);
  O.Unit = textField(J, "unit", Entry, Path, P);
  O.Semantics = textField(J, "value_semantics", Entry, Path, P);
  if (!Concerns.count(O.Concern))
    P.add(Entry, Path + ".concern",
          "expected one of timeout, endpoint, tls_verify, tls, credential, retry, derive, connect, peer");
  if (!support::secondsPerUnit(O.Unit))
    P.add(Entry, Path + ".unit", "expected s, ms, us or timeval, got '" + O.Unit + "'");
  if (!Scopes.count(O.Scope))
    P.add(Entry, Path + ".scope", "expected total, connect, read, write or async");
  if (O.Concern == "timeout" && O.Unit.empty() && !notAString(J, "unit"))
    P.add(Entry, Path + ".unit", "a timeout option needs a unit (s, ms or us)");
  if (!isKnownSemantics(O.Semantics))
    P.add(Entry, Path + ".value_semantics", "unknown value semantics '" + O.Semantics + "'");
  if (auto It = J.find("tls_values"); It != J.end()) {
    if ((O.Concern != "tls" && O.Concern != "tls_verify") || !It->is_object())
      P.add(Entry, Path + ".tls_values", "expected an object on a `tls` or `tls_verify` option");
    else
      for (const auto &[What, Values] : It->items()) {
        if (What != "on" && What != "off" && What != "try") {
          P.add(Entry, Path + ".tls_values." + What, "expected on, off or try");
          continue;
        }
        if (!Values.is_array())
          P.add(Entry, Path + ".tls_values." + What, "expected a list of values");
        else
          for (const auto &V : Values) {
            if (!V.is_string()) {
              P.add(Entry, Path + ".tls_values." + What, "expected strings");
              continue;
            }
            std::string L = V.get<std::string>();
            for (char &C : L)
              C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
            O.TlsValues[What].push_back(L);
          }
      }
  }
}

HandleSpec parseHandle(const json &J, const std::string &Entry, const std::string &Path,
                       Problems &P) {
  if (notAString(J, "handle")) {
    textField(J, "handle", Entry, Path, P); // "expected a string"
    return {};
  }
  std::string S = checkedLater(J, "handle");
  if (S.empty())
    S = "none";
  auto H = HandleSpec::parse(S);
  if (!H) {
    P.add(Entry, Path + ".handle", "expected none, object, result, call or argN, got '" + S + "'");
    return {};
  }
  return *H;
}

/// `J` as an int in [Lo, Hi]; nullopt when it is no integer or out of range
/// (get<int>() would wrap 4294967296 around to 0).
std::optional<int> intIn(const json &J, long long Lo, long long Hi) {
  if (J.is_number_unsigned())
    return J.get<unsigned long long>() <= static_cast<unsigned long long>(Hi) &&
                   Lo <= static_cast<long long>(J.get<unsigned long long>())
               ? std::optional<int>(static_cast<int>(J.get<unsigned long long>()))
               : std::nullopt;
  if (J.is_number_integer() && J.get<long long>() >= Lo && J.get<long long>() <= Hi)
    return static_cast<int>(J.get<long long>());
  return std::nullopt;
}

int intField(const json &J, const char *K, int Default, const std::string &Entry,
             const std::string &Path, Problems &P) {
  auto It = J.find(K);
  if (It == J.end())
    return Default;
  auto V = intIn(*It, 0, std::numeric_limits<int>::max());
  if (!V) {
    P.add(Entry, Path + "." + K, "expected a non-negative integer");
    return Default;
  }
  return *V;
}

/// The boolean field `K` of the object `J` (`Default` when it is absent). Any
/// other value, 1 or "yes" or null, is a problem naming the field: json's
/// value<bool>() would throw and the message would not say which field it was.
bool boolField(const json &J, const char *K, bool Default, const std::string &Entry,
               const std::string &Path, Problems &P) {
  if (!J.is_object())
    return Default;
  auto It = J.find(K);
  if (It == J.end())
    return Default;
  if (!It->is_boolean()) {
    P.add(Entry, Path.empty() ? std::string(K) : Path + "." + K, "expected true or false");
    return Default;
  }
  return It->get<bool>();
}
// ------------------------------------------------ entry extensions
/// `default_timeout` of an entry or of one operation.
std::optional<DefaultTimeout> parseDefaultTimeout(const json &J, const std::string &Entry,
                                                  const std::string &Path, Problems &P) {
  if (!J.is_object() || !J.contains("source") || !J["source"].is_string()) {
    P.add(Entry, Path, "expected {\"seconds\": N|null, \"source\": \"<doc>\"}");
    return std::nullopt;
  }
  DefaultTimeout D;
  if (J.contains("seconds") && !J["seconds"].is_number() && !J["seconds"].is_null())
    P.add(Entry, Path + ".seconds", "expected a number of seconds or null (waits forever)");
  if (J.contains("seconds") && J["seconds"].is_number())
    D.Seconds = J["seconds"].get<double>();
  if (J.contains("connect_seconds") && !J["connect_seconds"].is_number())
    P.add(Entry, Path + ".connect_seconds", "expected a number of seconds");
  if (J.contains("connect_seconds") && J["connect_seconds"].is_number())
    D.ConnectSeconds = J["connect_seconds"].get<double>();
  D.Text = textField(J, "text", Entry, Path, P);
  D.Source = checkedLater(J, "source");
  return D;
}

/// Optional fields beyond operations and setters.
void parseExtensions(const json &E, const std::string &Entry, Problems &P, Library &L) {
  if (auto It = E.find("handle_passthrough"); It != E.end()) {
    if (!It->is_array())
      P.add(Entry, "handle_passthrough", "expected an array of qualified function names");
    else
      for (size_t I = 0; I < It->size(); ++I) {
        const json &N = (*It)[I];
        if (!N.is_string() || !validQualifiedName(N.get<std::string>()) ||
            N.get<std::string>().rfind("::", 0) != 0)
          P.add(Entry, "handle_passthrough[" + std::to_string(I) + "]",
                "expected a qualified name like '::boost::beast::get_lowest_layer'");
        else
          L.HandlePassthrough.push_back(N.get<std::string>());
      }
  }
  if (auto It = E.find("uri_options"); It != E.end()) {
    if (!It->is_array() || It->empty())
      P.add(Entry, "uri_options", "expected a non-empty array of options");
    else
      for (size_t I = 0; I < It->size(); ++I) {
        std::string Path = "uri_options[" + std::to_string(I) + "]";
        Option O;
        parseOption((*It)[I], Entry, Path, P, O);
        if (O.Name.empty() && !notAString((*It)[I], "option"))
          P.add(Entry, Path + ".option", "expected the key as it appears in the connection string");
        if (O.Concern == "derive" || O.Semantics == "uri_options" || O.Semantics == "conninfo")
          P.add(Entry, Path, "a connection-string key cannot derive or hold another connection string");
        L.UriOptions.push_back(O);
      }
  }
  if (auto It = E.find("value_types"); It != E.end()) {
    if (!It->is_array())
      P.add(Entry, "value_types", "expected an array");
    for (size_t I = 0; It->is_array() && I < It->size(); ++I) {
      const json &T = (*It)[I];
      std::string Path = "value_types[" + std::to_string(I) + "]";
      if (!T.is_object()) {
        P.add(Entry, Path, "expected an object");
        continue;
      }
      ValueType VT;
      VT.Type = checkedLater(T, "type");
      if (!validQualifiedName(VT.Type) || VT.Type.rfind("::", 0) != 0)
        P.add(Entry, Path + ".type", "expected a qualified class name like '::Poco::Timespan'");
      if (auto K = T.find("constants"); K != T.end()) {
        if (!K->is_object())
          P.add(Entry, Path + ".constants", "expected an object of qualified names and numbers");
        else
          for (auto KV = K->begin(); K->is_object() && KV != K->end(); ++KV)
            if (!validQualifiedName(KV.key()) || KV.key().rfind("::", 0) != 0 || !KV->is_number())
              P.add(Entry, Path + ".constants." + KV.key(),
                    "expected a qualified name like '::Poco::Timespan::SECONDS' with a number");
            else
              VT.Constants[normalizeName(KV.key())] = KV->get<double>();
      }
      auto Cs = T.find("constructors");
      if (Cs == T.end() || !Cs->is_array() || Cs->empty()) {
        P.add(Entry, Path + ".constructors", "expected a non-empty array");
        continue;
      }
      for (size_t K = 0; K < Cs->size(); ++K) {
        const json &C = (*Cs)[K];
        std::string CPath = Path + ".constructors[" + std::to_string(K) + "]";
        auto W = C.is_object() ? C.find("seconds_per_arg") : C.end();
        if (W == C.end() || !W->is_array() || W->empty()) {
          P.add(Entry, CPath + ".seconds_per_arg",
                "expected a non-empty array of numbers (each argument's weight in seconds)");
          continue;
        }
        ValueConstructor VC;
        for (const auto &N : *W)
          if (N.is_number())
            VC.SecondsPerArg.push_back(N.get<double>());
          else
            P.add(Entry, CPath + ".seconds_per_arg", "expected numbers");
        VC.Args = static_cast<unsigned>(VC.SecondsPerArg.size());
        VT.Constructors.push_back(VC);
      }
      L.ValueTypes.push_back(VT);
    }
  }
  if (auto It = E.find("operation_patterns"); It != E.end()) {
    if (!It->is_array()) {
      P.add(Entry, "operation_patterns", "expected an array");
      return;
    }
    for (size_t I = 0; I < It->size(); ++I) {
      const json &O = (*It)[I];
      std::string Path = "operation_patterns[" + std::to_string(I) + "]";
      OperationPattern Pat;
      if (!O.is_object()) {
        P.add(Entry, Path, "expected an object");
        continue;
      }
      Pat.ParamType = checkedLater(O, "param_type");
      Pat.Label = textField(O, "label", Entry, Path, P);
      if (auto X = O.find("extra_handles"); X != O.end()) {
        if (!X->is_array() || X->size() != 1 || (*X)[0] != "object")
          P.add(Entry, Path + ".extra_handles", "expected [\"object\"] (the stub the method is called on)");
        else
          Pat.ObjectIsExtraHandle = true;
      }
      if (!validQualifiedName(Pat.ParamType) || Pat.ParamType.rfind("::", 0) != 0)
        P.add(Entry, Path + ".param_type", "expected a qualified class name like '::grpc::ClientContext'");
      auto CN = O.find("class_names");
      if (CN == O.end() || !CN->is_array() || CN->empty()) {
        P.add(Entry, Path + ".class_names", "expected a non-empty array of class names");
        continue;
      }
      for (const auto &N : *CN)
        if (N.is_string() && validQualifiedName(N.get<std::string>()))
          Pat.ClassNames.push_back(N.get<std::string>());
        else
          P.add(Entry, Path + ".class_names", "expected unqualified class names like 'Stub'");
      L.OperationPatterns.push_back(Pat);
    }
  }
}

/// An array of non-empty strings, each passing `Ok`; problems name the element.
std::vector<std::string> stringList(const json &E, const char *Field, const std::string &Entry,
                                    Problems &P, const char *Expected,
                                    bool (*Ok)(const std::string &)) {
  std::vector<std::string> Out;
  auto It = E.find(Field);
  if (It == E.end())
    return Out;
  if (!It->is_array()) {
    P.add(Entry, Field, std::string("expected an array of ") + Expected);
    return Out;
  }
  for (size_t I = 0; I < It->size(); ++I) {
    const json &N = (*It)[I];
    if (!N.is_string() || N.get<std::string>().empty() || !Ok(N.get<std::string>()))
      P.add(Entry, std::string(Field) + "[" + std::to_string(I) + "]",
            std::string("expected ") + Expected);
    else
      Out.push_back(N.get<std::string>());
  }
  return Out;
}

bool lowerCaseName(const std::string &S) {
  for (char C : S)
    if (std::isupper(static_cast<unsigned char>(C)) || std::isspace(static_cast<unsigned char>(C)))
      return false;
  return true;
}
bool anyText(const std::string &) { return true; }

/// transport.tls_parameter: `{"key": "sslmode", "absent": "prefer", "absent_env":
/// "PGSSLMODE", "off": [...], "try": [...], "on": [...], "verified": [...]}`.
void parseTlsParameter(const json &J, const std::string &Entry, Problems &P,
                       Transport::Parameter &X) {
  const std::string Path = "transport.tls_parameter";
  if (!J.is_object()) {
    P.add(Entry, Path, "expected an object");
    return;
  }
  auto Lower = [](std::string V) {
    for (char &C : V)
      C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    return V;
  };
  for (auto It = J.begin(); It != J.end(); ++It) {
    const std::string &K = It.key();
    if (K == "key" || K == "absent" || K == "absent_env") {
      if (!It->is_string() || It->get<std::string>().empty()) {
        P.add(Entry, Path + "." + K, "expected a non-empty string");
        continue;
      }
      std::string V = It->get<std::string>();
      (K == "key" ? X.Key : K == "absent" ? X.Absent : X.AbsentEnv) = K == "absent_env" ? V : Lower(V);
    } else if (K == "off" || K == "try" || K == "on" || K == "verified") {
      if (!It->is_array()) {
        P.add(Entry, Path + "." + K, "expected a list of values");
        continue;
      }
      for (const auto &V : *It)
        if (!V.is_string())
          P.add(Entry, Path + "." + K, "expected strings");
        else
          X.Values[K].push_back(Lower(V.get<std::string>()));
    } else {
      P.add(Entry, Path + "." + K, "unknown field");
    }
  }
  if (X.Key.empty())
    P.add(Entry, Path + ".key", "expected the connection-string key, like \"sslmode\"");
  if (!X.Absent.empty() && X.select(X.Absent).empty())
    P.add(Entry, Path + ".absent", "expected one of the listed values");
}

/// Library knowledge beyond calls: role, manifest names, what it is built on,
/// and how it reaches its server (catalog "transport").
void parseKnowledge(const json &E, const std::string &Entry, Problems &P, Library &L) {
  L.Role = checkedLater(E, "role");
  if (E.contains("role") && (!E["role"].is_string() || L.Role.empty()))
    P.add(Entry, "role", "expected what a service of this library is, like \"PostgreSQL\"");
  L.ManifestNames = stringList(E, "manifest_names", Entry, P,
                               "lower-case manifest names like \"hiredis::hiredis\"", lowerCaseName);
  L.ManifestPrefixes = stringList(E, "manifest_prefixes", Entry, P,
                                  "lower-case name prefixes like \"aws-cpp-sdk-\"", lowerCaseName);
  L.BuiltOn = stringList(E, "built_on", Entry, P, "library ids like \"libpq\"", anyText);
  for (const auto &B : L.BuiltOn)
    if (B == L.Id)
      P.add(Entry, "built_on", "a library is not built on itself");
  auto It = E.find("transport");
  if (It == E.end())
    return;
  const json &T = *It;
  if (!T.is_object()) {
    P.add(Entry, "transport", "expected an object");
    return;
  }
  Transport &X = L.Transport;
  X.DefaultScheme = checkedLater(T, "default_scheme");
  if (T.contains("default_scheme") && (!T["default_scheme"].is_string() || !lowerCaseName(X.DefaultScheme)))
    P.add(Entry, "transport.default_scheme", "expected a lower-case scheme like \"redis\"");
  if (auto H = T.find("scheme_by_host_prefix"); H != T.end()) {
    if (!H->is_object())
      P.add(Entry, "transport.scheme_by_host_prefix", "expected an object of host prefixes and schemes");
    else
      for (auto KV = H->begin(); KV != H->end(); ++KV)
        if (!KV->is_string() || KV.key().empty())
          P.add(Entry, "transport.scheme_by_host_prefix." + KV.key(), "expected a scheme");
        else
          X.SchemeByHostPrefix[KV.key()] = KV->get<std::string>();
  }
  if (auto Port = T.find("default_port"); Port != T.end()) {
    if (auto V = intIn(*Port, 1, 65535))
      X.DefaultPort = *V;
    else
      P.add(Entry, "transport.default_port", "expected a port number (1-65535)");
  }
  if (T.contains("tls_by_default"))
    X.TlsByDefault = boolField(T, "tls_by_default", false, Entry, "transport", P);
  X.VerifiesByDefault = boolField(T, "verifies_by_default", false, Entry, "transport", P);
  X.RequireTls = checkedLater(T, "require_tls");
  if (T.contains("require_tls") && (!T["require_tls"].is_string() || X.RequireTls.empty()))
    P.add(Entry, "transport.require_tls", "expected what to write to require TLS");
  if (auto It = T.find("tls_parameter"); It != T.end())
    parseTlsParameter(*It, Entry, P, X.TlsParameter);
}
} // namespace

namespace {
// The fields an entry may have, by where they appear: a misspelt field
// ("default_timout") is an error, not a silently ignored line of a user's entry.
const std::map<std::string, std::set<std::string>> KnownFields = {
    {"", {"id", "name", "kind", "headers", "reach_headers", "debian_package", "mirror_header", "default_timeout",
          "default_retry", "kind_by_scheme", "handle_passthrough", "operation_patterns",
          "operations", "setters", "description", "uri_options", "value_types",
          "timeout_fix", "mitigations", "role", "manifest_names", "manifest_prefixes", "built_on", "transport"}},
    {"transport", {"default_scheme", "scheme_by_host_prefix", "default_port", "tls_by_default",
                   "verifies_by_default", "tls_parameter", "require_tls"}},
    {"default_timeout", {"seconds", "connect_seconds", "text", "source"}},
    {"default_retry", {"attempts", "backoff", "source"}},
    {"operations", {"name", "handle", "endpoint_arg", "label", "timeout_scopes", "only_if_connected", "not_to_peer", "completes_previous",
                    "default_timeout", "min_args", "extra_handles", "access", "mitigations", "fix_it"}},
    {"setters", {"name", "handle", "option_arg", "value_arg", "field_assignment", "options",
                 "subscript_assignment", "arg_count", "sql_set", "keyword_arrays", "expand_arg"}},
    {"options", {"option", "concern", "scope", "unit", "value_semantics", "tls_values"}},
    {"uri_options", {"option", "concern", "scope", "unit", "value_semantics", "tls_values"}},
    {"operation_patterns", {"class_names", "param_type", "label", "extra_handles"}},
};

void checkFields(const json &J, const std::string &Where, const std::string &Kind,
                 const std::string &Entry, Problems &P) {
  auto Known = KnownFields.find(Kind);
  if (!J.is_object() || Known == KnownFields.end())
    return;
  for (auto It = J.begin(); It != J.end(); ++It) {
    std::string Path = Where.empty() ? It.key() : Where + "." + It.key();
    if (!Known->second.count(It.key())) {
      P.add(Entry, Path, "unknown field");
      continue;
    }
    if (It.key() == "default_timeout" || It.key() == "default_retry" || It.key() == "transport") {
      checkFields(*It, Path, It.key(), Entry, P);
    } else if (It->is_array() && KnownFields.count(It.key())) {
      for (size_t I = 0; I < It->size(); ++I)
        checkFields((*It)[I], Path + "[" + std::to_string(I) + "]", It.key(), Entry, P);
    }
  }
}

/// One entry of `operations`.
Operation parseOperation(const json &O, const std::string &Entry, const std::string &Path, Problems &P) {
  Operation Op;
  Op.Name = checkedLater(O, "name");
  if (validQualifiedName(Op.Name) && Op.Name.rfind("::", 0) != 0)
    Op.Name = "::" + Op.Name; // `acme::Client::send` is as qualified as `::acme::...`
  if (!validQualifiedName(Op.Name) || Op.Name.rfind("::", 0) != 0)
    P.add(Entry, Path + ".name", "expected a qualified name like '::redisCommand'");
  Op.Handle = parseHandle(O, Entry, Path, P);
  Op.EndpointArg = intField(O, "endpoint_arg", -1, Entry, Path, P);
  Op.Label = textField(O, "label", Entry, Path, P);
  Op.OnlyIfConnected = boolField(O, "only_if_connected", false, Entry, Path, P);
  Op.CompletesPrevious = boolField(O, "completes_previous", false, Entry, Path, P);
  Op.NotToPeer = boolField(O, "not_to_peer", false, Entry, Path, P);
  if (O.is_object() && O.contains("access")) {
    Op.Access = checkedLater(O, "access");
    if (Op.Access != "read" && Op.Access != "write" && Op.Access != "write_many")
      P.add(Entry, Path + ".access", "expected read, write or write_many (not retried by a write retry policy)");
  }
  if (O.is_object() && O.contains("default_timeout"))
    Op.Default = parseDefaultTimeout(O["default_timeout"], Entry, Path + ".default_timeout", P);
  if (O.is_object())
    Op.MinArgs = static_cast<unsigned>(intField(O, "min_args", 0, Entry, Path, P));
  if (O.is_object() && O.contains("timeout_scopes")) {
    // Iterating a JSON string or number visits the value itself: "total" alone
    // would pass for ["total"].
    if (!O["timeout_scopes"].is_array())
      P.add(Entry, Path + ".timeout_scopes",
            "expected an array of total, connect, read, write or async");
    else
      for (const auto &Sc : O["timeout_scopes"])
        if (Sc.is_string() && Scopes.count(Sc.get<std::string>()) && !Sc.get<std::string>().empty())
          Op.TimeoutScopes.push_back(Sc.get<std::string>());
        else
          P.add(Entry, Path + ".timeout_scopes", "expected total, connect, read, write or async");
  }
  if (auto X = O.is_object() ? O.find("extra_handles") : O.end(); X != O.end()) {
    if (!X->is_array())
      P.add(Entry, Path + ".extra_handles", "expected an array of handles (argN or object)");
    else
      for (size_t K = 0; K < X->size(); ++K) {
        auto H = (*X)[K].is_string() ? HandleSpec::parse((*X)[K].get<std::string>())
                                     : std::nullopt;
        if (!H || (H->K != HandleSpec::Kind::Arg && H->K != HandleSpec::Kind::Object))
          P.add(Entry, Path + ".extra_handles[" + std::to_string(K) + "]",
                "expected argN or object");
        else
          Op.ExtraHandles.push_back(*H);
      }
  }
  if (O.is_object() && O.contains("fix_it")) {
    Op.FixIt = checkedLater(O, "fix_it");
    if (Op.FixIt.find("{handle}") == std::string::npos ||
        Op.FixIt.find("{timeout_ms}") == std::string::npos || Op.FixIt.find('\n') != std::string::npos)
      P.add(Entry, Path + ".fix_it", "expected one statement with {handle} and {timeout_ms}");
  }
  if (O.is_object() && O.contains("mitigations"))
    for (const auto &[Field, What] : parseMitigations(O["mitigations"], Op.Mitigations))
      P.add(Entry, Path + ".mitigations" + Field, What);
  return Op;
}

/// One entry of `setters`; `L` is its library so far (for uri_options).
Setter parseSetter(const json &S, const std::string &Entry, const std::string &Path, const Library &L,
                   Problems &P) {
  Setter St;
  St.Name = checkedLater(S, "name");
  if (validQualifiedName(St.Name) && St.Name.rfind("::", 0) != 0)
    St.Name = "::" + St.Name;
  // "::*::NewStub": a static or member function of that name in any class
  // (generated code whose class names are the user's).
  bool AnyClass = St.Name.rfind("::*::", 0) == 0 && validQualifiedName(St.Name.substr(5)) &&
                  St.Name.find("::", 5) == std::string::npos;
  if (!AnyClass && (!validQualifiedName(St.Name) || St.Name.rfind("::", 0) != 0))
    P.add(Entry, Path + ".name", "expected a qualified name like '::curl_easy_setopt'");
  St.Handle = parseHandle(S, Entry, Path, P);
  St.OptionArg = intField(S, "option_arg", -1, Entry, Path, P);
  if (S.is_object() && S.contains("value_arg") && S["value_arg"].is_string()) {
    // The value is the call's object: `cli.publish(...)` returns a token of `cli`.
    St.ValueIsObject = S["value_arg"] == "object";
    if (!St.ValueIsObject)
      P.add(Entry, Path + ".value_arg", "expected a non-negative integer or \"object\"");
  } else {
    St.ValueArg = intField(S, "value_arg", -1, Entry, Path, P);
  }
  St.FieldAssignment = boolField(S, "field_assignment", false, Entry, Path, P);
  if (St.FieldAssignment && St.ValueIsObject)
    P.add(Entry, Path + ".value_arg",
          "a field_assignment setter's value is the right-hand side, not \"object\"");
  St.ArgCount = intField(S, "arg_count", -1, Entry, Path, P);
  St.SqlSet = boolField(S, "sql_set", false, Entry, Path, P);
  if (St.SqlSet && St.OptionArg < 0)
    P.add(Entry, Path + ".sql_set", "an sql_set setter names the SQL text with option_arg");
  if (St.ArgCount >= 0 && St.ValueArg >= St.ArgCount)
    P.add(Entry, Path + ".value_arg", "value_arg is beyond arg_count");
  if (St.FieldAssignment) {
    St.Handle.K = HandleSpec::Kind::Object;
    St.ValueArg = 0;
  }
  St.SubscriptAssignment = boolField(S, "subscript_assignment", false, Entry, Path, P);
  if (St.SubscriptAssignment) {
    if (St.FieldAssignment)
      P.add(Entry, Path + ".subscript_assignment",
            "a setter is a field assignment or a subscript assignment, not both");
    // `name[key] = value`: the handle is the map, the option the key, the value the RHS.
    St.Handle.K = HandleSpec::Kind::Object;
    St.OptionArg = 0;
    St.ValueArg = 1;
  }
  if (S.is_object() && S.contains("keyword_arrays")) {
    if (!S["keyword_arrays"].is_boolean())
      P.add(Entry, Path + ".keyword_arrays", "expected true or false");
    else
      St.KeywordArrays = S["keyword_arrays"].get<bool>();
  }
  St.ExpandArg = intField(S, "expand_arg", -1, Entry, Path, P);
  if (St.KeywordArrays && (St.OptionArg < 0 || St.ValueArg < 0))
    P.add(Entry, Path + ".keyword_arrays", "keyword arrays need option_arg (the keywords) and value_arg (the values)");
  auto Opts = S.is_object() ? S.find("options") : S.end();
  if (Opts == S.end() || !Opts->is_array() || Opts->empty()) {
    P.add(Entry, Path + ".options", "expected a non-empty array");
  } else {
    for (size_t K = 0; K < Opts->size(); ++K) {
      Option O;
      parseOption((*Opts)[K], Entry, Path + ".options[" + std::to_string(K) + "]", P, O);
      St.Options.push_back(O);
    }
    for (size_t K = 0; K < St.Options.size(); ++K)
      if (St.Options[K].Semantics == "uri_options" && L.UriOptions.empty())
        P.add(Entry, Path + ".options[" + std::to_string(K) + "].value_semantics",
              "\"uri_options\" needs the entry's uri_options list of keys");
    if (St.OptionArg < 0 && St.Options.size() != 1)
      P.add(Entry, Path + ".options",
            "a setter without option_arg sets exactly one thing");
    if (St.OptionArg >= 0)
      for (size_t K = 0; K < St.Options.size(); ++K)
        if (St.Options[K].Name.empty() && !notAString((*Opts)[K], "option"))
          P.add(Entry, Path + ".options[" + std::to_string(K) + "].option",
                "expected the option's name (an enumerator or macro)");
  }
  return St;
}
} // namespace
Library parseLibrary(const json &E, const std::string &FileName, const std::string &Where, Problems &P) {
  Library L;
  L.SourceFile = FileName;
  L.Id = textField(E, "id", "", Where, P);
  std::string Entry = L.Id.empty() ? Where : L.Id;
  checkFields(E, "", "", Entry, P);
  if (L.Id.empty() && !notAString(E, "id"))
    P.add("", Where + ".id", "missing library id");
  L.Name = textField(E, "name", Entry, "", P);
  if (L.Name.empty())
    L.Name = L.Id;
  L.Kind = checkedLater(E, "kind");
  if (!Kinds.count(L.Kind))
    P.add(Entry, "kind", "expected one of http, db, cache, queue, email, rpc, cloud, local, tcp");
  L.Package = textField(E, "debian_package", Entry, "", P);
  if (auto It = E.find("mitigations"); It != E.end())
    for (const auto &[Field, What] : parseMitigations(*It, L.Mitigations))
      P.add(Entry, "mitigations" + Field, What);
  if (E.contains("timeout_fix")) { // short form of mitigations.timeout
    if (!E["timeout_fix"].is_string() || checkedLater(E, "timeout_fix").empty())
      P.add(Entry, "timeout_fix", "expected the C++ that sets a timeout, with {handle} for the handle");
    else if (L.Mitigations.Timeout.empty())
      L.Mitigations.Timeout = checkedLater(E, "timeout_fix");
    else
      P.add(Entry, "timeout_fix", "mitigations.timeout is also set: keep one");
  }
  L.MirrorHeader = boolField(E, "mirror_header", false, Entry, "", P);
  if (auto It = E.find("headers"); It != E.end()) {
    if (!It->is_array())
      P.add(Entry, "headers", "expected an array of header paths");
    else
      for (size_t I = 0; I < It->size(); ++I)
        if (!(*It)[I].is_string() || (*It)[I].get<std::string>().empty())
          P.add(Entry, "headers[" + std::to_string(I) + "]", "expected a header path");
        else
          L.Headers.push_back((*It)[I].get<std::string>());
  }
  if (auto It = E.find("reach_headers"); It != E.end()) {
    if (!It->is_array())
      P.add(Entry, "reach_headers", "expected an array of header paths");
    else
      for (const auto &H : *It)
        if (H.is_string() && !H.get<std::string>().empty())
          L.ReachHeaders.push_back(H.get<std::string>());
        else
          P.add(Entry, "reach_headers", "expected an array of header paths");
  }
  if (auto It = E.find("default_timeout"); It != E.end())
    if (auto D = parseDefaultTimeout(*It, Entry, "default_timeout", P))
      L.Default = *D;
  if (auto It = E.find("default_retry"); It != E.end()) {
    if (!It->is_object() || !It->contains("attempts") || !(*It)["attempts"].is_number_integer() ||
        !It->contains("source"))
      P.add(Entry, "default_retry", "expected {\"attempts\": N, \"backoff\": bool, \"source\": \"<doc>\"}");
    else if (!intIn((*It)["attempts"], 1, 1000000))
      P.add(Entry, "default_retry.attempts", "expected the number of attempts, at least 1");
    else if (It->contains("backoff") && !(*It)["backoff"].is_boolean())
      P.add(Entry, "default_retry.backoff", "expected true or false");
    else if (!(*It)["source"].is_string())
      P.add(Entry, "default_retry.source", "expected a string");
    else
      L.DefaultRetry = catalog::DefaultRetry{(*It)["attempts"].get<int>(), It->value("backoff", false),
                                             (*It)["source"].get<std::string>()};
  }
  if (auto It = E.find("kind_by_scheme"); It != E.end()) {
    if (!It->is_object())
      P.add(Entry, "kind_by_scheme", "expected an object of URL schemes and kinds");
    else
      for (auto KV = It->begin(); KV != It->end(); ++KV)
        if (!KV->is_string() || !Kinds.count(KV->get<std::string>()))
          P.add(Entry, "kind_by_scheme." + KV.key(),
                "expected one of http, db, cache, queue, email, rpc, cloud, local, tcp");
        else
          L.KindByScheme[KV.key()] = KV->get<std::string>();
  }
  parseExtensions(E, Entry, P, L);
  parseKnowledge(E, Entry, P, L);
  auto Ops = E.find("operations");
  if (Ops == E.end() || !Ops->is_array() || Ops->empty()) {
    // An entry may recognise its operations by shape alone (operation_patterns).
    if (L.OperationPatterns.empty() || (Ops != E.end() && !Ops->is_array()))
      P.add(Entry, "operations", "expected a non-empty array");
  } else
    for (size_t I = 0; I < Ops->size(); ++I) {
      std::string Path = "operations[" + std::to_string(I) + "]";
      L.Operations.push_back(parseOperation((*Ops)[I], Entry, Path, P));
    }
  if (auto Ss = E.find("setters"); Ss != E.end()) {
    if (!Ss->is_array())
      P.add(Entry, "setters", "expected an array");
    else
      for (size_t I = 0; I < Ss->size(); ++I) {
        std::string Path = "setters[" + std::to_string(I) + "]";
        L.Setters.push_back(parseSetter((*Ss)[I], Entry, Path, L, P));
      }
  }
  return L;
}

} // namespace im::catalog::detail
