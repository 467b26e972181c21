// NOLINT and NOLINTNEXTLINE, handled by clang-tidy itself for the plugin's checks.
// RUN: %clang_tidy --checks='-*,integration-*' %s -- -std=c++17 2>&1 | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{^[^ ].*}}warning:'
#include <curl/curl.h>

int main() {
  CURL *h = curl_easy_init();
  curl_easy_perform(h); // NOLINT(integration-missing-timeout)
// CHECK-MESSAGES: nolint.cpp:[[@LINE-1]]:3: warning: `curl_easy_perform` on `h` is not retried: no loop, retry helper or caller repeats this call after a failure [integration-missing-retry]
  // NOLINTNEXTLINE(integration-missing-retry, integration-missing-timeout)
  curl_easy_perform(h);
  curl_easy_perform(h); // NOLINT
  // NOLINTNEXTLINE(integration-*)
  curl_easy_perform(h);
  curl_easy_perform(h); // NOLINT(integration-missing-retry)
// CHECK-MESSAGES: nolint.cpp:[[@LINE-1]]:3: warning: `curl_easy_perform` on `h` has no timeout: no CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS/CURLOPT_CONNECTTIMEOUT/CURLOPT_CONNECTTIMEOUT_MS on handle `h` before line [[#@LINE-1]]; libcurl waits forever for a transfer by default (connect phase: 300 s) [integration-missing-timeout]
}
