#include "http/CurlOptions.h"

namespace shop::http {
namespace {
constexpr long kConnectTimeoutMs = 2000;
constexpr long kTransferTimeoutMs = 5000;
} // namespace

void applyDefaultTimeouts(CURL *handle) {
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, kTransferTimeoutMs);
}
} // namespace shop::http
