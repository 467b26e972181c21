#pragma once
#include <curl/curl.h>

namespace shop::http {
// Applies the service-wide transfer limits to a libcurl handle.
void applyDefaultTimeouts(CURL *handle);
} // namespace shop::http
