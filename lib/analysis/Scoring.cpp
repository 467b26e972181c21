#include "analysis/Scoring.h"
#include "support/Names.h"
#include "support/Secrets.h"
#include "analysis/Security.h"

#include "analysis/Integrations.h"
#include "analysis/Resolve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace im::analysis {
using model::CallSite;
using model::CodeRef;
using model::Judgement;
using model::MatrixCell;

// ------------------------------------------------------------------ rubric pieces

int baseCriticality(const std::string &Kind, const std::string &Category) {
  static const std::map<std::string, int> ByCategory = {
      {"payment", 9}, {"db", 8},   {"queue", 6}, {"storage", 6}, {"rpc", 6}, {"cloud", 5},
      {"cache", 5},   {"http", 5}, {"email", 4}, {"sms", 4},     {"vcs", 3}, {"chat", 3}};
  if (auto It = ByCategory.find(Category); It != ByCategory.end())
    return It->second;
  if (auto It = ByCategory.find(Kind); It != ByCategory.end())
    return It->second;
  return 5;
}

std::string criticalityLevel(int C) {
  return C >= 9 ? "CRITICAL" : C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW";
}

int riskScore(int Criticality, int Resilience) {
  int R = static_cast<int>(std::lround(Criticality * (11.0 - Resilience) / 10.0));
  return std::clamp(R, 1, 10);
}

double defaultRtoSeconds(const std::string &Level) {
  if (Level == "CRITICAL")
    return 5 * 60;
  if (Level == "HIGH")
    return 15 * 60;
  if (Level == "MEDIUM")
    return 60 * 60;
  return 4 * 3600;
}

std::string resilienceRating(double S) {
  return S < 4 ? "POOR" : S < 6 ? "FAIR" : S < 8 ? "GOOD" : "EXCELLENT";
}

std::string formatMoney(double Amount, const std::string &Currency) {
  long long V = std::llround(Amount);
  std::string Digits = std::to_string(V < 0 ? -V : V);
  std::string Grouped;
  for (size_t I = 0; I < Digits.size(); ++I) {
    if (I && (Digits.size() - I) % 3 == 0)
      Grouped += ',';
    Grouped += Digits[I];
  }
  if (V < 0)
    Grouped = "-" + Grouped;
  if (Currency == "USD")
    return "$" + Grouped;
  if (Currency == "EUR")
    return "€" + Grouped;
  if (Currency == "GBP")
    return "£" + Grouped;
  return Grouped + " " + Currency;
}

std::string formatScore(double S) {
  char Buf[32];
  std::snprintf(Buf, sizeof Buf, "%.2f", S);
  std::string O = Buf;
  while (O.find('.') != std::string::npos && (O.back() == '0' || O.back() == '.')) {
    bool Dot = O.back() == '.';
    O.pop_back();
    if (Dot)
      break;
  }
  return O;
}

std::string glossaryKey(const std::string &Name) {
  std::string Out;
  bool Up = true;
  for (char C : Name) {
    if (std::isalnum(static_cast<unsigned char>(C))) {
      Out += Up ? static_cast<char>(std::toupper(static_cast<unsigned char>(C))) : C;
      Up = false;
    } else {
      Up = true;
    }
  }
  return Out;
}

namespace {
std::string plural(size_t N, const char *One, const char *Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many);
}
CodeRef refOf(const CallSite &C, std::string Note = "") {
  return {C.Loc.File, C.Loc.Line, Note.empty() ? "`" + C.Operation + "`" : std::move(Note)};
}
bool timeoutBounded(const CallSite &C) {
  return (C.Timeout.Status == "present" || C.Timeout.Status == "default") && !C.Timeout.Unbounded &&
         C.Timeout.Seconds;
}
bool timeoutMissing(const CallSite &C) {
  return C.Timeout.Status == "absent" || C.Timeout.Unbounded ||
         ((C.Timeout.Status == "present" || C.Timeout.Status == "default") && !C.Timeout.Seconds);
}
bool retryGood(const CallSite &C) {
  return C.Retry.Present && C.Retry.Bounded.value_or(false) && C.Retry.Backoff.value_or(false);
}
} // namespace

namespace {
/// Call sites sharing a handle share its evidence: list each line once.
void dedupe(std::vector<CodeRef> &Refs) {
  std::vector<CodeRef> Out;
  for (auto &R : Refs)
    if (std::none_of(Out.begin(), Out.end(), [&](const CodeRef &O) {
          return O.File == R.File && O.Line == R.Line && O.Note == R.Note;
        }))
      Out.push_back(std::move(R));
  Refs = std::move(Out);
}
} // namespace

PatternVerdict judgeTimeout(const std::vector<const CallSite *> &Sites) {
  PatternVerdict V;
  V.Max = 3;
  V.J.Pattern = "timeout";
  if (Sites.empty()) {
    // Named only by env files or build manifests: nothing in the code to judge.
    V.Cell = {"warn", "no call site"};
    V.J.Mark = "warn";
    V.J.Title = "Not analysed";
    V.J.Detail = "no call of this integration in the analysed code (named by env files or build "
                 "manifests only)";
    return V;
  }
  std::vector<const CallSite *> Missing, Runtime, Default;
  double Worst = 0;
  for (const auto *C : Sites) {
    if (timeoutMissing(*C))
      Missing.push_back(C);
    else if (C->Timeout.Status == "conditional")
      Runtime.push_back(C);
    else {
      if (C->Timeout.Status == "default")
        Default.push_back(C);
      Worst = std::max(Worst, *C->Timeout.Seconds);
    }
  }
  if (!Missing.empty()) {
    V.Cell = {"bad", "none (" + std::to_string(Missing.size()) + "/" + std::to_string(Sites.size()) +
                         " calls)"};
    V.J.Mark = "bad";
    V.J.Title = "No timeout";
    V.J.Detail = plural(Missing.size(), "call", "calls") + " of " + std::to_string(Sites.size()) +
                 " can hang indefinitely";
    for (const auto *C : Missing)
      V.J.Refs.push_back(refOf(*C, C->Timeout.Reason));
  } else if (!Runtime.empty() || !Default.empty()) {
    V.Points = 1.5;
    V.Cell = {"warn", Runtime.empty() ? formatSeconds(Worst) + " (library default)" : "run-time value"};
    V.J.Mark = "warn";
    V.J.Title = Runtime.empty() ? "Library default timeout" : "Timeout from run-time configuration";
    V.J.Detail = Runtime.empty() ? "only the library default (" + formatSeconds(Worst) + ") bounds the call"
                                 : "the code does not prove the value bounds the call";
    for (const auto *C : Runtime.empty() ? Default : Runtime)
      V.J.Refs.push_back(refOf(*C, C->Timeout.Reason));
  } else {
    V.Points = 3;
    V.Cell = {"ok", formatSeconds(Worst)};
    V.J.Mark = "ok";
    V.J.Title = "Timeout on every call";
    V.J.Detail = "worst case " + formatSeconds(Worst) + " per attempt";
    for (const auto *C : Sites)
      for (const auto &E : C->Timeout.Evidence)
        V.J.Refs.push_back({E.File, E.Line, E.Note});
  }
  dedupe(V.J.Refs);
  return V;
}

PatternVerdict judgeRetry(const std::vector<const CallSite *> &Sites) {
  PatternVerdict V;
  V.Max = 2;
  V.J.Pattern = "retry";
  size_t Good = 0, Any = 0;
  bool Unbounded = false;
  std::optional<int> Attempts;
  for (const auto *C : Sites) {
    Any += C->Retry.Present;
    Good += retryGood(*C);
    Unbounded |= C->Retry.Present && C->Retry.Bounded && !*C->Retry.Bounded;
    if (C->Retry.MaxAttempts)
      Attempts = std::max(Attempts.value_or(0), *C->Retry.MaxAttempts);
  }
  if (Any == 0) {
    V.Cell = {"bad", "none"};
    V.J = {"bad", "retry", "No retry logic", "transient failures fail the operation at once", 0, {}};
    for (const auto *C : Sites)
      V.J.Refs.push_back(refOf(*C, C->Retry.Reason));
  } else if (Good == Sites.size()) {
    V.Points = 2;
    V.Cell = {"ok", (Attempts ? std::to_string(*Attempts) + "× " : std::string()) + "backoff"};
    V.J = {"ok", "retry", "Bounded retry with backoff", "on every call", 2, {}};
  } else {
    V.Points = 1;
    V.Cell = {"warn", Unbounded ? "unbounded" : Good ? std::to_string(Good) + "/" +
                                                           std::to_string(Sites.size()) + " calls"
                                                     : "no backoff"};
    V.J = {"warn", "retry", "Partial retry",
           Unbounded ? "a retry loop has no attempt limit"
                     : std::to_string(Any) + " of " + std::to_string(Sites.size()) +
                           " calls retried" + (Good < Any ? ", not all with backoff" : ""),
           1,
           {}};
  }
  if (V.J.Mark != "bad")
    for (const auto *C : Sites)
      for (const auto &E : C->Retry.Evidence)
        V.J.Refs.push_back({E.File, E.Line, E.Note});
  dedupe(V.J.Refs);
  return V;
}

static PatternVerdict judgePresence(const std::vector<const CallSite *> &Sites,
                                    model::Protection CallSite::*P, const char *Pattern,
                                    const char *Name, const char *Missing, double Max) {
  PatternVerdict V;
  V.Max = Max;
  V.J.Pattern = Pattern;
  size_t N = 0;
  for (const auto *C : Sites)
    N += (C->*P).Present;
  if (N == 0) {
    V.Cell = {"bad", "none"};
    V.J = {"bad", Pattern, std::string("No ") + Name, Missing, 0, {}};
  } else if (N == Sites.size()) {
    V.Points = Max;
    V.Cell = {"ok", "every call"};
    std::string Title = Name;
    Title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(Title[0])));
    V.J = {"ok", Pattern, Title, "on every call", static_cast<int>(Max), {}};
  } else {
    V.Points = Max / 2;
    V.Cell = {"warn", std::to_string(N) + "/" + std::to_string(Sites.size()) + " calls"};
    V.J = {"warn", Pattern, std::string("Partial ") + Name,
           std::to_string(N) + " of " + std::to_string(Sites.size()) + " calls", 1, {}};
  }
  for (const auto *C : Sites)
    for (const auto &E : (C->*P).Evidence)
      V.J.Refs.push_back({E.File, E.Line, E.Note});
  dedupe(V.J.Refs);
  return V;
}

PatternVerdict judgeCircuitBreaker(const std::vector<const CallSite *> &Sites) {
  return judgePresence(Sites, &CallSite::CircuitBreaker, "circuit_breaker", "circuit breaker",
                       "will keep calling a failing service during an outage", 2);
}
PatternVerdict judgeFallback(const std::vector<const CallSite *> &Sites) {
  return judgePresence(Sites, &CallSite::Fallback, "fallback", "fallback",
                       "a failure reaches the caller with no alternative path", 2);
}
PatternVerdict judgeHealthCheck(const std::vector<const CallSite *> &Sites) {
  // A health check is a call of the integration that is a cheap probe
  // (SELECT 1, PING, GET /health), recognised by the extractor.
  PatternVerdict V;
  V.Max = 1;
  for (const auto *C : Sites)
    if (C->HealthProbe)
      V.J.Refs.push_back(refOf(*C, C->ProbeNote));
  if (V.J.Refs.empty()) {
    V.Cell = {"bad", "none found"};
    V.J = {"bad", "health_check", "No health check found",
           "no probe of this dependency was recognised in the analyzed code", 0, {}};
    return V;
  }
  V.Points = 1;
  V.Cell = {"ok", "probe"};
  V.J.Mark = "ok";
  V.J.Pattern = "health_check";
  V.J.Title = "Health check";
  V.J.Detail = plural(V.J.Refs.size(), "probe", "probes") + " of this dependency";
  V.J.Points = 1;
  return V;
}

// ------------------------------------------------------------------ call graph

namespace {
std::string nameFromKey(const std::string &Key) {
  auto P = Key.find('(');
  return P == std::string::npos ? Key : Key.substr(0, P);
}
using support::lastName;
using support::scopeOf;
bool isStructor(const std::string &Name) {
  std::string S = scopeOf(Name), L = lastName(Name);
  return !S.empty() && (lastName(S) == L || L == "~" + lastName(S));
}

struct Graph {
  std::map<std::string, std::string> Names;              // key -> qualified name
  std::map<std::string, std::set<std::string>> Callers;  // callee -> callers
  std::map<std::string, std::set<std::string>> Callees;  // caller -> callees
  std::map<std::string, std::set<std::string>> ByScope;  // class scope -> member keys

  explicit Graph(const model::Report &R) {
    for (const auto &F : R.Functions)
      Names[F.Key] = F.Name;
    for (const auto &E : R.Calls) {
      Callers[E.CalleeKey].insert(E.CallerKey);
      Callees[E.CallerKey].insert(E.CalleeKey);
      Names.emplace(E.CallerKey, nameFromKey(E.CallerKey));
      Names.emplace(E.CalleeKey, nameFromKey(E.CalleeKey));
    }
    for (const auto &C : R.CallSites)
      Names.emplace(C.FunctionKey, C.Function);
    for (const auto &[K, N] : Names)
      ByScope[scopeOf(N)].insert(K);
  }
  std::string name(const std::string &K) const {
    auto It = Names.find(K);
    return It == Names.end() ? nameFromKey(K) : It->second;
  }
  /// The functions whose callers use `K`: itself, and for a constructor (whose
  /// calls are object constructions, not call edges) every member of its class.
  std::set<std::string> users(const std::string &K) const {
    std::set<std::string> Out{K};
    std::string N = name(K);
    if (isStructor(N))
      if (auto It = ByScope.find(scopeOf(N)); It != ByScope.end())
        Out.insert(It->second.begin(), It->second.end());
    return Out;
  }
  /// Every function from which one of `Start` is reachable (including them).
  std::set<std::string> ancestors(const std::set<std::string> &Start) const {
    std::set<std::string> Seen;
    std::vector<std::string> Work;
    for (const auto &S : Start)
      for (const auto &U : users(S))
        Work.push_back(U);
    while (!Work.empty()) {
      std::string K = Work.back();
      Work.pop_back();
      if (!Seen.insert(K).second)
        continue;
      if (auto It = Callers.find(K); It != Callers.end())
        for (const auto &C : It->second)
          Work.push_back(C);
    }
    return Seen;
  }
};

bool matchesEntry(const std::string &Name, const std::string &Wanted) {
  return Name == Wanted || (Name.size() > Wanted.size() + 2 &&
                            Name.compare(Name.size() - Wanted.size(), Wanted.size(), Wanted) == 0 &&
                            Name.compare(Name.size() - Wanted.size() - 2, 2, "::") == 0);
}

// ------------------------------------------------------------------ library-specific C++

struct Snippets {
  std::string Timeout, Retry, Breaker, Fallback, Health, Success;
};

Snippets snippetsFor(const CallSite &C, const model::Integration &I, const catalog::Catalog *Cat) {
  std::string H = C.Handle.empty() ? "h" : C.Handle;
  std::string BreakerName = glossaryKey(I.Id);
  BreakerName[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(BreakerName[0])));
  BreakerName += "Breaker";
  Snippets S;
  if (C.Library == "libcurl") {
    S.Success = "curl_easy_perform(" + H + ") == CURLE_OK";
    S.Timeout = "curl_easy_setopt(" + H + ", CURLOPT_CONNECTTIMEOUT_MS, 2000L);\n"
                "curl_easy_setopt(" + H + ", CURLOPT_TIMEOUT_MS, 5000L); // 0 would mean: wait forever";
    S.Retry = "CURLcode rc = CURLE_OK;\n"
              "for (int attempt = 0; attempt < 3; ++attempt) {\n"
              "  rc = curl_easy_perform(" + H + ");\n"
              "  if (rc != CURLE_OPERATION_TIMEDOUT && rc != CURLE_COULDNT_CONNECT)\n"
              "    break; // success or a permanent error: do not repeat\n"
              "  std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt)); // backoff\n"
              "}\n"
              "// Repeat a POST only with an idempotency key.";
    S.Health = "CURL *probe = curl_easy_init();\n"
               "curl_easy_setopt(probe, CURLOPT_URL, healthUrl); // the service's status endpoint\n"
               "curl_easy_setopt(probe, CURLOPT_NOBODY, 1L);\n"
               "curl_easy_setopt(probe, CURLOPT_TIMEOUT_MS, 1000L);\n"
               "bool up = curl_easy_perform(probe) == CURLE_OK;\n"
               "curl_easy_cleanup(probe);";
  } else if (C.Library == "hiredis") {
    S.Success = "reply != nullptr";
    S.Timeout = "redisContext *" + H + " = redisConnectWithTimeout(host, port, timeval{1, 0});\n"
                "redisSetTimeout(" + H + ", timeval{0, 500000}); // bounds every redisCommand on it";
    S.Retry = "redisReply *reply = nullptr;\n"
              "for (int attempt = 0; attempt < 3 && !reply; ++attempt) {\n"
              "  reply = static_cast<redisReply *>(redisCommand(" + H + ", \"GET %s\", key));\n"
              "  if (!reply && redisReconnect(" + H + ") == REDIS_OK)\n"
              "    continue;\n"
              "  std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));\n"
              "}";
    S.Health = "auto *pong = static_cast<redisReply *>(redisCommand(" + H + ", \"PING\"));\n"
               "bool up = pong && pong->type == REDIS_REPLY_STATUS;\n"
               "if (pong)\n"
               "  freeReplyObject(pong);";
    S.Fallback = "auto *reply = static_cast<redisReply *>(redisCommand(" + H + ", \"GET %s\", key));\n"
                 "if (!reply || " + H + "->err)\n"
                 "  return loadFromDatabase(key); // cache down: a miss, not an error";
  } else if (C.Library == "libpqxx" || C.Library == "libpq") {
    bool Pqxx = C.Library == "libpqxx";
    S.Success = Pqxx ? "/* no pqxx::broken_connection thrown */ true" : "PQstatus(conn) == CONNECTION_OK";
    S.Timeout = Pqxx ? "pqxx::connection conn{\"host=... dbname=... connect_timeout=5 "
                       "options='-c statement_timeout=5000'\"};\n"
                       "// or per transaction: tx.exec(\"SET LOCAL statement_timeout = 5000\");"
                     : "PGconn *conn = PQconnectdb(\"host=... connect_timeout=5 "
                       "options='-c statement_timeout=5000'\");";
    S.Retry = Pqxx ? "for (int attempt = 0;; ++attempt) {\n"
                     "  try {\n"
                     "    pqxx::work tx(conn);\n"
                     "    /* ... */\n"
                     "    tx.commit();\n"
                     "    break;\n"
                     "  } catch (const pqxx::broken_connection &) {\n"
                     "    if (attempt == 2)\n"
                     "      throw;\n"
                     "    std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));\n"
                     "  }\n"
                     "}"
                   : "for (int attempt = 0; attempt < 3 && PQstatus(conn) != CONNECTION_OK; ++attempt) {\n"
                     "  PQreset(conn);\n"
                     "  std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));\n"
                     "}";
    S.Health = Pqxx ? "pqxx::nontransaction probe(conn);\n"
                      "bool up = conn.is_open() && !probe.exec(\"SELECT 1\").empty();"
                    : "bool up = PQping(conninfo) == PQPING_OK;";
  } else {
    S.Success = "/* call succeeded */ true";
    S.Timeout = "// set the library's timeout option on `" + H + "` before the call (5 s)";
    if (const catalog::Library *L = Cat ? Cat->library(C.Library) : nullptr; L && !L->TimeoutFix.empty()) {
      S.Timeout = L->TimeoutFix;
      for (size_t P; (P = S.Timeout.find("{handle}")) != std::string::npos;)
        S.Timeout.replace(P, 8, H);
    }
    S.Retry = "// wrap the call in a loop of at most 3 attempts with a growing sleep";
    S.Health = "// probe the dependency with a cheap request and a 1 s timeout";
  }
  S.Breaker = "// One breaker per integration, shared by its call sites (see docs/scoring.md).\n"
              "static CircuitBreaker " + BreakerName +
              "{/*failure_threshold=*/5, /*open_for=*/std::chrono::seconds(30)};\n"
              "if (!" + BreakerName + ".allowRequest())\n"
              "  return failFast(); // cached value, queued job or a clear error\n"
              "bool ok = " + S.Success + ";\n" + BreakerName + ".record(ok);";
  if (S.Fallback.empty()) {
    if (I.Category == "payment")
      S.Fallback = "if (!ok) {\n"
                   "  outbox.enqueue(PendingCharge{orderId, amountCents}); // retried by a worker\n"
                   "  return ChargeResult::pending();\n"
                   "}";
    else if (C.Kind == "db")
      S.Fallback = "try {\n"
                   "  return primaryQuery();\n"
                   "} catch (const pqxx::broken_connection &) {\n"
                   "  return replicaQuery(); // read replica or last known value\n"
                   "}";
    else
      S.Fallback = "if (!ok)\n"
                   "  deliveryQueue.push(request); // deliver later instead of failing the caller";
  }
  return S;
}

struct SiteView {
  const model::Integration *I;
  std::vector<const CallSite *> Sites;
};

std::string markOf(const std::string &M) {
  return M == "ok" ? "✅" : M == "warn" ? "⚠️" : "❌";
}

std::string typeOf(const model::Integration &I, std::string &Glossary, std::string &Layer) {
  static const std::map<std::string, std::pair<const char *, const char *>> ByCategory = {
      {"payment", {"External API (Payment Processing)", "external-api"}},
      {"email", {"External API (Transactional Email)", "external-api"}},
      {"sms", {"External API (SMS)", "external-api"}},
      {"storage", {"Cloud Storage", "external-api"}},
      {"vcs", {"External API (Source Control)", "external-api"}},
      {"chat", {"External API (Chat)", "external-api"}},
      {"cloud", {"Cloud API", "external-api"}},
      {"db", {"Database (Persistent Storage)", "database"}},
      {"cache", {"In-Memory Cache", "cache"}},
      {"queue", {"Message Queue", "queue"}},
      {"rpc", {"RPC Service", "internal-api"}},
      {"tcp", {"Network Service (hand-written protocol)", "internal-api"}},
      {"http", {"HTTP API", "http-api"}}};
  auto It = ByCategory.find(I.Category);
  if (It == ByCategory.end())
    It = ByCategory.find(I.Kind);
  Layer = I.Kind == "db" || I.Kind == "cache" || I.Kind == "queue" ? "data" : "external";
  if (It == ByCategory.end()) {
    Glossary = I.Kind;
    return I.Kind;
  }
  Glossary = It->second.second;
  return It->second.first;
}

std::string immediateImpact(const model::Integration &I) {
  if (I.Category == "payment")
    return "Cannot process payments";
  if (I.Category == "email")
    return "Emails not sent";
  if (I.Category == "sms")
    return "Text messages not sent";
  if (I.Kind == "db")
    return "Reads and writes of " + I.Name + " fail";
  if (I.Kind == "cache")
    return "Cache reads and writes fail";
  if (I.Kind == "queue")
    return "Messages cannot be published or consumed";
  return "Calls to " + I.Name + " fail";
}

std::string join(const std::vector<std::string> &V, const std::string &Sep = ", ") {
  std::string O;
  for (size_t I = 0; I < V.size(); ++I)
    O += (I ? Sep : "") + V[I];
  return O;
}

std::string shortName(const std::string &Fn) {
  std::string S = scopeOf(Fn);
  return S.empty() ? Fn : lastName(S) + "::" + lastName(Fn);
}

} // namespace

namespace {
model::Excerpt excerptOf(const CallSite &C, const SourceReader &Read, const std::string &Verdict,
                         bool Ok) {
  model::Excerpt E;
  E.File = C.Loc.File;
  E.CallLine = C.Loc.Line;
  E.Verdict = Verdict;
  E.Ok = Ok;
  std::optional<std::string> Text = Read ? Read(C.Loc.File) : std::nullopt;
  if (!Text)
    return E;
  std::vector<std::string> Lines;
  std::istringstream In(*Text);
  for (std::string L; std::getline(In, L);)
    Lines.push_back(L);
  unsigned First = C.Loc.Line > 4 ? C.Loc.Line - 4 : 1;
  unsigned Last = std::min<unsigned>(Lines.size(), C.Loc.Line + 3);
  E.FirstLine = First;
  for (unsigned L = First; L <= Last; ++L)
    E.Text += support::redactSourceLine(Lines[L - 1]) + "\n";
  return E;
}

std::string verdictOf(const CallSite &C, bool &Ok) {
  std::vector<std::string> Bad, Good;
  if (timeoutMissing(C))
    Bad.push_back("no timeout");
  else if (C.Timeout.Status == "conditional")
    Bad.push_back("timeout only from run-time configuration");
  else
    Good.push_back(formatSeconds(*C.Timeout.Seconds) + " timeout");
  if (!C.Retry.Present)
    Bad.push_back("no retry");
  else if (!retryGood(C))
    Bad.push_back("retry without backoff or limit");
  else
    Good.push_back((C.Retry.MaxAttempts ? std::to_string(*C.Retry.MaxAttempts) + " attempts" : "bounded retry") +
                   std::string(" with backoff"));
  if (!C.CircuitBreaker.Present)
    Bad.push_back("no circuit breaker");
  if (!C.Fallback.Present)
    Bad.push_back("no fallback");
  Ok = timeoutBounded(C) && retryGood(C);
  if (Ok)
    return "✅ GOOD: " + join(Good) + (Bad.empty() ? "" : "; still " + join(Bad));
  return "⚠️ PROBLEM: " + join(Bad) + (Good.empty() ? "" : " (has " + join(Good) + ")");
}

int badness(const CallSite &C) {
  return timeoutMissing(C) * 4 + (C.Timeout.Status == "conditional") * 2 + !C.Retry.Present * 2 +
         (C.Retry.Present && !retryGood(C));
}

} // namespace

void applyConfigNames(model::Report &R, const config::Config &Cfg) {
  for (auto &I : R.Integrations)
    if (const auto *O = Cfg.overrideFor(I.Id, I.Name); O && O->Name)
      I.Name = *O->Name;
}

// ------------------------------------------------------------------ the document

model::RiskDocument assess(const model::Report &R, const config::Config &Cfg,
                           const SourceReader &Read, const catalog::Catalog *Cat) {
  model::RiskDocument D;
  D.ConfigPath = Cfg.Path;
  Graph G(R);

  std::map<std::string, const CallSite *> SiteById;
  for (const auto &C : R.CallSites)
    SiteById[C.Id] = &C;
  std::vector<SiteView> Views;
  for (const auto &I : R.Integrations) {
    SiteView V{&I, {}};
    for (const auto &Id : I.CallSites)
      if (auto It = SiteById.find(Id); It != SiteById.end())
        V.Sites.push_back(It->second);
    // Integrations named only by env files or manifests have no code to judge:
    // the inventory lists them.
    if (!V.Sites.empty())
      Views.push_back(std::move(V));
  }

  // Entry points: config names, and functions nothing in the analyzed code calls
  // (main, workers, API methods) that reach an integration.
  std::set<std::string> WrapperKeys;
  for (const auto &C : R.CallSites)
    WrapperKeys.insert(C.FunctionKey);
  std::set<std::string> Reaching = G.ancestors(WrapperKeys);
  std::map<std::string, std::string> Entries; // name -> why
  for (const auto &K : Reaching) {
    std::string N = G.name(K);
    bool Named = false;
    for (const auto &E : Cfg.EntryPoints)
      Named |= matchesEntry(N, E);
    if (Named)
      Entries[N] = "named in the config";
    else if (!G.Callers.count(K) && !isStructor(N) && N.rfind("lambda@", 0) != 0)
      Entries[N] = N == "main" ? "program entry" : "no caller in the analyzed code";
  }
  for (const auto &E : Cfg.EntryPoints) {
    bool Found = false;
    for (const auto &[N, Why] : Entries)
      Found |= matchesEntry(N, E);
    if (!Found)
      D.Limitations.push_back("entry point `" + E + "` from the config reaches no integration (or is not in the analyzed code)");
  }
  std::map<std::string, std::set<std::string>> KeysByEntryName;
  for (const auto &K : Reaching)
    if (Entries.count(G.name(K)))
      KeysByEntryName[G.name(K)].insert(K);
  for (const auto &[N, Why] : Entries) {
    D.EntryPoints.push_back(N);
    D.EntryPointWhy.push_back(Why);
  }
  for (const auto &O : Cfg.Integrations) {
    bool Found = false;
    for (const auto &I : R.Integrations)
      Found |= O.Match == I.Id || O.Match == I.Name || (O.Name && *O.Name == I.Name);
    if (!Found)
      D.Limitations.push_back("config integration `" + O.Match + "` matches no integration found in the code");
  }

  // Alternatives: two integrations of the same category (two payment providers).
  std::map<std::string, int> PerCategory;
  for (const auto &V : Views)
    PerCategory[V.I->Category]++;

  std::map<std::string, std::vector<std::string>> FindingsByIntegration;
  static const std::set<std::string> ResilienceRules = {
      "integration-missing-timeout", "integration-unverified-timeout",
      "integration-unbounded-retry", "integration-retry-without-backoff",
      "integration-missing-retry"};

  for (const auto &V : Views) {
    const auto &I = *V.I;
    model::IntegrationRisk X;
    X.Id = I.Id;
    X.Name = I.Name;
    X.Type = typeOf(I, X.GlossaryType, X.Layer);
    X.GroupedBy = I.GroupedBy;
    const auto *O = Cfg.overrideFor(I.Id, I.Name);

    // Who uses it.
    std::set<std::string> Wrappers, WrapperKeysOf, Callers;
    for (const auto *C : V.Sites) {
      Wrappers.insert(C->Function);
      WrapperKeysOf.insert(C->FunctionKey);
    }
    for (const auto &K : WrapperKeysOf)
      for (const auto &U : G.users(K))
        if (auto It = G.Callers.find(U); It != G.Callers.end())
          for (const auto &C : It->second)
            if (!WrapperKeysOf.count(C))
              Callers.insert(G.name(C));
    X.Wrappers.assign(Wrappers.begin(), Wrappers.end());
    X.Callers.assign(Callers.begin(), Callers.end());
    std::set<std::string> Anc = G.ancestors(WrapperKeysOf);
    std::set<std::string> UsedBy;
    for (const auto &K : Anc)
      if (Entries.count(G.name(K)))
        UsedBy.insert(G.name(K));
    X.UsedBy.assign(UsedBy.begin(), UsedBy.end());
    X.RequestPath = !UsedBy.empty();

    // Pattern.
    std::set<std::string> Scopes, HandleKinds;
    for (const auto *C : V.Sites) {
      Scopes.insert(scopeOf(C->Function));
      HandleKinds.insert(C->HandleKey.substr(0, C->HandleKey.find(':')));
    }
    std::string Lib = I.Library;
    // A class (not a namespace) when it has a known constructor or a member handle.
    bool IsClass = false;
    if (Scopes.size() == 1 && !Scopes.begin()->empty()) {
      const std::string &Sc = *Scopes.begin();
      if (auto It = G.ByScope.find(Sc); It != G.ByScope.end())
        for (const auto &K : It->second)
          IsClass |= isStructor(G.name(K));
      for (const auto *C : V.Sites)
        IsClass |= C->HandleKey.rfind("field:" + Sc + "::", 0) == 0;
    }
    if (IsClass)
      X.Pattern = "Wrapper class `" + *Scopes.begin() + "` over " + Lib;
    else
      X.Pattern = "Direct " + Lib + " calls from " + plural(Wrappers.size(), "function", "functions");
    if (HandleKinds.count("field"))
      X.Pattern += "; long-lived client object held in a member";
    else if (HandleKinds.count("var"))
      X.Pattern += "; a new handle per operation";

    // Resilience.
    std::vector<PatternVerdict> Pv = {judgeTimeout(V.Sites), judgeRetry(V.Sites),
                                      judgeCircuitBreaker(V.Sites), judgeFallback(V.Sites),
                                      judgeHealthCheck(V.Sites)};
    double Points = 0;
    for (const auto &P : Pv)
      Points += P.Points;
    X.Resilience = std::clamp(static_cast<int>(std::lround(Points)), 1, 10);
    X.Timeout = Pv[0].Cell;
    X.Retry = Pv[1].Cell;
    X.CircuitBreaker = Pv[2].Cell;
    X.Fallback = Pv[3].Cell;
    X.HealthCheck = Pv[4].Cell;
    for (const auto &P : Pv)
      X.ResilienceEvidence.push_back(P.J);
    bool AllFallback = Pv[3].Cell.Mark == "ok";
    bool AnyFallback = Pv[3].Cell.Mark != "bad";

    // Criticality.
    int Crit = baseCriticality(I.Kind, I.Category);
    X.CriticalityReasons.push_back("base " + std::to_string(Crit) + " for " +
                                   (I.Category != I.Kind ? I.Category + " " : std::string()) + I.Kind);
    if (UsedBy.size() >= 2) {
      ++Crit;
      X.CriticalityReasons.push_back("+1: " + std::to_string(UsedBy.size()) + " entry points depend on it");
    }
    if (UsedBy.empty()) {
      Crit -= 2;
      X.CriticalityReasons.push_back("-2: no entry point reaches it (off the request path)");
    }
    if (AllFallback) {
      --Crit;
      X.CriticalityReasons.push_back("-1: every call has a fallback (failure degrades, does not block)");
    }
    Crit = std::clamp(Crit, 1, 10);
    X.CriticalitySource = "rubric";
    if (O && O->Criticality) {
      X.CriticalityReasons.push_back("config: criticality " + std::to_string(*O->Criticality) +
                                     " (rubric said " + std::to_string(Crit) + ")");
      Crit = *O->Criticality;
      X.CriticalitySource = "config";
    }
    X.Criticality = Crit;
    X.Level = criticalityLevel(Crit);

    // Security posture visible from the endpoint, plus any security finding.
    ParsedEndpoint P = parseEndpoint(I.Endpoint);
    auto Kv = I.Endpoint.find("://") == std::string::npos ? parseConninfo(I.Endpoint)
                                                          : std::map<std::string, std::string>{};
    CodeRef First = V.Sites.empty() ? CodeRef{} : refOf(*V.Sites.front());
    if (P.Scheme == "https" || P.Scheme == "rediss" || P.Scheme == "smtps")
      X.Security.push_back({"ok", "transport", "Encrypted transport", P.Scheme + "://", 0, {First}});
    else if (P.Scheme == "http" || P.Scheme == "smtp" || P.Scheme == "redis")
      X.Security.push_back({"bad", "transport", "Plaintext transport", P.Scheme + "://", 0, {First}});
    else if (Kv.count("sslmode"))
      X.Security.push_back({Kv["sslmode"] == "disable" || Kv["sslmode"] == "allow" ? "bad" : "ok",
                            "transport", "sslmode=" + Kv["sslmode"], "", 0, {First}});
    else if (I.Kind == "db" && !I.Endpoint.empty())
      X.Security.push_back({"warn", "transport", "sslmode not set",
                            "libpq's default `prefer` falls back to plaintext", 0, {First}});
    else
      X.Security.push_back({"warn", "transport", "Transport not known statically",
                            "the endpoint is built at run time", 0, {}});
    for (const auto *C : V.Sites)
      if (!C->FailMode.empty()) {
        model::Judgement J{C->FailMode == "open" ? "bad" : "ok", "fail_mode",
                           C->FailMode == "open" ? "Fails open" : "Fails closed",
                           C->FailMode == "open" ? "with " + I.Name + " down, the guard allows requests"
                                                 : "with " + I.Name + " down, the guard denies requests",
                           0, {}};
        for (const auto &E : C->FailModeEvidence)
          J.Refs.push_back({E.File, E.Line, E.Note});
        X.Security.push_back(std::move(J));
      }
    // Env files (inventory): where credentials and endpoints are declared.
    for (const auto &Ev : R.Inventory.Variables) {
      if (Ev.Integration != I.Id)
        continue;
      CodeRef At{Ev.Loc.File, Ev.Loc.Line, "env " + Ev.Name};
      if (Ev.Class == "credential")
        X.Security.push_back({Ev.ReadByCode ? "ok" : "warn", "credentials",
                              "Credential from the environment",
                              Ev.Name + (Ev.ReadByCode ? " (read by the code)"
                                                       : " (defined, but no analyzed getenv reads it)"),
                              0, {At}});
      else if (Ev.Class == "endpoint" && Ev.Plaintext)
        X.Security.push_back({"bad", "transport", "Plaintext endpoint in the environment",
                              Ev.Name + " uses " + Ev.Scheme + "://", 0, {At}});
    }
    if (!I.EndpointSource.empty())
      X.Security.push_back({"ok", "configuration", "Endpoint from the environment",
                            I.EndpointSource.substr(4), 0, {}});
    for (const auto &F : R.Findings)
      if (F.Integration == I.Id && !ResilienceRules.count(F.Rule))
        X.Security.push_back({F.Severity == "low" ? "warn" : "bad", F.Rule, F.Rule, F.Message, 0,
                              {{F.Loc.File, F.Loc.Line, ""}}});

    // RTO: what the code allows per request, against the target.
    X.Recovery.TargetSource = O && O->RtoTargetSeconds ? "config" : "default";
    X.Recovery.TargetSeconds = O && O->RtoTargetSeconds ? *O->RtoTargetSeconds : defaultRtoSeconds(X.Level);
    X.Recovery.Target = formatSeconds(X.Recovery.TargetSeconds);
    bool Unknown = false;
    double Worst = 0;
    std::vector<std::string> Steps;
    for (const auto *C : V.Sites) {
      std::string Where = "`" + shortName(C->Function) + "` line " + std::to_string(C->Loc.Line);
      if (timeoutMissing(*C)) {
        X.Recovery.Unbounded = true;
        Steps.push_back(Where + ": no timeout → unbounded");
      } else if (C->Timeout.Status == "conditional") {
        Unknown = true;
        Steps.push_back(Where + ": timeout set at run time → unknown");
      } else if (C->Timeout.Unbounded || !C->Timeout.Seconds) {
        X.Recovery.Unbounded = C->Timeout.Unbounded;
        Unknown |= !C->Timeout.Unbounded;
        Steps.push_back(Where + (C->Timeout.Unbounded ? ": only the connect phase is bounded → unbounded"
                                                      : ": timeout of run-time length → unknown"));
      } else {
        int Attempts = C->Retry.Present ? C->Retry.MaxAttempts.value_or(0) : 1;
        if (Attempts == 0) {
          X.Recovery.Unbounded = true;
          Steps.push_back(Where + ": retried without a known limit → unbounded");
          continue;
        }
        double S = *C->Timeout.Seconds * Attempts;
        Worst = std::max(Worst, S);
        Steps.push_back(Where + ": " + formatSeconds(*C->Timeout.Seconds) + " × " +
                        std::to_string(Attempts) + (Attempts == 1 ? " attempt" : " attempts") +
                        (C->Retry.Backoff.value_or(false) ? " (+ backoff sleeps)" : "") + " = " +
                        formatSeconds(S));
      }
    }
    X.Recovery.Computation = join(Steps, "; ");
    if (V.Sites.empty()) {
      X.Recovery.Actual = "not analysed: no call site in the analysed code";
      X.Recovery.Verdict = "unknown";
    } else if (X.Recovery.Unbounded) {
      X.Recovery.Actual = "unbounded";
      X.Recovery.Verdict = "exceeds";
    } else if (Unknown) {
      X.Recovery.Actual = "depends on run-time configuration";
      X.Recovery.Verdict = "unknown";
    } else {
      X.Recovery.WorstCaseSeconds = Worst;
      X.Recovery.Actual = formatSeconds(Worst) + " per request";
      X.Recovery.Verdict = Worst <= X.Recovery.TargetSeconds ? "meets" : "exceeds";
    }

    // Single point of failure.
    bool MultiHost = P.Host.find(',') != std::string::npos;
    bool Alternative = PerCategory[I.Category] > 1 && I.Kind == "http";
    X.SpofReasons.push_back(MultiHost ? "several hosts in the endpoint" : "one endpoint, no alternative instance in the code");
    X.SpofReasons.push_back(AnyFallback ? "a fallback path exists" : "no fallback path");
    X.SpofReasons.push_back(Alternative ? "another " + I.Category + " integration exists"
                                        : "no alternative provider");
    X.Spof = !MultiHost && !AnyFallback && !Alternative;

    // Cost of downtime.
    X.Downtime.Currency = Cfg.Currency;
    if (O && O->TrafficShare)
      X.TrafficShare = O->TrafficShare;
    if (!Cfg.DailyRevenue) {
      X.Downtime.Text = "not configured";
      X.Downtime.Basis = "set business.daily_revenue in .integration-mapper.yaml";
    } else {
      X.Downtime.Configured = true;
      std::optional<double> Share = X.TrafficShare;
      std::string ShareWhy = "traffic_share from the config";
      if (!Share && !UsedBy.empty() && UsedBy.size() == Entries.size() && !AnyFallback) {
        Share = 1.0;
        ShareWhy = "every entry point depends on it and it has no fallback";
      }
      if (Share) {
        X.Downtime.PerHour = *Cfg.DailyRevenue * *Share / 24.0;
        X.Downtime.Text = formatMoney(*X.Downtime.PerHour, Cfg.Currency) + "/hour";
        std::ostringstream B;
        B << "daily_revenue " << formatMoney(*Cfg.DailyRevenue, Cfg.Currency) << " × share "
          << *Share << " / 24 h (" << ShareWhy << ")";
        X.Downtime.Basis = B.str();
      } else {
        X.Downtime.Text = "not derivable";
        X.Downtime.Basis = "set integrations[].traffic_share for " + I.Id;
      }
    }

    // What happens if it fails.
    std::string Immediate = immediateImpact(I);
    X.FailureSummary = O && O->FailureImpact ? *O->FailureImpact : Immediate;
    std::string Sev = AllFallback ? "warn" : "bad";
    X.FailureImpact.push_back({Sev, "immediate", "Immediate Impact", X.FailureSummary, 0, {}});
    if (UsedBy.empty())
      X.FailureImpact.push_back({"warn", "user", "User Impact",
                                 "no entry point in the analyzed code reaches it", 0, {}});
    else
      X.FailureImpact.push_back({Sev, "user", "User Impact",
                                 (AllFallback ? "degraded: " : "fails: ") + join(X.UsedBy), 0, {}});
    X.FailureImpact.push_back({X.Downtime.PerHour ? "bad" : "warn", "revenue", "Revenue Impact",
                               X.Downtime.Text + (X.Downtime.Basis.empty() ? "" : " (" + X.Downtime.Basis + ")"),
                               0, {}});
    D.Integrations.push_back(std::move(X));
  }

  // Cascades: other integrations reached from the same entry points.
  for (auto &X : D.Integrations) {
    std::set<std::string> Same;
    for (const auto &Y : D.Integrations)
      if (Y.Id != X.Id)
        for (const auto &E : X.UsedBy)
          if (std::find(Y.UsedBy.begin(), Y.UsedBy.end(), E) != Y.UsedBy.end())
            Same.insert(Y.Id);
    X.Cascades.assign(Same.begin(), Same.end());
    std::vector<std::string> Names;
    for (const auto &Id : X.Cascades)
      for (const auto &Y : D.Integrations)
        if (Y.Id == Id)
          Names.push_back(Y.Name);
    bool Hangs = X.Recovery.Unbounded;
    X.FailureImpact.push_back(
        {Names.empty() ? "ok" : "bad", "cascading", "Cascading Failures",
         Names.empty() ? "none: no other integration on its paths"
                       : std::string(Hangs ? "a hang holds requests that also use " : "requests that also use ") +
                             join(Names) + (Hangs ? " (no timeout: threads pile up)" : " fail with it"),
         0, {}});
    model::FailureBranch B;
    B.Integration = X.Id;
    bool Degrades = X.Fallback.Mark == "ok";
    if (Degrades)
      B.Degrades = "falls back; " + join(X.UsedBy) + " degrade";
    else
      B.Breaks = X.UsedBy;
    B.Cascades = X.Cascades;
    D.Dependencies.push_back(B);
  }

  // Excerpts of the current failure handling: the worst call, and the best when it differs.
  for (size_t K = 0; K < Views.size(); ++K) {
    auto Sites = Views[K].Sites;
    if (Sites.empty())
      continue;
    std::stable_sort(Sites.begin(), Sites.end(),
                     [](const CallSite *A, const CallSite *B) { return badness(*A) > badness(*B); });
    bool Ok;
    std::string V = verdictOf(*Sites.front(), Ok);
    D.Integrations[K].Excerpts.push_back(excerptOf(*Sites.front(), Read, V, Ok));
    if (badness(*Sites.back()) < badness(*Sites.front())) {
      V = verdictOf(*Sites.back(), Ok);
      D.Integrations[K].Excerpts.push_back(excerptOf(*Sites.back(), Read, V, Ok));
    }
  }

  // Mitigations.
  std::vector<model::Mitigation> Plan;
  auto PriorityRank = [](const std::string &P) {
    return P == "CRITICAL" ? 0 : P == "HIGH" ? 1 : P == "MEDIUM" ? 2 : 3;
  };
  for (size_t K = 0; K < Views.size(); ++K) {
    auto &X = D.Integrations[K];
    const auto &I = *Views[K].I;
    if (Views[K].Sites.empty())
      continue;
    std::vector<PatternVerdict> Pv = {judgeTimeout(Views[K].Sites), judgeRetry(Views[K].Sites),
                                      judgeCircuitBreaker(Views[K].Sites),
                                      judgeFallback(Views[K].Sites), judgeHealthCheck(Views[K].Sites)};
    double Points = 0;
    for (const auto &P : Pv)
      Points += P.Points;
    int C = X.Criticality;
    auto Add = [&](const PatternVerdict &P, const CallSite &At, std::string Priority,
                   std::string Title, std::string Why, std::string Code, std::string Effort) {
      model::Mitigation M;
      M.Priority = std::move(Priority);
      M.Integration = X.Id;
      M.Pattern = P.J.Pattern;
      M.Title = std::move(Title);
      M.Why = std::move(Why);
      M.Code = std::move(Code);
      M.At = refOf(At);
      M.Effort = std::move(Effort);
      M.RiskBefore = riskScore(C, X.Resilience);
      int After = std::clamp(static_cast<int>(std::lround(Points - P.Points + P.Max)), 1, 10);
      M.RiskAfter = riskScore(C, After);
      Plan.push_back(std::move(M));
    };
    auto Worst = [&](auto Pred) -> const CallSite & {
      for (const auto *S : Views[K].Sites)
        if (Pred(*S))
          return *S;
      return *Views[K].Sites.front();
    };
    const CallSite &Any = Worst([](const CallSite &) { return true; });
    Snippets S = snippetsFor(Any, I, Cat);
    if (Pv[0].Cell.Mark == "bad") {
      const CallSite &At = Worst([](const CallSite &S) { return timeoutMissing(S); });
      Snippets St = snippetsFor(At, I, Cat);
      Add(Pv[0], At, C >= 7 ? "CRITICAL" : C >= 4 ? "HIGH" : "MEDIUM",
          "Add a timeout to `" + At.Operation + "` in `" + shortName(At.Function) + "`",
          "the call can block its thread forever while " + X.Name + " hangs", St.Timeout, "15 min");
    } else if (Pv[0].Cell.Mark == "warn") {
      const CallSite &At = Worst([](const CallSite &S) { return !timeoutBounded(S); });
      Add(Pv[0], At, "MEDIUM", "Bound the run-time timeout of `" + At.Operation + "`",
          "the value comes from configuration; clamp it so 0 or a typo cannot mean 'forever'",
          snippetsFor(At, I, Cat).Timeout, "30 min");
    }
    if (Pv[1].Cell.Mark == "bad") {
      const CallSite &At = Worst([](const CallSite &S) { return !S.Retry.Present; });
      Add(Pv[1], At, C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Retry `" + At.Operation + "` in `" + shortName(At.Function) + "` with exponential backoff",
          "a transient network error fails the operation at once", snippetsFor(At, I, Cat).Retry,
          "2 hours");
    } else if (Pv[1].Cell.Mark == "warn" &&
               std::any_of(Views[K].Sites.begin(), Views[K].Sites.end(),
                           [](const CallSite *S) { return !S->Retry.Present; })) {
      const CallSite &At = Worst([](const CallSite &S) { return !S.Retry.Present; });
      Add(Pv[1], At, C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Retry `" + At.Operation + "` in `" + shortName(At.Function) + "` with exponential backoff",
          "other calls of this integration retry, this one fails at the first error",
          snippetsFor(At, I, Cat).Retry, "1 hour");
    } else if (Pv[1].Cell.Mark == "warn") {
      const CallSite &At = Worst([](const CallSite &S) { return !retryGood(S); });
      Add(Pv[1], At, Pv[1].Cell.Text == "unbounded" ? "HIGH" : "MEDIUM",
          "Bound the retry of `" + At.Operation + "` and add backoff",
          "retries without a limit or a growing delay hammer a recovering service",
          snippetsFor(At, I, Cat).Retry, "1 hour");
    }
    if (Pv[2].Cell.Mark != "ok")
      Add(Pv[2], Any, C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Add a circuit breaker around " + X.Name,
          "during an outage every request still waits for " + X.Name + " to fail", S.Breaker,
          "4 hours");
    if (Pv[3].Cell.Mark != "ok")
      Add(Pv[3], Any, C >= 9 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Add a fallback for " + X.Name,
          X.Spof ? "single point of failure: no fallback and no alternative provider"
                 : "a failure reaches the user directly",
          S.Fallback, "1 day");
    if (Pv[4].Cell.Mark != "ok")
      Add(Pv[4], Any, C >= 7 ? "MEDIUM" : "LOW", "Add a health check for " + X.Name,
          "no early warning before requests start failing", S.Health, "2 hours");
  }
  std::stable_sort(Plan.begin(), Plan.end(), [&](const auto &A, const auto &B) {
    int PA = PriorityRank(A.Priority), PB = PriorityRank(B.Priority);
    if (PA != PB)
      return PA < PB;
    if (A.RiskBefore - A.RiskAfter != B.RiskBefore - B.RiskAfter)
      return A.RiskBefore - A.RiskAfter > B.RiskBefore - B.RiskAfter;
    return std::tie(A.Integration, A.At.File, A.At.Line) < std::tie(B.Integration, B.At.File, B.At.Line);
  });
  for (size_t K = 0; K < Plan.size(); ++K) {
    Plan[K].Id = "M" + std::to_string(K + 1);
    for (auto &X : D.Integrations)
      if (X.Id == Plan[K].Integration)
        X.Mitigations.push_back(Plan[K].Id);
  }
  D.Plan = std::move(Plan);

  // Executive summary.
  double Sum = 0;
  const model::IntegrationRisk *Costliest = nullptr;
  for (const auto &X : D.Integrations) {
    (X.Level == "CRITICAL" ? D.Critical : X.Level == "HIGH" ? D.High : X.Level == "MEDIUM" ? D.Medium : D.Low)++;
    Sum += X.Resilience;
    if (X.Spof && X.Criticality >= 7)
      D.CriticalSpofs.push_back(X.Id);
    if (X.Downtime.PerHour && (!Costliest || *X.Downtime.PerHour > *Costliest->Downtime.PerHour))
      Costliest = &X;
  }
  D.OverallResilience = D.Integrations.empty() ? 0 : std::round(Sum / D.Integrations.size() * 100) / 100;
  D.OverallRating = D.Integrations.empty() ? "n/a" : resilienceRating(D.OverallResilience);
  D.Downtime.Currency = Cfg.Currency;
  if (Costliest) {
    D.Downtime = Costliest->Downtime;
    D.Downtime.Basis = "worst single outage: " + Costliest->Name + "; " + Costliest->Downtime.Basis;
  } else {
    D.Downtime.Configured = Cfg.DailyRevenue.has_value();
    D.Downtime.Text = Cfg.DailyRevenue ? "not derivable" : "not configured";
    D.Downtime.Basis = Cfg.DailyRevenue ? "set integrations[].traffic_share"
                                        : "set business.daily_revenue in .integration-mapper.yaml";
  }
  std::vector<const model::IntegrationRisk *> ByRisk;
  for (const auto &X : D.Integrations)
    ByRisk.push_back(&X);
  std::stable_sort(ByRisk.begin(), ByRisk.end(), [](const auto *A, const auto *B) {
    int RA = riskScore(A->Criticality, A->Resilience), RB = riskScore(B->Criticality, B->Resilience);
    return RA != RB ? RA > RB : A->Criticality > B->Criticality;
  });
  for (size_t K = 0; K < ByRisk.size() && K < 3; ++K) {
    const auto &X = *ByRisk[K];
    std::vector<std::string> Why;
    for (const auto &J : X.ResilienceEvidence)
      if (J.Mark == "bad")
        Why.push_back(J.Title == "No timeout" ? "no timeout on " + J.Detail.substr(0, J.Detail.find(" can"))
                                               : J.Title);
    if (X.Spof)
      Why.push_back("single point of failure");
    int Risk = riskScore(X.Criticality, X.Resilience);
    std::string Text = Why.empty() ? "well protected" : "";
    for (size_t W = 0; W < Why.size(); ++W)
      Text += (W ? ", " : "") +
              std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(Why[W][0])))) +
              Why[W].substr(1);
    D.KeyRisks.push_back({Risk >= 7 ? "bad" : "warn", "risk", X.Name,
                          Text + " (" + std::to_string(Risk) + "/10 risk)", Risk, {}});
  }

  // Resilience pattern assessment.
  struct PatternDoc {
    const char *Id, *Title, *Why, *Recommendation;
    model::MatrixCell model::IntegrationRisk::*Cell;
  };
  const PatternDoc Docs[] = {
      {"circuit_breaker", "Circuit Breaker",
       "Without a breaker, every request during an outage waits for the failing service, "
       "holding a thread and hammering it while it tries to recover.",
       "Add a breaker to every integration on the request path, critical ones first.",
       &model::IntegrationRisk::CircuitBreaker},
      {"retry", "Retry with Exponential Backoff",
       "Without retry a transient network error fails the operation; without backoff or a limit "
       "a retry storm keeps the dependency down.",
       "Retry idempotent operations at most 3 times with a doubling delay.",
       &model::IntegrationRisk::Retry},
      {"timeout", "Timeout Configuration",
       "A call without a timeout can hold its thread forever; libraries mostly default to no timeout.",
       "Set connect and total timeouts of a few seconds on every handle.",
       &model::IntegrationRisk::Timeout},
      {"fallback", "Graceful Degradation",
       "Without a fallback, a dependency failure becomes the user's failure.",
       "Serve a cached value, queue the work, or degrade the feature instead of failing.",
       &model::IntegrationRisk::Fallback},
      {"health_check", "Health Check",
       "Without a probe, the first sign of an outage is failing user requests.",
       "Probe each critical dependency cheaply and expose the result to the orchestrator.",
       &model::IntegrationRisk::HealthCheck},
  };
  for (const auto &PDoc : Docs) {
    model::PatternAssessment A;
    A.Pattern = PDoc.Id;
    A.Title = PDoc.Title;
    A.Why = PDoc.Why;
    A.Recommendation = PDoc.Recommendation;
    double Total = 0;
    size_t Ok = 0, Bad = 0;
    for (const auto &X : D.Integrations) {
      const auto &Cell = X.*PDoc.Cell;
      Total += Cell.Mark == "ok" ? 1 : Cell.Mark == "warn" ? 0.5 : 0;
      Ok += Cell.Mark == "ok";
      Bad += Cell.Mark == "bad";
      A.Where.push_back({Cell.Mark, PDoc.Id, X.Name, Cell.Text, 0, {}});
    }
    A.Quality = D.Integrations.empty()
                    ? 1
                    : std::clamp(static_cast<int>(std::lround(10 * Total / D.Integrations.size())), 1, 10);
    A.Summary = Bad == D.Integrations.size() ? "absent" : Ok == D.Integrations.size() ? "consistent" : "inconsistent";
    for (const auto &M : D.Plan)
      if (M.Pattern == PDoc.Id && A.GoodExample.empty())
        A.GoodExample = M.Code;
    D.Patterns.push_back(std::move(A));
  }

  // Architecture and dependency graphs (Mermaid). A monorepo's thousands of
  // functions make no readable diagram: draw the first ones and say so.
  constexpr size_t MaxEntries = 25, MaxWrappers = 40;
  size_t NE = std::min(D.EntryPoints.size(), MaxEntries);
  auto NodeId = [](const std::string &Prefix, const std::string &S) {
    std::string O = Prefix;
    for (char C : S)
      O += std::isalnum(static_cast<unsigned char>(C)) ? C : '_';
    return O;
  };
  auto Quote = [](const std::string &S) {
    std::string O;
    for (char C : S)
      O += C == '"' ? std::string("#quot;") : std::string(1, C);
    return O;
  };
  {
    std::ostringstream M;
    M << "flowchart TD\n";
    M << "  subgraph L1[\"Layer 1: Entry points\"]\n";
    for (size_t K = 0; K < NE; ++K)
      M << "    E" << K << "([\"" << Quote(D.EntryPoints[K]) << "\"])\n";
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
      M << "    W" << K << "[\"" << Quote(Ws[K]) << "\"]\n";
    M << "  end\n";
    for (const char *Layer : {"external", "data"}) {
      M << "  subgraph " << (std::string(Layer) == "external" ? "L3[\"Layer 3: External services\"]"
                                                              : "L4[\"Layer 4: Data layer\"]")
        << "\n";
      for (const auto &X : D.Integrations)
        if (X.Layer == Layer)
          M << "    " << NodeId("I_", X.Id) << (X.Layer == "data" ? "[(\"" : "[\"") << Quote(X.Name)
            << "<br/>" << X.Level << " " << X.Criticality << "/10" << (X.Spof ? " SPOF" : "")
            << (X.Layer == "data" ? "\")]" : "\"]") << "\n";
      M << "  end\n";
    }
    // Entry -> wrapper when the entry reaches it; wrapper -> integration.
    for (size_t E = 0; E < NE; ++E) {
      std::set<std::string> Reach;
      for (const auto &K : KeysByEntryName[D.EntryPoints[E]]) {
        std::vector<std::string> Work{K};
        while (!Work.empty()) {
          std::string Cur = Work.back();
          Work.pop_back();
          if (!Reach.insert(Cur).second)
            continue;
          for (const auto &U : G.users(Cur))
            if (U != Cur)
              Work.push_back(U);
          if (auto It = G.Callees.find(Cur); It != G.Callees.end())
            for (const auto &Ce : It->second) {
              Work.push_back(Ce);
              std::string Nm = G.name(Ce);
              // A call into a class reaches its constructor (objects are built before use).
              if (auto Sc = G.ByScope.find(scopeOf(Nm)); Sc != G.ByScope.end())
                for (const auto &Mb : Sc->second)
                  if (isStructor(G.name(Mb)))
                    Work.push_back(Mb);
            }
        }
      }
      std::set<std::string> ReachNames;
      for (const auto &K : Reach)
        ReachNames.insert(G.name(K));
      for (size_t W = 0; W < Ws.size(); ++W)
        if (ReachNames.count(Ws[W]))
          M << "  E" << E << " --> W" << W << "\n";
    }
    for (size_t W = 0; W < Ws.size(); ++W)
      for (const auto &X : D.Integrations)
        if (std::find(X.Wrappers.begin(), X.Wrappers.end(), Ws[W]) != X.Wrappers.end())
          M << "  W" << W << " --> " << NodeId("I_", X.Id) << "\n";
    D.ArchitectureMermaid = M.str();
  }
  {
    std::ostringstream M;
    M << "flowchart LR\n";
    for (const auto &X : D.Integrations)
      M << "  " << NodeId("I_", X.Id) << "{{\"" << Quote(X.Name) << " fails\"}}\n";
    for (size_t K = 0; K < NE; ++K)
      M << "  E" << K << "([\"" << Quote(D.EntryPoints[K]) << "\"])\n";
    for (const auto &B : D.Dependencies) {
      const model::IntegrationRisk *X = nullptr;
      for (const auto &Y : D.Integrations)
        if (Y.Id == B.Integration)
          X = &Y;
      for (size_t K = 0; K < NE; ++K) {
        bool Uses = std::find(X->UsedBy.begin(), X->UsedBy.end(), D.EntryPoints[K]) != X->UsedBy.end();
        if (!Uses)
          continue;
        M << "  " << NodeId("I_", X->Id) << (B.Breaks.empty() ? " -. degrades .-> E" : " -- breaks --> E")
          << K << "\n";
      }
    }
    std::set<std::pair<std::string, std::string>> Done;
    for (const auto &B : D.Dependencies)
      for (const auto &C : B.Cascades)
        if (Done.insert({std::min(B.Integration, C), std::max(B.Integration, C)}).second)
          M << "  " << NodeId("I_", std::min(B.Integration, C)) << " <-. same path .-> "
            << NodeId("I_", std::max(B.Integration, C)) << "\n";
    D.DependencyMermaid = M.str();
  }
  for (const auto &E : D.EntryPoints) {
    std::vector<const model::IntegrationRisk *> On;
    for (const auto &X : D.Integrations)
      if (std::find(X.UsedBy.begin(), X.UsedBy.end(), E) != X.UsedBy.end())
        On.push_back(&X);
    std::stable_sort(On.begin(), On.end(),
                     [](const auto *A, const auto *B) { return A->Criticality > B->Criticality; });
    std::string P = E;
    std::vector<std::string> Spofs;
    for (const auto *X : On) {
      P += " → " + X->Name;
      if (X->Spof)
        Spofs.push_back(X->Name);
    }
    D.CriticalPaths.push_back(P + (Spofs.empty() ? "" : "  (SPOF: " + join(Spofs) + ")"));
  }

  // For AI agents: the project's own best and worst calls.
  std::map<std::string, int> CritById;
  for (const auto &X : D.Integrations)
    CritById[X.Id] = X.Criticality;
  std::vector<const CallSite *> All;
  for (const auto &C : R.CallSites)
    All.push_back(&C);
  std::stable_sort(All.begin(), All.end(), [&](const CallSite *A, const CallSite *B) {
    return CritById[A->Integration] > CritById[B->Integration];
  });
  for (const auto *C : All) {
    bool Ok;
    std::string V = verdictOf(*C, Ok);
    if (Ok && D.BestExamples.size() < 5)
      D.BestExamples.push_back({refOf(*C), C->Integration, V.substr(V.find(':') + 2)});
    else if (timeoutMissing(*C) && D.WorstExamples.size() < 5)
      D.WorstExamples.push_back({refOf(*C), C->Integration, V.substr(V.find(':') + 2)});
  }

  D.Dos = {"Set connect and total timeouts of a few seconds on every client handle "
           "(e.g. CURLOPT_CONNECTTIMEOUT_MS + CURLOPT_TIMEOUT_MS, redisConnectWithTimeout + "
           "redisSetTimeout, connect_timeout and statement_timeout in the conninfo)",
           "Retry only idempotent operations, at most 3 attempts, with exponential backoff",
           "Put a circuit breaker in front of every integration on the request path",
           "Give each integration a fallback: cached value, queue, or degraded feature",
           "Add the integration to .integration-mapper.yaml (criticality, RTO target, traffic share)"};
  D.Donts = {"Assume an external service is always available",
             "Rely on library default timeouts (libcurl and hiredis default to none)",
             "Set a timeout of 0: for libcurl it means wait forever",
             "Retry in a loop without an attempt limit or a growing delay",
             "Fail silently: log, count and queue the failed work"};
  for (const auto &X : D.Integrations)
    if (X.Criticality >= 7 && X.RequestPath)
      D.PathProtection.push_back(X.Name + " (" + X.Level + ", used by " + join(X.UsedBy) +
                                 ") must have: timeout, bounded retry with backoff, circuit breaker" +
                                 (X.Spof ? ", and a fallback (it is a single point of failure)" : ""));

  D.Limitations.push_back("HTTP handlers registered through a framework call are not recognised as "
                          "entry points; name them under entry_points in the config");
  D.Limitations.push_back("backoff sleep durations are not measured: worst-case blocking counts "
                          "timeouts × attempts only");
  return D;
}

} // namespace im::analysis
