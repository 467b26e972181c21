// What a member of a plain option object holds where a setting reads it
// (`curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts.timeout_ms)` inside a wrapper):
// followed from the object to the callers that pass it in, to the local they
// made (default-constructed, braced, returned by a helper) and to the member
// assignments made on it before the call, through helpers that receive it.
#include "analysis/Protections.h"

#include <algorithm>

namespace im::analysis {
using model::Evidence;
using model::Location;
using model::Setting;

namespace {

bool onChain(const MemberChain &Chain, const Location &L) { return Chain.count({L.File, L.Line}) > 0; }

class MemberWalk {
public:
  MemberWalk(const model::Value &Read, const MemberChain &Chain, const HandleGraph &G)
      : Read(Read), Chain(Chain), G(G) {}

  /// Values of the member on object `Key` as used at `Before` (invalid: anywhere).
  /// False when where the object comes from is not known.
  bool values(const std::string &Key, const Location &Before, const std::vector<Evidence> &Path, int Depth,
              std::vector<MemberValue> &Out) {
    if (Key.empty() || Depth > 8)
      return false;
    if (lastWrite(Key, Before, Path, Out))
      return true;
    if (Key.rfind("param:", 0) == 0)
      return fromCallers(Key, Path, Depth, Out);
    bool Known = false;
    std::vector<const Setting *> Origins = G.objectSettingsOn(Key);
    for (const Setting *S : G.settingsOn(Key))
      Origins.push_back(S);
    for (const Setting *S : Origins) {
      bool Local = HandleGraph::sameFunctionLocal(Key);
      if (Local && Before.valid() && S->Loc.File == Before.File && Before < S->Loc)
        continue;
      if (S->Concern == "object" && S->Val.DependsOn.rfind("default:", 0) == 0) {
        auto P = Path;
        P.push_back({S->Loc.File, S->Loc.Line,
                     "`" + HandleGraph::handleName(Key) + "` is made with its default members (`" + S->Val.Text + "`)"});
        Out.push_back(defaulted(P));
        Known = true;
      } else if (S->Concern == "derive" && !S->Val.DependsOn.empty()) {
        // `auto opts = make_options();` or `return opts;`: the object another
        // function returned, as it was at its `return`.
        const std::string &From = S->Val.DependsOn;
        auto P = Path;
        if (From.rfind("return:", 0) == 0)
          P.push_back({S->Loc.File, S->Loc.Line,
                       "`" + HandleGraph::handleName(Key) + "` is what " +
                           HandleGraph::shortName(From.substr(7)) + " returns"});
        Known |= values(From, From.rfind("return:", 0) == 0 ? Location{} : S->Loc, P, Depth + 1, Out) ||
                 unknown(P, S->Loc, "`" + HandleGraph::handleName(Key) + "` comes from " + From, Out);
      }
    }
    return Known;
  }

private:
  const model::Value &Read;
  const MemberChain &Chain;
  const HandleGraph &G;

  MemberValue defaulted(std::vector<Evidence> Path) const {
    MemberValue V;
    V.Val = Read; // the read's own value is the default member initializer, where there is one
    V.Val.DependsOn.clear();
    V.Path = std::move(Path);
    if (Read.Origin.valid())
      V.Path.push_back({Read.Origin.File, Read.Origin.Line, "default member initializer of " + Read.Member});
    if (Read.K != model::Value::Kind::Int && Read.K != model::Value::Kind::Float) {
      V.Val.K = model::Value::Kind::Unknown;
      V.Where = Read.Member + " has no default member initializer";
    }
    return V;
  }

  bool unknown(std::vector<Evidence> Path, const Location &At, const std::string &Why,
               std::vector<MemberValue> &Out) const {
    MemberValue V;
    V.Val.K = model::Value::Kind::Unknown;
    V.Path = std::move(Path);
    V.Where = Why + " (" + model::str(At) + ")";
    Out.push_back(std::move(V));
    return true;
  }

  /// The last assignment of the member on `Key` before `Before`, made here or in
  /// a helper the object was passed to.
  bool lastWrite(const std::string &Key, const Location &Before, const std::vector<Evidence> &Path,
                 std::vector<MemberValue> &Out) const {
    bool Ordered = HandleGraph::sameFunctionLocal(Key) && Before.valid();
    auto Counts = [&](const Location &L) { return !Ordered || L.File != Before.File || L < Before; };
    const Setting *Best = nullptr;
    Location BestAt;
    const model::HandleFlow *Through = nullptr;
    for (const Setting *S : G.objectSettingsOn(Key))
      if (S->Concern == "member" && S->Option == Read.Member && Counts(S->Loc) && (!Best || BestAt < S->Loc)) {
        Best = S;
        BestAt = S->Loc;
        Through = nullptr;
      }
    for (const model::HandleFlow *F : G.flowsFrom(Key)) {
      if (!Counts(F->Loc) || F->Loc == Before)
        continue;
      for (const Setting *S : G.objectSettingsOn(HandleGraph::paramKey(F->CalleeKey, F->ArgIndex)))
        if (S->Concern == "member" && S->Option == Read.Member && (!Best || BestAt < F->Loc)) {
          Best = S;
          BestAt = F->Loc;
          Through = F;
        }
    }
    if (!Best)
      return false;
    MemberValue V;
    V.Val = Best->Val;
    V.Path = Path;
    if (Through)
      V.Path.push_back({Through->Loc.File, Through->Loc.Line,
                        "passes `" + HandleGraph::handleName(Key) + "` to " + HandleGraph::shortName(Through->CalleeKey)});
    V.Path.push_back({Best->Loc.File, Best->Loc.Line,
                      "`" + Best->Val.Text + "` in " + HandleGraph::shortName(Best->FunctionKey)});
    V.Where = "`" + Best->Val.Text + "` in " + HandleGraph::shortName(Best->FunctionKey) + " (" +
              model::str(Best->Loc) + ")";
    if (Best->Val.K != model::Value::Kind::Int && Best->Val.K != model::Value::Kind::Float &&
        !(Best->Val.Duration && Best->Val.K == model::Value::Kind::Unknown))
      V.Val.K = model::Value::Kind::Unknown;
    Out.push_back(std::move(V));
    return true;
  }

  /// A parameter: the objects its callers pass, only those of the calls on the
  /// way to this call site when some are (the wrapper calls it goes through).
  bool fromCallers(const std::string &Key, const std::vector<Evidence> &Path, int Depth,
                   std::vector<MemberValue> &Out) {
    struct Incoming {
      Location Loc;
      const model::HandleFlow *F = nullptr;
      const model::ArgValue *A = nullptr;
    };
    std::vector<Incoming> All;
    for (const model::HandleFlow *F : G.flowsInto(Key))
      All.push_back({F->Loc, F, nullptr});
    for (const model::ArgValue *A : G.argsOf(Key))
      if (std::none_of(All.begin(), All.end(), [&](const Incoming &I) { return I.F && I.Loc == A->Loc; }))
        All.push_back({A->Loc, nullptr, A});
    if (All.empty())
      return false;
    if (std::any_of(All.begin(), All.end(), [&](const Incoming &I) { return onChain(Chain, I.Loc); }))
      All.erase(std::remove_if(All.begin(), All.end(), [&](const Incoming &I) { return !onChain(Chain, I.Loc); }),
                All.end());
    for (const Incoming &I : All) {
      auto P = Path;
      if (I.F) {
        bool OwnParam = I.F->HandleKey.rfind("param:", 0) == 0;
        P.push_back({I.Loc.File, I.Loc.Line,
                     HandleGraph::shortName(I.F->FunctionKey) +
                         (OwnParam ? " passes on the option object it received"
                                   : " passes `" + HandleGraph::handleName(I.F->HandleKey) + "`")});
        if (!values(I.F->HandleKey, I.Loc, P, Depth + 1, Out))
          unknown(P, I.Loc, "`" + HandleGraph::handleName(I.F->HandleKey) + "` in " + HandleGraph::shortName(I.F->FunctionKey), Out);
        continue;
      }
      const std::string &O = I.A->Val.DependsOn;
      std::string Caller = " in " + HandleGraph::shortName(I.A->CallerKey);
      if (O.rfind("default:", 0) == 0) {
        P.push_back({I.Loc.File, I.Loc.Line,
                     std::string(I.A->FromDefault ? "uses the default argument `" : "passes `") + I.A->Val.Text +
                         "`" + Caller + ", made with its default members"});
        Out.push_back(defaulted(P));
      } else if (O.rfind("return:", 0) == 0) {
        P.push_back({I.Loc.File, I.Loc.Line, "passes what " + HandleGraph::shortName(O.substr(7)) + " returns" + Caller});
        if (!values(O, {}, P, Depth + 1, Out))
          unknown(P, I.Loc, "`" + I.A->Val.Text + "`" + Caller, Out);
      } else {
        unknown(P, I.Loc, "`" + I.A->Val.Text + "`" + Caller, Out);
      }
    }
    return true;
  }
};

} // namespace

bool memberValues(const model::Value &Read, const Location &At, const MemberChain &Chain, const HandleGraph &G,
                  std::vector<MemberValue> &Out) {
  if (Read.MemberOf.empty() || Read.Member.empty())
    return false;
  return MemberWalk(Read, Chain, G).values(Read.MemberOf, At, {}, 0, Out);
}

} // namespace im::analysis
