// The two diagrams of the risk document, as Mermaid flowcharts. A monorepo's
// thousands of functions make no readable diagram: they draw the first entry
// points and wrappers and say so in a comment.
#pragma once

#include "model/Risk.h"

#include <string>

namespace im::report {

/// Layers: entry points, client wrappers, external services, data stores;
/// edges from each entry point to the wrappers it reaches, and to integrations.
std::string architectureMermaid(const model::RiskDocument &D);

/// What breaks (or degrades) when each integration fails, and which
/// integrations share a request path.
std::string dependencyMermaid(const model::RiskDocument &D);

} // namespace im::report
