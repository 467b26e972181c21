#pragma once
#include <hiredis/hiredis.h>

#include <optional>
#include <string>

namespace shop::cache {

// Session lookups in Redis.
class SessionCache {
public:
  SessionCache(const char *host, int port);
  ~SessionCache();
  std::optional<std::string> get(const std::string &sessionId);
  void put(const std::string &sessionId, const std::string &userId);

private:
  redisContext *ctx_ = nullptr;
};

} // namespace shop::cache
