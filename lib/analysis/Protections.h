// The resolve stages, one file each: given the settings that reach a call's
// handle (HandleGraph) they decide one protection of the call site.
// Internal to lib/analysis; Resolve.cpp runs them in order.
#pragma once

#include "analysis/HandleGraph.h"
#include "catalog/Catalog.h"

#include <set>
#include <string>
#include <vector>

namespace im::analysis {

class EndpointFolder;

// Forwarders.cpp: settings made through project functions that pass their
// parameters to a catalog setter, added to M.Settings (run before the graph).
void expandForwarders(Merged &M, const catalog::Catalog &Cat);

// MemberValues.cpp: what a member of an option object holds where a setting
// reads it (`opts.timeout_ms` inside a wrapper), from the objects the callers
// pass in. `Chain` holds the file:line of the calls on the way to one call site
// (the wrapper calls, the helper calls that carried the handle): where callers
// differ, only the object passed on that way counts.
using MemberChain = std::set<std::pair<std::string, unsigned>>;
struct MemberValue {
  model::Value Val;                  // Kind Unknown when not decided here
  std::vector<model::Evidence> Path; // the calls that carried the object, then the write
  std::string Where;                 // the deciding assignment or the undecided source, for reasons
};
/// False when where the object comes from is not known at all (no caller in the
/// analysed code passes it).
bool memberValues(const model::Value &Read, const model::Location &At, const MemberChain &Chain,
                  const HandleGraph &G, std::vector<MemberValue> &Out);

// Timeouts.cpp: settings, the library default, deadline guards in scope, and
// timeout settings in inactive preprocessor branches.
/// `WholeProgram`: see resolve(); false leaves a handle parameter without analysed
/// callers `absent` for the plugin, which says a caller elsewhere may set it.
void resolveTimeout(model::CallSite &C, const catalog::Library *Lib, const catalog::Operation *Op,
                    const std::vector<Applied> &All, const HandleGraph &G, bool WholeProgram = true,
                    const EndpointFolder *Folder = nullptr);
void resolveScopeGuard(model::CallSite &C, const Merged &M, const HandleGraph &G);
void resolveInactive(model::CallSite &C, const catalog::Library *Lib, const Merged &M,
                     const HandleGraph &G);

// Retries.cpp: a library retry policy, a retry loop around the call, a retry
// helper, a retrying caller, a re-queue, or the library's default.
void resolveRetry(model::CallSite &C, const catalog::Library *Lib, const catalog::Operation *Op,
                  const std::vector<Applied> &All, const Merged &M, const HandleGraph &G);

// Breakers.cpp: a breaker class (by shape, name or config) guarding or wrapping
// the call or one of its callers.
void addConfiguredBreakers(Merged &M, const std::vector<std::string> &BreakerClasses);
void resolveBreaker(model::CallSite &C, const Merged &M, const HandleGraph &G);

// Fallbacks.cpp: a failure handler that serves another source, and whether a
// guard function fails open or closed.
void resolveFallback(model::CallSite &C, const HandleGraph &G, const catalog::Catalog &Cat);

} // namespace im::analysis
