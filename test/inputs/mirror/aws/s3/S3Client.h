// Hand-written mirror of the public API shape of aws-sdk-cpp, NOT the real SDK
// (Debian does not package it). Mirrors the legacy constructors and three
// operations of aws/s3/S3Client.h; request and outcome types are reduced to
// what the tests use (the real ones live in aws/s3/model/*).
#pragma once

#include <aws/core/auth/AWSCredentials.h>
#include <aws/core/client/ClientConfiguration.h>

namespace Aws {
namespace S3 {
namespace Model {
struct GetObjectRequest {
  GetObjectRequest &WithBucket(const Aws::String &) { return *this; }
  GetObjectRequest &WithKey(const Aws::String &) { return *this; }
};
struct PutObjectRequest {
  PutObjectRequest &WithBucket(const Aws::String &) { return *this; }
  PutObjectRequest &WithKey(const Aws::String &) { return *this; }
};
struct ListObjectsV2Request {
  ListObjectsV2Request &WithBucket(const Aws::String &) { return *this; }
};
struct GetObjectOutcome { bool IsSuccess() const; };
struct PutObjectOutcome { bool IsSuccess() const; };
struct ListObjectsV2Outcome { bool IsSuccess() const; };
} // namespace Model

class S3Client {
public:
  enum class PayloadSigningPolicy { RequestDependent, Always, Never };
  S3Client(const Aws::Client::ClientConfiguration &clientConfiguration,
           PayloadSigningPolicy signPayloads = PayloadSigningPolicy::Never,
           bool useVirtualAddressing = true);
  S3Client(const Aws::Auth::AWSCredentials &credentials,
           const Aws::Client::ClientConfiguration &clientConfiguration,
           PayloadSigningPolicy signPayloads = PayloadSigningPolicy::Never,
           bool useVirtualAddressing = true);
  virtual ~S3Client();

  virtual Model::GetObjectOutcome GetObject(const Model::GetObjectRequest &request) const;
  virtual Model::PutObjectOutcome PutObject(const Model::PutObjectRequest &request) const;
  virtual Model::ListObjectsV2Outcome ListObjectsV2(const Model::ListObjectsV2Request &request) const;
};
} // namespace S3
} // namespace Aws
