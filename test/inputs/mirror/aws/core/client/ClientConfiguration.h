// Hand-written mirror of the public API shape of aws-sdk-cpp, NOT the real SDK
// (Debian does not package it). Mirrors the public fields of
// aws/core/client/ClientConfiguration.h that the catalog reads; the defaults
// are set by the real constructor (setLegacyClientConfigurationParameters in
// src/aws-cpp-sdk-core/source/client/ClientConfiguration.cpp): requestTimeoutMs
// 3000, connectTimeoutMs 1000, verifySSL true, scheme HTTPS, and a
// DefaultRetryStrategy.
#pragma once

#include <aws/core/client/RetryStrategy.h>
#include <aws/core/http/Scheme.h>

#include <memory>

namespace Aws {
namespace Client {
struct ClientConfiguration {
  ClientConfiguration();
  virtual ~ClientConfiguration() = default;

  Aws::String userAgent;
  Aws::Http::Scheme scheme;
  Aws::String region;
  unsigned maxConnections = 25;
  long httpRequestTimeoutMs = 0;
  long requestTimeoutMs = 0;
  long connectTimeoutMs = 1000;
  std::shared_ptr<RetryStrategy> retryStrategy;
  Aws::String endpointOverride;
  Aws::Http::Scheme proxyScheme;
  Aws::String proxyHost;
  unsigned proxyPort = 0;
  Aws::String proxyUserName;
  Aws::String proxyPassword;
  bool verifySSL = true;
  Aws::String caPath;
  Aws::String caFile;
};
} // namespace Client
} // namespace Aws
