#include "catalog/OptionSetting.h"
#include "support/SqlSettings.h"

namespace im::catalog {

model::Setting settingOf(const Option &O, const std::string &Name) {
  model::Setting S;
  S.Concern = O.Concern;
  S.Option = O.Name.empty() ? Name : O.Name;
  S.Scope = O.Scope;
  S.Unit = O.Unit;
  S.ZeroIsInfinite = O.Semantics == "zero_is_infinite" ||
                     O.Semantics == "zero_or_negative_is_infinite" || O.Semantics == "pg_duration";
  return S;
}

void settleValue(const Option &O, model::Value &V) {
  if (O.Semantics == "pg_duration")
    support::pgDuration(V);
  if (O.Concern == "credential") {
    bool Literal = V.K == model::Value::Kind::String;
    V.Str.clear();
    V.Text.clear();
    if (Literal)
      V.DependsOn = "literal";
  }
}

bool selectsDefault(const Option &O, const model::Value &V) {
  return O.Semantics == "zero_is_default" && V.Proven &&
         ((V.K == model::Value::Kind::Int && V.Int == 0) ||
          (V.K == model::Value::Kind::Float && V.Float == 0));
}

} // namespace im::catalog
