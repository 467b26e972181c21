// Qualified C++ names as strings ("shop::payments::StripeClient::charge").
#pragma once

#include <string>

namespace im::support {

/// "shop::payments::StripeClient" for "shop::payments::StripeClient::charge"; "" when unqualified.
inline std::string scopeOf(const std::string &Name) {
  auto P = Name.rfind("::");
  return P == std::string::npos ? "" : Name.substr(0, P);
}

/// "charge" for "shop::payments::StripeClient::charge".
inline std::string lastName(const std::string &Name) {
  auto P = Name.rfind("::");
  return P == std::string::npos ? Name : Name.substr(P + 2);
}

} // namespace im::support
