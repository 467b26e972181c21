#pragma once
#include <string>

namespace shop::payments {

struct ChargeResult {
  bool ok = false;
  std::string body;
};

// Charges cards through the Stripe REST API.
class StripeClient {
public:
  explicit StripeClient(std::string apiKey);
  ChargeResult charge(const std::string &customerId, long amountCents);
  ChargeResult refund(const std::string &chargeId);

private:
  std::string apiKey_;
};

} // namespace shop::payments
