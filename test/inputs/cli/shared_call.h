#pragma once
#include <curl/curl.h>
// Included by two translation units: its call site must be reported once.
inline int fetchShared(CURL *h) { return curl_easy_perform(h); }
