// The facts of a translation unit by the file each one is located in. A
// header's facts repeat in every unit that includes it; the facts cache keeps
// each file's share once per distinct content (tool/integration-mapper/Cache.h).
#pragma once

#include "model/Facts.h"

#include <map>
#include <string>

namespace im::model {

/// Orders every list of `F` by the file of its facts, keeping their order
/// within a file (a stable sort). Merging is first-wins by key and a key names
/// one file, so this changes no merged result; it is the order in which
/// splitByFile's parts, appended in file order, give the facts back.
void orderByFile(TUFacts &F);

/// Moves `F`'s facts into one TUFacts per file (keyed by fileOf, ordered as in
/// `F`); `F` keeps its Unit and empty lists. `F` should be orderByFile'd first
/// for appendFacts of the parts in key order to restore it exactly.
std::map<std::string, TUFacts> splitByFile(TUFacts &F);

/// Appends every list of each part, in turn, to the same list of `Into` (Unit
/// untouched), each list grown once (moving facts into a vector that grows part
/// by part costs a reallocation and fresh pages each time).
void appendFacts(TUFacts &Into, std::vector<TUFacts> &&Parts);

/// Whether every list of `F` is empty.
bool noFacts(const TUFacts &F);

} // namespace im::model
