// Text helpers shared by the inventory's parsers (env files and manifests).
#pragma once

#include "model/Facts.h"

#include <algorithm>
#include <string>

namespace im::inventory::detail {

inline std::string trim(const std::string &S) {
  size_t B = S.find_first_not_of(" \t\r\n");
  if (B == std::string::npos)
    return "";
  size_t E = S.find_last_not_of(" \t\r\n");
  return S.substr(B, E - B + 1);
}
inline unsigned lineAt(const std::string &Text, size_t Offset) {
  return 1 + static_cast<unsigned>(
                 std::count(Text.begin(), Text.begin() + std::min(Offset, Text.size()), '\n'));
}
inline model::InventoryProblem problem(const std::string &Path, unsigned Line, std::string Message) {
  return {{Path, Line, Line ? 1u : 0u}, std::move(Message)};
}

} // namespace im::inventory::detail
