#include <curl/curl.h>
int fine() {
  CURL *h = curl_easy_init();
  return curl_easy_perform(h);
}
int broken() {
  return undeclared_function(42);
}
