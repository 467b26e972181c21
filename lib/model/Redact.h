// Redaction of per-translation-unit facts before they leave the extractor.
#pragma once

#include "model/Facts.h"

namespace im::model {

/// Every string in the facts that could hold a secret (values, endpoints,
/// evidence notes, compiler messages) redacted in place (support::redactSecrets).
void redactFacts(TUFacts &F);

} // namespace im::model
