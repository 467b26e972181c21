#include <curl/curl.h>
int fetch() {
  CURL *h = curl_easy_init();
#ifdef USE_TIMEOUTS
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
#endif
  return curl_easy_perform(h);
}
