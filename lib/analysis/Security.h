// Security posture of every integration (issue 5): TLS verification, plaintext
// transport, hard-coded secrets and where credentials come from. Clang-free: works
// on merged facts, so the extractor only records generic observations.
#pragma once

#include "analysis/Resolve.h"
#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <string>
#include <vector>

namespace im::analysis {

/// The kind of credential a string literal holds ("Stripe live secret key",
/// "password in a connection string"), or "" when it does not look like one.
/// Recognises known token prefixes (sk_live_, AKIA, xoxb-, SG., ghp_, AIza, ...),
/// `password=` in conninfo strings, `user:password@` in URLs, bearer tokens and
/// PEM private keys. Placeholders (`%s`, `{}`, `${X}`, `<...>`, `XXXX`) do not count.
std::string secretKind(const std::string &S);

/// `S` with every credential-shaped part replaced by `<redacted>` and every
/// password in a conninfo string or URL by `***`: safe to store and print.
std::string redactSecrets(const std::string &S);

/// localhost, *.localhost, 127.0.0.0/8, ::1, 0.0.0.0, unix sockets (a path or
/// unix: URL), the empty host of a libpq conninfo (a unix socket).
bool isLocalHost(const std::string &Host);

/// Scheme that carries no TLS (http, redis, smtp, ...): true; with TLS (https,
/// rediss, smtps, ...): false; unknown scheme: nullopt.
std::optional<bool> isPlaintextScheme(const std::string &Scheme);

/// Every string in the facts that could hold a secret (values, endpoints,
/// evidence notes, compiler messages) redacted in place. Run by the extractor
/// before the facts leave the translation unit.
void redactFacts(model::TUFacts &F);

/// Fills `Security` on every call site (transport, TLS verification, credential
/// sources) and appends the security findings to `Findings` (kept sorted by
/// location then rule). Call sites must already carry their final ids and
/// integrations. `SourceRoot` makes fingerprints independent of the checkout.
void assessSecurity(const Merged &M, std::vector<model::CallSite> &Sites,
                    const catalog::Catalog &Cat, const std::string &SourceRoot,
                    std::vector<model::Finding> &Findings);

} // namespace im::analysis
