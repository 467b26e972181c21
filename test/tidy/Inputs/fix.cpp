#include <curl/curl.h>

#include <memory>

void localHandle(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_perform(h);
  curl_easy_cleanup(h);
}

// A caller in another translation unit may have configured it: no fix.
void parameterHandle(CURL *h) {
  curl_easy_setopt(h, CURLOPT_URL, "https://example.com/");
  if (curl_easy_perform(h) != CURLE_OK)
    return;
}

void ownedHandle() {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  curl_easy_perform(h.get());
}

void zeroTimeout() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L); // explicit "no timeout": not a mechanical fix
  curl_easy_perform(h);
}

void declaredThenAssigned() {
  CURL *h;
  h = curl_easy_init();
  if (curl_easy_perform(h) != CURLE_OK)
    return;
}
