#include "analysis/Wrappers.h"
#include "analysis/Endpoints.h"
#include "analysis/HandleGraph.h"
#include "support/Names.h"
#include "support/Secrets.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace im::analysis {

namespace {

/// A function whose endpoint is (partly) one of its parameters: what the library
/// call inside sees, written in that function's parameters.
struct Summary {
  std::string FnKey;
  model::StrExpr Endpoint;
  size_t Inner = 0;                     // index of the library call site in M.CallSites
  std::vector<const model::CallEdge *> Chain; // wrapper calls from FnKey down to the library call
};

std::string shortName(const std::string &Key) {
  // "lambda@/src/a.cpp:60:15": the lambda at a.cpp:60.
  if (Key.rfind("lambda@", 0) == 0) {
    std::string Where = Key.substr(7);
    if (auto Col = Where.rfind(':'); Col != std::string::npos)
      Where.erase(Col);
    if (auto Slash = Where.rfind('/'); Slash != std::string::npos)
      Where.erase(0, Slash + 1);
    return "the lambda at " + Where;
  }
  return support::functionNameOfKey(Key) + "()";
}

class WrapperPass {
public:
  explicit WrapperPass(Merged &M) : M(M), Folder(M) {
    for (const auto &E : M.Calls)
      CallersOf[E.CalleeKey].push_back(&E);
    // A call through an interface method reaches every override of it, whichever
    // translation unit defines the override.
    for (const auto &O : M.Overrides)
      if (auto It = CallersOf.find(O.BaseKey); It != CallersOf.end())
        for (const model::CallEdge *E : std::vector<const model::CallEdge *>(It->second))
          CallersOf[O.MethodKey].push_back(E);
    for (const auto &F : M.Functions)
      Names[F.Key] = F.Name;
    for (const auto &S : M.Settings) {
      if ((S.Concern == "derive" || S.Concern == "connect") && !S.Val.DependsOn.empty())
        DerivedFrom[S.HandleKey].insert(S.Val.DependsOn);
      if (S.Concern == "endpoint" && !S.Expr.empty())
        EndpointSettings[S.HandleKey].push_back(&S);
    }
    for (const auto &F : M.Flows)
      FlowsInto[HandleGraph::paramKey(F.CalleeKey, F.ArgIndex)].insert(F.HandleKey);
    for (const auto &C : M.CallSites)
      SiteHandles.insert(C.HandleKey);
    for (const auto &E : M.Constructions)
      if (!E.ObjectKey.empty())
        MadeAs[E.ObjectKey].push_back(&E);
  }

  void run() {
    std::vector<model::CallSite> Out;
    std::vector<bool> Replaced(M.CallSites.size(), false);
    for (size_t I = 0; I < M.CallSites.size(); ++I) {
      auto &C = M.CallSites[I];
      C.RootHandleKey = root(C.HandleKey, 0);
      model::StrExpr E = endpointOf(C);
      if (!E.empty() && EndpointFolder::addressFromParams(E, C.FunctionKey)) {
        std::set<std::string> Seen;
        if (propagate({C.FunctionKey, E, I, {}}, Out, Seen)) {
          Replaced[I] = true;
        } else if (objectBound(I, E, Out)) {
          Replaced[I] = true;
        } else if (auto At = Folder.atConstructions(E, C.FunctionKey); !At.empty()) {
          // A constructor's parameter: the call stays where it is, and what
          // every construction passes is its endpoint.
          std::string Was = std::exchange(C.EndpointSource, "");
          applyEndpoint(C, At);
          if (C.EndpointSource.empty())
            C.EndpointSource = Was;
        }
        continue;
      }
      if (!E.empty() && objectBound(I, E, Out)) {
        Replaced[I] = true;
        continue;
      }
      if (!E.empty())
        applyEndpoint(C, Folder.expand(E));
    }
    std::vector<model::CallSite> Kept;
    for (size_t I = 0; I < M.CallSites.size(); ++I)
      (Replaced[I] ? M.WrapperImplementations : Kept).push_back(std::move(M.CallSites[I]));
    std::set<std::pair<model::Location, std::string>> Seen;
    for (const auto &C : Kept)
      Seen.insert({C.Loc, C.Operation});
    // One wrapper call is one exchange: the library calls it stands for on one
    // handle (a transaction's exec and commit) are one call site, the first.
    std::set<std::tuple<model::Location, std::string, std::string>> Exchanges;
    for (auto &C : Out)
      if (Exchanges.insert({C.Loc, C.Library, root(C.ImplHandleKey, 0)}).second &&
          Seen.insert({C.Loc, C.Operation}).second)
        Kept.push_back(std::move(C));
    std::sort(Kept.begin(), Kept.end(), [](const auto &A, const auto &B) {
      return std::tie(A.Loc, A.Operation) < std::tie(B.Loc, B.Operation);
    });
    M.CallSites = std::move(Kept);
  }

private:
  Merged &M;
  EndpointFolder Folder;
  std::map<std::string, std::vector<const model::CallEdge *>> CallersOf;
  std::map<std::string, std::string> Names;
  std::map<std::string, std::set<std::string>> DerivedFrom;
  std::map<std::string, std::vector<const model::Setting *>> EndpointSettings;
  std::map<std::string, std::set<std::string>> FlowsInto;
  std::set<std::string> SiteHandles; // handles some library call uses
  std::map<std::string, std::vector<const model::CallEdge *>> MadeAs; // constructions by object

  std::string scopeOfFn(const std::string &Key) {
    auto It = Names.find(Key);
    return support::scopeOf(It == Names.end() ? support::functionNameOfKey(Key) : It->second);
  }

  /// The construction that built `Object`, when every one found builds it alike.
  const model::CallEdge *constructionOf(const std::string &Object) {
    for (const std::string &K : {Object, root(Object, 0)}) {
      auto It = MadeAs.find(K);
      if (It == MadeAs.end())
        continue;
      for (const model::CallEdge *E : It->second)
        if (E->StrArgs != It->second.front()->StrArgs)
          return nullptr;
      return It->second.front();
    }
    return nullptr;
  }

  /// A class built for several endpoints (`RestClient orders("https://a"),
  /// billing("https://b")`): a library call whose address is a member set from a
  /// constructor parameter (or is that parameter) stands for one call per
  /// object. Its call sites are the calls on each object (and, for a call made
  /// while constructing, each construction), each with that object's endpoint.
  /// A class every construction gives the same endpoint, or built once, keeps
  /// its call sites inside: it owns one connection.
  bool objectBound(size_t Inner, const model::StrExpr &E, std::vector<model::CallSite> &Out) {
    const model::CallSite &C = M.CallSites[Inner];
    model::StrExpr Bound;
    std::string Ctor;
    for (const auto &P : E) {
      if (P.Kind == "field")
        if (const model::StrExpr *Init = Folder.singleInit(P.Text)) {
          auto Q = std::find_if(Init->begin(), Init->end(), [](const auto &X) { return X.Kind == "param"; });
          if (Q != Init->end() && !Folder.constructionsOf(HandleGraph::functionOfParam(Q->Text)).empty() &&
              (Ctor.empty() || Ctor == HandleGraph::functionOfParam(Q->Text))) {
            Ctor = HandleGraph::functionOfParam(Q->Text);
            Bound.insert(Bound.end(), Init->begin(), Init->end());
            continue;
          }
        }
      if (P.Kind == "param" && Ctor.empty() && !Folder.constructionsOf(HandleGraph::functionOfParam(P.Text)).empty())
        Ctor = HandleGraph::functionOfParam(P.Text);
      Bound.push_back(P);
    }
    if (Ctor.empty() || !EndpointFolder::addressFromParams(Bound, Ctor) ||
        scopeOfFn(Ctor) != scopeOfFn(C.FunctionKey))
      return false;
    std::set<std::string> Values;
    for (const model::CallEdge *K : Folder.constructionsOf(Ctor))
      Values.insert(EndpointFolder::render(Folder.expand(EndpointFolder::substitute(Bound, Ctor, K->StrArgs))).Text);
    if (Values.size() < 2)
      return false;
    std::set<std::string> Seen;
    return objectCallers(C.FunctionKey, Bound, Ctor, Inner, {}, Out, Seen);
  }

  bool objectCallers(const std::string &Fn, const model::StrExpr &E, const std::string &Ctor, size_t Inner,
                     const std::vector<const model::CallEdge *> &Chain, std::vector<model::CallSite> &Out,
                     std::set<std::string> &Seen) {
    if (Chain.size() > 6 || !Seen.insert(Fn).second)
      return false;
    if (Fn == Ctor) {
      for (const model::CallEdge *K : Folder.constructionsOf(Ctor)) {
        model::StrExpr At = EndpointFolder::substitute(E, Ctor, K->StrArgs);
        Out.push_back(wrapperSite({K->CallerKey, At, Inner, Chain}, *K, At, false));
      }
      return true;
    }
    auto It = CallersOf.find(Fn);
    if (It == CallersOf.end())
      return false;
    bool Any = false;
    for (const model::CallEdge *Ed : It->second) {
      model::StrExpr At = EndpointFolder::substitute(E, Fn, Ed->StrArgs);
      std::vector<const model::CallEdge *> Up = Chain;
      Up.insert(Up.begin(), Ed);
      if (Ed->ObjectKey.empty() || Ed->ObjectKey.rfind("this:", 0) == 0) {
        // Another method of the class, on the same object: its callers decide.
        if (Ed->CallerKey != Fn && scopeOfFn(Ed->CallerKey) == scopeOfFn(Ctor))
          Any |= objectCallers(Ed->CallerKey, At, Ctor, Inner, Up, Out, Seen);
        continue;
      }
      if (const model::CallEdge *K = constructionOf(Ed->ObjectKey))
        At = EndpointFolder::substitute(At, Ctor, K->StrArgs);
      Out.push_back(wrapperSite({Ed->CallerKey, At, Inner, Up}, *Ed, At, false));
      Any = true;
    }
    return Any;
  }

  /// The handle a call ultimately uses: through derivations (a transaction from
  /// its connection) and parameters every caller fills with the same handle.
  std::string root(const std::string &Key, int Depth) {
    if (Key.empty() || Depth > 8)
      return Key;
    // Derived from a handle that is itself used for calls (a transaction from
    // its connection); a configuration object it was built from is not the
    // connection (rd_kafka_new(conf), S3Client(cfg)).
    if (auto It = DerivedFrom.find(Key); It != DerivedFrom.end() && It->second.size() == 1) {
      const std::string &From = *It->second.begin();
      if (From.rfind("var:", 0) == 0 || From.rfind("field:", 0) == 0 ||
          From.rfind("global:", 0) == 0 || From.rfind("param:", 0) == 0 || From.rfind("return:", 0) == 0) {
        std::string Up = root(From, Depth + 1);
        if (SiteHandles.count(From) || SiteHandles.count(Up))
          return Up;
      }
    }
    if (Key.rfind("return:", 0) == 0) {
      std::string Fn = Key.substr(7);
      if (auto It = DerivedFrom.find(Key); It != DerivedFrom.end() && It->second.size() == 1)
        return root(*It->second.begin(), Depth + 1);
      return Key;
    }
    if (Key.rfind("param:", 0) == 0)
      if (auto It = FlowsInto.find(Key); It != FlowsInto.end()) {
        std::set<std::string> Roots;
        for (const auto &From : It->second)
          Roots.insert(root(From, Depth + 1));
        if (Roots.size() == 1)
          return *Roots.begin();
      }
    return Key;
  }

  /// The endpoint of a library call: its endpoint argument, else the endpoint
  /// set on its handle (the last one in its own function if there are several).
  model::StrExpr endpointOf(const model::CallSite &C) {
    if (!C.EndpointExpr.empty())
      return C.EndpointExpr;
    std::vector<std::string> Keys = {C.HandleKey};
    for (std::string K = C.HandleKey; Keys.size() < 6;) {
      auto It = DerivedFrom.find(K);
      if (It == DerivedFrom.end() || It->second.size() != 1)
        break;
      K = *It->second.begin();
      Keys.push_back(K);
    }
    for (const auto &K : Keys) {
      auto It = EndpointSettings.find(K);
      if (It == EndpointSettings.end())
        continue;
      const model::Setting *Best = nullptr;
      for (const model::Setting *S : It->second)
        if (!Best || (S->FunctionKey == C.FunctionKey && Best->FunctionKey != C.FunctionKey))
          Best = S;
      return Best->Expr;
    }
    return {};
  }

  void applyEndpoint(model::CallSite &C, const model::StrExpr &E) {
    C.EndpointExpr = E;
    FoldedEndpoint F = EndpointFolder::render(E);
    F.Text = support::redactSecrets(F.Text);
    // Known when some literal text remains beside the placeholders (`{...}`,
    // `{$ENV}`): an endpoint that is only an env variable is said by its source.
    std::string Literal;
    for (size_t I = 0, Depth = 0; I < F.Text.size(); ++I) {
      char Ch = F.Text[I];
      if (Ch == '{')
        ++Depth;
      else if (Ch == '}' && Depth > 0)
        --Depth;
      else if (Depth == 0)
        Literal += Ch;
    }
    bool Known = std::any_of(Literal.begin(), Literal.end(),
                             [](char Ch) { return std::isalnum(static_cast<unsigned char>(Ch)); }) &&
                 F.Text.rfind("{...}", 0) != 0;
    if (Known && (C.Endpoint.empty() || C.Endpoint.find("{...}") != std::string::npos))
      C.Endpoint = F.Text;
    if (!F.Env.empty() &&
        (C.EndpointSource.empty() || C.EndpointSource == "unknown" ||
         C.EndpointSource.rfind("result of", 0) == 0 || C.EndpointSource.rfind("`", 0) == 0 ||
         C.EndpointSource.rfind("variable", 0) == 0 || C.EndpointSource.rfind("string built", 0) == 0))
      C.EndpointSource = "env:" + F.Env;
    else if (F.Complete && C.EndpointSource.empty())
      C.EndpointSource = "literal";
  }

  /// Follows a summary up to the callers of its function. Returns true when the
  /// library call is accounted for by call sites at callers.
  bool propagate(const Summary &S, std::vector<model::CallSite> &Out, std::set<std::string> &Seen) {
    if (S.Chain.size() > 6 || !Seen.insert(S.FnKey).second)
      return false;
    auto It = CallersOf.find(S.FnKey);
    if (It == CallersOf.end() || It->second.empty()) {
      // No caller in the analysed code: the outermost wrapper call we saw is the
      // call site (its endpoint stays a parameter of a public function).
      if (S.Chain.empty())
        return false;
      Out.push_back(wrapperSite(S, *S.Chain.front(), S.Endpoint, true));
      return true;
    }
    for (const model::CallEdge *E : It->second) {
      model::StrExpr At = EndpointFolder::substitute(S.Endpoint, S.FnKey, E->StrArgs);
      if (EndpointFolder::addressFromParams(At, E->CallerKey) && E->CallerKey != S.FnKey) {
        Summary Up{E->CallerKey, At, S.Inner, S.Chain};
        Up.Chain.insert(Up.Chain.begin(), E);
        if (propagate(Up, Out, Seen))
          continue;
        Out.push_back(wrapperSite(Up, *E, At, false));
        continue;
      }
      Summary Here = S;
      Here.Chain.insert(Here.Chain.begin(), E);
      Out.push_back(wrapperSite(Here, *E, At, false));
    }
    return true;
  }

  /// A call site at the wrapper call `E` standing for the library call `S.Inner`.
  model::CallSite wrapperSite(const Summary &S, const model::CallEdge &E, const model::StrExpr &Endpoint,
                              bool Outermost) {
    const model::CallSite &In = M.CallSites[S.Inner];
    model::CallSite C = In;
    C.Loc = E.Loc;
    C.Id = C.Loc.File + ":" + std::to_string(C.Loc.Line) + ":" + std::to_string(C.Loc.Column);
    C.FunctionKey = E.CallerKey;
    C.Function = Names.count(E.CallerKey) ? Names[E.CallerKey] : E.CallerKey;
    C.Handle = E.Object;
    C.HandleKey = E.ObjectKey;
    C.HandleType.clear(); // the wrapper's object: its type is not recorded
    C.RootHandleKey = root(E.ObjectKey, 0);
    C.ImplHandleKey = In.HandleKey;
    C.ImplHandle = In.Handle;
    C.ImplHandleType = In.HandleType;
    C.ImplLoc = In.Loc;
    C.Endpoint.clear();
    C.EndpointSource.clear();
    C.Fix = {};
    C.EnclosingLoops.clear();
    C.Guards.clear();
    C.Handlers.clear();
    // Protections around the wrapper calls on the way down, and inside the
    // library call's own function, hold for this call.
    for (const model::CallEdge *W : S.Chain) {
      C.EnclosingLoops.insert(C.EnclosingLoops.end(), W->Loops.begin(), W->Loops.end());
      C.Guards.insert(C.Guards.end(), W->Guards.begin(), W->Guards.end());
      C.Handlers.insert(C.Handlers.end(), W->Handlers.begin(), W->Handlers.end());
      C.Via.push_back({W->Loc.File, W->Loc.Line,
                       "calls " + shortName(W->CalleeKey) +
                           (W->Through.empty() ? std::string() : " through `" + W->Through + "`")});
    }
    C.EnclosingLoops.insert(C.EnclosingLoops.end(), In.EnclosingLoops.begin(), In.EnclosingLoops.end());
    C.Guards.insert(C.Guards.end(), In.Guards.begin(), In.Guards.end());
    C.Handlers.insert(C.Handlers.end(), In.Handlers.begin(), In.Handlers.end());
    C.Via.push_back({In.Loc.File, In.Loc.Line, "library call " + In.Operation + " (the wrapper's implementation)"});
    model::StrExpr Folded = Folder.expand(Endpoint);
    applyEndpoint(C, Folded);
    if (C.EndpointSource.empty())
      C.EndpointSource = Outermost ? "parameter" : "unknown";
    return C;
  }
};

} // namespace

void inferWrappers(Merged &M) { WrapperPass(M).run(); }

} // namespace im::analysis
