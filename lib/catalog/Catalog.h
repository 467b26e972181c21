// The client catalog: which functions reach the network, through which handle,
// and which calls configure timeouts, endpoints, TLS and credentials on it.
// Loaded once from JSON (embedded files plus the user's) into typed structs.
#pragma once

#include "llvm/Support/Error.h"

#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

namespace im::catalog {

struct EmbeddedFile {
  const char *Name;
  const char *Text;
};
/// The matchers/catalog/*.json files compiled into the binary.
const std::vector<EmbeddedFile> &embeddedCatalogFiles();

/// Where the handle of a call comes from.
struct HandleSpec {
  /// Call: the call itself (an operation) or, for a setter constructing an
  /// argument, the call it is an argument of: `cpr::Get(cpr::Url{..}, cpr::Timeout{..})`.
  enum class Kind { None, Arg, Object, Result, Call } K = Kind::None;
  unsigned Index = 0; // for Arg
  static constexpr unsigned MaxArgIndex = 65535;
  /// "none", "object", "result", "call" or "argN" with N <= MaxArgIndex.
  static std::optional<HandleSpec> parse(const std::string &S);
  std::string str() const;
};

/// One option a setter can set (CURLOPT_TIMEOUT_MS), or the single thing a
/// dedicated setter sets (httplib's set_read_timeout).
struct Option {
  std::string Name;
  std::string Concern; // timeout | endpoint | tls_verify | credential | retry | tls
  std::string Scope;   // timeout: total | connect | read | write
  std::string Unit;    // s | ms | us
  std::string Semantics; // registered value semantics, e.g. zero_is_infinite
  /// A `tls` option's values, lower case, by what they select (catalog
  /// "tls_values"): "on" (TLS required), "off" (no TLS), "try" (TLS only if the
  /// server offers it). Integers are written as their decimal text. Empty: 0 is
  /// off and any other constant on.
  std::map<std::string, std::vector<std::string>> TlsValues;
  /// "on" | "off" | "try" for a value spelled `V`, or "" when the option does not say.
  std::string tlsValue(const std::string &V) const;
};

struct Setter {
  std::string Name; // qualified function or method name
  HandleSpec Handle;
  int OptionArg = -1; // which argument names the option; -1: `Options` has one entry
  int ValueArg = -1;
  /// `"value_arg": "object"`: the value is the call's object (`cli.publish(...)`
  /// returns a token that derives from `cli`).
  bool ValueIsObject = false;
  /// The setter is an assignment to this field (`opts.socket_timeout = 200ms`):
  /// the handle is the object owning the field, the value the right-hand side.
  bool FieldAssignment = false;
  /// The setter is `map[key] = value` on an object whose type is (a typedef
  /// named) `Name` (`opts["OPT_CONNECT_TIMEOUT"] = 5` on sql::ConnectOptionsMap):
  /// the handle is the map, the option the key, the value the right-hand side.
  bool SubscriptAssignment = false;
  /// The setter applies only to calls with exactly this many arguments (default
  /// arguments included): selects one overload of a name (`setTimeout(t)` versus
  /// `setTimeout(connect, send, receive)`). -1: any call.
  int ArgCount = -1;
  /// The option argument is SQL text: `SET [SESSION] name {=|TO} value` names the
  /// option and carries the value (`PQexec(c, "SET statement_timeout = 5000")`).
  bool SqlSet = false;
  /// option_arg and value_arg are parallel arrays of keywords and values
  /// (`PQconnectdbParams(keywords, values, expand_dbname)`): each keyword a
  /// listed option names is a setting with the value at the same index.
  bool KeywordArrays = false;
  /// With KeywordArrays: the argument that, when non-zero, makes the value of an
  /// option with "conninfo" semantics a connection string of its own; -1: never.
  int ExpandArg = -1;
  std::vector<Option> Options;
  const Option *find(const std::string &OptionName) const;
};

struct DefaultTimeout {
  std::optional<double> Seconds; // null: waits forever
  std::optional<double> ConnectSeconds;
  std::string Text;
  std::string Source;
};

/// C++ the mitigation plan shows for a library (catalog "mitigations"), each
/// with `{handle}` for the call's handle: `{handle}.` and `{handle}->` take the
/// member access the handle's real type needs, a bare `{handle}` is the handle
/// as a value (`h.get()` for a smart pointer). Empty: the generic advice.
struct MitigationSnippets {
  std::string Success;  // an expression that is true when the call succeeded
  std::string Timeout;  // statements that bound the call
  std::string Retry;    // a bounded retry with backoff around the call
  std::string Health;   // a cheap probe of the dependency
  std::string Fallback; // what to do when the call fails
  /// Fields of `Over` that are set replace these.
  MitigationSnippets overriddenBy(const MitigationSnippets &Over) const;
};

struct Operation {
  std::string Name;
  HandleSpec Handle;
  int EndpointArg = -1;
  std::string Label; // what it does, for people (perform request, run query)
  /// Only calls with at least this many arguments are the operation
  /// (`soci::session sql;` does not connect, `soci::session sql(pg, "...")` does).
  unsigned MinArgs = 0;
  /// Which timeout scopes bound this operation; empty means all of them.
  std::vector<std::string> TimeoutScopes;
  /// Reported only when the analysed code connects the handle (a setting of
  /// concern `connect` reaches it): a socket the code accepted is a server's.
  bool OnlyIfConnected = false;
  /// Not reported when its destination was filled in by a receive (a setting of
  /// concern `peer` reaches an extra handle): a datagram sent back to the
  /// sender of one received is a server's reply, not a client's request.
  bool NotToPeer = false;
  /// The second half of a request (`receiveResponse` after `sendRequest`): a retry
  /// repeats both, so the missing-retry finding is raised on the first half only.
  bool CompletesPrevious = false;
  /// "read" or "write" when a library retry policy applies to one kind of
  /// operation only (MongoDB retryReads / retryWrites); empty: any.
  std::string Access;
  /// What this operation does when nothing bounds it, when it differs from the
  /// library's (Paho: the synchronous client waits 30 s, the async token forever).
  std::optional<DefaultTimeout> Default;
  /// Further handles whose settings also bound this call (catalog
  /// "extra_handles"): Qt's `manager.get(request)` is bounded by timeouts set on
  /// the manager (the handle) and on the request (argument 0).
  std::vector<HandleSpec> ExtraHandles;
  /// Snippets for this operation where the library's do not fit its handle
  /// (`curl_multi_perform` drives a CURLM*, not an easy handle).
  MitigationSnippets Mitigations;
  /// One statement the clang-tidy plugin may insert to bound this operation on a
  /// handle with no timeout setting (catalog "fix_it"): `{handle}` is the handle
  /// as the call spells it, `{timeout_ms}` the check's FixTimeoutMs.
  std::string FixIt;
  bool boundedBy(const std::string &Scope) const {
    if (TimeoutScopes.empty())
      return true;
    for (const auto &S : TimeoutScopes)
      if (S == Scope)
        return true;
    return false;
  }
};

/// Operations recognised by shape rather than by name, for generated code whose
/// names are the user's: a method of a class named one of `ClassNames` that takes
/// a pointer or reference to `ParamType` (gRPC stubs: `Stub::SayHello(ClientContext*,
/// ...)`). The handle is that argument.
struct OperationPattern {
  std::vector<std::string> ClassNames;
  std::string ParamType; // qualified, "::grpc::ClientContext"
  std::string Label;
  /// extra_handles ["object"]: settings reaching the object the method is called
  /// on (the stub, from its channel) also count for the call.
  bool ObjectIsExtraHandle = false;
};

/// How to read a time value of a library class from its constructor (catalog
/// "value_types"): `Poco::Timespan(5, 0)` is 5 s, `Poco::Timespan(250000)` 0.25 s.
struct ValueConstructor {
  unsigned Args = 0;                // the constructor's number of arguments
  std::vector<double> SecondsPerArg; // each argument's weight in seconds
};
struct ValueType {
  std::string Type; // qualified class name, "::Poco::Timespan"
  std::vector<ValueConstructor> Constructors;
  /// Constants the header declares but defines out of line, so the compiler
  /// cannot fold them (`Poco::Timespan::SECONDS` = 1000000), by qualified name
  /// without leading "::"; read in constructor arguments like `5 * SECONDS`.
  std::map<std::string, double> Constants;
};

struct DefaultRetry {
  int Attempts = 0;
  bool Backoff = false;
  std::string Source;
};

/// How a library reaches its server when the code does not say (catalog "transport").
struct Transport {
  /// Scheme of an endpoint written without one ("redis" for hiredis).
  std::string DefaultScheme;
  /// Host-name prefixes that select another scheme ("ftp." -> ftp for libcurl).
  std::map<std::string, std::string> SchemeByHostPrefix;
  int DefaultPort = 0; // 0: none or unknown
  /// The library speaks TLS unless told otherwise (libcurl for https, Kafka no).
  std::optional<bool> TlsByDefault;
  /// With TLS, the peer certificate is verified unless an option turns it off.
  bool VerifiesByDefault = false;
  /// A connection-string key that selects TLS and verification (libpq
  /// `sslmode`, catalog "tls_parameter"); empty Key: none.
  struct Parameter {
    std::string Key;        // lower case
    std::string Absent;     // what the library does when the key is not written
    std::string AbsentEnv;  // environment variable that changes that default
    /// Values, lower case, by what they select: "off" (no TLS), "try" (TLS only
    /// if the server offers it, no verification), "on" (TLS required, the
    /// certificate checked only when set up elsewhere), "verified".
    std::map<std::string, std::vector<std::string>> Values;
    /// "off" | "try" | "on" | "verified" for a value, "" when not listed.
    std::string select(const std::string &Value) const;
  } TlsParameter;
  /// What to write to require TLS, for messages ("CURLUSESSL_ALL",
  /// "sslmode=verify-full"; catalog "require_tls").
  std::string RequireTls;
};

struct Library {
  std::string Id;
  std::string Name;
  std::string Kind;
  std::vector<std::string> Headers;
  /// Path suffixes of the headers declaring the library's operations: a
  /// translation unit that can call the library includes one of them, directly
  /// or not (catalog "reach_headers"; `Headers` when absent). An umbrella
  /// header is not one: a unit may include only the part it uses.
  std::vector<std::string> ReachHeaders;
  std::string Package;
  bool MirrorHeader = false;
  DefaultTimeout Default;
  std::optional<::im::catalog::DefaultRetry> DefaultRetry; // the library retries on its own when unset
  std::vector<Operation> Operations;
  std::vector<Setter> Setters;
  std::map<std::string, std::string> KindByScheme;
  /// Functions returning (a layer of) their first argument: the handle is the
  /// argument's (`beast::get_lowest_layer(stream)`).
  std::vector<std::string> HandlePassthrough;
  std::vector<OperationPattern> OperationPatterns;
  /// Keys read out of a connection string or URI set by an option with value
  /// semantics "uri_options" (`mongodb://h/?socketTimeoutMS=5000`): each key is
  /// an Option (its `Name` the key, compared case-insensitively).
  std::vector<Option> UriOptions;
  const Option *uriOption(const std::string &Key) const;
  std::vector<ValueType> ValueTypes;
  /// The C++ of the mitigation plan (catalog "mitigations"; "timeout_fix" is
  /// accepted as a short form of its "timeout").
  MitigationSnippets Mitigations;
  /// What a service of this library is, for integration names ("PostgreSQL",
  /// "Redis"); empty: named after its kind (catalog "role").
  std::string Role;
  /// Names the library goes by in build manifests (CMake packages and targets,
  /// pkg-config modules, vcpkg and conan packages, meson dependencies), lower
  /// case; `ManifestPrefixes` match any name starting with one (aws-cpp-sdk-).
  std::vector<std::string> ManifestNames;
  std::vector<std::string> ManifestPrefixes;
  /// Libraries this one is built on: calling it uses them (libpqxx -> libpq).
  std::vector<std::string> BuiltOn;
  ::im::catalog::Transport Transport;
  std::string SourceFile;
};

/// Value semantics a catalog entry may name.
bool isKnownSemantics(const std::string &Name);

class Catalog {
public:
  /// The embedded catalog.
  static llvm::Expected<Catalog> loadBuiltin();
  /// Adds the entries of one JSON document; every problem is reported, each
  /// naming the file, the entry and the field.
  llvm::Error addJson(const std::string &FileName, const std::string &Text);

  const std::vector<Library> &libraries() const { return Libraries; }
  std::vector<std::string> operationNames() const;
  std::vector<std::string> setterNames() const;
  /// By qualified name, with or without leading "::".
  std::pair<const Library *, const Operation *> lookupOperation(const std::string &QualName) const;
  std::vector<std::pair<const Library *, const Setter *>> lookupSetters(const std::string &QualName) const;
  const Library *library(const std::string &Id) const;
  /// The mitigation snippets for a call of `Operation` (qualified, with or without
  /// "::") of library `LibraryId`: the operation's own where it has them, else the
  /// library's; empty fields where the catalog has none.
  MitigationSnippets mitigationsFor(const std::string &LibraryId, const std::string &Operation) const;
  /// The library a build manifest names (`Name` lower case, without version or
  /// linkage suffix): an exact manifest_names entry first, then a prefix.
  const Library *libraryForManifestName(const std::string &Name) const;
  /// Unqualified names of every operation and setter (what the matchers select by).
  const std::set<std::string> &functionNames() const { return FunctionNames; }
  /// functionNames() and every option name: the words worth noticing in code the
  /// preprocessor skipped.
  const std::set<std::string> &identifiers() const { return Identifiers; }

private:
  void reindex();
  std::vector<Library> Libraries;
  std::map<std::string, std::pair<size_t, size_t>> OpIndex;
  std::multimap<std::string, std::pair<size_t, size_t>> SetterIndex;
  std::set<std::string> FunctionNames;
  std::set<std::string> Identifiers;
};

std::string normalizeName(const std::string &QualName);

} // namespace im::catalog
