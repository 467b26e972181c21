// Options written inside a connection string or URI, read as settings of the
// handle the string configures.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <vector>

namespace im::matchers {

/// For a setting with value semantics "uri_options": the keys of the library's
/// `uri_options` found in its string (`?socketTimeoutMS=5000`, `connect_timeout=5`),
/// each as a setting of its own on the same handle, at the same place.
std::vector<model::Setting> uriOptionSettings(const catalog::Library &Lib, const model::Setting &From);

} // namespace im::matchers
