#include "model/Facts.h"
#include "model/FactsText.h"

#include "support/JsonError.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <limits>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>

namespace im::model {
using nlohmann::json;

Location Value::at(size_t Offset) const {
  const Piece *Best = nullptr;
  for (const auto &P : Pieces)
    if (P.Offset <= Offset && (!Best || P.Offset >= Best->Offset))
      Best = &P;
  if (!Best || !Best->Loc.valid())
    return {};
  Location L = Best->Loc;
  L.Column += static_cast<unsigned>(Offset - Best->Offset);
  return L;
}

std::string str(const Location &L) {
  return L.File + ":" + std::to_string(L.Line);
}

namespace {
/// A node of a document parsed by simdjson, with the part of nlohmann::json's
/// interface the facts reader uses: the reader below is written once, for
/// both (nlohmann for facts files and tests, simdjson for the facts cache,
/// where reading is most of a warm run).
class SNode {
public:
  explicit SNode(simdjson::dom::element E = {}) : E(E) {}
  bool is_null() const { return E.is_null(); }
  bool is_object() const { return E.is_object(); }
  bool is_array() const { return E.is_array(); }
  std::optional<SNode> find(const char *K) const {
    simdjson::dom::element X;
    if (E.is_object() && !E.get_object().at_key(K).get(X))
      return SNode(X);
    return std::nullopt;
  }
  bool contains(const char *K) const { return find(K).has_value(); }
  SNode at(const char *K) const {
    if (auto X = find(K))
      return *X;
    throw std::out_of_range(std::string("key '") + K + "' not found");
  }
  SNode operator[](const char *K) const { return at(K); }
  template <typename T> T get() const {
    if constexpr (std::is_same_v<T, std::string>) {
      std::string_view V;
      if (E.get_string().get(V))
        throw std::domain_error("expected a string");
      return std::string(V);
    } else if constexpr (std::is_same_v<T, bool>) {
      bool V;
      if (E.get_bool().get(V))
        throw std::domain_error("expected true or false");
      return V;
    } else if constexpr (std::is_same_v<T, double>) {
      double V;
      if (E.get_double().get(V))
        throw std::domain_error("expected a number");
      return V;
    } else {
      static_assert(std::is_same_v<T, std::vector<std::string>>, "a type the facts do not hold");
      std::vector<std::string> Out;
      for (SNode X : *this)
        Out.push_back(X.get<std::string>());
      return Out;
    }
  }
  std::string value(const char *K, const char *Default) const {
    auto X = find(K);
    return X && !X->is_null() ? X->get<std::string>() : std::string(Default);
  }
  std::vector<std::string> value(const char *K, std::vector<std::string> Default) const {
    auto X = find(K);
    return X && !X->is_null() ? X->get<std::vector<std::string>>() : Default;
  }
  /// An integer of T's range, or nothing.
  template <typename T> std::optional<T> integer() const {
    int64_t I;
    if (!E.get_int64().get(I)) {
      if (I >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
          (I < 0 || static_cast<uint64_t>(I) <= static_cast<uint64_t>(std::numeric_limits<T>::max())))
        return static_cast<T>(I);
      return std::nullopt;
    }
    uint64_t U;
    if (!E.get_uint64().get(U) && U <= static_cast<uint64_t>(std::numeric_limits<T>::max()))
      return static_cast<T>(U);
    return std::nullopt;
  }

  /// The elements of an array; nothing for null; anything else is not a list.
  class Iterator {
  public:
    explicit Iterator(std::optional<simdjson::dom::array::iterator> It = std::nullopt) : It(It) {}
    SNode operator*() const { return SNode(**It); }
    Iterator &operator++() {
      ++*It;
      return *this;
    }
    bool operator!=(const Iterator &O) const {
      return It.has_value() != O.It.has_value() || (It && *It != *O.It);
    }

  private:
    std::optional<simdjson::dom::array::iterator> It;
  };
  Iterator begin() const { return E.is_null() ? Iterator() : Iterator(array().begin()); }
  Iterator end() const { return E.is_null() ? Iterator() : Iterator(array().end()); }

private:
  simdjson::dom::array array() const {
    simdjson::dom::array A;
    if (E.get_array().get(A))
      throw std::domain_error("expected a list");
    return A;
  }
  simdjson::dom::element E;
};

/// The member `K` of an object, or none (also when `J` is not an object).
const json *find(const json &J, const char *K) {
  auto It = J.find(K);
  return It == J.end() ? nullptr : &*It;
}
std::optional<SNode> find(const SNode &J, const char *K) { return J.find(K); }

template <typename T> std::optional<T> integerOf(const json &J) { return support::integerAs<T>(J); }
template <typename T> std::optional<T> integerOf(const SNode &J) { return J.integer<T>(); }

template <typename T> struct IsIntegerList : std::false_type {};
template <typename E>
struct IsIntegerList<std::vector<E>>
    : std::bool_constant<std::is_integral_v<E> && !std::is_same_v<E, bool>> {};

/// `J` as T, as nlohmann's get<T>() but for integers: an integer field holds an
/// integer in its type's range, or the facts are malformed (get<unsigned>() of
/// 1e30 would be undefined behaviour, of -1 a wrapped 4294967295).
template <typename T, typename Node> T as(const Node &J) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (auto V = integerOf<T>(J))
      return *V;
    throw std::out_of_range("expected an integer in range");
  } else if constexpr (IsIntegerList<T>::value) {
    if (!J.is_array())
      throw std::out_of_range("expected a list of integers");
    T Out;
    for (const auto &X : J)
      Out.push_back(as<typename T::value_type>(X));
    return Out;
  } else {
    return J.template get<T>();
  }
}
/// Field `K` of `J` as T; `Default` when absent or null.
template <typename T, typename Node> T field(const Node &J, const char *K, T Default) {
  if (auto It = find(J, K); It && !It->is_null())
    return as<T>(*It);
  return Default;
}

template <typename T> void opt(json &J, const char *K, const std::optional<T> &V) {
  if (V)
    J[K] = *V;
}
template <typename T, typename Node> void getOpt(const Node &J, const char *K, std::optional<T> &V) {
  if (auto It = find(J, K); It && !It->is_null())
    V = as<T>(*It);
}
template <typename T, typename Node> void get(const Node &J, const char *K, T &V) {
  if (auto It = find(J, K); It && !It->is_null())
    V = as<T>(*It);
}
template <typename T, typename F> json listJson(const std::vector<T> &V, F Fn) {
  json A = json::array();
  for (const auto &X : V)
    A.push_back(Fn(X));
  return A;
}
/// The list `K` of `J` read with `Fn`; empty when `J` has none.
template <typename T, typename Node, typename F>
std::vector<T> listFrom(const Node &J, const char *K, F Fn) {
  std::vector<T> Out;
  if (auto It = find(J, K))
    for (const auto &X : *It)
      Out.push_back(Fn(X));
  return Out;
}

json loc(const Location &L) { return {{"file", L.File}, {"line", L.Line}, {"column", L.Column}}; }
template <typename Node> Location locFrom(const Node &J) {
  Location L;
  get(J, "file", L.File);
  get(J, "line", L.Line);
  get(J, "column", L.Column);
  return L;
}

json val(const Value &V) {
  static const char *Kinds[] = {"none", "int", "float", "string", "unknown"};
  json J = {{"kind", Kinds[static_cast<int>(V.K)]}, {"text", V.Text}};
  if (V.K == Value::Kind::Int)
    J["int"] = V.Int;
  if (V.K == Value::Kind::Float)
    J["float"] = V.Float;
  if (V.K == Value::Kind::String)
    J["string"] = V.Str;
  if (!V.DependsOn.empty())
    J["depends_on"] = V.DependsOn;
  J["proven"] = V.Proven;
  if (V.Origin.valid())
    J["origin"] = loc(V.Origin);
  if (!V.ParamKey.empty())
    J["param_key"] = V.ParamKey;
  if (!V.MemberOf.empty()) {
    J["member_of"] = V.MemberOf;
    J["member"] = V.Member;
  }
  if (!V.Pieces.empty()) {
    json P = json::array();
    for (const auto &Pc : V.Pieces)
      P.push_back({{"offset", Pc.Offset}, {"loc", loc(Pc.Loc)}});
    J["pieces"] = P;
  }
  if (V.Duration)
    J["duration"] = true;
  if (!V.PositiveWhen.empty())
    J["positive_when"] = {{"text", V.PositiveWhen}, {"loc", loc(V.PositiveAt)}};
  return J;
}
template <typename Node> Value valFrom(const Node &J) {
  Value V;
  std::string K = J.value("kind", "none");
  V.K = K == "int"      ? Value::Kind::Int
        : K == "float"  ? Value::Kind::Float
        : K == "string" ? Value::Kind::String
        : K == "unknown" ? Value::Kind::Unknown
                         : Value::Kind::None;
  get(J, "int", V.Int);
  get(J, "float", V.Float);
  get(J, "string", V.Str);
  get(J, "text", V.Text);
  get(J, "depends_on", V.DependsOn);
  get(J, "proven", V.Proven);
  if (J.contains("origin"))
    V.Origin = locFrom(J["origin"]);
  get(J, "param_key", V.ParamKey);
  get(J, "member_of", V.MemberOf);
  get(J, "member", V.Member);
  if (J.contains("pieces"))
    for (const auto &P : J["pieces"]) {
      Value::Piece Pc;
      get(P, "offset", Pc.Offset);
      if (P.contains("loc"))
        Pc.Loc = locFrom(P["loc"]);
      V.Pieces.push_back(Pc);
    }
  get(J, "duration", V.Duration);
  if (J.contains("positive_when") && J["positive_when"].is_object()) {
    get(J["positive_when"], "text", V.PositiveWhen);
    if (J["positive_when"].contains("loc"))
      V.PositiveAt = locFrom(J["positive_when"]["loc"]);
  }
  return V;
}

template <typename Node> std::vector<Evidence> evidenceFrom(const Node &J, const char *K) {
  return listFrom<Evidence>(J, K, [](const auto &E) {
    return Evidence{E.value("file", ""), field(E, "line", 0u), E.value("note", "")};
  });
}


json guardJson(const GuardFact &G) {
  return {{"callee", G.CalleeKey}, {"method", G.Method}, {"loc", loc(G.Loc)}, {"early_exit", G.EarlyExit}};
}
template <typename Node> GuardFact guardFrom(const Node &J) {
  GuardFact G;
  get(J, "callee", G.CalleeKey);
  get(J, "method", G.Method);
  G.Loc = locFrom(J.at("loc"));
  get(J, "early_exit", G.EarlyExit);
  return G;
}
json evidenceList(const std::vector<Evidence> &V) {
  json A = json::array();
  for (const auto &E : V)
    A.push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
  return A;
}
json handlerJson(const HandlerFact &H) {
  json J = {{"kind", H.Kind}, {"loc", loc(H.Loc)}, {"callees", H.CalleeKeys},
            {"catalog_calls", evidenceList(H.CatalogCalls)}, {"notes", evidenceList(H.Notes)},
            {"rethrows", H.Rethrows}, {"requeues", H.Requeues}};
  opt(J, "returns_bool", H.ReturnsBool);
  if (!H.DroppedCalleeKeys.empty())
    J["dropped_callees"] = H.DroppedCalleeKeys;
  return J;
}
template <typename Node> HandlerFact handlerFrom(const Node &J) {
  HandlerFact H;
  get(J, "kind", H.Kind);
  H.Loc = locFrom(J.at("loc"));
  get(J, "callees", H.CalleeKeys);
  if (J.contains("dropped_callees"))
    get(J, "dropped_callees", H.DroppedCalleeKeys);
  H.CatalogCalls = evidenceFrom(J, "catalog_calls");
  H.Notes = evidenceFrom(J, "notes");
  getOpt(J, "returns_bool", H.ReturnsBool);
  get(J, "rethrows", H.Rethrows);
  get(J, "requeues", H.Requeues);
  return H;
}
template <typename Node> Protection protFrom(const Node &J) {
  Protection P;
  get(J, "present", P.Present);
  get(J, "status", P.Status);
  P.Evidence = evidenceFrom(J, "evidence");
  get(J, "reason", P.Reason);
  getOpt(J, "seconds", P.Seconds);
  get(J, "unbounded", P.Unbounded);
  getOpt(J, "bounded", P.Bounded);
  getOpt(J, "backoff", P.Backoff);
  getOpt(J, "jitter", P.Jitter);
  getOpt(J, "max_attempts", P.MaxAttempts);
  get(J, "kind", P.Kind);
  return P;
}
} // namespace

json toJson(const Evidence &E) {
  json J = {{"file", E.File}, {"line", E.Line}};
  if (!E.Note.empty())
    J["note"] = E.Note;
  return J;
}

json toJson(const Protection &P) {
  json J = {{"present", P.Present}, {"status", P.Status}, {"evidence", json::array()}};
  for (const auto &E : P.Evidence)
    J["evidence"].push_back(toJson(E));
  if (!P.Reason.empty())
    J["reason"] = P.Reason;
  opt(J, "seconds", P.Seconds);
  if (P.Unbounded)
    J["unbounded"] = true;
  opt(J, "bounded", P.Bounded);
  opt(J, "backoff", P.Backoff);
  opt(J, "jitter", P.Jitter);
  opt(J, "max_attempts", P.MaxAttempts);
  if (!P.Kind.empty())
    J["kind"] = P.Kind;
  return J;
}

json strExprJson(const StrExpr &E);
json strExprJson(const StrExpr &E) {
  json A = json::array();
  for (const auto &P : E) {
    json X = {{"k", P.Kind}, {"t", P.Text}};
    if (!P.Args.empty()) {
      X["a"] = json::array();
      for (const auto &Arg : P.Args)
        X["a"].push_back(strExprJson(Arg));
    }
    A.push_back(std::move(X));
  }
  return A;
}
template <typename Node> StrExpr strExprFrom(const Node &J) {
  StrExpr E;
  if (!J.is_array())
    return E;
  for (const auto &X : J) {
    StrPiece P;
    get(X, "k", P.Kind);
    get(X, "t", P.Text);
    if (X.contains("a"))
      for (const auto &Arg : X["a"])
        P.Args.push_back(strExprFrom(Arg));
    E.push_back(std::move(P));
  }
  return E;
}

static json callSiteJson(const CallSite &C) {
  json J = loc(C.Loc);
  J["id"] = C.Id;
  J["library"] = C.Library;
  J["kind"] = C.Kind;
  J["operation"] = C.Operation;
  J["function"] = C.Function;
  J["function_key"] = C.FunctionKey;
  J["handle"] = C.Handle;
  J["handle_key"] = C.HandleKey;
  if (!C.HandleType.empty())
    J["handle_type"] = C.HandleType;
  if (!C.ExtraHandleKeys.empty())
    J["extra_handle_keys"] = C.ExtraHandleKeys;
  J["endpoint"] = C.Endpoint;
  J["endpoint_source"] = C.EndpointSource;
  if (!C.EndpointExpr.empty())
    J["endpoint_expr"] = strExprJson(C.EndpointExpr);
  J["integration"] = C.Integration;
  J["generated"] = C.InGeneratedCode;
  J["timeout"] = toJson(C.Timeout);
  J["retry"] = toJson(C.Retry);
  J["circuit_breaker"] = toJson(C.CircuitBreaker);
  J["fallback"] = toJson(C.Fallback);
  J["enclosing_loops"] = C.EnclosingLoops;
  J["guards"] = listJson(C.Guards, guardJson);
  J["handlers"] = listJson(C.Handlers, handlerJson);
  J["health_probe"] = C.HealthProbe;
  J["probe_note"] = C.ProbeNote;
  J["fail_mode"] = C.FailMode;
  J["fail_mode_evidence"] = evidenceList(C.FailModeEvidence);
  J["inactive_notes"] = evidenceList(C.InactiveNotes);
  return J;
}

template <typename Node> CallSite callSiteFrom(const Node &J) {
  CallSite C;
  C.Loc = locFrom(J);
  get(J, "id", C.Id);
  get(J, "library", C.Library);
  get(J, "kind", C.Kind);
  get(J, "operation", C.Operation);
  get(J, "function", C.Function);
  get(J, "function_key", C.FunctionKey);
  get(J, "handle", C.Handle);
  get(J, "handle_key", C.HandleKey);
  get(J, "handle_type", C.HandleType);
  get(J, "extra_handle_keys", C.ExtraHandleKeys);
  get(J, "endpoint", C.Endpoint);
  get(J, "endpoint_source", C.EndpointSource);
  if (J.contains("endpoint_expr"))
    C.EndpointExpr = strExprFrom(J["endpoint_expr"]);
  get(J, "integration", C.Integration);
  get(J, "generated", C.InGeneratedCode);
  if (J.contains("timeout")) C.Timeout = protFrom(J["timeout"]);
  if (J.contains("retry")) C.Retry = protFrom(J["retry"]);
  if (J.contains("circuit_breaker")) C.CircuitBreaker = protFrom(J["circuit_breaker"]);
  if (J.contains("fallback")) C.Fallback = protFrom(J["fallback"]);
  get(J, "enclosing_loops", C.EnclosingLoops);
  C.Guards = listFrom<GuardFact>(J, "guards", [](const auto &X_) { return guardFrom(X_); });
  C.Handlers = listFrom<HandlerFact>(J, "handlers", [](const auto &X_) { return handlerFrom(X_); });
  get(J, "health_probe", C.HealthProbe);
  get(J, "probe_note", C.ProbeNote);
  get(J, "fail_mode", C.FailMode);
  C.FailModeEvidence = evidenceFrom(J, "fail_mode_evidence");
  C.InactiveNotes = evidenceFrom(J, "inactive_notes");
  return C;
}

json toJson(const TUFacts &F) {
  json J;
  J["unit"] = {{"file", F.Unit.File}, {"status", F.Unit.Status}, {"error", F.Unit.Error},
               {"error_count", F.Unit.ErrorCount}, {"configuration", F.Unit.Configuration}};
  J["classes"] = listJson(F.Classes, [](const ClassFact &C) {
    return json{{"name", C.Name}, {"loc", loc(C.Loc)}, {"breaker_shape", C.BreakerShape},
                {"breaker_name", C.BreakerName}, {"evidence", evidenceList(C.Evidence)}};
  });
  J["scope_guards"] = listJson(F.ScopeGuards, [](const ScopeGuard &G) {
    json X = {{"function_key", G.FunctionKey}, {"class", G.ClassName}, {"var", G.Var},
              {"loc", loc(G.Loc)}, {"scope_end", loc(G.ScopeEnd)}};
    opt(X, "seconds", G.Seconds);
    return X;
  });
  J["arg_values"] = listJson(F.ArgValues, [](const ArgValue &A) {
    json X{{"callee", A.CalleeKey}, {"index", A.Index}, {"value", val(A.Val)},
           {"loc", loc(A.Loc)}, {"from_default", A.FromDefault}, {"caller", A.CallerKey}};
    if (!A.Names.empty())
      X["names"] = A.Names;
    return X;
  });
  J["forwarders"] = listJson(F.Forwarders, [](const ForwarderFact &W) {
    return json{{"function", W.FunctionKey}, {"library", W.Library}, {"setter", W.Setter},
                {"option_param", W.OptionParam}, {"value_param", W.ValueParam},
                {"value", val(W.Val)}, {"handle_key", W.HandleKey}, {"loc", loc(W.Loc)}};
  });
  J["overrides"] = listJson(F.Overrides, [](const OverrideFact &O) {
    json X{{"method", O.MethodKey}, {"base", O.BaseKey}};
    if (!O.BaseFile.empty())
      X["base_file"] = O.BaseFile;
    return X;
  });
  J["inactive"] = listJson(F.Inactive, [](const InactiveCode &I) {
    return json{{"loc", loc(I.Loc)}, {"end_line", I.EndLine}, {"names", I.Names}};
  });
  J["call_sites"] = json::array();
  for (const auto &C : F.CallSites)
    J["call_sites"].push_back(callSiteJson(C));
  auto SettingJson = [](const Setting &S) {
    json X = {{"handle_key", S.HandleKey}, {"library", S.Library},
              {"concern", S.Concern}, {"option", S.Option}, {"scope", S.Scope},
              {"unit", S.Unit}, {"zero_is_infinite", S.ZeroIsInfinite},
              {"value", val(S.Val)}, {"loc", loc(S.Loc)},
              {"function_key", S.FunctionKey}};
    if (!S.Expr.empty())
      X["expr"] = strExprJson(S.Expr);
    return X;
  };
  J["settings"] = json::array();
  for (const auto &S : F.Settings)
    J["settings"].push_back(SettingJson(S));
  if (!F.ObjectSettings.empty()) {
    J["object_settings"] = json::array();
    for (const auto &S : F.ObjectSettings)
      J["object_settings"].push_back(SettingJson(S));
  }
  J["field_inits"] = listJson(F.FieldInits, [](const FieldInit &I) {
    return json{{"field", I.FieldKey}, {"expr", strExprJson(I.Expr)}, {"loc", loc(I.Loc)}};
  });
  J["constructions"] = listJson(F.Constructions, [](const CallEdge &E) {
    return json{{"caller", E.CallerKey}, {"callee", E.CalleeKey}, {"loc", loc(E.Loc)},
                {"str_args", listJson(E.StrArgs, strExprJson)}, {"object_key", E.ObjectKey},
                {"object", E.Object}};
  });
  J["flows"] = json::array();
  for (const auto &Fl : F.Flows)
    J["flows"].push_back({{"handle_key", Fl.HandleKey}, {"callee_key", Fl.CalleeKey},
                          {"arg_index", Fl.ArgIndex}, {"loc", loc(Fl.Loc)},
                          {"function_key", Fl.FunctionKey}});
  J["calls"] = json::array();
  for (const auto &E : F.Calls)
    J["calls"].push_back({{"caller", E.CallerKey}, {"callee", E.CalleeKey}, {"loc", loc(E.Loc)},
                          {"loops", E.Loops}, {"guards", listJson(E.Guards, guardJson)},
                          {"handlers", listJson(E.Handlers, handlerJson)},
                          {"object_key", E.ObjectKey}, {"object", E.Object},
                          {"str_args", listJson(E.StrArgs, strExprJson)}});
  J["callable_calls"] = listJson(F.CallableCalls, [](const CallEdge &E) {
    return json{{"caller", E.CallerKey}, {"callee", E.CalleeKey}, {"loc", loc(E.Loc)},
                {"loops", E.Loops}, {"guards", listJson(E.Guards, guardJson)},
                {"handlers", listJson(E.Handlers, handlerJson)},
                {"str_args", listJson(E.StrArgs, strExprJson)}, {"through", E.Through}};
  });
  J["callable_binds"] = listJson(F.CallableBinds, [](const CallableBind &B) {
    return json{{"slot", B.Slot}, {"value", B.Value}, {"loc", loc(B.Loc)}, {"function_key", B.FunctionKey}};
  });
  J["functions"] = json::array();
  for (const auto &Fn : F.Functions)
    J["functions"].push_back({{"key", Fn.Key}, {"name", Fn.Name}, {"loc", loc(Fn.Loc)},
                              {"getenv_params", Fn.GetenvParams},
                              {"returned_params", Fn.ReturnedParams},
                              {"returns", listJson(Fn.Returns, strExprJson)},
                              {"special", Fn.Special}});
  for (size_t I = 0; I < F.Functions.size(); ++I)
    if (!F.Functions[I].DeclFile.empty())
      J["functions"][I]["decl_file"] = F.Functions[I].DeclFile;
  J["loops"] = json::array();
  for (const auto &L : F.Loops) {
    json LJ = {{"id", L.Id}, {"loc", loc(L.Loc)}, {"function_key", L.FunctionKey},
               {"callable_param", L.CallableParam}, {"bounded", L.Bounded},
               {"exits_on_success", L.ExitsOnSuccess}, {"sleeps", L.Sleeps},
               {"backoff", L.Backoff}, {"jitter", L.Jitter},
               {"iterates_collection", L.IteratesCollection}, {"pages", L.Pages}, {"polls", L.Polls},
               {"evidence", json::array()}};
    opt(LJ, "max_attempts", L.MaxAttempts);
    for (const auto &E : L.Evidence)
      LJ["evidence"].push_back(toJson(E));
    J["loops"].push_back(LJ);
  }
  J["env_reads"] = json::array();
  for (const auto &E : F.EnvReads)
    J["env_reads"].push_back({{"name", E.Name}, {"loc", loc(E.Loc)}});
  // ---- security facts
  J["security"] = json::array();
  for (const auto &S : F.Security) {
    json SJ = {{"type", S.Type},     {"kind", S.Kind},   {"callee", S.Callee},
               {"detail", S.Detail}, {"handle_key", S.HandleKey}, {"loc", loc(S.Loc)},
               {"function_key", S.FunctionKey}};
    if (S.Related.valid())
      SJ["related"] = loc(S.Related);
    J["security"].push_back(SJ);
  }
  return J;
}

namespace {
template <typename Node> TUFacts factsFrom(const Node &J) {
  TUFacts F;
  const auto U = J.at("unit");
  get(U, "file", F.Unit.File);
  get(U, "status", F.Unit.Status);
  get(U, "error", F.Unit.Error);
  get(U, "error_count", F.Unit.ErrorCount);
  get(U, "configuration", F.Unit.Configuration);
  F.Classes = listFrom<ClassFact>(J, "classes", [](const auto &X) {
    ClassFact C;
    get(X, "name", C.Name);
    C.Loc = locFrom(X.at("loc"));
    get(X, "breaker_shape", C.BreakerShape);
    get(X, "breaker_name", C.BreakerName);
    C.Evidence = evidenceFrom(X, "evidence");
    return C;
  });
  F.ScopeGuards = listFrom<ScopeGuard>(J, "scope_guards", [](const auto &X) {
    ScopeGuard G;
    get(X, "function_key", G.FunctionKey);
    get(X, "class", G.ClassName);
    get(X, "var", G.Var);
    G.Loc = locFrom(X.at("loc"));
    G.ScopeEnd = locFrom(X.at("scope_end"));
    getOpt(X, "seconds", G.Seconds);
    return G;
  });
  F.ArgValues = listFrom<ArgValue>(J, "arg_values", [](const auto &X) {
    ArgValue A;
    get(X, "callee", A.CalleeKey);
    get(X, "index", A.Index);
    A.Val = valFrom(X.at("value"));
    A.Loc = locFrom(X.at("loc"));
    get(X, "from_default", A.FromDefault);
    get(X, "caller", A.CallerKey);
    if (X.contains("names"))
      get(X, "names", A.Names);
    return A;
  });
  F.Forwarders = listFrom<ForwarderFact>(J, "forwarders", [](const auto &X) {
    ForwarderFact W;
    get(X, "function", W.FunctionKey);
    get(X, "library", W.Library);
    get(X, "setter", W.Setter);
    get(X, "option_param", W.OptionParam);
    get(X, "value_param", W.ValueParam);
    W.Val = valFrom(X.at("value"));
    get(X, "handle_key", W.HandleKey);
    W.Loc = locFrom(X.at("loc"));
    return W;
  });
  F.Overrides = listFrom<OverrideFact>(J, "overrides", [](const auto &X) {
    return OverrideFact{X.value("method", ""), X.value("base", ""), X.value("base_file", "")};
  });
  F.Inactive = listFrom<InactiveCode>(J, "inactive", [](const auto &X) {
    InactiveCode I;
    I.Loc = locFrom(X.at("loc"));
    get(X, "end_line", I.EndLine);
    get(X, "names", I.Names);
    return I;
  });
  F.CallSites = listFrom<CallSite>(J, "call_sites", [](const auto &X_) { return callSiteFrom(X_); });
  auto SettingFrom = [](const auto &S) {
    Setting X;
    get(S, "handle_key", X.HandleKey);
    get(S, "library", X.Library);
    get(S, "concern", X.Concern);
    get(S, "option", X.Option);
    get(S, "scope", X.Scope);
    get(S, "unit", X.Unit);
    get(S, "zero_is_infinite", X.ZeroIsInfinite);
    X.Val = valFrom(S.at("value"));
    X.Loc = locFrom(S.at("loc"));
    get(S, "function_key", X.FunctionKey);
    if (S.contains("expr"))
      X.Expr = strExprFrom(S.at("expr"));
    return X;
  };
  F.Settings = listFrom<Setting>(J, "settings", SettingFrom);
  F.ObjectSettings = listFrom<Setting>(J, "object_settings", SettingFrom);
  F.Flows = listFrom<HandleFlow>(J, "flows", [](const auto &Fl) {
    return HandleFlow{Fl.value("handle_key", ""), Fl.value("callee_key", ""),
                      field(Fl, "arg_index", 0u), locFrom(Fl.at("loc")),
                      Fl.value("function_key", "")};
  });
  F.Calls = listFrom<CallEdge>(J, "calls", [](const auto &E) {
    CallEdge C{E.value("caller", ""), E.value("callee", ""), locFrom(E.at("loc")),
               E.value("loops", std::vector<std::string>{}),
               listFrom<GuardFact>(E, "guards", [](const auto &X_) { return guardFrom(X_); }),
               listFrom<HandlerFact>(E, "handlers", [](const auto &X_) { return handlerFrom(X_); })};
    get(E, "object_key", C.ObjectKey);
    get(E, "object", C.Object);
    C.StrArgs = listFrom<StrExpr>(E, "str_args", [](const auto &X_) { return strExprFrom(X_); });
    return C;
  });
  F.CallableCalls = listFrom<CallEdge>(J, "callable_calls", [](const auto &E) {
    CallEdge C{E.value("caller", ""), E.value("callee", ""), locFrom(E.at("loc")),
               E.value("loops", std::vector<std::string>{}),
               listFrom<GuardFact>(E, "guards", [](const auto &X_) { return guardFrom(X_); }),
               listFrom<HandlerFact>(E, "handlers", [](const auto &X_) { return handlerFrom(X_); })};
    C.StrArgs = listFrom<StrExpr>(E, "str_args", [](const auto &X_) { return strExprFrom(X_); });
    get(E, "through", C.Through);
    return C;
  });
  F.CallableBinds = listFrom<CallableBind>(J, "callable_binds", [](const auto &B) {
    return CallableBind{B.value("slot", ""), B.value("value", ""), locFrom(B.at("loc")),
                        B.value("function_key", "")};
  });
  F.Constructions = listFrom<CallEdge>(J, "constructions", [](const auto &E) {
    CallEdge C{E.value("caller", ""), E.value("callee", ""), locFrom(E.at("loc"))};
    C.StrArgs = listFrom<StrExpr>(E, "str_args", [](const auto &X_) { return strExprFrom(X_); });
    get(E, "object_key", C.ObjectKey);
    get(E, "object", C.Object);
    return C;
  });
  F.Functions = listFrom<Function>(J, "functions", [](const auto &Fn) {
    Function X{Fn.value("key", ""), Fn.value("name", ""), locFrom(Fn.at("loc"))};
    get(Fn, "getenv_params", X.GetenvParams);
    get(Fn, "returned_params", X.ReturnedParams);
    X.Returns = listFrom<StrExpr>(Fn, "returns", [](const auto &X_) { return strExprFrom(X_); });
    get(Fn, "special", X.Special);
    get(Fn, "decl_file", X.DeclFile);
    return X;
  });
  F.FieldInits = listFrom<FieldInit>(J, "field_inits", [](const auto &X) {
    return FieldInit{X.value("field", ""), X.contains("expr") ? strExprFrom(X["expr"]) : StrExpr{},
                     locFrom(X.at("loc"))};
  });
  F.Loops = listFrom<LoopFact>(J, "loops", [](const auto &LJ) {
    LoopFact L;
    L.Loc = locFrom(LJ.at("loc"));
    get(LJ, "id", L.Id);
    get(LJ, "callable_param", L.CallableParam);
    get(LJ, "function_key", L.FunctionKey);
    get(LJ, "bounded", L.Bounded);
    getOpt(LJ, "max_attempts", L.MaxAttempts);
    get(LJ, "exits_on_success", L.ExitsOnSuccess);
    get(LJ, "sleeps", L.Sleeps);
    get(LJ, "backoff", L.Backoff);
    get(LJ, "jitter", L.Jitter);
    get(LJ, "iterates_collection", L.IteratesCollection);
    get(LJ, "pages", L.Pages);
    get(LJ, "polls", L.Polls);
    L.Evidence = evidenceFrom(LJ, "evidence");
    return L;
  });
  F.EnvReads = listFrom<EnvRead>(J, "env_reads", [](const auto &E) {
    return EnvRead{E.value("name", ""), locFrom(E.at("loc"))};
  });
  // ---- security facts
  F.Security = listFrom<SecurityFact>(J, "security", [](const auto &SJ) {
    SecurityFact S;
    get(SJ, "type", S.Type);
    get(SJ, "kind", S.Kind);
    get(SJ, "callee", S.Callee);
    get(SJ, "detail", S.Detail);
    get(SJ, "handle_key", S.HandleKey);
    S.Loc = locFrom(SJ.at("loc"));
    if (SJ.contains("related"))
      S.Related = locFrom(SJ["related"]);
    get(SJ, "function_key", S.FunctionKey);
    return S;
  });
  return F;
}
} // namespace

TUFacts tuFactsFromJson(const json &J) { return factsFrom(J); }

TUFacts tuFactsFromText(std::string_view Text) {
  // One parser per thread, reused: it keeps its buffers between documents.
  thread_local simdjson::dom::parser Parser;
  simdjson::padded_string Padded(Text);
  simdjson::dom::element Root;
  if (auto Error = Parser.parse(Padded).get(Root))
    throw std::invalid_argument(simdjson::error_message(Error));
  return factsFrom(SNode(Root));
}

} // namespace im::model
