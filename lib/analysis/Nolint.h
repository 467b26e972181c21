// NOLINT comments, as clang-tidy reads them, for the command line: the plugin
// gets the same behaviour from clang-tidy itself.
#pragma once

#include "model/Facts.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace im::analysis {

/// True when `Rule` is suppressed at `Line` (1-based) of `Source`:
/// `NOLINT` on that line, `NOLINTNEXTLINE` on the line before, or inside a
/// `NOLINTBEGIN` ... `NOLINTEND` region. Without a list the comment suppresses
/// every rule; `NOLINT(integration-missing-retry, integration-*-timeout)` only the
/// rules matching one of its globs (`*` matches any run of characters).
bool isSuppressed(std::string_view Source, unsigned Line, const std::string &Rule);

/// Reads a source file; nullopt when it cannot be read (nothing is suppressed).
using SourceReader = std::function<std::optional<std::string>(const std::string &Path)>;

/// `Findings` without those suppressed in their source; `Dropped` counts them.
std::vector<model::Finding> dropSuppressed(std::vector<model::Finding> Findings,
                                           const SourceReader &Read, size_t *Dropped = nullptr);

} // namespace im::analysis
