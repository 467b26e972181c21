// Small ASCII string helpers shared by every stage.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace im::support {

inline std::string lower(std::string S) {
  std::transform(S.begin(), S.end(), S.begin(),
                 [](unsigned char C) { return static_cast<char>(std::tolower(C)); });
  return S;
}

inline std::string upper(std::string S) {
  std::transform(S.begin(), S.end(), S.begin(),
                 [](unsigned char C) { return static_cast<char>(std::toupper(C)); });
  return S;
}

inline bool startsWith(const std::string &S, const std::string &P) { return S.rfind(P, 0) == 0; }

inline bool endsWith(const std::string &S, const std::string &Suf) {
  return S.size() >= Suf.size() && S.compare(S.size() - Suf.size(), Suf.size(), Suf) == 0;
}

} // namespace im::support
