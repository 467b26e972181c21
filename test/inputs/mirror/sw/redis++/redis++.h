// MIRROR HEADER, not the real redis-plus-plus: Debian does not package it
// (https://github.com/sewenew/redis-plus-plus), so the matcher tests compile
// against this minimal header mirroring the shape of its public API (1.3):
// sw::redis::ConnectionOptions fields, sw::redis::Redis built from options or a
// URI, and a few commands. Declarations only; nothing links to it.
#pragma once

#include <chrono>
#include <string>

namespace sw {
namespace redis {

using StringView = std::string;
using OptionalString = std::string;

struct ConnectionOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user = "default";
  std::string password;
  int db = 0;
  bool keep_alive = false;
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds socket_timeout{0};
};

struct ConnectionPoolOptions {
  std::size_t size = 1;
  std::chrono::milliseconds wait_timeout{0};
};

class Redis {
public:
  explicit Redis(const ConnectionOptions &connection_opts,
                 const ConnectionPoolOptions &pool_opts = {});
  explicit Redis(const std::string &uri);
  OptionalString get(const StringView &key);
  bool set(const StringView &key, const StringView &val);
  long long del(const StringView &key);
  long long incr(const StringView &key);
  long long publish(const StringView &channel, const StringView &message);
};

} // namespace redis
} // namespace sw
