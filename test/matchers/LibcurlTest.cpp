// libcurl on the real <curl/curl.h> (libcurl4-openssl-dev).
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

const char *Code = R"cpp(
#include <curl/curl.h>
#include <string>
#include <vector>

void withTimeout() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.stripe.com/v1/charges");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2500L); /*@setTimeout*/
  curl_easy_perform(h); /*@withTimeout*/
}

void noTimeout() {
  CURL *h = curl_easy_init();
  curl_easy_perform(h); /*@noTimeout*/
}

void zeroTimeout() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L); /*@zero*/
  curl_easy_perform(h);
}

void zeroThroughVariable() {
  CURL *h = curl_easy_init();
  long t = 0; /*@zeroVar*/
  curl_easy_setopt(h, CURLOPT_TIMEOUT, t);
  curl_easy_perform(h);
}

void otherHandle() {
  CURL *h = curl_easy_init();
  CURL *other = curl_easy_init();
  curl_easy_setopt(other, CURLOPT_TIMEOUT, 5L);
  curl_easy_perform(h);
}

void setAfterPerform() {
  CURL *h = curl_easy_init();
  curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
}

void connectOnly() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 3L);
  curl_easy_perform(h);
}

#define PERFORM_OR_LOG(handle) do { if (curl_easy_perform(handle) != CURLE_OK) {} } while (0)
void inMacro() {
  CURL *h = curl_easy_init();
  PERFORM_OR_LOG(h); /*@macroUse*/
}

namespace lookalike {
int curl_easy_perform(void *) { return 0; }
}
void lookAlike() {
  void *p = nullptr;
  lookalike::curl_easy_perform(p);
}

void disabledCode() {
  CURL *h = curl_easy_init();
  // curl_easy_perform(h);
#if 0
  curl_easy_perform(h);
#endif
  (void)h;
}

struct Options { long timeout_ms = 0; };
void optionsStructDefault(const Options &o) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o.timeout_ms);
  curl_easy_perform(h);
}

void smtpMail() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "smtps://smtp.example.com:465");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
  curl_easy_perform(h);
}
)cpp";

class Libcurl : public testing::Test {
protected:
  static void SetUpTestSuite() { S = new test::Snippets(std::vector<test::SnippetFile>{{"libcurl.cpp", Code}}); }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Libcurl::S = nullptr;

TEST_F(Libcurl, TimeoutOnSameHandleCounts) {
  const auto &C = S->callIn("withTimeout");
  EXPECT_EQ(C.Loc.Line, S->line("withTimeout"));
  EXPECT_EQ(C.Library, "libcurl");
  EXPECT_EQ(C.Kind, "http");
  EXPECT_EQ(C.Operation, "curl_easy_perform");
  EXPECT_EQ(C.Handle, "h");
  EXPECT_EQ(C.Endpoint, "https://api.stripe.com/v1/charges");
  EXPECT_TRUE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "present");
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 2.5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("setTimeout"))) << S->dump();
  EXPECT_THAT(C.Timeout.Evidence.front().Note, HasSubstr("CURLOPT_TIMEOUT_MS = 2.5 s"));
}

TEST_F(Libcurl, NoTimeoutIsAbsentWithReason) {
  const auto &C = S->callIn("noTimeout");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_TRUE(C.Timeout.Evidence.empty());
  EXPECT_THAT(C.Timeout.Reason,
              HasSubstr("no CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS/CURLOPT_CONNECTTIMEOUT/"
                        "CURLOPT_CONNECTTIMEOUT_MS on handle `h` before line " +
                        std::to_string(S->line("noTimeout"))));
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("libcurl waits forever"));
}

TEST_F(Libcurl, ZeroMeansNoTimeout) {
  const auto &C = S->callIn("zeroTimeout");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("CURLOPT_TIMEOUT is set to 0L at line " +
                                          std::to_string(S->line("zero")) +
                                          ", which libcurl treats as no timeout"));
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("zero")));
}

TEST_F(Libcurl, ZeroThroughVariableMeansNoTimeout) {
  const auto &C = S->callIn("zeroThroughVariable");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("which libcurl treats as no timeout"));
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("zeroVar"))) << S->dump();
}

TEST_F(Libcurl, TimeoutOnOtherHandleDoesNotCount) {
  const auto &C = S->callIn("otherHandle");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("on handle `h`"));
}

TEST_F(Libcurl, TimeoutSetAfterTheCallDoesNotCount) {
  const auto &C = S->callIn("setAfterPerform");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "absent");
}

// A bound on connecting does not bound the request: the call is not protected,
// and the verdict says the connect phase is.
TEST_F(Libcurl, ConnectTimeoutCountsButTransferStaysUnbounded) {
  const auto &C = S->callIn("connectOnly");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_FALSE(C.Timeout.Evidence.empty()) << "the connect timeout is named";
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("only the connect phase is bounded (3 s)"));
}

TEST_F(Libcurl, CallInsideMacroReportsTheUsersLine) {
  const auto &C = S->callIn("inMacro");
  EXPECT_EQ(C.Loc.Line, S->line("macroUse"));
  EXPECT_EQ(C.Handle, "h");
}

TEST_F(Libcurl, LookAlikeInOtherNamespaceDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

TEST_F(Libcurl, CommentedOutAndIfZeroCallsAreIgnored) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "disabledCode");
}

TEST_F(Libcurl, DefaultMemberInitializerZeroIsConditionalNotProven) {
  const auto &C = S->callIn("optionsStructDefault");
  EXPECT_FALSE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "conditional");
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("`Options::timeout_ms` (default member initializer 0)"));
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("no timeout unless set at run time"));
}

TEST(LibcurlCrossTU, TimeoutSetInHelperInAnotherTranslationUnit) {
  test::Snippets S(std::vector<test::SnippetFile>{{"helper.cpp", R"cpp(
#include <curl/curl.h>
void configure(CURL *handle) {
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, 10L); /*@helperSet*/
}
)cpp"},
                    {"caller.cpp", R"cpp(
#include <curl/curl.h>
void configure(CURL *handle);
void caller() {
  CURL *h = curl_easy_init();
  configure(h); /*@passes*/
  curl_easy_perform(h);
}
void callerWithoutHelper() {
  CURL *h = curl_easy_init();
  curl_easy_perform(h);
  configure(h);
}
)cpp"}});
  const auto &C = S.callIn("caller");
  EXPECT_TRUE(C.Timeout.Present) << S.dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 10);
  EXPECT_TRUE(S.hasEvidenceAt(C.Timeout, S.line("helperSet")));
  EXPECT_TRUE(S.hasEvidenceAt(C.Timeout, S.line("passes")));
  EXPECT_FALSE(S.callIn("callerWithoutHelper").Timeout.Present);
}

} // namespace
