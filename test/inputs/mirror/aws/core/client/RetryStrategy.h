// Hand-written mirror of the public API shape of aws-sdk-cpp, NOT the real SDK
// (Debian does not package it). Mirrors aws/core/client/RetryStrategy.h and
// aws/core/client/DefaultRetryStrategy.h.
#pragma once

namespace Aws {
namespace Client {
class RetryStrategy {
public:
  virtual ~RetryStrategy() = default;
  virtual long GetMaxAttempts() const = 0;
};

/// The SDK's default: 10 retries (11 attempts), delay (1 << retry) * 25 ms.
class DefaultRetryStrategy : public RetryStrategy {
public:
  DefaultRetryStrategy(long maxRetries = 10, long scaleFactor = 25)
      : m_scaleFactor(scaleFactor), m_maxRetries(maxRetries) {}
  long GetMaxAttempts() const override { return m_maxRetries + 1; }

protected:
  long m_scaleFactor;
  long m_maxRetries;
};
} // namespace Client
} // namespace Aws
