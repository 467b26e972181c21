// Hand-written mirror of the public API shape of aws-sdk-cpp, NOT the real SDK
// (Debian does not package it). Mirrors the legacy constructors and three
// operations of aws/dynamodb/DynamoDBClient.h with reduced model types.
#pragma once

#include <aws/core/auth/AWSCredentials.h>
#include <aws/core/client/ClientConfiguration.h>

namespace Aws {
namespace DynamoDB {
namespace Model {
struct GetItemRequest { GetItemRequest &WithTableName(const Aws::String &) { return *this; } };
struct PutItemRequest { PutItemRequest &WithTableName(const Aws::String &) { return *this; } };
struct QueryRequest { QueryRequest &WithTableName(const Aws::String &) { return *this; } };
struct GetItemOutcome { bool IsSuccess() const; };
struct PutItemOutcome { bool IsSuccess() const; };
struct QueryOutcome { bool IsSuccess() const; };
} // namespace Model

class DynamoDBClient {
public:
  DynamoDBClient(const Aws::Client::ClientConfiguration &clientConfiguration);
  DynamoDBClient(const Aws::Auth::AWSCredentials &credentials,
                 const Aws::Client::ClientConfiguration &clientConfiguration);
  virtual ~DynamoDBClient();

  virtual Model::GetItemOutcome GetItem(const Model::GetItemRequest &request) const;
  virtual Model::PutItemOutcome PutItem(const Model::PutItemRequest &request) const;
  virtual Model::QueryOutcome Query(const Model::QueryRequest &request) const;
};
} // namespace DynamoDB
} // namespace Aws
