// Plain data extracted from translation units and produced by the analysis.
// No Clang types here: this is what the per-TU extractor emits, what caches and
// shards store, and what merge/resolve/report consume.
#pragma once

#include "model/Risk.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace im::model {

/// A source position as the user sees it (expansion location, absolute path).
struct Location {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;

  bool valid() const { return !File.empty() && Line != 0; }
  friend bool operator<(const Location &A, const Location &B) {
    if (A.File != B.File)
      return A.File < B.File;
    if (A.Line != B.Line)
      return A.Line < B.Line;
    return A.Column < B.Column;
  }
  friend bool operator==(const Location &A, const Location &B) {
    return A.File == B.File && A.Line == B.Line && A.Column == B.Column;
  }
};

/// One line of code that justifies a verdict, with what it shows.
struct Evidence {
  std::string File;
  unsigned Line = 0;
  std::string Note;
  friend bool operator==(const Evidence &A, const Evidence &B) {
    return A.File == B.File && A.Line == B.Line && A.Note == B.Note;
  }
  friend bool operator<(const Evidence &A, const Evidence &B) {
    if (A.File != B.File)
      return A.File < B.File;
    if (A.Line != B.Line)
      return A.Line < B.Line;
    return A.Note < B.Note;
  }
};

/// The verdict on one protection (timeout, retry, breaker, fallback) of a call.
/// `Present` is true only when proven; `Status` adds "conditional" for verdicts
/// that depend on run-time configuration.
struct Protection {
  bool Present = false;
  std::string Status = "absent"; // present | absent | conditional
  std::vector<::im::model::Evidence> Evidence;
  std::string Reason;
  // Timeout only: the worst-case blocking in seconds when it is a constant.
  std::optional<double> Seconds;
  // Timeout only: true when the code allows the call to block forever.
  bool Unbounded = false;
  // Retry only.
  std::optional<bool> Bounded;
  std::optional<bool> Backoff;
  std::optional<bool> Jitter;
  std::optional<int> MaxAttempts;
  // Circuit breaker / fallback: how it was recognised or what it serves.
  std::string Kind;
};

/// A value as far as the compiler can fold it.
struct Value {
  enum class Kind { None, Int, Float, String, Unknown } K = Kind::None;
  long long Int = 0;
  double Float = 0;
  std::string Str;   // string literal contents (never printed for secrets)
  std::string Text;  // the source spelling of the expression, for messages
  std::string DependsOn; // variable, env var or setting a non-constant depends on
  /// True when the value is a compile-time constant or a local variable's
  /// initializer; false for defaults that run-time code may override.
  bool Proven = false;
  Location Origin; // where a value that came through a variable was defined
  std::string ParamKey; // "param:<fn>#i" when the value is a function parameter
  /// A value read from a data member of an object the function names
  /// (`opts.timeout_ms` with `opts` a parameter or a local): the object's handle
  /// key (param:, var:, field:) and the member's qualified name. What the member
  /// holds at a call is decided from the "member" and "object" settings on the
  /// object and on the objects callers pass in (analysis/MemberValues).
  std::string MemberOf;
  std::string Member;
  /// Where the bytes of a string folded from literals were written: piece i
  /// covers Str from Pieces[i].Offset up to the next piece and starts at
  /// Pieces[i].Loc; its bytes follow each other on that source line (a new piece
  /// starts at every literal token of a concatenation and after every escape).
  /// A value read out of a literal (a URI option) has one piece: where it is written.
  struct Piece {
    unsigned Offset = 0;
    Location Loc;
  };
  std::vector<Piece> Pieces;
  /// The source position of byte `Offset` of Str (the line and column of that
  /// character inside a multi-line or concatenated literal); invalid when the
  /// string was not folded from literals.
  Location at(size_t Offset) const;
  /// A std::chrono duration: Int/Float are seconds whatever the option's unit;
  /// Unknown means a duration of run-time length.
  bool Duration = false;
  /// A condition, as written, that makes a run-time value positive wherever the
  /// setting runs (`if (t > 0) setter(t)`, `if (t <= 0) return;` before it), and
  /// where it is; empty when none was found.
  std::string PositiveWhen;
  Location PositiveAt;
};

/// One piece of a string as far as the extractor can name it (see StrExpr).
struct StrPiece {
  /// lit      literal text (Text)
  /// env      an environment variable; Args[0] is its name as a StrExpr
  /// param    a parameter of the enclosing function (Text: "param:<fn>#i")
  /// field    a data member (Text: "field:<Class>::<member>")
  /// call     the result of a project function (Text: its function key; Args: its arguments)
  /// unknown  anything else (Text: the source spelling, shortened)
  std::string Kind;
  std::string Text;
  std::vector<std::vector<StrPiece>> Args;
  friend bool operator==(const StrPiece &A, const StrPiece &B) {
    return A.Kind == B.Kind && A.Text == B.Text && A.Args == B.Args;
  }
};
/// A string value as a concatenation of pieces (literals, env vars, parameters,
/// members, project calls). Folded across functions and translation units by
/// analysis/Endpoints.
using StrExpr = std::vector<StrPiece>;

/// A configuration call on a handle: a setopt, a setter method, a factory
/// argument. `Concern` says what it configures (timeout, endpoint, tls, ...).
struct Setting {
  std::string HandleKey;
  std::string Library;
  /// timeout | endpoint | tls_verify | credential | retry | derive | connect, and
  /// in TUFacts::ObjectSettings, for plain option objects of the project (a
  /// struct of settings passed to a wrapper): "member" (`obj.field = value`;
  /// Option is the member's qualified name) and "object" (a local object of
  /// class type made with its default members: Val.DependsOn is "default:<class>").
  std::string Concern;
  std::string Option;  // e.g. CURLOPT_TIMEOUT_MS
  std::string Scope;   // timeout: total | connect | read | write
  std::string Unit;    // s | ms | us
  bool ZeroIsInfinite = false;
  Value Val;
  Location Loc;
  std::string FunctionKey;
  /// A setting made by calling a project forwarder: the forwarder's name and
  /// where its body calls the library (for evidence; not serialized).
  std::string Via;
  Location ViaLoc;
  StrExpr Expr; // endpoint settings: the value as pieces (a wrapper's parameter, a member, ...)
};

/// A value a data member receives in a constructor (initializer list or body) or
/// from its default member initializer.
struct FieldInit {
  std::string FieldKey; // field:<Class>::<member>
  StrExpr Expr;
  Location Loc;
};

// ---------------------------------------------------------------- evidence facts
/// A member call tested around or before a call (`if (breaker.allow())`,
/// `if (!limiter.tryAcquire()) return;`).
struct GuardFact {
  std::string CalleeKey; // function key of the tested method
  std::string Method;    // its qualified name, for people
  Location Loc;
  bool EarlyExit = false; // an `if (...) return;` before the call rather than around it
};

/// What the code does when a call fails: a catch block, or the branch taken
/// when its result says it failed.
struct HandlerFact {
  std::string Kind; // catch | error-check | miss (the code after `if (auto v = f()) return v;`)
  Location Loc;
  /// Project functions called there whose result is used, or that repeat the
  /// failed operation on another object: candidates to replace the result.
  std::vector<std::string> CalleeKeys;
  /// Project functions called there whose result is dropped (`audit_.record(...)`,
  /// `outbox_.park(...)`): they record or park the work, they do not replace it.
  std::vector<std::string> DroppedCalleeKeys;
  std::vector<Evidence> CatalogCalls;  // Note = "library:operation"
  std::vector<Evidence> Notes;         // cached/default values served, requeues
  std::optional<bool> ReturnsBool;     // `return true/false;` in the handler
  bool Rethrows = false;
  bool Requeues = false;
};

/// A project class that looks like a circuit breaker, by shape or by name.
struct ClassFact {
  std::string Name;
  Location Loc;
  bool BreakerShape = false; // open/closed state, failure count, reset timer
  bool BreakerName = false;
  std::vector<::im::model::Evidence> Evidence;
};

/// An RAII object in scope of a call whose lifetime bounds it (a deadline guard).
struct ScopeGuard {
  std::string FunctionKey;
  std::string ClassName;
  std::string Var;
  Location Loc;
  Location ScopeEnd;
  std::optional<double> Seconds;
};

/// A constant passed to a project function's parameter (including default arguments).
/// Every argument of a call to a project function or constructor is one: a
/// constant, the caller's own parameter (`Val.ParamKey`), or unknown.
struct ArgValue {
  std::string CalleeKey;
  unsigned Index = 0;
  Value Val;
  Location Loc;
  bool FromDefault = false;
  /// Option names the argument spells (an enumerator, the macro it was written
  /// with, a string key): what a forwarder's option parameter receives.
  std::vector<std::string> Names;
  std::string CallerKey;
};

/// A project function that passes its own parameter as the option (and usually
/// the value) of a catalog setter: `void SetLong(CURL *h, CURLoption o, long v)
/// { curl_easy_setopt(h, o, v); }`, a lambda `set(key, value)` around
/// rd_kafka_conf_set. Each call of it is that setting, for the handle it passes.
struct ForwarderFact {
  std::string FunctionKey;
  std::string Library;
  std::string Setter;       // the catalog setter's name, as in the catalog
  unsigned OptionParam = 0; // the parameter holding the option
  int ValueParam = -1;      // the parameter holding the value; -1: `Val`
  Value Val;                // the value when the body fixes it
  std::string HandleKey;    // what the setter configures (often a parameter key)
  Location Loc;             // the setter call in the forwarder's body
};

/// A method that overrides another (calls through the base reach it).
struct OverrideFact {
  std::string MethodKey;
  std::string BaseKey;
  std::string BaseFile; // where the overridden method is declared (an interface's header)
};

/// Code in an inactive preprocessor branch that names catalog functions or options.
struct InactiveCode {
  Location Loc;
  unsigned EndLine = 0;
  std::vector<std::string> Names;
};

/// A handle flowing into another function as an argument: the setting facts
/// recorded on that function's parameter then apply to the handle.
struct HandleFlow {
  std::string HandleKey;   // in the caller
  std::string CalleeKey;   // function key of the callee
  unsigned ArgIndex = 0;
  Location Loc;
  std::string FunctionKey; // the caller
};

/// A call from one project function to another (for wrappers and blast radius).
struct CallEdge {
  std::string CallerKey;
  std::string CalleeKey;
  Location Loc;
  std::vector<std::string> Loops; // LoopFact ids of loops around this call
  std::vector<GuardFact> Guards;
  std::vector<HandlerFact> Handlers;
  /// The object a method is called on (`http_.get(url)`: field:...::http_), if named.
  std::string ObjectKey;
  std::string Object;
  /// String-like arguments by parameter index (empty where not a string).
  std::vector<StrExpr> StrArgs;
  /// For a call through a callable object (a std::function, a function
  /// pointer): how the code names it (`send_`), said on the way to a wrapper.
  std::string Through;
};

/// A callable (a function, a lambda, or what another callable slot holds)
/// stored into a callable slot (a std::function or function-pointer member,
/// variable or global): `send_(std::move(s))`, `cb = &post;`.
struct CallableBind {
  std::string Slot;  // field:..., var:..., global:... (handle-key syntax)
  std::string Value; // function:<key>, lambda:<key>, or another slot's key
  Location Loc;
  std::string FunctionKey;
};

/// A function defined in project code.
struct Function {
  std::string Key;
  std::string Name; // qualified, for people
  Location Loc;
  /// Parameters passed to getenv/secure_getenv in the body (an env reader's name).
  std::vector<unsigned> GetenvParams;
  /// Of an env reader, the parameters it returns as they are (its fallback when
  /// the variable is unset, `return v ? v : fallback;`).
  std::vector<unsigned> ReturnedParams;
  /// What the function returns, when it returns a string: one StrExpr per return.
  std::vector<StrExpr> Returns;
  bool Special = false; // constructor, destructor, operator, conversion or lambda body
  /// Why the function is test code (its file or its name), or "": set by the
  /// pipeline for the whole program, never part of one unit's facts.
  std::string TestCode;
  /// Where the function is first declared when that is not its definition (the
  /// header callers include); "" otherwise.
  std::string DeclFile;
};

/// A loop that repeats work, described by what the extractor could prove.
struct LoopFact {
  std::string Id; // file:line:col of the loop
  Location Loc;
  /// For a loop in a helper that invokes one of its callable parameters: its
  /// index (the helper retries whatever is passed there); -1 otherwise.
  int CallableParam = -1;
  std::string FunctionKey;
  bool Bounded = false;
  std::optional<int> MaxAttempts;
  bool ExitsOnSuccess = false;
  bool Sleeps = false;
  bool Backoff = false;
  bool Jitter = false;
  bool IteratesCollection = false;
  /// The call's result, or a value the loop derives from it, is the call's
  /// argument on the next pass (a cursor, a page token): each pass is a new
  /// request, so the loop pages through results (IteratesCollection is set too).
  bool Pages = false;
  /// The loop leaves only on the value of a reply (`if (time_left > 0ms)
  /// break;`) and nothing in it catches the call's failure: it repeats calls
  /// that returned, polling for an outcome, and a failure leaves it.
  bool Polls = false;
  std::vector<::im::model::Evidence> Evidence;
};

// ---- security -------------------------------------------------
/// A security-relevant observation the extractor made, generic over libraries.
/// Never holds secret text: `Kind` names the kind of secret, `Detail` names a
/// variable, an env var or a callback, never a literal's contents.
struct SecurityFact {
  /// secret_literal    a string literal shaped like a credential (Kind: its kind)
  /// auth_arg          a value passed to an authentication parameter (Callee, Kind:
  ///                   what it is; Detail: literal | env:NAME | file | secret_manager |
  ///                   parameter `x` | ...)
  /// insecure_constant an enumerator/constant that disables verification or TLS
  ///                   passed as a call argument (Kind: the constant, Callee)
  /// insecure_call     a call that selects plaintext (grpc::InsecureChannelCredentials);
  ///                   Detail: the target host when constant
  /// verify_callback   a certificate-verify callback registered with Callee;
  ///                   Kind: accepts_all | checks_result; Related: the callback
  /// credential_read   a credential read from env/file/secret manager (Kind: env |
  ///                   file | secret_manager; Detail: its name; HandleKey: receiver)
  /// value_origin      where a field or parameter gets its value (HandleKey: field:... or
  ///                   param:...; Detail: env:NAME | file | secret_manager:fn | param:...)
  /// api_version       a protocol version pin (Kind: e.g. Stripe-Version)
  /// webhook_header    a webhook signature header read (Kind: Stripe-Signature, ...)
  /// mac               a MAC computation (Kind: HMAC, EVP_DigestSignInit, ...)
  /// credential_literal where a string literal read as a credential starts (the
  ///                   first character of its contents): source excerpts blank it
  std::string Type;
  std::string Kind;
  std::string Callee;
  std::string Detail;
  std::string HandleKey;
  Location Loc;
  Location Related;
  std::string FunctionKey;
};

/// Where the credential an integration call uses comes from.
struct CredentialSource {
  std::string Kind; // env | file | secret_manager | literal | parameter | field | unknown
  std::string Name; // env var, parameter or field name; never the secret itself
  std::string Via;  // the option or parameter it is passed to (CURLOPT_USERPWD, AUTH)
  Location Loc;
};

/// The security posture of one call site, decided by analysis/Security.cpp.
struct SecurityPosture {
  std::string Transport = "unknown";       // tls | plaintext | local | unknown
  std::string TlsVerification = "unknown"; // verified | disabled | not_applicable | unknown
  std::vector<CredentialSource> Credentials;
  /// For protocols with a version header (Stripe): pinned | not_pinned; else empty.
  std::string ApiVersion;
  std::vector<::im::model::Evidence> Evidence;
};
// ---- end security ---------------------------------------------------------

/// One call of an integration client operation.
struct CallSite {
  std::string Id;
  Location Loc;
  std::string Library;
  std::string Kind; // http | db | cache | queue | email | rpc | cloud | local | tcp
  std::string Operation;
  std::string Function;    // qualified enclosing function
  std::string FunctionKey;
  std::string Handle;      // how the code names the handle (`h`, `client_`)
  std::string HandleKey;
  /// How the handle is held, from its declaration: pointer | smart_pointer |
  /// object, empty when not known (an expression, a dependent type). The
  /// mitigation plan writes `->` or `.` and `.get()` from it.
  std::string HandleType;
  /// Further handles whose settings count for this call (catalog operation
  /// "extra_handles": a Qt request passed to its manager). Serialized only when set.
  std::vector<std::string> ExtraHandleKeys;
  std::string Endpoint;    // URL/host as far as constant, else empty
  std::string EndpointSource; // literal | env:NAME | parameter | unknown
  StrExpr EndpointExpr;       // the endpoint argument as pieces (catalog endpoint_arg)
  /// For a call made through project wrappers: the wrapper calls from this call
  /// down to the library call that implements it (outermost first).
  std::vector<::im::model::Evidence> Via;
  /// The library call a wrapper call site stands for: its handle and location.
  std::string ImplHandleKey;
  Location ImplLoc;
  /// That library call's handle as the code names it, and how it is held
  /// (see HandleType): a mitigation is written there, on that handle.
  std::string ImplHandle;
  std::string ImplHandleType;
  /// The handle this call ultimately uses (through derivations and parameters),
  /// for grouping. In-process only.
  std::string RootHandleKey;
  std::string Integration; // integration id
  bool InGeneratedCode = false;
  Protection Timeout;
  Protection Retry;
  Protection CircuitBreaker;
  Protection Fallback;
  // Extraction-time observations the resolver turns into verdicts.
  std::vector<std::string> EnclosingLoops; // LoopFact ids (file:line)
  std::vector<GuardFact> Guards;
  std::vector<HandlerFact> Handlers;
  // A cheap probe of the integration (SELECT 1, PING, GET /health).
  bool HealthProbe = false;
  std::string ProbeNote;
  // For guards such as rate limiters and auth checks: with the integration down,
  // does the code allow (open) or deny (closed)?
  std::string FailMode;
  std::vector<::im::model::Evidence> FailModeEvidence;
  // A verdict an inactive #if branch would change.
  std::vector<::im::model::Evidence> InactiveNotes;
  // ---- clang-tidy fix-its: where a mechanical edit can add a statement
  // for this call. In-process only, not serialized.
  struct InsertionPoints {
    Location AfterHandleInit; // the `;` ending the block-level declaration that initialises a local handle
    Location BeforeStatement; // start of the block-level statement that holds the call
    std::string HandleText;   // the handle argument as spelled (`h`, `h.get()`)
  } Fix;
  SecurityPosture Security; // filled by analysis::assessSecurity
};

/// The status of one translation unit.
struct TranslationUnit {
  std::string File;
  std::string Configuration; // the -D/-U/-std flags the file was analyzed with
  std::string Status = "analyzed"; // analyzed | failed | skipped
  std::string Error;               // the compiler's first error, or why skipped
  unsigned ErrorCount = 0;
};

// ---- inventory: environment files and build manifests ---------------
/// A read of an environment variable named by a string literal: getenv("X").
struct EnvRead {
  std::string Name;
  Location Loc;
};

/// Everything extracted from one translation unit.
struct TUFacts {
  TranslationUnit Unit;
  std::vector<CallSite> CallSites;
  std::vector<Setting> Settings;
  /// Settings on plain option objects of the project (concern "member" and
  /// "object", see Setting::Concern): kept apart from the catalog's settings.
  std::vector<Setting> ObjectSettings;
  std::vector<HandleFlow> Flows;
  std::vector<CallEdge> Calls;
  std::vector<Function> Functions;
  std::vector<LoopFact> Loops;
  std::vector<ClassFact> Classes;
  std::vector<ScopeGuard> ScopeGuards;
  std::vector<ArgValue> ArgValues;
  std::vector<ForwarderFact> Forwarders;
  std::vector<OverrideFact> Overrides;
  std::vector<InactiveCode> Inactive;
  std::vector<EnvRead> EnvReads;
  std::vector<FieldInit> FieldInits;
  /// Constructions of project classes (`Client c(cfg.host)`): the constructor
  /// as callee, its string arguments as pieces. Not call-graph edges.
  std::vector<CallEdge> Constructions;
  /// Calls through callable slots (`send_(url, body)` on a std::function
  /// member, `cb(url)` on a function-pointer parameter): the callee key is
  /// "callable:" + the slot's key; analysis binds them to the functions that
  /// reach the slot (analysis/Callables).
  std::vector<CallEdge> CallableCalls;
  std::vector<CallableBind> CallableBinds;
  std::vector<SecurityFact> Security;
  /// Values the extractor read as credentials (a literal passed as a password,
  /// a `-DDB_PASSWORD=...` value): every string of these facts is redacted of
  /// them, then the list is cleared (model::redactFacts). Never serialised.
  std::vector<std::string> SecretValues;
};

/// A finding: one rule violated at one place.
struct Finding {
  std::string Rule;
  std::string Severity; // critical | high | medium | low
  Location Loc;
  std::string Message;
  std::string CallSiteId;
  std::string Integration;
  std::string Fingerprint;
  /// Other places the finding concerns: the calls a setting affects, where an
  /// endpoint is used (SARIF relatedLocations, JSON "related").
  std::vector<Evidence> Related;
};

/// A group of call sites that talk to the same external system.
struct Integration {
  std::string Id;
  std::string Name;
  std::string Kind;
  std::string Library;
  std::string Endpoint;
  std::vector<std::string> CallSites;
  /// Evidence from outside the code: the env file lines and build manifest
  /// lines that name this integration.
  std::vector<::im::model::Evidence> Sources;
  std::string Category;               // vendor category: payment | email | ... ; else the kind
  std::string EndpointSource;         // env:NAME when the endpoint comes from the environment
  std::vector<std::string> GroupedBy; // why these call sites are one integration
};

// ---- inventory --------------------------------------------------------
/// A variable defined in an environment file. Its value is never stored: only
/// the scheme and host of a URL value.
struct EnvVariable {
  std::string Name;
  Location Loc;         // the env file and line (column 1)
  std::string Class;    // endpoint | credential | "" (other)
  std::string Scheme;   // URL values only
  std::string Host;     // URL values only
  bool Empty = false;   // defined with an empty value
  bool Plaintext = false; // an unencrypted scheme (http, ws, ftp, redis, ...) to a remote host
  bool ReadByCode = false; // some getenv("NAME") reads it
  std::string Integration; // integration id when it names one
};
/// A client library a build manifest pulls in.
struct ManifestLibrary {
  std::string Library;  // catalog library id (libcurl, hiredis, ...)
  std::string Name;     // as the manifest spells it (CURL, hiredis::hiredis, ...)
  std::string Manifest; // cmake | vcpkg | conan | meson
  Location Loc;
  bool Called = false;  // some call site uses the library (or a library built on it)
};
/// A line of an env file or manifest that could not be parsed (and was skipped).
struct InventoryProblem {
  Location Loc;
  std::string Message;
};
/// What the deployment and the build declare, beside the code.
struct Inventory {
  bool Enabled = false;
  std::vector<std::string> EnvFiles;  // absolute paths, sorted
  std::vector<std::string> Manifests; // absolute paths, sorted
  std::vector<EnvVariable> Variables; // every variable defined, by file then line
  std::vector<ManifestLibrary> Libraries;
  std::vector<EnvRead> EnvReads;      // getenv("X") in the code, deduplicated
  std::vector<InventoryProblem> Problems;
  bool Truncated = false;             // the walk hit its depth or entry bound
};

/// The merged, resolved result of a run.
struct Report {
  /// Call sites in test code (tests, mocks, fakes, examples), kept out of the
  /// inventory, the scores and the findings unless --include-tests.
  std::vector<CallSite> TestCallSites;
  std::vector<TranslationUnit> Units;
  std::vector<CallSite> CallSites;
  std::vector<Integration> Integrations;
  std::vector<Finding> Findings;
  ::im::model::Inventory Inventory;
  // The project call graph and the risk document computed from it.
  std::vector<CallEdge> Calls;
  std::vector<Function> Functions;
  /// Methods overriding a virtual method: a call to the base may run each of
  /// them, so entry points and blast radius follow the call through the
  /// interface. Not emitted.
  std::vector<OverrideFact> Overrides;
  /// Functions holding a library call: those of the call sites and the bodies of
  /// the wrappers whose calls are reported at their callers. The JSON call graph
  /// keeps the functions from which one of these is reachable. Not emitted.
  std::vector<std::string> ClientFunctions;
  RiskDocument Risk;
  /// Where string literals read as credentials start (credential_literal
  /// facts): the risk document's source excerpts blank them. Not emitted.
  std::vector<Location> CredentialLiterals;
};

// JSON round trip of the per-TU facts (cache and shard format).
nlohmann::json toJson(const TUFacts &F);
TUFacts tuFactsFromJson(const nlohmann::json &J);
nlohmann::json toJson(const Protection &P);
nlohmann::json toJson(const Evidence &E);

/// "file:line" for messages.
std::string str(const Location &L);

} // namespace im::model
