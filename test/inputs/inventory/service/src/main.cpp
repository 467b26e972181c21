// Fixture for the inventory cross-checks: real libcurl and hiredis headers.
#include <curl/curl.h>
#include <hiredis/hiredis.h>

#include <cstdlib>

int charge() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.stripe.com/v1/charges");
  curl_easy_setopt(h, CURLOPT_USERPWD, "sk_test_FAKEVALUE123:");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int audit() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, std::getenv("AUDIT_COLLECTOR_URL"));
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int session() {
  const char *host = getenv("REDIS_HOST");
  redisContext *c = redisConnect(host ? host : "localhost", 6379);
  redisReply *r = static_cast<redisReply *>(redisCommand(c, "GET session"));
  freeReplyObject(r);
  redisFree(c);
  return 0;
}

int main() { return charge() + audit() + session(); }
