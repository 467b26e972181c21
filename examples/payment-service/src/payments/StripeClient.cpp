#include "payments/StripeClient.h"
#include "http/CurlOptions.h"

#include <curl/curl.h>

#include <chrono>
#include <thread>

namespace shop::payments {
namespace {
size_t collect(char *data, size_t size, size_t n, void *out) {
  static_cast<std::string *>(out)->append(data, size * n);
  return size * n;
}
} // namespace

StripeClient::StripeClient(std::string apiKey) : apiKey_(std::move(apiKey)) {}

ChargeResult StripeClient::charge(const std::string &customerId, long amountCents) {
  ChargeResult result;
  CURL *curl = curl_easy_init();
  if (!curl)
    return result;
  std::string form = "customer=" + customerId + "&amount=" + std::to_string(amountCents) +
                     "&currency=usd";
  curl_easy_setopt(curl, CURLOPT_URL, "https://api.stripe.com/v1/charges");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.c_str());
  curl_easy_setopt(curl, CURLOPT_USERPWD, (apiKey_ + ":").c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  http::applyDefaultTimeouts(curl);

  // Idempotency keys make the charge safe to repeat.
  auto delay = std::chrono::milliseconds(200);
  for (int attempt = 0; attempt < 3; ++attempt) {
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
      result.ok = true;
      break;
    }
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  curl_easy_cleanup(curl);
  return result;
}

ChargeResult StripeClient::refund(const std::string &chargeId) {
  ChargeResult result;
  CURL *curl = curl_easy_init();
  std::string url = "https://api.stripe.com/v1/refunds?charge=" + chargeId;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USERPWD, (apiKey_ + ":").c_str());
  // No timeout here: a hung Stripe connection blocks the refund worker forever.
  result.ok = curl_easy_perform(curl) == CURLE_OK;
  curl_easy_cleanup(curl);
  return result;
}

} // namespace shop::payments
