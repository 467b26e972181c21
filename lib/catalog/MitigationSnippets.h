// Reading a catalog entry's "mitigations" object (the C++ the mitigation plan
// shows) and writing a snippet for one call's handle.
#pragma once

#include "catalog/Catalog.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace im::catalog {

/// Fills `Out` from a "mitigations" object; returns the problems found, each as
/// (field under "mitigations", what is wrong).
std::vector<std::pair<std::string, std::string>> parseMitigations(const nlohmann::json &J,
                                                                  MitigationSnippets &Out);

/// How a call's handle is held, as the extractor saw its declaration
/// (CallSite::HandleType): "pointer", "smart_pointer", "object" or "" (unknown).
/// `{handle}.` and `{handle}->` become the member access that type needs; a bare
/// `{handle}` is the handle as a value (`h.get()` for a smart pointer). With an
/// unknown type the snippet keeps the access it was written with.
std::string expandSnippet(std::string Snippet, const std::string &Handle,
                          const std::string &HandleType);

} // namespace im::catalog
