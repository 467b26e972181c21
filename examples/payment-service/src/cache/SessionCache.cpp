#include "cache/SessionCache.h"

#include <sys/time.h>

namespace shop::cache {

SessionCache::SessionCache(const char *host, int port) {
  struct timeval timeout = {1, 500000}; // 1.5 s
  ctx_ = redisConnectWithTimeout(host, port, timeout);
}

SessionCache::~SessionCache() {
  if (ctx_)
    redisFree(ctx_);
}

std::optional<std::string> SessionCache::get(const std::string &sessionId) {
  auto *reply = static_cast<redisReply *>(redisCommand(ctx_, "GET session:%s", sessionId.c_str()));
  if (!reply)
    return std::nullopt;
  std::optional<std::string> out;
  if (reply->type == REDIS_REPLY_STRING)
    out = std::string(reply->str, reply->len);
  freeReplyObject(reply);
  return out;
}

void SessionCache::put(const std::string &sessionId, const std::string &userId) {
  auto *reply = static_cast<redisReply *>(
      redisCommand(ctx_, "SETEX session:%s 3600 %s", sessionId.c_str(), userId.c_str()));
  if (reply)
    freeReplyObject(reply);
}

} // namespace shop::cache
