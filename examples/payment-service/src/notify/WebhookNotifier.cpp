#include <curl/curl.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace shop::notify {

#define SHOP_PERFORM(h) curl_easy_perform(h)

// Posts order events to every partner webhook. One call per partner: the loop is
// not a retry.
int notifyPartners(const std::vector<std::string> &urls, const std::string &event) {
  int failures = 0;
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L); // "0 = wait as long as it takes"
  for (const auto &url : urls) {
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, event.c_str());
    if (SHOP_PERFORM(h) != CURLE_OK)
      ++failures;
  }
  curl_easy_cleanup(h);
  return failures;
}

// Audit trail: the collector URL comes from the environment.
bool sendAudit(const std::string &line) {
  CURL *h = curl_easy_init();
  const char *collector = std::getenv("AUDIT_COLLECTOR_URL");
  curl_easy_setopt(h, CURLOPT_URL, collector);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, line.c_str());
  long timeoutMs = std::atol(std::getenv("AUDIT_TIMEOUT_MS"));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeoutMs);
  bool ok = curl_easy_perform(h) == CURLE_OK;
  curl_easy_cleanup(h);
  return ok;
}

} // namespace shop::notify
