#include <curl/curl.h>

#include <cstdlib>
#include <string>

int main() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, std::getenv("API_BASE_URL"));
  std::string auth = std::string("Authorization: Bearer ") + std::getenv("API_TOKEN");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}
