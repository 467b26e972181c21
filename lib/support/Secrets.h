// Recognising and redacting secrets in strings: the one place every stage
// (extractor, resolver, report, command-line messages) asks whether a string
// holds a credential and what is safe to print of it.
#pragma once

#include <string>
#include <vector>

namespace im::support {

/// The kind of credential a string holds ("Stripe live secret key",
/// "password in a connection string"), or "" when it does not look like one.
/// Recognises known token prefixes (sk_live_, AKIA, xoxb-, SG., ghp_, AIza, ...),
/// a password setting (`password=`, `password = `, passwd, pwd, pass, DB_PASSWORD,
/// ...) in conninfo, ODBC, ini and query strings, `user:password@` in URLs, bearer
/// tokens and PEM private keys. Placeholders (`%s`, `{}`, `${X}`, `<...>`, `?`,
/// `:name`, `XXXX`, empty) do not count. Other credential-named settings
/// (`api_key=`, `token=`, `sig=`) are redacted by redactSecrets but not reported.
std::string secretKind(const std::string &S);

/// A value that stands for a secret rather than being one: empty, a format or
/// template placeholder (`%s`, `{}`, `${X}`, `<...>`, `...`) or one repeated character.
bool placeholder(const std::string &V);

/// A setting, macro or variable name that names a credential: a part of it
/// (split at `_`, `-`, `.` and lower-to-upper case changes) is or contains
/// password, passwd, passphrase, secret, token or credential, or is pwd, pass,
/// key, apikey (any part ending in "key"), sig, signature or authorization, or
/// the whole name is auth; unless its last part says it is about the credential
/// rather than the credential itself (`_FILE`, `_PATH`, `_URL`, `_HOST`, `_ID`,
/// `_NAME`, `_USER`, `_LENGTH`, `_TTL`, `_TIMEOUT`, `_HEADER`, `_SOURCE`, ...).
/// `DB_PASSWORD`, `apiKey`, `x-api-key`, `STRIPE_KEY` name credentials;
/// `PASSWORD_MIN_LENGTH`, `keyword`, `authSource`, `TOKEN_FILE` do not.
bool credentialName(const std::string &Name);

/// The value of a macro definition `NAME=value` (as `-D` takes it) when NAME
/// names a credential, without the quotes a compile command puts around a
/// string (`"..."`, `\"...\"`); "" otherwise.
std::string secretMacroValue(const std::string &Definition);

/// `S` with every secret redactSecrets' shapes recognise replaced by `***`: safe
/// to store and print. Keys, macro names, user names, hosts and options stay
/// readable. Values of credential-named settings are redacted too: `NAME=value`
/// and `NAME = value` (conninfo, ini, `-DNAME=value`, `--name=value`), where a
/// value runs to the next space (a quoted value to its closing quote), in an
/// ODBC string (`;`-separated) to the next `;`, and in a URL query (after `?`
/// or `&`) to the next `&` or `#`.
std::string redactSecrets(const std::string &S);

/// `S` with every occurrence of a value in `Known` replaced by `***`, after
/// redactSecrets. Values shorter than 4 characters are replaced only where they
/// are the whole of `S`: a short value is too likely to occur by chance.
std::string redactKnown(const std::string &S, const std::vector<std::string> &Known);

/// A source line safe to print. String literals, comments and code are read
/// apart: the contents of a literal are redacted with redactSecrets; on a line
/// that mentions a credential (password, token, secret, api key, bearer, user
/// info in a URL) the contents of every literal become `***`; so do the contents
/// of a literal covering one of `SecretColumns` (1-based columns of literals the
/// analysis read as a credential, such as a password passed positionally to
/// mysql_real_connect). In code outside literals only the vendor token shapes,
/// URL passwords, bearer tokens and private keys are redacted (`password = x` in
/// code is an assignment, not a secret).
std::string redactSourceLine(const std::string &Line,
                             const std::vector<unsigned> &SecretColumns = {});

} // namespace im::support
