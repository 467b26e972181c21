#include "support/Units.h"

#include <cmath>
#include <sstream>

namespace im::support {

std::optional<double> secondsPerUnit(const std::string &Unit) {
  if (Unit.empty() || Unit == "s" || Unit == "timeval")
    return 1.0;
  if (Unit == "ms")
    return 1e-3;
  if (Unit == "us")
    return 1e-6;
  return std::nullopt;
}

std::string formatSeconds(double S) {
  std::ostringstream O;
  if (S < 1.0 && S > 0) {
    O << std::round(S * 1000.0) << " ms";
  } else if (S >= 120 && std::fmod(S, 60.0) == 0) {
    O << S / 60 << " min";
  } else {
    O << S << " s";
  }
  return O.str();
}

} // namespace im::support
