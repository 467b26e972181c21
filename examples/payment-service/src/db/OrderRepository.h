#pragma once
#include <pqxx/pqxx>

#include <optional>
#include <string>

namespace shop::db {

// Orders live in PostgreSQL.
class OrderRepository {
public:
  OrderRepository();
  long create(const std::string &customerId, long amountCents);
  std::string status(long orderId);
  // The session table is the source of truth when the cache is down.
  std::optional<std::string> sessionUser(const std::string &sessionId);

private:
  pqxx::connection conn_;
};

} // namespace shop::db
