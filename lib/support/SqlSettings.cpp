#include "support/SqlSettings.h"
#include "support/Text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <vector>

namespace im::support {

std::optional<std::pair<std::string, std::string>> parseSqlSet(const std::string &Sql) {
  std::vector<std::string> W;
  std::string Cur;
  for (char C : Sql) {
    if (std::isspace(static_cast<unsigned char>(C)) || C == '=' || C == ';') {
      if (!Cur.empty())
        W.push_back(Cur);
      Cur.clear();
      if (C == '=')
        W.push_back("=");
    } else {
      Cur += C;
    }
  }
  if (!Cur.empty())
    W.push_back(Cur);
  size_t I = 0;
  if (W.empty() || lower(W[I++]) != "set")
    return std::nullopt;
  if (I < W.size() && lower(W[I]) == "session")
    ++I;
  if (I + 2 >= W.size())
    return std::nullopt;
  if (lower(W[I]) == "local")
    return std::nullopt;
  std::string Sep = lower(W[I + 1]);
  if (Sep != "=" && Sep != "to")
    return std::nullopt;
  std::string Val = W[I + 2];
  if (Val.size() >= 2 && (Val.front() == '\'' || Val.front() == '"') && Val.back() == Val.front())
    Val = Val.substr(1, Val.size() - 2);
  return std::make_pair(lower(W[I]), Val);
}

void pgDuration(model::Value &V) {
  if (V.K != model::Value::Kind::String)
    return;
  std::string T = V.Str;
  T.erase(std::remove_if(T.begin(), T.end(), [](char C) { return C == '\'' || C == ' '; }), T.end());
  char *End = nullptr;
  double N = std::strtod(T.c_str(), &End);
  if (End == T.c_str())
    return;
  static const std::map<std::string, double> Ms = {{"", 1},         {"ms", 1},        {"s", 1000},
                                                   {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
  auto It = Ms.find(lower(End));
  if (It == Ms.end())
    return;
  V.K = model::Value::Kind::Float;
  V.Float = N * It->second;
}

} // namespace im::support
