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

/// The qualified name in a function key ("ns::f(int) const" → "ns::f"), without
/// anonymous namespace scopes ("(anonymous)::"), whose parenthesis is not the
/// parameter list.
inline std::string functionNameOfKey(const std::string &Key) {
  std::string Out;
  for (size_t I = 0; I < Key.size();) {
    bool Skipped = false;
    for (const char *Anon : {"(anonymous namespace)::", "(anonymous)::"}) {
      std::string A = Anon;
      if (Key.compare(I, A.size(), A) == 0) {
        I += A.size();
        Skipped = true;
        break;
      }
    }
    if (Skipped)
      continue;
    if (Key[I] == '(')
      break;
    Out += Key[I++];
  }
  return Out;
}

} // namespace im::support
