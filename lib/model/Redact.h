// Redaction of per-translation-unit facts before they leave the extractor.
#pragma once

#include "model/Facts.h"

namespace im::model {

/// Every string in the facts that could hold a secret (values, endpoints,
/// evidence notes, compiler messages, the unit's -D configuration) redacted in
/// place of every secret shape and every value in F.SecretValues
/// (support::redactKnown); F.SecretValues is cleared.
void redactFacts(TUFacts &F);

} // namespace im::model
