#pragma once
#include <pqxx/pqxx>

#include <string>

namespace shop::db {

// Orders live in PostgreSQL.
class OrderRepository {
public:
  OrderRepository();
  long create(const std::string &customerId, long amountCents);
  std::string status(long orderId);

private:
  pqxx::connection conn_;
};

} // namespace shop::db
