// Recognising and redacting secrets in strings: the one place every stage
// (extractor, resolver, report) asks whether a string holds a credential.
#pragma once

#include <string>

namespace im::support {

/// The kind of credential a string holds ("Stripe live secret key",
/// "password in a connection string"), or "" when it does not look like one.
/// Recognises known token prefixes (sk_live_, AKIA, xoxb-, SG., ghp_, AIza, ...),
/// `password=` (also passwd, pwd, sslpassword, pass) in conninfo, ODBC and query
/// strings, `user:password@` in URLs, bearer tokens and PEM private keys.
/// Placeholders (`%s`, `{}`, `${X}`, `<...>`, `XXXX`, empty) do not count.
std::string secretKind(const std::string &S);

/// `S` with every secret secretKind recognises replaced by `***`: safe to store
/// and print. Keys, user names, hosts and options stay readable.
std::string redactSecrets(const std::string &S);

/// A source line safe to print: on a line that mentions a credential (password,
/// token, secret, api key, bearer, user info in a URL), the contents of every
/// string literal become `***`; on every line, secretKind's shapes become `***`.
std::string redactSourceLine(const std::string &Line);

} // namespace im::support
