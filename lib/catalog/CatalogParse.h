// Reading catalog entries from JSON, every problem named by file, entry and
// field. Internal to lib/catalog: Catalog::addJson is the way in for callers.
#pragma once

#include "catalog/Catalog.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace im::catalog::detail {

/// Collects validation problems for one file.
struct Problems {
  std::string File;
  std::vector<std::string> List;
  void add(const std::string &Entry, const std::string &Field, const std::string &What) {
    std::string Msg = File + ": ";
    if (!Entry.empty())
      Msg += "entry '" + Entry + "': ";
    if (!Field.empty())
      Msg += Field + ": ";
    List.push_back(Msg + What);
  }
};

/// One library entry (a JSON object), checked field by field. Checks that need
/// the other entries (duplicate ids, manifest names) are the caller's.
Library parseLibrary(const nlohmann::json &E, const std::string &FileName, const std::string &Where,
                     Problems &P);

} // namespace im::catalog::detail
