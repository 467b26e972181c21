// Hand-written mirror of the public API shape of aws-sdk-cpp, NOT the real SDK
// (Debian does not package it). Mirrors the legacy constructor and SendMessage
// of aws/sqs/SQSClient.h with reduced model types.
#pragma once

#include <aws/core/auth/AWSCredentials.h>
#include <aws/core/client/ClientConfiguration.h>

namespace Aws {
namespace SQS {
namespace Model {
struct SendMessageRequest {
  SendMessageRequest &WithQueueUrl(const Aws::String &) { return *this; }
  SendMessageRequest &WithMessageBody(const Aws::String &) { return *this; }
};
struct SendMessageOutcome { bool IsSuccess() const; };
} // namespace Model

class SQSClient {
public:
  SQSClient(const Aws::Client::ClientConfiguration &clientConfiguration);
  SQSClient(const Aws::Auth::AWSCredentials &credentials,
            const Aws::Client::ClientConfiguration &clientConfiguration);
  virtual ~SQSClient();

  virtual Model::SendMessageOutcome SendMessage(const Model::SendMessageRequest &request) const;
};
} // namespace SQS
} // namespace Aws
