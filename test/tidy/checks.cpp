// Every integration-* check on libcurl snippets, with the exact message text the
// CLI prints, and what one translation unit cannot know said in the message.
// RUN: %clang_tidy --checks='-*,integration-*' %s -- -std=c++17 2>&1 | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{^[^ ].*}}warning:'
#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <thread>

void configure(CURL *h); // defined in another translation unit

void noTimeout(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_perform(h);
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-1]]:3: warning: `curl_easy_perform` on `h` is not retried: no loop, retry helper or caller repeats this call after a failure (a caller in another translation unit may retry it; run integration-mapper for a whole-program answer) [integration-missing-retry]
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-2]]:3: warning: `curl_easy_perform` on `h` has no timeout: no CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS/CURLOPT_CONNECTTIMEOUT/CURLOPT_CONNECTTIMEOUT_MS on handle `h` before line [[#@LINE-2]]; libcurl waits forever for a transfer by default (connect phase: 300 s) (a caller in another translation unit may be the call site: the endpoint is a parameter of `noTimeout`; run integration-mapper for a whole-program answer) [integration-missing-timeout]
}

void helperElsewhere(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  configure(h);
  curl_easy_perform(h);
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-1]]:3: warning: `curl_easy_perform` on `h` is not retried: no loop, retry helper or caller repeats this call after a failure (a caller in another translation unit may retry it; run integration-mapper for a whole-program answer) [integration-missing-retry]
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-2]]:3: warning: `curl_easy_perform` on `h` has no timeout: no CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS/CURLOPT_CONNECTTIMEOUT/CURLOPT_CONNECTTIMEOUT_MS on handle `h` before line [[#@LINE-2]]; libcurl waits forever for a transfer by default (connect phase: 300 s) (a helper in another translation unit may set it; run integration-mapper for a whole-program answer) [integration-missing-timeout]
}

bool protectedCall(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
  auto delay = std::chrono::milliseconds(100);
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (curl_easy_perform(h) == CURLE_OK)
      return true;
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  return false;
}

void unboundedRetry(CURL *h) {
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  for (;;) {
    if (curl_easy_perform(h) == CURLE_OK)
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-1]]:9: warning: `curl_easy_perform` on `h` is retried without an attempt limit or deadline [integration-unbounded-retry]
      break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

bool fixedPace(CURL *h) {
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (curl_easy_perform(h) == CURLE_OK)
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-1]]:9: warning: `curl_easy_perform` on `h` is retried without a growing delay between attempts [integration-retry-without-backoff]
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return false;
}

void fromEnvironment(CURL *h) {
  long ms = std::atol(std::getenv("AUDIT_TIMEOUT_MS"));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_perform(h);
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-1]]:3: warning: `curl_easy_perform` on `h` is not retried: no loop, retry helper or caller repeats this call after a failure (a caller in another translation unit may retry it; run integration-mapper for a whole-program answer) [integration-missing-retry]
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-2]]:3: warning: `curl_easy_perform` on `h`: timeout not proven by the code: CURLOPT_TIMEOUT_MS is set from env:AUDIT_TIMEOUT_MS, not a compile-time constant [integration-unverified-timeout]
}

int main() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L);
  curl_easy_perform(h);
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-1]]:3: warning: `curl_easy_perform` on `h` is not retried: no loop, retry helper or caller repeats this call after a failure [integration-missing-retry]
// CHECK-MESSAGES-DAG: checks.cpp:[[@LINE-2]]:3: warning: `curl_easy_perform` on `h` has no timeout: CURLOPT_TIMEOUT is set to 0L at line [[#@LINE-3]], which libcurl treats as no timeout [integration-missing-timeout]
}
