// The security checks in the editor, with the exact message text the command
// line prints; the matching safe code beside each case reports nothing, and the
// secret itself appears in no output.
// RUN: %clang_tidy --checks='-*,integration-plaintext-transport,integration-hardcoded-secret,integration-webhook-signature-unverified' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='{{^[^ ].*}}warning:' --implicit-check-not=sk_live_51
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <map>
#include <string>

void sendOrder(const std::string &body) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "http://orders.partner.example.com/v1/orders");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
// CHECK-DAG: security.cpp:[[@LINE-3]]:3: warning: `curl_easy_perform` talks to orders.partner.example.com over unencrypted http: credentials and payloads cross the network in clear text [integration-plaintext-transport]
  curl_easy_perform(h);
}

void sendOrderOverTls(const std::string &body) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://orders.partner.example.com/v1/orders");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_perform(h);
}

void chargeWithLiteralKey() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.stripe.com/v1/charges");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
  curl_easy_setopt(h, CURLOPT_USERPWD, "sk_live_51HxQ2eLkdIwHu7ixFakeKey0000000000:");
// CHECK-DAG: security.cpp:[[@LINE-1]]:3: warning: hard-coded Stripe live secret key in a string literal passed to `curl_easy_setopt`: anyone with the source or the binary has it; load it from a secret store or the environment [integration-hardcoded-secret]
  curl_easy_perform(h);
}

void chargeWithKeyFromEnvironment() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.stripe.com/v1/charges");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
  curl_easy_setopt(h, CURLOPT_USERPWD, std::getenv("STRIPE_SECRET_KEY"));
  curl_easy_perform(h);
}

using Headers = std::map<std::string, std::string>;

bool onStripeEvent(const Headers &h, const std::string &body) {
  auto it = h.find("Stripe-Signature");
// CHECK-DAG: security.cpp:[[@LINE-1]]:20: warning: `onStripeEvent` reads the Stripe-Signature header but computes no HMAC over the payload (neither it nor the functions it calls): forged webhook events are accepted [integration-webhook-signature-unverified]
  return it != h.end() && !body.empty();
}

static bool signatureMatches(const std::string &body, const std::string &sig,
                             const std::string &secret) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char *>(body.data()), body.size(), mac, &len);
  return len > 0 && !sig.empty();
}

bool onVerifiedStripeEvent(const Headers &h, const std::string &body, const std::string &secret) {
  auto it = h.find("Stripe-Signature");
  return it != h.end() && signatureMatches(body, it->second, secret);
}
