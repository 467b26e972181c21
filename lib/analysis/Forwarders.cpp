// Settings made through the project's own shims: a function whose parameter is
// the option of a catalog setter (`SetCurlLongOption(h, opt, v)`, a lambda
// `set(key, value)` around rd_kafka_conf_set) is that setting at each of its
// calls, for the handle the call passes. Forwarders of forwarders are followed
// up to four levels. The settings join M.Settings before the handle graph is
// built, so timeouts, retries and the security posture all see them.
#include "analysis/Protections.h"
#include "catalog/OptionSetting.h"

#include <map>
#include <tuple>

namespace im::analysis {
using model::ArgValue;
using model::ForwarderFact;
using model::Setting;

namespace {

const catalog::Setter *setterOf(const catalog::Catalog &Cat, const ForwarderFact &W) {
  if (const catalog::Library *L = Cat.library(W.Library))
    for (const auto &St : L->Setters)
      if (St.Name == W.Setter)
        return &St;
  return nullptr;
}

/// "param:<fn>#<i>" -> i when it is a parameter of `Fn`.
int paramIndex(const std::string &Key, const std::string &Fn) {
  std::string Prefix = "param:" + Fn + "#";
  if (Key.rfind(Prefix, 0) != 0)
    return -1;
  return std::atoi(Key.c_str() + Prefix.size());
}

} // namespace

void expandForwarders(Merged &M, const catalog::Catalog &Cat) {
  if (M.Forwarders.empty())
    return;
  // Arguments of each call, by callee and call location.
  std::map<std::pair<std::string, model::Location>, std::map<unsigned, const ArgValue *>> Args;
  for (const auto &A : M.ArgValues)
    Args[{A.CalleeKey, A.Loc}][A.Index] = &A;
  std::map<std::tuple<std::string, model::Location, unsigned>, std::string> Flow;
  for (const auto &F : M.Flows)
    Flow[{F.CalleeKey, F.Loc, F.ArgIndex}] = F.HandleKey;
  std::vector<Setting> Added;
  std::vector<ForwarderFact> Work = M.Forwarders;
  for (int Depth = 0; Depth < 4 && !Work.empty(); ++Depth) {
    std::vector<ForwarderFact> Next;
    for (const ForwarderFact &W : Work) {
      const catalog::Setter *St = setterOf(Cat, W);
      if (!St)
        continue;
      for (const auto &[Key, ByIndex] : Args) {
        if (Key.first != W.FunctionKey)
          continue;
        const model::Location &At = Key.second;
        // Capturing a structured binding is C++20 (clang warns in C++17 mode):
        // the lambda captures a plain reference instead.
        const auto &Indexed = ByIndex;
        auto ArgAt = [&](int I) -> const ArgValue * {
          auto It = Indexed.find(static_cast<unsigned>(I));
          return I < 0 || It == Indexed.end() ? nullptr : It->second;
        };
        const ArgValue *Opt = ArgAt(static_cast<int>(W.OptionParam));
        if (!Opt)
          continue;
        const std::string &Caller = Opt->CallerKey;
        // The handle at this call: the caller's argument when the forwarder
        // configures its own parameter, else what the forwarder names.
        std::string Handle = W.HandleKey;
        if (int HI = paramIndex(W.HandleKey, W.FunctionKey); HI >= 0) {
          auto It = Flow.find({W.FunctionKey, At, static_cast<unsigned>(HI)});
          if (It == Flow.end())
            continue;
          Handle = It->second;
        }
        const ArgValue *Val = ArgAt(W.ValueParam);
        // The caller passes its own parameter as the option: it forwards too.
        if (int OI = paramIndex(Opt->Val.ParamKey, Caller); OI >= 0) {
          ForwarderFact Up = W;
          Up.FunctionKey = Caller;
          Up.OptionParam = static_cast<unsigned>(OI);
          Up.HandleKey = Handle;
          Up.ValueParam = -1;
          if (Val && paramIndex(Val->Val.ParamKey, Caller) >= 0)
            Up.ValueParam = paramIndex(Val->Val.ParamKey, Caller);
          else if (Val)
            Up.Val = Val->Val;
          Next.push_back(std::move(Up));
          continue;
        }
        std::vector<std::string> Names = Opt->Names;
        if (Opt->Val.K == model::Value::Kind::String)
          Names.push_back(Opt->Val.Str);
        const catalog::Option *O = nullptr;
        std::string Name;
        for (const auto &N : Names)
          if ((O = St->find(N))) {
            Name = N;
            break;
          }
        if (!O || O->Semantics == "uri_options")
          continue;
        Setting S = catalog::settingOf(*O, Name);
        S.HandleKey = Handle;
        S.Library = W.Library;
        S.Val = W.ValueParam >= 0 ? (Val ? Val->Val : model::Value{}) : W.Val;
        if (S.Val.Duration)
          S.Unit = "s"; // a std::chrono duration argument carries its own unit
        catalog::settleValue(*O, S.Val);
        if (catalog::selectsDefault(*O, S.Val))
          continue;
        if (S.Val.K == model::Value::Kind::Unknown && S.Val.DependsOn.empty())
          S.Val.DependsOn = "`" + S.Val.Text + "`";
        S.Loc = At;
        S.FunctionKey = Caller;
        S.Via = HandleGraph::shortName(W.FunctionKey);
        S.ViaLoc = W.Loc;
        Added.push_back(std::move(S));
      }
    }
    Work = std::move(Next);
  }
  for (auto &S : Added)
    M.Settings.push_back(std::move(S));
}

} // namespace im::analysis
