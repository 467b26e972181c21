#include "analysis/Callables.h"
#include "analysis/HandleGraph.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

namespace im::analysis {

namespace {

class CallableBinder {
public:
  explicit CallableBinder(const Merged &M) {
    // Values stored into member, variable and global slots.
    for (const auto &B : M.CallableBinds)
      ValuesOf[B.Slot].insert(B.Value);
    // Values passed as arguments reach the callee's parameter slot.
    for (const auto &F : M.Flows)
      if (F.CalleeKey.rfind("callable:", 0) != 0 && F.CalleeKey.rfind("opaque:", 0) != 0)
        ValuesOf[HandleGraph::paramKey(F.CalleeKey, F.ArgIndex)].insert(F.HandleKey);
  }

  /// The functions (keys) that can be what `Slot` holds.
  std::set<std::string> targets(const std::string &Slot) {
    std::set<std::string> Out, Seen;
    collect(Slot, Out, Seen, 0);
    return Out;
  }

private:
  std::map<std::string, std::set<std::string>> ValuesOf;

  void collect(const std::string &Slot, std::set<std::string> &Out, std::set<std::string> &Seen, int Depth) {
    if (Depth > 8 || !Seen.insert(Slot).second)
      return;
    auto It = ValuesOf.find(Slot);
    if (It == ValuesOf.end())
      return;
    for (const auto &V : It->second) {
      if (V.rfind("function:", 0) == 0)
        Out.insert(V.substr(9));
      else if (V.rfind("lambda:", 0) == 0)
        Out.insert(V.substr(7));
      else if (V.rfind("param:", 0) == 0 || V.rfind("field:", 0) == 0 || V.rfind("var:", 0) == 0 ||
               V.rfind("global:", 0) == 0)
        collect(V, Out, Seen, Depth + 1);
    }
  }
};

} // namespace

void bindCallables(Merged &M, size_t MaxTargets) {
  if (M.CallableCalls.empty())
    return;
  CallableBinder B(M);
  std::set<std::tuple<model::Location, std::string, std::string>> Have;
  for (const auto &E : M.Calls)
    Have.insert({E.Loc, E.CallerKey, E.CalleeKey});
  for (const auto &E : M.CallableCalls) {
    std::set<std::string> Targets = B.targets(E.CalleeKey.substr(E.CalleeKey.find(':') + 1));
    if (Targets.empty() || Targets.size() > MaxTargets)
      continue;
    for (const auto &T : Targets) {
      if (!Have.insert({E.Loc, E.CallerKey, T}).second)
        continue;
      model::CallEdge Bound = E;
      Bound.CalleeKey = T;
      M.Calls.push_back(std::move(Bound));
    }
  }
}

} // namespace im::analysis
