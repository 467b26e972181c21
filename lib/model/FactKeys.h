// What makes two facts of one kind the same fact, for the kinds template
// instantiations repeat most: the merge keeps the first fact of each key
// (analysis/Merge.cpp), and the extractor keeps only the first of each key
// within a unit (matchers/CallGraph.cpp), so a caller instantiated for ten
// types costs one set of argument facts, not ten.
#pragma once

#include "model/Facts.h"

#include <string>
#include <tuple>

namespace im::model {

/// An argument of a call: where, to what, which one.
using ArgKey = std::tuple<Location, std::string, unsigned>;
inline ArgKey argKey(const Location &Loc, const std::string &Callee, unsigned Index) {
  return {Loc, Callee, Index};
}
inline ArgKey keyOf(const ArgValue &A) { return argKey(A.Loc, A.CalleeKey, A.Index); }

/// A handle passed as an argument: where, which handle, which parameter of what.
using FlowKey = std::tuple<Location, std::string, unsigned, std::string>;
inline FlowKey keyOf(const HandleFlow &F) { return {F.Loc, F.HandleKey, F.ArgIndex, F.CalleeKey}; }

/// A call of one project function by another: where, from what, to what.
using EdgeKey = std::tuple<Location, std::string, std::string>;
inline EdgeKey edgeKey(const Location &Loc, const std::string &Caller, const std::string &Callee) {
  return {Loc, Caller, Callee};
}
inline EdgeKey keyOf(const CallEdge &E) { return edgeKey(E.Loc, E.CallerKey, E.CalleeKey); }

} // namespace im::model
