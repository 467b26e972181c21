// Asynchronous forms of two C clients, on their real Debian headers: libcurl's
// multi interface (easy handles added to a multi handle) and hiredis's async API.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

const char *const Code = R"cpp(
#include <curl/curl.h>
#include <hiredis/async.h>

void multiWithTimeouts() {
  CURLM *multi = curl_multi_init();
  CURL *a = curl_easy_init();
  curl_easy_setopt(a, CURLOPT_URL, "https://feeds.partner.example/a");
  curl_easy_setopt(a, CURLOPT_TIMEOUT_MS, 4000L); /*@easyTimeout*/
  curl_multi_add_handle(multi, a); /*@add*/
  int running = 0;
  curl_multi_perform(multi, &running); /*@perform*/
}

void multiWithout() {
  CURLM *multi = curl_multi_init();
  CURL *a = curl_easy_init();
  curl_easy_setopt(a, CURLOPT_URL, "https://feeds.partner.example/b");
  curl_multi_add_handle(multi, a);
  int running = 0;
  curl_multi_perform(multi, &running); /*@bare*/
}

static void onReply(redisAsyncContext *, void *, void *) {}
void asyncRedis() {
  redisAsyncContext *ac = redisAsyncConnect("cache.internal", 6379);
  redisAsyncCommand(ac, onReply, nullptr, "GET %s", "session:1"); /*@async*/
}
)cpp";

constexpr char Name[] = "async.cpp";
using AsyncClients = test::SnippetSuite<&Code, Name>;

TEST_F(AsyncClients, MultiPerformIsBoundedByItsEasyHandlesTimeouts) {
  const auto &C = S->callIn("multiWithTimeouts");
  EXPECT_EQ(C.Operation, "curl_multi_perform");
  EXPECT_EQ(C.Loc.Line, S->line("perform"));
  EXPECT_EQ(C.Endpoint, "https://feeds.partner.example/a");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 4);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("easyTimeout"))) << S->dump();
}

TEST_F(AsyncClients, MultiPerformWithoutEasyTimeoutsWaitsForever) {
  const auto &C = S->callIn("multiWithout");
  EXPECT_EQ(C.Endpoint, "https://feeds.partner.example/b");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
}

TEST_F(AsyncClients, HiredisAsyncCommandHasNoTimeoutInThisVersion) {
  // redisAsyncConnect is a call site of its own (it opens the connection); the
  // command is the one on the marked line.
  const model::CallSite *Found = S->callAt(S->line("async"));
  ASSERT_NE(Found, nullptr) << S->dump();
  const auto &C = *Found;
  EXPECT_EQ(C.Library, "hiredis");
  EXPECT_EQ(C.Operation, "redisAsyncCommand");
  EXPECT_EQ(C.Loc.Line, S->line("async"));
  EXPECT_EQ(C.Endpoint, "cache.internal");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("hiredis 0.14's async API has no command timeout"));
}

} // namespace
