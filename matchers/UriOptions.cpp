#include "matchers/UriOptions.h"
#include "support/Endpoint.h"

#include <cctype>
#include <cstdlib>

namespace im::matchers {

/// Value semantics "uri_options": the keys of the entry's `uri_options` found in
/// a connection string or URI (`?socketTimeoutMS=5000`, `connect_timeout=5`)
/// become settings of their own on the same handle, at the same place.
std::vector<model::Setting> uriOptionSettings(const catalog::Library &Lib, const model::Setting &From) {
  std::vector<model::Setting> Out;
  for (const auto &[Key, Raw] : support::parseConninfo(From.Val.Str)) {
    const catalog::Option *UO = Lib.uriOption(Key);
    if (!UO)
      continue;
    model::Setting S;
    S.HandleKey = From.HandleKey;
    S.Library = Lib.Id;
    S.Concern = UO->Concern;
    S.Option = UO->Name;
    S.Scope = UO->Scope;
    S.Unit = UO->Unit;
    S.ZeroIsInfinite = UO->Semantics == "zero_is_infinite" ||
                       UO->Semantics == "zero_or_negative_is_infinite";
    S.Val.Text = Raw;
    S.Val.Proven = From.Val.Proven;
    S.Val.DependsOn = From.Val.DependsOn;
    S.Val.Origin = From.Val.Origin;
    std::string L = Raw;
    for (char &C : L)
      C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    char *End = nullptr;
    long long N = std::strtoll(Raw.c_str(), &End, 10);
    if (L == "true" || L == "false") {
      S.Val.K = model::Value::Kind::Int;
      S.Val.Int = L == "true";
    } else if (!Raw.empty() && End && *End == '\0') {
      S.Val.K = model::Value::Kind::Int;
      S.Val.Int = N;
    } else {
      S.Val.K = model::Value::Kind::String;
      S.Val.Str = Raw;
    }
    if (UO->Semantics == "zero_is_default" && S.Val.K == model::Value::Kind::Int && S.Val.Int == 0)
      continue;
    if (UO->Concern == "credential") {
      S.Val.Str.clear();
      S.Val.Text.clear();
      S.Val.DependsOn = "literal";
    }
    S.Loc = From.Loc;
    S.FunctionKey = From.FunctionKey;
    Out.push_back(std::move(S));
  }
  return Out;
}

} // namespace im::matchers
