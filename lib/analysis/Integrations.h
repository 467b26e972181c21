// Grouping call sites into named integrations (what they talk to).
#pragma once

#include "analysis/Resolve.h"
#include "catalog/Catalog.h"
#include "model/Facts.h"

namespace im::analysis {

/// A vendor recognised from a host name or an environment variable prefix.
struct Vendor {
  std::string Name;     // "Stripe Payment Gateway"
  std::string Category; // payment | email | sms | storage | queue | vcs | chat | ...
};

/// Vendor for a host (suffix match), or nullptr.
const Vendor *vendorForHost(const std::string &Host);
/// Vendor for an environment variable name (STRIPE_API_KEY), or nullptr.
const Vendor *vendorForEnv(const std::string &Name);

/// "PostgreSQL", "Redis", "HTTP API": what a service is, for names: the catalog
/// entry's role, else one named after the kind.
std::string roleName(const std::string &Kind, const catalog::Library *Lib);

using support::ParsedEndpoint;
using support::parseEndpoint;

/// Fills `Integration` on every call site and returns the integrations, sorted by id.
std::vector<model::Integration> groupIntegrations(std::vector<model::CallSite> &Sites,
                                                  const catalog::Catalog &Cat);

std::string slug(const std::string &S);

/// A name for a system known only by the env var holding its address:
/// ROUTING_API_URL -> "Routing API", TRIPS_REPLICA_DSN -> "PostgreSQL (Trips Replica)".
std::string nameFromEnv(const std::string &Env, const std::string &Role, const std::string &Kind);

} // namespace im::analysis
