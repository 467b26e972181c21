// The evidence rules of docs/evidence.md, each on real Debian headers with its
// look-alike beside it: settings through project forwarders, values from every
// caller, library semantics (statement_timeout, Beast's async-only expiry,
// MongoDB retryWrites), fallbacks where callers put them, breakers on the path.
#include "Snippet.h"

namespace im {
namespace {

// ---- settings through project forwarders; one handle's settings stay on it
const char *const ForwardCode = R"cpp(
#include <curl/curl.h>
#include <librdkafka/rdkafka.h>
#include <string>

void SetCurlLongOption(CURL *h, CURLoption option, long value) {
  curl_easy_setopt(h, option, value); /*@forwarderBody*/
}
void SetOption(CURL *h, CURLoption option, long value) { SetCurlLongOption(h, option, value); }

void configured() {
  CURL *a = curl_easy_init();
  CURL *b = curl_easy_init();
  SetCurlLongOption(a, CURLOPT_TIMEOUT, 5L); /*@forwardedTimeout*/
  curl_easy_perform(a);
  curl_easy_perform(b); /*@otherHandle*/
}
void twoLevels() {
  CURL *c = curl_easy_init();
  SetOption(c, CURLOPT_TIMEOUT_MS, 250L);
  curl_easy_perform(c);
}
void notATimeout() {
  CURL *d = curl_easy_init();
  SetCurlLongOption(d, CURLOPT_VERBOSE, 1L);
  curl_easy_perform(d);
}

rd_kafka_t *make(bool retries) {
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  auto set = [&](const char *key, const std::string &value) {
    rd_kafka_conf_set(conf, key, value.c_str(), errstr, sizeof(errstr));
  };
  set("client.id", "svc");
  if (retries)
    set("message.send.max.retries", "5"); /*@kafkaRetries*/
  return rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
}
void produceWithRetries(const std::string &v) {
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  auto set = [&](const char *key, const std::string &value) {
    rd_kafka_conf_set(conf, key, value.c_str(), errstr, sizeof(errstr));
  };
  set("message.send.max.retries", "5"); /*@kafkaRetries2*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                    RD_KAFKA_V_END);
}
void produceFromOtherConf(const std::string &v) {
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "client.id", "svc", errstr, sizeof(errstr));
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                    RD_KAFKA_V_END);
}
)cpp";
constexpr char ForwardName[] = "forward.cpp";
using Forwarders = test::SnippetSuite<&ForwardCode, ForwardName>;

TEST_F(Forwarders, SettingThroughAForwarderCountsForItsHandleOnly) {
  const model::CallSite *A = nullptr, *B = nullptr;
  for (const auto &C : S->M.CallSites)
    if (C.Function == "configured")
      (C.Loc.Line == S->line("otherHandle") ? B : A) = &C;
  ASSERT_NE(A, nullptr);
  ASSERT_NE(B, nullptr);
  ASSERT_TRUE(A->Timeout.Present) << S->dump();
  EXPECT_EQ(A->Timeout.Seconds, 5.0);
  EXPECT_TRUE(S->hasEvidenceAt(A->Timeout, S->line("forwardedTimeout")));
  EXPECT_TRUE(S->hasEvidenceAt(A->Timeout, S->line("forwarderBody")));
  bool Named = false;
  for (const auto &E : A->Timeout.Evidence)
    Named |= E.Note.find("through SetCurlLongOption() in configured()") != std::string::npos;
  EXPECT_TRUE(Named) << S->dump();
  EXPECT_FALSE(B->Timeout.Present) << "the setting was made on another handle";
  EXPECT_EQ(B->Timeout.Status, "absent");
}

TEST_F(Forwarders, ForwarderOfAForwarder) {
  const auto &C = S->callIn("twoLevels");
  ASSERT_TRUE(C.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0.25);
  const auto &N = S->callIn("notATimeout");
  EXPECT_FALSE(N.Timeout.Present) << "CURLOPT_VERBOSE through the same forwarder is no timeout";
}

TEST_F(Forwarders, KeyValueConfigThroughALambda) {
  const auto &C = S->callIn("produceWithRetries");
  ASSERT_TRUE(C.Retry.Present) << S->dump();
  EXPECT_EQ(C.Retry.Kind, "library retry policy");
  EXPECT_EQ(C.Retry.MaxAttempts, 6);
  EXPECT_TRUE(S->hasEvidenceAt(C.Retry, S->line("kafkaRetries2")));
  EXPECT_FALSE(S->callIn("produceFromOtherConf").Retry.Present);
}

// ---- values from every caller, through constructors and several levels
const char *const CallersCode = R"cpp(
#include <curl/curl.h>
#include <boost/beast/core.hpp>
#include <chrono>
#include <cstdlib>

class Client {
public:
  explicit Client(long timeout_s) : h_(curl_easy_init()) {
    curl_easy_setopt(h_, CURLOPT_TIMEOUT, timeout_s);
  }
  void get() { curl_easy_perform(h_); }
private:
  CURL *h_;
};
void usesClients() {
  Client a(5); /*@callerFive*/
  Client b(15); /*@callerFifteen*/
  a.get();
  b.get();
}

class Other {
public:
  explicit Other(long timeout_s) : h_(curl_easy_init()) { curl_easy_setopt(h_, CURLOPT_TIMEOUT, timeout_s); }
  void get() { curl_easy_perform(h_); }
private:
  CURL *h_;
};
void usesOther() {
  Other a(5);
  Other b(std::atol(std::getenv("T"))); /*@unknownCaller*/
  a.get();
  b.get();
}

void inner(CURL *h, long ms) {
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_perform(h);
}
void outer(CURL *h, long ms) { inner(h, ms); }
void top() {
  outer(curl_easy_init(), 800); /*@deepCaller*/
}

void beastRead(boost::beast::tcp_stream &s, std::chrono::seconds limit, char *buf) {
  s.expires_after(limit);
  s.async_read_some(boost::asio::buffer(buf, 1), [](boost::system::error_code, std::size_t) {});
}
)cpp";
constexpr char CallersName[] = "callers.cpp";
using Callers = test::SnippetSuite<&CallersCode, CallersName>;

TEST_F(Callers, EveryConstructorCallerPassesAConstant) {
  const auto &C = S->callIn("Client::get");
  ASSERT_TRUE(C.Timeout.Present) << S->dump();
  EXPECT_EQ(C.Timeout.Seconds, 15.0) << "the largest value any caller passes";
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("callerFive")));
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("callerFifteen")));
}

TEST_F(Callers, ACallerWithARunTimeValueMakesItConditional) {
  const auto &C = S->callIn("Other::get");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "conditional") << S->dump();
  EXPECT_NE(C.Timeout.Reason.find("usesOther()"), std::string::npos) << C.Timeout.Reason;
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("unknownCaller")));
}

TEST_F(Callers, ValueThroughTwoLevelsOfParameters) {
  const auto &C = S->callIn("inner");
  ASSERT_TRUE(C.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0.8);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("deepCaller")));
}

// ---- library semantics: PostgreSQL statement_timeout, Beast expiry, MongoDB retryWrites
const char *const SemanticsCode = R"cpp(
#include <pqxx/pqxx>
#include <postgresql/libpq-fe.h>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

class Repo {
public:
  explicit Repo(const std::string &dsn) : conn_(dsn) {
    conn_.set_variable("statement_timeout", "3000"); /*@setVariable*/
  }
  void insert() {
    pqxx::work tx(conn_);
    tx.exec0("INSERT INTO t VALUES (1)");
    tx.commit();
  }
private:
  pqxx::connection conn_;
};
class PathOnly {
public:
  explicit PathOnly(const std::string &dsn) : conn_(dsn) { conn_.set_variable("search_path", "app"); }
  void insert() {
    pqxx::work tx(conn_);
    tx.exec0("INSERT INTO t VALUES (1)");
  }
private:
  pqxx::connection conn_;
};

class Replica {
public:
  Replica() {
    conn_ = PQconnectdb("host=db connect_timeout=3");
    PQclear(PQexec(conn_, "SET statement_timeout = '5s'")); /*@sqlSet*/
  }
  void read() { PQclear(PQexec(conn_, "SELECT 1 FROM t")); /*@replicaRead*/ }
private:
  PGconn *conn_;
};
class LocalOnly {
public:
  LocalOnly() {
    conn_ = PQconnectdb("host=db connect_timeout=3");
    PQclear(PQexec(conn_, "SET LOCAL statement_timeout = 5000"));
  }
  void read() { PQclear(PQexec(conn_, "SELECT 1 FROM t")); /*@localRead*/ }
private:
  PGconn *conn_;
};

namespace beast = boost::beast;
void syncRequest(beast::tcp_stream &stream, beast::http::request<beast::http::string_body> &req) {
  stream.expires_after(std::chrono::seconds(5)); /*@expires*/
  beast::http::write(stream, req);
}
void asyncRequest(beast::tcp_stream &stream, beast::http::request<beast::http::string_body> &req) {
  stream.expires_after(std::chrono::seconds(5));
  beast::http::async_write(stream, req, [](beast::error_code, std::size_t) {});
}
)cpp";
constexpr char SemanticsName[] = "semantics.cpp";
using Semantics = test::SnippetSuite<&SemanticsCode, SemanticsName>;

TEST_F(Semantics, PqxxStatementTimeoutOnTheConnectionBoundsItsQueries) {
  const model::CallSite *Exec = nullptr;
  for (const auto &C : S->M.CallSites)
    if (C.Function == "Repo::insert" && C.Operation == "pqxx::transaction_base::exec0")
      Exec = &C;
  ASSERT_NE(Exec, nullptr) << S->dump();
  ASSERT_TRUE(Exec->Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*Exec->Timeout.Seconds, 3.0);
  EXPECT_TRUE(S->hasEvidenceAt(Exec->Timeout, S->line("setVariable")));
  for (const auto &C : S->M.CallSites) {
    if (C.Function == "PathOnly::insert")
      EXPECT_FALSE(C.Timeout.Present) << "search_path is not a timeout";
    if (C.Function == "Repo::Repo")
      EXPECT_FALSE(C.Timeout.Present) << "statement_timeout bounds statements, not the connect";
  }
}

TEST_F(Semantics, SqlSetStatementTimeoutOnALibpqConnection) {
  const model::CallSite *Read = S->callAt(S->line("replicaRead"));
  ASSERT_NE(Read, nullptr) << S->dump();
  ASSERT_TRUE(Read->Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*Read->Timeout.Seconds, 5.0);
  EXPECT_TRUE(S->hasEvidenceAt(Read->Timeout, S->line("sqlSet")));
  const model::CallSite *Local = S->callAt(S->line("localRead"));
  ASSERT_NE(Local, nullptr);
  EXPECT_FALSE(Local->Timeout.Present) << "SET LOCAL lasts one transaction";
}

TEST_F(Semantics, BeastExpiryBoundsOnlyAsynchronousOperations) {
  const auto &Sync = S->callIn("syncRequest");
  EXPECT_FALSE(Sync.Timeout.Present) << S->dump();
  EXPECT_NE(Sync.Timeout.Reason.find("bounds only asynchronous operations"), std::string::npos)
      << Sync.Timeout.Reason;
  EXPECT_TRUE(S->hasEvidenceAt(Sync.Timeout, S->line("expires")));
  const auto &Async = S->callIn("asyncRequest");
  ASSERT_TRUE(Async.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*Async.Timeout.Seconds, 5.0);
}

// ---- fallbacks where callers put them; breakers consulted on the path
const char *const FallbackCode = R"cpp(
#include <hiredis/hiredis.h>
#include <curl/curl.h>
#include <optional>
#include <stdexcept>
#include <string>

struct Cache {
  redisContext *ctx;
  std::optional<std::string> get(const std::string &k) {
    redisReply *r = static_cast<redisReply *>(redisCommand(ctx, "GET %s", k.c_str())); /*@cacheGet*/
    if (r == nullptr)
      return std::nullopt;
    std::string v(r->str, r->len);
    freeReplyObject(r);
    return v;
  }
};
struct Api {
  CURL *h;
  std::string fetch(const std::string &k) {
    if (curl_easy_perform(h) != CURLE_OK) /*@apiFetch*/
      throw std::runtime_error("fetch " + k);
    return "fresh";
  }
};
struct Audit {
  redisContext *ctx;
  void record(const std::string &what) { redisCommand(ctx, "LPUSH audit %s", what.c_str()); }
};
Cache cache;
Api api;
Audit audit;

std::string cacheAside(const std::string &k) {
  if (std::optional<std::string> hit = cache.get(k)) { /*@missBranch*/
    return *hit;
  }
  return api.fetch(k);
}
double quote(const std::string &k) {
  try {
    return std::stod(api.fetch(k));
  } catch (const std::exception &) {
    return 1.0; /*@defaultValue*/
  }
}
bool auditOnly(const std::string &k) {
  try {
    api.fetch(k);
    return true;
  } catch (const std::exception &e) {
    audit.record(e.what());
    return false;
  }
}
struct Names {
  redisContext *ctx;
  std::string get(const std::string &k) {
    redisReply *r = static_cast<redisReply *>(redisCommand(ctx, "HGET names %s", k.c_str())); /*@namesGet*/
    std::string v = r ? std::string(r->str, r->len) : std::string();
    if (r)
      freeReplyObject(r);
    return v;
  }
};
Names names;
std::optional<std::string> profile(const std::string &k) {
  std::string n = names.get(k);
  if (n.empty())
    return std::nullopt;
  return api.fetch(n);
}
)cpp";
constexpr char FallbackName[] = "fallback.cpp";
using Fallbacks = test::SnippetSuite<&FallbackCode, FallbackName>;

TEST_F(Fallbacks, CacheMissReadsTheSourceOfTruthInTheCaller) {
  const model::CallSite *Get = S->callAt(S->line("cacheGet"));
  ASSERT_NE(Get, nullptr) << S->dump();
  ASSERT_TRUE(Get->Fallback.Present) << Get->Fallback.Reason;
  EXPECT_EQ(Get->Fallback.Kind, "alternative_source");
  EXPECT_TRUE(S->hasEvidenceAt(Get->Fallback, S->line("missBranch")));
}

// `if (n.empty()) return std::nullopt;` asks about the value: the code after it runs when
// the lookup found something, so it is no miss path (the cache-aside shape above is).
TEST_F(Fallbacks, AnEmptinessTestIsNotACacheMiss) {
  const model::CallSite *Get = S->callAt(S->line("namesGet"));
  ASSERT_NE(Get, nullptr) << S->dump();
  EXPECT_FALSE(Get->Fallback.Present) << Get->Fallback.Kind;
  const model::CallSite *Miss = S->callAt(S->line("cacheGet"));
  ASSERT_NE(Miss, nullptr);
  EXPECT_TRUE(Miss->Fallback.Present);
}

TEST_F(Fallbacks, DefaultValueInACallerAndAnAuditRowIsNone) {
  const model::CallSite *Fetch = S->callAt(S->line("apiFetch"));
  ASSERT_NE(Fetch, nullptr);
  // quote() serves 1.0; auditOnly() records the failure and returns false: the
  // call site is reached through both, and the fallback is the default value.
  ASSERT_TRUE(Fetch->Fallback.Present) << Fetch->Fallback.Reason;
  EXPECT_EQ(Fetch->Fallback.Kind, "default_value");
  EXPECT_TRUE(S->hasEvidenceAt(Fetch->Fallback, S->line("defaultValue")));
  for (const auto &E : Fetch->Fallback.Evidence)
    EXPECT_EQ(E.Note.find("Audit::record"), std::string::npos) << E.Note;
}

const char *const AuditCode = R"cpp(
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <stdexcept>
#include <string>
struct Audit {
  redisContext *ctx;
  void record(const std::string &what) { redisCommand(ctx, "LPUSH audit %s", what.c_str()); }
};
Audit audit;
CURL *h;
void pay() {
  if (curl_easy_perform(h) != CURLE_OK) /*@payCall*/
    throw std::runtime_error("pay");
}
bool settle() {
  try {
    pay();
    return true;
  } catch (const std::exception &e) {
    audit.record(e.what());
    return false;
  }
}
)cpp";
constexpr char AuditName[] = "audit.cpp";
using AuditRow = test::SnippetSuite<&AuditCode, AuditName>;

TEST_F(AuditRow, RecordingTheFailureInAnotherStoreIsNoFallback) {
  const model::CallSite *Pay = S->callAt(S->line("payCall"));
  ASSERT_NE(Pay, nullptr);
  EXPECT_FALSE(Pay->Fallback.Present) << Pay->Fallback.Kind;
}

const char *const BreakerCode = R"cpp(
#include <curl/curl.h>
#include <chrono>
#include <stdexcept>

class CircuitBreaker {
public:
  template <typename Fn> auto call(Fn &&fn) -> decltype(fn()) {
    if (state_ == State::kOpen) throw std::runtime_error("open");
    try { auto r = fn(); failures_ = 0; return r; } catch (...) { ++failures_; throw; }
  }
private:
  enum class State { kClosed, kOpen };
  State state_ = State::kClosed;
  int failures_ = 0;
  std::chrono::steady_clock::time_point opened_at_;
};
template <typename Op> auto with_retry(Op &&op) -> decltype(op()) {
  for (int i = 0;; ++i) {
    try { return op(); } catch (...) { if (i >= 3) throw; }
  }
}
CircuitBreaker breaker;
CircuitBreaker unused_breaker;
CURL *h1, *h2;
int guarded() {
  return breaker.call([&] { return with_retry([&] { return (int)curl_easy_perform(h1); }); });
}
int unguarded() {
  return with_retry([&] { return (int)curl_easy_perform(h2); }); /*@unguarded*/
}
)cpp";
constexpr char BreakerName[] = "breaker.cpp";
using Breakers = test::SnippetSuite<&BreakerCode, BreakerName>;

TEST_F(Breakers, ABreakerOnAnotherPathThroughTheSameHelperDoesNotCount) {
  const model::CallSite *G = nullptr, *U = nullptr;
  for (const auto &C : S->M.CallSites)
    (C.Loc.Line == S->line("unguarded") ? U : G) = &C;
  ASSERT_NE(G, nullptr);
  ASSERT_NE(U, nullptr);
  EXPECT_TRUE(G->CircuitBreaker.Present) << "guarded(): the call runs inside breaker.call";
  EXPECT_TRUE(G->Retry.Present);
  EXPECT_FALSE(U->CircuitBreaker.Present)
      << "unguarded() reaches with_retry too, but no breaker is consulted on its path";
  EXPECT_TRUE(U->Retry.Present);
}

} // namespace
} // namespace im
