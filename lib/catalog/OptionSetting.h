// A setting made through a catalog setter, recorded the same way whether the
// extractor sees the setter called in a translation unit or the forwarder
// resolution sees a caller of a project function that passes the option on.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <string>

namespace im::catalog {

/// A setting of option `O`, spelled `Name` at the call (the catalog's own name
/// wins when it gives one): its concern, option, scope, unit, and whether zero
/// means no limit.
model::Setting settingOf(const Option &O, const std::string &Name);

/// The value as a setting of `O` keeps it: a "pg_duration" text folded into
/// milliseconds; of a credential only where it comes from ("literal" for a
/// literal), since secrets never leave the translation unit.
void settleValue(const Option &O, model::Value &V);

/// An explicit 0 of a "zero_is_default" option selects the library's default,
/// as if the call set nothing.
bool selectsDefault(const Option &O, const model::Value &V);

} // namespace im::catalog
