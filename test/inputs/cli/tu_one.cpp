#include "shared_call.h"
int one() { return fetchShared(curl_easy_init()); }
