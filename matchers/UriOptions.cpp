#include "matchers/UriOptions.h"
#include "catalog/OptionSetting.h"
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
    model::Setting S = catalog::settingOf(*UO, UO->Name);
    S.HandleKey = From.HandleKey;
    S.Library = Lib.Id;
    S.Val.Text = Raw;
    S.Val.Proven = From.Val.Proven;
    S.Val.DependsOn = From.Val.DependsOn;
    S.Val.Origin = From.Val.Origin;
    // Where the option is written, inside a multi-line literal too: the place
    // of the value's text (Val.at(0)), which is where the fix goes.
    if (size_t Off = support::conninfoKeyOffset(From.Val.Str, Key); Off != std::string::npos)
      if (model::Location At = From.Val.at(Off); At.valid()) {
        S.Val.Pieces = {{0, At}};
        // Written in a literal of a string completed at run time ("mongodb://" +
        // hosts + "/?tls=true"): the option itself is constant.
        if (From.Val.DependsOn == "string built at run time") {
          S.Val.Proven = true;
          S.Val.DependsOn.clear();
        }
      }
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
