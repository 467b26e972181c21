#include "cache/SessionCache.h"
#include "db/OrderRepository.h"
#include "payments/StripeClient.h"
#include "resilience/CircuitBreaker.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace shop::notify {
int notifyPartners(const std::vector<std::string> &urls, const std::string &event);
bool sendAudit(const std::string &line);
} // namespace shop::notify

// Checkout: look up the session, create the order, charge the card, tell partners.
int handleCheckout(const std::string &sessionId, long amountCents) {
  static shop::cache::SessionCache sessions("cache.internal", 6379);
  static shop::db::OrderRepository orders;
  static shop::payments::StripeClient stripe(std::getenv("STRIPE_API_KEY"));
  static shop::resilience::CircuitBreaker auditBreaker(5, std::chrono::seconds(30));

  auto user = sessions.get(sessionId);
  if (!user)
    user = orders.sessionUser(sessionId); // cache down or cold: ask the database
  if (!user)
    return 401;
  long orderId = orders.create(*user, amountCents);
  auto charge = stripe.charge(*user, amountCents);
  auditBreaker.call([&] { return shop::notify::sendAudit("order " + std::to_string(orderId)); });
  if (!charge.ok)
    return 402;
  shop::notify::notifyPartners({"https://partner.example.com/hook"}, "order-paid");
  return 200;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    std::cerr << "usage: payment-service <session> <amount-cents>\n";
    return 2;
  }
  return handleCheckout(argv[1], std::atol(argv[2])) == 200 ? 0 : 1;
}
