// Endpoints as the code and the environment write them: connection strings,
// URIs and host:port, what kind of service a scheme names, whether it carries
// TLS, and whether a host is this machine. One vocabulary for the analysis, the
// inventory, the report and the matchers.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace im::support {

/// Parses a libpq conninfo string ("host=db connect_timeout=5 password='a b'") or
/// a URI ("postgresql://u:p@db:5433/x?connect_timeout=5") into key/value pairs:
/// from a URI, host, port, dbname and every query parameter.
std::map<std::string, std::string> parseConninfo(const std::string &S);

struct ParsedEndpoint {
  std::string Scheme;   // lower case, "" when none is written
  std::string Host;     // lower case, without brackets or user info
  std::string Port;
  std::string Database; // conninfo dbname or the path of a postgres URI
};
/// A URL, a conninfo string or a bare host[:port].
ParsedEndpoint parseEndpoint(const std::string &Endpoint);

/// The host is this machine: localhost, *.localhost, 127.0.0.0/8, ::1, 0.0.0.0
/// (with or without brackets), host.docker.internal (the host as a container
/// sees it), and unix sockets (a path, a unix: URL, an abstract `@name`).
/// The empty host is not local: who calls decides what no host means.
bool isLocalHost(const std::string &Host);

/// true: the scheme carries no TLS (http, ws, redis, smtp, nats, ...); false: it
/// does (https, rediss, smtps, tls, ...); nullopt: it does not say (tcp names
/// the transport only, postgresql negotiates TLS in the protocol).
std::optional<bool> isPlaintextScheme(const std::string &Scheme);

/// What a scheme names: http | db | cache | queue | email | rpc, or "".
std::string schemeKind(const std::string &Scheme);
/// What a service of that scheme is, for names ("PostgreSQL", "Redis", "HTTP API"), or "".
std::string schemeRole(const std::string &Scheme);

/// Scheme and host of a URL value, and nothing else of it; false when `Value`
/// is not a URL. The host is left empty whenever it cannot be told apart from
/// the credentials with certainty (an unencoded '/' or '@' in a password), so
/// no part of a secret is returned. For values that must not leave the caller
/// (environment files).
bool urlSchemeHost(const std::string &Value, std::string &Scheme, std::string &Host);

} // namespace im::support
