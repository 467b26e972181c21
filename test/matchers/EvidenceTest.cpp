// The evidence engine on the traps real code sets: helpers, templates,
// callbacks, option structs, default arguments, RAII guards, breakers, fallbacks.
// Real headers: <curl/curl.h>, <hiredis/hiredis.h>.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

const char *Code = R"cpp(
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <chrono>
#include <deque>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

// ---- a retry helper recognised by what it does, not by its name
template <class F> bool attemptSeveral(F f, int n) {
  auto delay = std::chrono::milliseconds(100);
  for (int i = 0; i < n; ++i) { /*@helperLoop*/
    if (f())
      return true;
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  return false;
}
void viaTemplateHelper(CURL *h) {
  attemptSeveral([&] { return curl_easy_perform(h) == CURLE_OK; }, 4); /*@passLambda*/
}

// ---- named like a retry, but is not one
int retry_count() { return 3; }
void namedLikeRetry(CURL *h) {
  if (retry_count() > 0)
    curl_easy_perform(h);
}

// ---- unbounded retry without backoff
void forever(CURL *h) {
  while (curl_easy_perform(h) != CURLE_OK) {
  }
}

// ---- a circuit breaker recognised by its shape
class Breaker {
public:
  enum class State { Closed, Open, HalfOpen };
  bool allow();
  template <class F> bool call(F f) { return allow() && f(); }
private:
  State state_ = State::Closed;
  int failures_ = 0;
  std::chrono::steady_clock::time_point reset_at_;
};
Breaker paymentsBreaker;
void breakerLambda(CURL *h) {
  paymentsBreaker.call([&] { return curl_easy_perform(h) == CURLE_OK; }); /*@breakerCall*/
}
void breakerGuard(CURL *h) {
  if (paymentsBreaker.allow()) /*@breakerAllow*/
    curl_easy_perform(h);
}
void breakerEarlyReturn(CURL *h) {
  if (!paymentsBreaker.allow())
    return;
  curl_easy_perform(h);
}
struct RateCounter { int allow() { return 1; } };
void notABreaker(CURL *h, RateCounter &rc) {
  if (rc.allow())
    curl_easy_perform(h);
}

// ---- fallbacks
redisContext *cache;
std::string fxRates(CURL *h) {
  try {
    if (curl_easy_perform(h) != CURLE_OK) /*@ratesCall*/
      throw std::runtime_error("rates");
  } catch (const std::exception &) { /*@catchFallback*/
    void *cached = redisCommand(cache, "GET rates");
    return cached ? "cached" : "";
  }
  return "";
}
std::string cached_rates_;
std::string fxRatesDefault(CURL *h) {
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return cached_rates_; /*@servesCache*/
  return "fresh";
}
bool onlyLogs(CURL *h) {
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return false;
  return true;
}

// ---- fail-open rate limiter
bool allowRequest(const char *user) {
  auto *reply = static_cast<redisReply *>(redisCommand(cache, "INCR rate:%s", user));
  if (!reply) /*@failOpen*/
    return true;
  return reply->integer < 100;
}

// ---- an RAII deadline guard in scope
struct DeadlineGuard {
  DeadlineGuard(std::chrono::milliseconds limit, CURL *h);
  ~DeadlineGuard();
};
void guarded(CURL *h) {
  DeadlineGuard g(std::chrono::seconds(3), h); /*@guardDecl*/
  curl_easy_perform(h);
}

// ---- a std::function callback configures the handle
void performWith(const std::function<void(CURL *)> &configure) {
  CURL *h = curl_easy_init();
  configure(h);
  curl_easy_perform(h);
}
void callbackUser() {
  performWith([](CURL *c) { curl_easy_setopt(c, CURLOPT_TIMEOUT, 7L); }); /*@callbackSet*/
}

// ---- a helper returns a configured handle
CURL *makeHandle() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 4L); /*@madeSet*/
  return h;
}
void useMade() {
  CURL *h = makeHandle();
  curl_easy_perform(h);
}

// ---- the timeout reaches the handle only through a default argument
void fetchDefault(CURL *h, long timeout = 0) {
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
  curl_easy_perform(h);
}
void fetchExplicit(CURL *h, long timeout) {
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
  curl_easy_perform(h);
}
void callers(CURL *h) {
  fetchDefault(h); /*@usesDefault*/
  fetchExplicit(h, 5);
  fetchExplicit(h, 10); /*@passesTen*/
}

// ---- a client behind a virtual interface, retried by its user
struct Http { virtual ~Http() = default; virtual bool post() = 0; };
struct CurlHttp : Http {
  CURL *h = nullptr;
  bool post() override { return curl_easy_perform(h) == CURLE_OK; }
};
void send(Http &http) {
  for (int attempt = 0; attempt < 3; ++attempt) /*@virtualRetry*/
    if (http.post())
      break;
}

// ---- a retry by re-queueing with a next-attempt time (event loop)
struct Job { CURL *h; int attempt; std::chrono::steady_clock::time_point next; };
std::deque<Job> queue;
void drain(Job job) {
  if (curl_easy_perform(job.h) != CURLE_OK)
    queue.push_back({job.h, job.attempt + 1, std::chrono::steady_clock::now() + std::chrono::seconds(1 << job.attempt)}); /*@requeue*/
}

// ---- a getter with a null check hides the handle (restclient-cpp's shape)
class Connection {
public:
  void setTimeout(long s) { timeout_ = s; }
  bool perform();
private:
  CURL *getHandle() {
    if (handle_)
      return handle_;
    throw std::runtime_error("closed");
  }
  CURL *handle_ = nullptr;
  long timeout_;
};
bool Connection::perform() {
  if (timeout_)
    curl_easy_setopt(getHandle(), CURLOPT_TIMEOUT, timeout_); /*@fieldTimeout*/
  return curl_easy_perform(getHandle()) == CURLE_OK;
}

// ---- health probe
bool redisHealthy() {
  return redisCommand(cache, "PING") != nullptr;
}
)cpp";

class Evidence : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{{"evidence.cpp", Code}});
  }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Evidence::S = nullptr;

TEST_F(Evidence, GenericRetryTemplateAroundALambda) {
  const auto &C = S->callIn("viaTemplateHelper::<lambda>");
  ASSERT_TRUE(C.Retry.Present) << S->dump();
  EXPECT_EQ(C.Retry.Kind, "retry helper attemptSeveral() re-invokes the callable");
  EXPECT_EQ(C.Retry.Bounded, std::optional<bool>(true));
  EXPECT_EQ(C.Retry.Backoff, std::optional<bool>(true));
  EXPECT_TRUE(S->hasEvidenceAt(C.Retry, S->line("helperLoop")));
  EXPECT_TRUE(S->hasEvidenceAt(C.Retry, S->line("passLambda")));
}

TEST_F(Evidence, FunctionNamedRetryIsNoEvidence) {
  const auto &C = S->callIn("namedLikeRetry");
  EXPECT_FALSE(C.Retry.Present);
  EXPECT_EQ(C.Retry.Reason, "no loop, retry helper or caller repeats this call after a failure");
}

TEST_F(Evidence, UnboundedRetryWithoutBackoff) {
  const auto &C = S->callIn("forever");
  ASSERT_TRUE(C.Retry.Present);
  EXPECT_EQ(C.Retry.Bounded, std::optional<bool>(false));
  EXPECT_EQ(C.Retry.Backoff, std::optional<bool>(false));
}

TEST_F(Evidence, BreakerViaLambdaRecognisedByShape) {
  const auto &C = S->callIn("breakerLambda::<lambda>");
  ASSERT_TRUE(C.CircuitBreaker.Present) << S->dump();
  EXPECT_EQ(C.CircuitBreaker.Kind, "wraps the call (recognised by shape)");
  EXPECT_TRUE(S->hasEvidenceAt(C.CircuitBreaker, S->line("breakerCall")));
}

TEST_F(Evidence, BreakerViaGuardAndEarlyReturn) {
  const auto &G = S->callIn("breakerGuard");
  ASSERT_TRUE(G.CircuitBreaker.Present);
  EXPECT_EQ(G.CircuitBreaker.Kind, "guard (recognised by shape)");
  EXPECT_TRUE(S->hasEvidenceAt(G.CircuitBreaker, S->line("breakerAllow")));
  EXPECT_TRUE(S->callIn("breakerEarlyReturn").CircuitBreaker.Present);
  const auto &N = S->callIn("notABreaker");
  EXPECT_FALSE(N.CircuitBreaker.Present) << "an allow() on a class without breaker shape";
}

TEST_F(Evidence, CatchThatFallsBackToACache) {
  ASSERT_NE(S->callAt(S->line("ratesCall")), nullptr);
  const auto &C = *S->callAt(S->line("ratesCall"));
  ASSERT_TRUE(C.Fallback.Present) << S->dump();
  EXPECT_EQ(C.Fallback.Kind, "alternative_source");
  EXPECT_TRUE(S->hasEvidenceAt(C.Fallback, S->line("catchFallback")));
  bool Names = false;
  for (const auto &E : C.Fallback.Evidence)
    Names |= E.Note == "on failure calls hiredis:redisCommand";
  EXPECT_TRUE(Names);
}

TEST_F(Evidence, ErrorBranchServesCachedValue) {
  const auto &C = S->callIn("fxRatesDefault");
  ASSERT_TRUE(C.Fallback.Present);
  EXPECT_EQ(C.Fallback.Kind, "alternative_source");
  EXPECT_TRUE(S->hasEvidenceAt(C.Fallback, S->line("servesCache")));
  const auto &L = S->callIn("onlyLogs");
  EXPECT_FALSE(L.Fallback.Present);
  EXPECT_EQ(L.Fallback.Reason, "the failure is handled but no other source (another integration, "
                               "a cache, a default or a queue) is served");
}

TEST_F(Evidence, RateLimiterFailsOpen) {
  const auto &C = S->callIn("allowRequest");
  EXPECT_EQ(C.FailMode, "open");
  ASSERT_EQ(C.FailModeEvidence.size(), 1u);
  EXPECT_EQ(C.FailModeEvidence[0].Line, S->line("failOpen"));
  EXPECT_EQ(C.FailModeEvidence[0].Note, "allowRequest() allows when the integration fails (fail-open)");
}

TEST_F(Evidence, RaiiDeadlineGuardInScope) {
  const auto &C = S->callIn("guarded");
  ASSERT_TRUE(C.Timeout.Present) << S->dump();
  EXPECT_EQ(C.Timeout.Kind, "raii guard");
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 3);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("guardDecl")));
}

TEST_F(Evidence, CallbackConfiguresTheHandle) {
  const auto &C = S->callIn("performWith");
  ASSERT_TRUE(C.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 7);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("callbackSet")));
}

TEST_F(Evidence, HelperReturnsAConfiguredHandle) {
  const auto &C = S->callIn("useMade");
  ASSERT_TRUE(C.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 4);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("madeSet")));
}

TEST_F(Evidence, DefaultArgumentZeroMeansNoTimeout) {
  const auto &D = S->callIn("fetchDefault");
  EXPECT_FALSE(D.Timeout.Present) << S->dump();
  EXPECT_EQ(D.Timeout.Status, "absent");
  EXPECT_TRUE(S->hasEvidenceAt(D.Timeout, S->line("usesDefault")));
  const auto &E = S->callIn("fetchExplicit");
  ASSERT_TRUE(E.Timeout.Present);
  EXPECT_DOUBLE_EQ(*E.Timeout.Seconds, 10) << "the worst caller decides";
  EXPECT_TRUE(S->hasEvidenceAt(E.Timeout, S->line("passesTen")));
}

TEST_F(Evidence, VirtualInterfaceRetriedByItsUser) {
  const auto &C = S->callIn("CurlHttp::post");
  ASSERT_TRUE(C.Retry.Present) << S->dump();
  EXPECT_EQ(C.Retry.Kind, "caller retries CurlHttp::post()");
  EXPECT_EQ(C.Retry.MaxAttempts, std::optional<int>(3));
  EXPECT_TRUE(S->hasEvidenceAt(C.Retry, S->line("virtualRetry")));
}

TEST_F(Evidence, RequeueIsARetry) {
  const auto &C = S->callIn("drain");
  ASSERT_TRUE(C.Retry.Present) << S->dump();
  EXPECT_EQ(C.Retry.Kind, "re-queued for a later attempt");
  EXPECT_TRUE(S->hasEvidenceAt(C.Retry, S->line("requeue")));
}

TEST_F(Evidence, GetterReturningAFieldIsTheSameHandle) {
  const auto &C = S->callIn("Connection::perform");
  EXPECT_EQ(C.Handle, "handle_");
  EXPECT_EQ(C.Timeout.Status, "conditional") << S->dump();
  EXPECT_EQ(C.Timeout.Reason,
            "CURLOPT_TIMEOUT is set from `Connection::timeout_`, not a compile-time constant");
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("fieldTimeout")));
}

TEST_F(Evidence, HealthProbe) {
  const auto &C = S->callIn("redisHealthy");
  EXPECT_TRUE(C.HealthProbe);
  EXPECT_EQ(C.ProbeNote, "probes with \"PING\"");
  EXPECT_FALSE(S->callIn("allowRequest").HealthProbe);
}

} // namespace

namespace {
TEST(EvidenceConfig, BreakerNamedInTheConfig) {
  const char *Src = R"cpp(
#include <curl/curl.h>
namespace acme {
class Fuse { // no breaker shape, no breaker name
public:
  bool permits();
};
}
acme::Fuse fuse;
void guarded(CURL *h) {
  if (fuse.permits()) /*@fuseGuard*/
    curl_easy_perform(h);
}
)cpp";
  test::Snippets Plain(std::vector<test::SnippetFile>{{"fuse.cpp", Src}});
  EXPECT_FALSE(Plain.callIn("guarded").CircuitBreaker.Present);
  test::Snippets Named(std::vector<test::SnippetFile>{{"fuse.cpp", Src}}, test::builtinCatalog(),
                       {"Fuse"});
  const auto &C = Named.callIn("guarded");
  ASSERT_TRUE(C.CircuitBreaker.Present) << Named.dump();
  EXPECT_EQ(C.CircuitBreaker.Kind, "guard (recognised by name), named in the config");
  EXPECT_TRUE(Named.hasEvidenceAt(C.CircuitBreaker, Named.line("fuseGuard")));
}
} // namespace

namespace {
// A breaker whose open state is computed, not stored: enough failures and the
// cool-down not over, read together in one yes/no method. Look-alikes: a
// class with the same fields whose yes/no method reads only the count, and a
// rate limiter (a count and a window, no failures).
TEST(BreakerShape, StateComputedFromFailureCountAndResetTime) {
  const char *Src = R"cpp(
#include <curl/curl.h>
#include <chrono>
class Fuse {
public:
  bool blown() const { return failures_ >= 5 && std::chrono::steady_clock::now() < until_; }
  void record(bool ok) {
    if (ok) { failures_ = 0; return; }
    if (++failures_ >= 5) until_ = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  }
private:
  int failures_ = 0;
  std::chrono::steady_clock::time_point until_{};
};
class Tally {
public:
  bool many() const { return failures_ > 3; }
  void stamp() { last_ = std::chrono::steady_clock::now(); }
private:
  int failures_ = 0;
  std::chrono::steady_clock::time_point last_{};
};
class Window {
public:
  bool allow() { return count_ < 100 && std::chrono::steady_clock::now() < window_end_; }
private:
  int count_ = 0;
  std::chrono::steady_clock::time_point window_end_{};
};
Fuse fuse;
Tally tally;
Window window;
void guarded(CURL *h) {
  if (fuse.blown()) /*@fuseGuard*/
    return;
  fuse.record(curl_easy_perform(h) == CURLE_OK);
}
void counted(CURL *h) {
  if (tally.many())
    return;
  curl_easy_perform(h);
}
void limited(CURL *h) {
  if (!window.allow())
    return;
  curl_easy_perform(h);
}
)cpp";
  test::Snippets S(std::vector<test::SnippetFile>{{"fuse.cpp", Src}});
  const auto &C = S.callIn("guarded");
  ASSERT_TRUE(C.CircuitBreaker.Present) << S.dump();
  EXPECT_EQ(C.CircuitBreaker.Kind, "guard (recognised by shape)");
  EXPECT_TRUE(S.hasEvidenceAt(C.CircuitBreaker, S.line("fuseGuard"))) << S.dump();
  bool Why = false;
  for (const auto &E : C.CircuitBreaker.Evidence)
    Why |= E.Note == "circuit breaker by shape: failure count and reset time read together in `blown()`";
  EXPECT_TRUE(Why) << S.dump();
  EXPECT_FALSE(S.callIn("counted").CircuitBreaker.Present) << S.dump();
  EXPECT_FALSE(S.callIn("limited").CircuitBreaker.Present) << S.dump();
}
} // namespace

namespace {
// A declarative retry policy in a service-config JSON string, set on the object the
// calls go through. The catalog entry is a test entry on a local class: the real
// gRPC channel-to-stub wiring is a known limitation (docs/limitations.md).
TEST(EvidenceConfig, ServiceConfigRetryPolicy) {
  catalog::Catalog Cat;
  llvm::Error E = Cat.addJson("acme.json", R"({"id": "acme-rpc", "kind": "rpc",
    "operations": [{"name": "::acme::Channel::call", "handle": "object"}],
    "setters": [{"name": "::acme::Channel::setServiceConfigJson", "handle": "object", "value_arg": 0,
                 "options": [{"concern": "retry"}]}]})");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  test::Snippets S(std::vector<test::SnippetFile>{{"rpc.cpp", R"cpp(
namespace acme { struct Channel { void setServiceConfigJson(const char *); bool call(); }; }
void withPolicy() {
  acme::Channel ch;
  ch.setServiceConfigJson(R"({"methodConfig": [{"name": [{}], "retryPolicy": {"maxAttempts": 4,
      "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]}}]})"); /*@policy*/
  ch.call();
}
void withoutPolicy() {
  acme::Channel ch;
  ch.call();
}
)cpp"}}, Cat);
  const auto &C = S.callIn("withPolicy");
  ASSERT_TRUE(C.Retry.Present) << S.dump();
  EXPECT_EQ(C.Retry.Kind, "library retry policy");
  EXPECT_EQ(C.Retry.MaxAttempts, std::optional<int>(4));
  EXPECT_EQ(C.Retry.Backoff, std::optional<bool>(true));
  EXPECT_FALSE(S.callIn("withoutPolicy").Retry.Present);
}

// Which branch of an `if` on a call's result is its failure branch: only the
// one the condition says runs when the call failed. A success branch that
// checks the value and calls the other server is no fallback; the same call
// in a branch taken when the reply is missing or an error is one.
TEST(FailureBranch, ValueCheckIsNotAnErrorCheck) {
  test::Snippets S(std::vector<test::SnippetFile>{{"branches.cpp", R"cpp(
#include <hiredis/hiredis.h>
#include <cstring>
redisContext *primary_;
redisContext *backup_;
bool releaseIfOwner(const char *key, const char *val) {
  redisReply *r = (redisReply *)redisCommand(primary_, "GET %s", key); /*@ownerGet*/
  if (r && r->type == REDIS_REPLY_STRING && strcmp(r->str, val) == 0) {
    redisCommand(backup_, "DEL %s", key);
    return true;
  }
  return false;
}
redisReply *readWithFailover(const char *key) {
  redisReply *r = (redisReply *)redisCommand(primary_, "GET %s", key); /*@failoverGet*/
  if (!r || r->type == REDIS_REPLY_ERROR)
    return (redisReply *)redisCommand(backup_, "GET %s", key); /*@failover*/
  return r;
}
)cpp"}});
  const model::CallSite *Owner = S.callAt(S.line("ownerGet"));
  ASSERT_NE(Owner, nullptr) << S.dump();
  EXPECT_FALSE(Owner->Fallback.Present) << "the then-branch runs when the value matched: "
                                        << Owner->Fallback.Reason;
  const model::CallSite *Failover = S.callAt(S.line("failoverGet"));
  ASSERT_NE(Failover, nullptr) << S.dump();
  ASSERT_TRUE(Failover->Fallback.Present) << S.dump();
  EXPECT_TRUE(S.hasEvidenceAt(Failover->Fallback, S.line("failover")));
}

// A loop that sends what the previous reply returned (a SCAN cursor) pages
// through results: it is not a retry, although it stops on a test of the
// reply. The same loop shape repeating the same request is one.
TEST(LoopShape, CursorLoopPagesAndDoesNotRetry) {
  test::Snippets S(std::vector<test::SnippetFile>{{"paging.cpp", R"cpp(
#include <hiredis/hiredis.h>
#include <cstdlib>
#include <unistd.h>
void scanAll(redisContext *c) {
  long long cursor = 0;
  do { /*@scanLoop*/
    redisReply *r = (redisReply *)redisCommand(c, "SCAN %lld", cursor); /*@scanCall*/
    if (!r)
      return;
    cursor = strtoll(r->element[0]->str, nullptr, 10);
    freeReplyObject(r);
  } while (cursor != 0);
}
redisReply *getWithRetry(redisContext *c, const char *key) {
  for (int attempt = 0; attempt < 3; ++attempt) { /*@retryLoop*/
    redisReply *r = (redisReply *)redisCommand(c, "GET %s", key); /*@retryCall*/
    if (r)
      return r;
    usleep(1000 << attempt);
  }
  return nullptr;
}
)cpp"}});
  const model::CallSite *Scan = S.callAt(S.line("scanCall"));
  ASSERT_NE(Scan, nullptr) << S.dump();
  EXPECT_FALSE(Scan->Retry.Present) << S.dump();
  EXPECT_EQ(Scan->Retry.Reason, "the loop at line " + std::to_string(S.line("scanLoop")) +
                                    " pages through results, each call sending what the previous "
                                    "one returned; it is not a retry");
  const model::CallSite *Get = S.callAt(S.line("retryCall"));
  ASSERT_NE(Get, nullptr);
  ASSERT_TRUE(Get->Retry.Present) << S.dump();
  EXPECT_EQ(Get->Retry.MaxAttempts, std::optional<int>(3));
  EXPECT_TRUE(S.hasEvidenceAt(Get->Retry, S.line("retryLoop")));
}

// A loop that waits for a reply's value (a lock becoming free) repeats calls
// that returned; a failure throws out of it, so it is not a retry of them. The
// same wait with a handler inside the loop that swallows the failure and goes
// round again is one.
TEST(LoopShape, PollForAValueIsNotARetry) {
  test::Snippets S(std::vector<test::SnippetFile>{{"polling.cpp", R"cpp(
#include <hiredis/hiredis.h>
#include <chrono>
#include <stdexcept>
#include <thread>
using std::chrono::milliseconds;
// Milliseconds left on the lock taken, 0 when another holder has it; throws
// when Redis fails.
struct Locker {
  redisContext *c;
  milliseconds tryLock(const char *key) {
    redisReply *r = (redisReply *)redisCommand(c, "SET %s 1 NX PX 1000", key); /*@pollSet*/
    if (!r)
      throw std::runtime_error("redis failed");
    bool Taken = r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    return Taken ? milliseconds(1000) : milliseconds(0);
  }
};
struct Leases {
  redisContext *c;
  milliseconds acquire(const char *key) {
    redisReply *r = (redisReply *)redisCommand(c, "SET %s 1 NX PX 1000", key); /*@retrySet*/
    if (!r)
      throw std::runtime_error("redis failed");
    bool Taken = r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    return Taken ? milliseconds(1000) : milliseconds(0);
  }
};
void waitForLock(Locker &l) {
  while (true) { /*@pollLoop*/
    auto left = l.tryLock("job");
    if (left > milliseconds(0))
      break;
    std::this_thread::sleep_for(milliseconds(50));
  }
}
void leaseSurvivingErrors(Leases &l) {
  for (int attempt = 0; attempt < 5; ++attempt) { /*@retryLoop*/
    try {
      auto left = l.acquire("job");
      if (left > milliseconds(0))
        return;
    } catch (const std::runtime_error &) {
    }
    std::this_thread::sleep_for(milliseconds(50 << attempt));
  }
}
)cpp"}});
  const model::CallSite *Poll = S.callAt(S.line("pollSet"));
  ASSERT_NE(Poll, nullptr) << S.dump();
  EXPECT_FALSE(Poll->Retry.Present) << S.dump();
  EXPECT_EQ(Poll->Retry.Reason, "the loop at line " + std::to_string(S.line("pollLoop")) +
                                    " repeats until a reply has the value it waits for (it polls); a "
                                    "failure leaves the loop, so it is not a retry");
  const model::CallSite *Retried = S.callAt(S.line("retrySet"));
  ASSERT_NE(Retried, nullptr) << S.dump();
  ASSERT_TRUE(Retried->Retry.Present) << S.dump();
  EXPECT_EQ(Retried->Retry.MaxAttempts, std::optional<int>(5));
  EXPECT_TRUE(S.hasEvidenceAt(Retried->Retry, S.line("retryLoop")));
}
// A function that receives its handle as a parameter is bounded by whatever
// its caller configured. When no analysed code calls it with a handle (a
// library's public function), the verdict is "cannot tell", naming the
// parameter; when a caller passes an unconfigured handle in, it is absent;
// when the caller set a timeout, it is present.
TEST(HandleFromCaller, ParameterNobodyPassesIsCannotTell) {
  test::Snippets S(std::vector<test::SnippetFile>{{"cachelib.cpp", R"cpp(
#include <hiredis/hiredis.h>
#include <sys/time.h>
// Public API: the application passes its own context.
bool cacheGet(redisContext *ctx, const char *key) {
  redisReply *r = (redisReply *)redisCommand(ctx, "GET %s", key); /*@outside*/
  bool ok = r != nullptr;
  if (r)
    freeReplyObject(r);
  return ok;
}
static bool cachePut(redisContext *ctx, const char *key) {
  redisReply *r = (redisReply *)redisCommand(ctx, "SET %s 1", key); /*@inside*/
  bool ok = r != nullptr;
  if (r)
    freeReplyObject(r);
  return ok;
}
static bool cacheDel(redisContext *ctx, const char *key) {
  redisReply *r = (redisReply *)redisCommand(ctx, "DEL %s", key); /*@bounded*/
  bool ok = r != nullptr;
  if (r)
    freeReplyObject(r);
  return ok;
}
int main() {
  redisContext *plain = redisConnect("cache.internal", 6379);
  cachePut(plain, "k");
  redisContext *timed = redisConnect("sessions.internal", 6379);
  timeval tv{1, 0};
  redisSetTimeout(timed, tv); /*@setTimeout*/
  cacheDel(timed, "k");
  return 0;
}
)cpp"}});
  const model::CallSite *Outside = S.callAt(S.line("outside"));
  ASSERT_NE(Outside, nullptr) << S.dump();
  EXPECT_EQ(Outside->Timeout.Status, "conditional") << S.dump();
  EXPECT_FALSE(Outside->Timeout.Unbounded);
  EXPECT_EQ(Outside->Timeout.Reason,
            "cannot tell: no redisConnectWithTimeout/redisConnectUnixWithTimeout/redisSetTimeout on handle `ctx` "
            "before line " + std::to_string(S.line("outside")) +
                " in the analysed code, but the handle is parameter 0 of cacheGet(), which no analysed code "
                "calls with a handle: its caller may have set one")
      << S.dump();
  EXPECT_TRUE(S.hasEvidenceAt(Outside->Timeout, S.line("outside")));

  const model::CallSite *Inside = S.callAt(S.line("inside"));
  ASSERT_NE(Inside, nullptr) << S.dump();
  EXPECT_EQ(Inside->Timeout.Status, "absent") << S.dump();
  EXPECT_TRUE(Inside->Timeout.Unbounded);

  const model::CallSite *Bounded = S.callAt(S.line("bounded"));
  ASSERT_NE(Bounded, nullptr) << S.dump();
  EXPECT_EQ(Bounded->Timeout.Status, "present") << S.dump();
  EXPECT_TRUE(S.hasEvidenceAt(Bounded->Timeout, S.line("setTimeout"))) << S.dump();
}
// A connect that takes its timeout as an argument is bounded wherever a
// condition around it (or an early return before it) makes that value
// positive, for a length decided at run time. The same call without the
// guard, under a guard on another value, or a separate setter under a guard
// (which may not run at all) is not credited.
TEST(PositiveGuard, ConnectTakingItsTimeoutUnderAGuardIsBounded) {
  test::Snippets S(std::vector<test::SnippetFile>{{"connector.cpp", R"cpp(
#include <hiredis/hiredis.h>
#include <sys/time.h>
#include <chrono>
using std::chrono::milliseconds;
struct Options {
  milliseconds connect_timeout{0};
  milliseconds socket_timeout{0};
};
static timeval toTimeval(milliseconds d) {
  return timeval{static_cast<time_t>(d.count() / 1000), static_cast<suseconds_t>(d.count() % 1000 * 1000)};
}
struct Connector {
  Options opts;
  const char *host;
  redisContext *connect() const {
    if (opts.connect_timeout > milliseconds(0)) { /*@guard*/
      return redisConnectWithTimeout(host, 6379, toTimeval(opts.connect_timeout)); /*@guarded*/
    } else {
      return redisConnect(host, 6379); /*@plain*/
    }
  }
  redisContext *unguarded() const {
    return redisConnectWithTimeout(host, 6379, toTimeval(opts.connect_timeout)); /*@unguarded*/
  }
  redisContext *otherValue() const {
    if (opts.socket_timeout > milliseconds(0))
      return redisConnectWithTimeout(host, 6379, toTimeval(opts.connect_timeout)); /*@otherValue*/
    return nullptr;
  }
  redisContext *earlyExit(milliseconds t) const {
    if (t <= milliseconds::zero()) /*@exitGuard*/
      return nullptr;
    return redisConnectWithTimeout(host, 6379, toTimeval(t)); /*@afterExit*/
  }
  redisContext *unixSocket() const {
    return redisConnectUnixWithTimeout("/run/redis.sock", timeval{2, 0}); /*@unixConstant*/
  }
  redisContext *namedHost() const {
    return redisConnectWithTimeout("sessions.internal", 6379, timeval{1, 0}); /*@namedHost*/
  }
  void ping(redisContext *c) const {
    if (opts.socket_timeout > milliseconds(0))
      redisSetTimeout(c, toTimeval(opts.socket_timeout));
    redisCommand(c, "PING"); /*@separateSetter*/
  }
};
)cpp"}});
  const model::CallSite *Guarded = S.callAt(S.line("guarded"));
  ASSERT_NE(Guarded, nullptr) << S.dump();
  EXPECT_EQ(Guarded->Timeout.Status, "present") << S.dump();
  EXPECT_FALSE(Guarded->Timeout.Seconds);
  EXPECT_THAT(Guarded->Timeout.Reason,
              testing::HasSubstr("only where `opts.connect_timeout > milliseconds(0)` holds (line " +
                                 std::to_string(S.line("guard")) +
                                 "): a positive bound whose length is decided at run time"))
      << S.dump();
  EXPECT_TRUE(S.hasEvidenceAt(Guarded->Timeout, S.line("guard"))) << S.dump();

  const model::CallSite *Plain = S.callAt(S.line("plain"));
  ASSERT_NE(Plain, nullptr) << S.dump();
  EXPECT_EQ(Plain->Timeout.Status, "absent") << S.dump();

  const model::CallSite *Unguarded = S.callAt(S.line("unguarded"));
  ASSERT_NE(Unguarded, nullptr) << S.dump();
  EXPECT_EQ(Unguarded->Timeout.Status, "conditional") << S.dump();

  const model::CallSite *Other = S.callAt(S.line("otherValue"));
  ASSERT_NE(Other, nullptr) << S.dump();
  EXPECT_EQ(Other->Timeout.Status, "conditional") << S.dump();

  const model::CallSite *AfterExit = S.callAt(S.line("afterExit"));
  ASSERT_NE(AfterExit, nullptr) << S.dump();
  EXPECT_EQ(AfterExit->Timeout.Status, "present") << S.dump();
  EXPECT_TRUE(S.hasEvidenceAt(AfterExit->Timeout, S.line("exitGuard"))) << S.dump();

  // A call that sets both its endpoint and its timeout keeps both.
  const model::CallSite *Unix = S.callAt(S.line("unixConstant"));
  ASSERT_NE(Unix, nullptr) << S.dump();
  EXPECT_EQ(Unix->Timeout.Status, "present") << S.dump();
  ASSERT_TRUE(Unix->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Unix->Timeout.Seconds, 2);
  const model::CallSite *Named = S.callAt(S.line("namedHost"));
  ASSERT_NE(Named, nullptr) << S.dump();
  EXPECT_EQ(Named->Timeout.Status, "present") << S.dump();
  EXPECT_EQ(Named->Endpoint, "sessions.internal") << S.dump();

  const model::CallSite *Separate = S.callAt(S.line("separateSetter"));
  ASSERT_NE(Separate, nullptr) << S.dump();
  EXPECT_NE(Separate->Timeout.Status, "present") << S.dump();
}
// libpq keeps the last occurrence of a keyword, so a connect_timeout at the end
// of a conninfo built at run time bounds the connect whatever came before it,
// also when a helper appends it (with the seconds its caller passes to the
// helper's std::to_string). A run-time value there is conditional; a
// keyword glued to the run-time part, or another keyword, bounds nothing.
TEST(ConninfoTail, ConnectTimeoutAppendedToARunTimeConninfo) {
  test::Snippets S(std::vector<test::SnippetFile>{{"pg.cpp", R"cpp(
#include <postgresql/libpq-fe.h>
#include <cstdlib>
#include <string>
static std::string dsn() { return std::getenv("PG_DSN"); }
static std::string withTimeout(const std::string &conninfo) {
  return conninfo + " connect_timeout=10"; /*@helperTail*/
}
static std::string withSeconds(const std::string &conninfo, int s) {
  return conninfo + " connect_timeout=" + std::to_string(s);
}
PGconn *appended() {
  std::string c = dsn() + " connect_timeout=5"; /*@tail*/
  return PQconnectdb(c.c_str()); /*@appended*/
}
PGconn *byHelper() {
  return PQconnectdb(withTimeout(dsn()).c_str()); /*@byHelper*/
}
PGconn *constantSeconds() {
  return PQconnectdb(withSeconds(dsn(), 3).c_str()); /*@constantSeconds*/
}
PGconn *runTime() {
  return PQconnectdb(withSeconds(dsn(), std::atoi(std::getenv("PG_TIMEOUT"))).c_str()); /*@runTime*/
}
PGconn *glued() {
  std::string c = dsn() + "connect_timeout=5";
  return PQconnectdb(c.c_str()); /*@glued*/
}
PGconn *otherKeyword() {
  std::string c = dsn() + " application_name=fleet";
  return PQconnectdb(c.c_str()); /*@other*/
}
)cpp"}});
  const model::CallSite *Appended = S.callAt(S.line("appended"));
  ASSERT_NE(Appended, nullptr) << S.dump();
  EXPECT_EQ(Appended->Timeout.Status, "present") << S.dump();
  ASSERT_TRUE(Appended->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Appended->Timeout.Seconds, 5);
  EXPECT_TRUE(S.hasEvidenceAt(Appended->Timeout, S.line("tail"))) << S.dump();

  const model::CallSite *ByHelper = S.callAt(S.line("byHelper"));
  ASSERT_NE(ByHelper, nullptr) << S.dump();
  EXPECT_EQ(ByHelper->Timeout.Status, "present") << S.dump();
  ASSERT_TRUE(ByHelper->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*ByHelper->Timeout.Seconds, 10);

  // The helper's std::to_string(s) takes the constant this call passes.
  const model::CallSite *Constant = S.callAt(S.line("constantSeconds"));
  ASSERT_NE(Constant, nullptr) << S.dump();
  EXPECT_EQ(Constant->Timeout.Status, "present") << S.dump();
  ASSERT_TRUE(Constant->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Constant->Timeout.Seconds, 3);

  const model::CallSite *RunTime = S.callAt(S.line("runTime"));
  ASSERT_NE(RunTime, nullptr) << S.dump();
  EXPECT_EQ(RunTime->Timeout.Status, "conditional") << S.dump();
  EXPECT_THAT(RunTime->Timeout.Reason, HasSubstr("connect_timeout in the connection string comes from `"));

  for (const char *Marker : {"glued", "other"}) {
    const model::CallSite *C = S.callAt(S.line(Marker));
    ASSERT_NE(C, nullptr) << Marker << S.dump();
    EXPECT_EQ(C->Timeout.Status, "absent") << Marker << S.dump();
  }
}
// PQconnectdbParams takes parallel keyword and value arrays: connect_timeout
// there bounds the connect; a dbname with expand_dbname set is a connection
// string of its own (read like PQconnectdb's); without it, only a name.
TEST(KeywordArrays, ConnectTimeoutInPQconnectdbParams) {
  test::Snippets S(std::vector<test::SnippetFile>{{"pgparams.cpp", R"cpp(
#include <postgresql/libpq-fe.h>
#include <cstdlib>
#include <string>
PGconn *arrays() {
  const char *const keys[] = {"host", "connect_timeout", nullptr};
  const char *const vals[] = {std::getenv("PG_HOST"), "4", nullptr}; /*@vals*/
  return PQconnectdbParams(keys, vals, 0); /*@arrays*/
}
PGconn *expanded() {
  std::string c = std::string(std::getenv("PG_DSN")) + " connect_timeout=6"; /*@dsn*/
  const char *const keys[] = {"dbname", nullptr};
  const char *const vals[] = {c.c_str(), nullptr};
  return PQconnectdbParams(keys, vals, 1); /*@expanded*/
}
PGconn *notExpanded() {
  std::string c = std::string(std::getenv("PG_DSN")) + " connect_timeout=6";
  const char *const keys[] = {"dbname", nullptr};
  const char *const vals[] = {c.c_str(), nullptr};
  return PQconnectdbParams(keys, vals, 0); /*@notExpanded*/
}
PGconn *otherKeywords() {
  const char *const keys[] = {"host", "application_name", nullptr};
  const char *const vals[] = {std::getenv("PG_HOST"), "4", nullptr};
  return PQconnectdbParams(keys, vals, 0); /*@otherKeywords*/
}
)cpp"}});
  const model::CallSite *Arrays = S.callAt(S.line("arrays"));
  ASSERT_NE(Arrays, nullptr) << S.dump();
  EXPECT_EQ(Arrays->Timeout.Status, "present") << S.dump();
  ASSERT_TRUE(Arrays->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Arrays->Timeout.Seconds, 4);
  EXPECT_TRUE(S.hasEvidenceAt(Arrays->Timeout, S.line("vals"))) << S.dump();

  const model::CallSite *Expanded = S.callAt(S.line("expanded"));
  ASSERT_NE(Expanded, nullptr) << S.dump();
  EXPECT_EQ(Expanded->Timeout.Status, "present") << S.dump();
  ASSERT_TRUE(Expanded->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Expanded->Timeout.Seconds, 6);

  for (const char *Marker : {"notExpanded", "otherKeywords"}) {
    const model::CallSite *C = S.callAt(S.line(Marker));
    ASSERT_NE(C, nullptr) << Marker << S.dump();
    EXPECT_EQ(C->Timeout.Status, "absent") << Marker << S.dump();
  }
}
} // namespace
