#include "db/OrderRepository.h"

namespace shop::db {

OrderRepository::OrderRepository()
    : conn_("host=orders-db.internal dbname=orders user=shop connect_timeout=5") {}

long OrderRepository::create(const std::string &customerId, long amountCents) {
  pqxx::work tx(conn_);
  pqxx::row row = tx.exec1("INSERT INTO orders(customer, amount) VALUES (" +
                           tx.quote(customerId) + ", " + std::to_string(amountCents) +
                           ") RETURNING id");
  tx.commit();
  return row[0].as<long>();
}

std::string OrderRepository::status(long orderId) {
  pqxx::nontransaction q(conn_);
  pqxx::result r = q.exec("SELECT status FROM orders WHERE id = " + std::to_string(orderId));
  return r.empty() ? "unknown" : r[0][0].c_str();
}

} // namespace shop::db

namespace shop::db {

std::optional<std::string> OrderRepository::sessionUser(const std::string &sessionId) {
  pqxx::nontransaction q(conn_);
  pqxx::result r = q.exec("SELECT user_id FROM sessions WHERE id = " + q.quote(sessionId));
  if (r.empty())
    return std::nullopt;
  return std::string(r[0][0].c_str());
}

} // namespace shop::db
