// Hand-written mirror of the public API shape of aws-sdk-cpp, NOT the real SDK
// (Debian does not package it). Mirrors aws/core/auth/AWSCredentials.h.
#pragma once

#include <aws/core/http/Scheme.h>

namespace Aws {
namespace Auth {
class AWSCredentials {
public:
  AWSCredentials() = default;
  AWSCredentials(const Aws::String &accessKeyId, const Aws::String &secretKey)
      : m_accessKeyId(accessKeyId), m_secretKey(secretKey) {}
  AWSCredentials(const Aws::String &accessKeyId, const Aws::String &secretKey,
                 const Aws::String &sessionToken)
      : m_accessKeyId(accessKeyId), m_secretKey(secretKey), m_sessionToken(sessionToken) {}
  const Aws::String &GetAWSAccessKeyId() const { return m_accessKeyId; }

private:
  Aws::String m_accessKeyId;
  Aws::String m_secretKey;
  Aws::String m_sessionToken;
};
} // namespace Auth
} // namespace Aws
