#include "shared_call.h"
int two() { return fetchShared(curl_easy_init()); }
