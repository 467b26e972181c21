// Evidence found inside a wrapper, decided for each caller-side call site: a
// timeout the wrapper reads from a member of an option object its callers pass
// (`curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts.timeout_ms)`) holds what that
// member holds on the way to each call: its default member initializer, an
// assignment in the caller, in a helper the caller passes the object to, or in
// the helper that made it. On the real libcurl headers.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

const char *const OptionsCode = R"cpp(
#include <curl/curl.h>
#include <cstdlib>
#include <string>
#include <vector>

struct RequestOptions {
  long timeout_ms = 2500; /*@defaultTimeout*/
  long connect_timeout_ms = 800;
  std::vector<std::string> headers;
};

namespace {
void apply_timeouts(CURL *h, const RequestOptions &opts) {
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts.timeout_ms); /*@setTimeout*/
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, opts.connect_timeout_ms);
}
}

class Http {
public:
  long get(const std::string &url, const RequestOptions &opts = RequestOptions{}) {
    CURL *h = curl_easy_init();
    return perform(h, url, opts);
  }
  long post(const std::string &url, const std::string &body, const RequestOptions &opts = RequestOptions{}) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    return perform(h, url, opts);
  }
  // The look-alike: it takes the same options and never applies their timeouts.
  long postUnbounded(const std::string &url, const RequestOptions &opts) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    return curl_easy_perform(h);
  }
private:
  long perform(CURL *h, const std::string &url, const RequestOptions &opts) {
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    apply_timeouts(h, opts);
    return curl_easy_perform(h);
  }
};

RequestOptions json_options() {
  RequestOptions o;
  o.headers = {"Content-Type: application/json"};
  return o;
}
RequestOptions slow_options() {
  RequestOptions o;
  o.timeout_ms = 30000; /*@slowWrite*/
  return o;
}
void lengthen(RequestOptions &o) { o.timeout_ms = 9000; /*@helperWrite*/ }

void callers(Http &http) {
  http.get("https://maps.example.com/route"); /*@byDefault*/

  RequestOptions plain;
  plain.headers = {"X-Key: k"};
  http.post("https://matrix.example.com/v1", "{}", plain); /*@plainLocal*/

  http.post("https://push.example.com/send", "{}", json_options()); /*@fromHelper*/

  RequestOptions forever = json_options();
  forever.timeout_ms = 0; /*@zeroWrite*/
  http.post("https://push.example.com/topics", "{}", forever); /*@zeroed*/

  RequestOptions slow = slow_options();
  http.post("https://reports.example.com/build", "{}", slow); /*@slowHelper*/

  RequestOptions tuned;
  lengthen(tuned);
  http.post("https://billing.example.com/charge", "{}", tuned); /*@tunedByHelper*/

  RequestOptions later;
  http.post("https://audit.example.com/log", "{}", later); /*@writtenAfter*/
  later.timeout_ms = 0;

  RequestOptions fromEnv;
  fromEnv.timeout_ms = std::atol(std::getenv("SEARCH_TIMEOUT_MS")); /*@envWrite*/
  http.post("https://search.example.com/q", "{}", fromEnv); /*@fromEnv*/

  RequestOptions braced{1500};
  http.post("https://geo.example.com/nearest", "{}", braced); /*@braced*/

  RequestOptions ignored;
  http.postUnbounded("https://legacy.example.com/upload", ignored); /*@lookAlike*/
}
)cpp";
constexpr char OptionsName[] = "options.cpp";
using OptionObjects = test::SnippetSuite<&OptionsCode, OptionsName>;

const model::CallSite &at(test::Snippets &S, const char *Marker) {
  const model::CallSite *C = S.callAt(S.line(Marker));
  if (!C) {
    ADD_FAILURE() << "no call site at /*@" << Marker << "*/\n" << S.dump();
    static model::CallSite Empty;
    return Empty;
  }
  return *C;
}

TEST_F(OptionObjects, TheDefaultMemberInitializerHoldsForACallerThatKeepsIt) {
  for (const char *M : {"byDefault", "plainLocal", "fromHelper"}) {
    const auto &C = at(*S, M);
    ASSERT_TRUE(C.Timeout.Present) << M << "\n" << S->dump();
    EXPECT_EQ(C.Timeout.Status, "present") << M;
    EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 2.5) << M;
    // The evidence names the member's default and the setting inside the wrapper.
    EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("defaultTimeout"))) << M << "\n" << S->dump();
    EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("setTimeout"))) << M;
  }
  // The default argument and the local the caller made are named.
  EXPECT_TRUE(S->hasEvidenceAt(at(*S, "byDefault").Timeout, S->line("byDefault")));
  EXPECT_TRUE(S->hasEvidenceAt(at(*S, "plainLocal").Timeout, S->line("plainLocal")));
}

TEST_F(OptionObjects, ACallerThatSetsZeroHasNoTimeoutTheOthersKeepTheirs) {
  const auto &Zeroed = at(*S, "zeroed");
  EXPECT_FALSE(Zeroed.Timeout.Present) << S->dump();
  EXPECT_TRUE(Zeroed.Timeout.Unbounded) << Zeroed.Timeout.Reason;
  EXPECT_TRUE(S->hasEvidenceAt(Zeroed.Timeout, S->line("zeroWrite"))) << S->dump();
  // The same wrapper, the same helper-made object, without the assignment.
  EXPECT_TRUE(at(*S, "fromHelper").Timeout.Present);
  // An assignment after the call does not change what the call got.
  const auto &After = at(*S, "writtenAfter");
  ASSERT_TRUE(After.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*After.Timeout.Seconds, 2.5);
}

TEST_F(OptionObjects, AssignmentsInHelpersAndBracedInitializersCount) {
  const auto &Slow = at(*S, "slowHelper");
  ASSERT_TRUE(Slow.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*Slow.Timeout.Seconds, 30.0);
  EXPECT_TRUE(S->hasEvidenceAt(Slow.Timeout, S->line("slowWrite")));
  const auto &Tuned = at(*S, "tunedByHelper");
  ASSERT_TRUE(Tuned.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*Tuned.Timeout.Seconds, 9.0);
  EXPECT_TRUE(S->hasEvidenceAt(Tuned.Timeout, S->line("helperWrite")));
  const auto &Braced = at(*S, "braced");
  ASSERT_TRUE(Braced.Timeout.Present) << S->dump();
  EXPECT_DOUBLE_EQ(*Braced.Timeout.Seconds, 1.5);
}

TEST_F(OptionObjects, ARunTimeValueIsConditionalAndNamesWhereItIsSet) {
  const auto &C = at(*S, "fromEnv");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "conditional") << S->dump();
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("callers()")) << C.Timeout.Reason;
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("envWrite")));
}

TEST_F(OptionObjects, AWrapperThatNeverAppliesTheOptionsHasNoTimeout) {
  const auto &C = at(*S, "lookAlike");
  EXPECT_FALSE(C.Timeout.Present) << S->dump();
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_FALSE(S->hasEvidenceAt(C.Timeout, S->line("setTimeout")));
}

TEST_F(OptionObjects, EvidenceNamesFunctionsInAnAnonymousNamespace) {
  for (const auto &E : at(*S, "byDefault").Timeout.Evidence)
    EXPECT_THAT(E.Note, testing::Not(HasSubstr("::()"))) << E.Note;
}

// ---- a failover after the success branch returns: the statements after
// `if (primary(m)) return true;` run only when the primary failed.
const char *const FailoverCode = R"cpp(
#include <curl/curl.h>
#include <httplib.h>
#include <cstdio>
#include <string>

bool sendPrimary(const std::string &m) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://sms-primary.example.com/send");
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, m.c_str());
  return curl_easy_perform(h) == CURLE_OK; /*@primary*/
}
bool sendOther(const std::string &m) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://sms-other.example.com/send");
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, m.c_str());
  return curl_easy_perform(h) == CURLE_OK; /*@other*/
}
bool sendBackup(const std::string &m) {
  httplib::Client c("https://sms-backup.example.com");
  auto r = c.Post("/send", m, "text/plain");
  return r && r->status == 200;
}
bool send(const std::string &m) {
  if (sendPrimary(m)) /*@earlyReturn*/
    return true;
  std::puts("primary failed, trying the backup");
  return sendBackup(m);
}
// The look-alike: after the early return it only logs and reports the failure.
bool sendOnce(const std::string &m) {
  if (sendOther(m)) {
    return true;
  }
  std::puts("sms failed");
  return false;
}
)cpp";
constexpr char FailoverName[] = "failover.cpp";
using Failover = test::SnippetSuite<&FailoverCode, FailoverName>;

TEST_F(Failover, CodeAfterAnEarlyReturnOnSuccessIsTheFailurePath) {
  const auto &Primary = at(*S, "primary");
  ASSERT_TRUE(Primary.Fallback.Present) << Primary.Fallback.Reason;
  EXPECT_EQ(Primary.Fallback.Kind, "alternative_provider");
  EXPECT_TRUE(S->hasEvidenceAt(Primary.Fallback, S->line("earlyReturn")));
  const auto &Other = at(*S, "other");
  EXPECT_FALSE(Other.Fallback.Present) << "logging and returning false serves nothing else";
}

} // namespace

// ----------------------------------- a handle handed to a callable member
namespace {
const char *const HandedOverCode = R"cpp(
#include <curl/curl.h>
#include <functional>
#include <string>

// The callable is chosen by whoever constructs the session: the analysis
// cannot see what it sets on the handle.
class Session {
public:
  explicit Session(std::function<void(CURL *)> presetup)
      : presetup_(std::move(presetup)), h_(curl_easy_init()) {}
  long send(const std::string &url) {
    curl_easy_reset(h_);
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    if (presetup_)
      presetup_(h_); /*@handedOver*/
    return curl_easy_perform(h_); /*@opaquePerform*/
  }
  // Handed over too, but the session sets its own bound first: that decides.
  long sendBounded(const std::string &url) {
    curl_easy_setopt(bounded_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(bounded_, CURLOPT_TIMEOUT_MS, 1500L); /*@ownTimeout*/
    presetup_(bounded_);
    return curl_easy_perform(bounded_); /*@boundedPerform*/
  }
  // Look-alike: the callable gets the URL, not the handle.
  long sendLogged(const std::string &url) {
    curl_easy_setopt(plain_, CURLOPT_URL, url.c_str());
    log_(url);
    return curl_easy_perform(plain_); /*@plainPerform*/
  }

private:
  std::function<void(CURL *)> presetup_;
  std::function<void(const std::string &)> log_;
  CURL *h_;
  CURL *bounded_ = curl_easy_init();
  CURL *plain_ = curl_easy_init();
};
)cpp";
constexpr char HandedOverName[] = "handed_over.cpp";
} // namespace
using HandedOver = test::SnippetSuite<&HandedOverCode, HandedOverName>;

TEST_F(HandedOver, AHandleGivenToACallableMemberIsCannotTellNotAbsent) {
  const auto *C = S->callAt(S->line("opaquePerform"));
  ASSERT_TRUE(C) << S->dump();
  EXPECT_FALSE(C->Timeout.Present);
  EXPECT_EQ(C->Timeout.Status, "conditional") << S->dump();
  EXPECT_THAT(C->Timeout.Reason, HasSubstr("cannot tell"));
  EXPECT_THAT(C->Timeout.Reason, HasSubstr("`Session::presetup_`, a callable held in a member"));
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("handedOver"))) << S->dump();
  // The handover does not hide a bound the code sets itself.
  const auto *Bounded = S->callAt(S->line("boundedPerform"));
  ASSERT_TRUE(Bounded);
  EXPECT_TRUE(Bounded->Timeout.Present) << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(Bounded->Timeout, S->line("ownTimeout")));
  // A callable that never receives the handle changes nothing: still absent.
  const auto *Plain = S->callAt(S->line("plainPerform"));
  ASSERT_TRUE(Plain);
  EXPECT_EQ(Plain->Timeout.Status, "absent") << S->dump();
}
