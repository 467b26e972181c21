// Security facts: secret-shaped string literals, insecure constants
// passed as arguments, certificate-verify callbacks, values passed to
// authentication parameters and where they come from. Registered by the
// Extractor with one call; the analysis is in lib/analysis/Security.cpp.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

#include <memory>

namespace im::matchers {

/// Adds the security matchers to `Finder`; the returned callback must outlive
/// the match.
std::unique_ptr<clang::ast_matchers::MatchFinder::MatchCallback>
registerSecurityMatchers(clang::ast_matchers::MatchFinder &Finder, const catalog::Catalog &Cat,
                         model::TUFacts &Facts);

/// Sorts and deduplicates the security facts, then redacts every secret-shaped
/// string in `Facts` (model::redactFacts). Called by Extractor::finish().
void finishSecurityFacts(model::TUFacts &Facts);

} // namespace im::matchers
