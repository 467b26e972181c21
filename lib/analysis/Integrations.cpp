#include "analysis/Integrations.h"

#include <algorithm>
#include <map>

namespace im::analysis {

namespace {
struct HostVendor {
  const char *Suffix;
  Vendor V;
};
// Canonical names for well-known services; the suffix must match a whole label.
const HostVendor HostVendors[] = {
    {"stripe.com", {"Stripe Payment Gateway", "payment"}},
    {"paypal.com", {"PayPal", "payment"}},
    {"adyen.com", {"Adyen", "payment"}},
    {"braintreegateway.com", {"Braintree", "payment"}},
    {"sendgrid.com", {"SendGrid", "email"}},
    {"mailgun.net", {"Mailgun", "email"}},
    {"postmarkapp.com", {"Postmark", "email"}},
    {"twilio.com", {"Twilio", "sms"}},
    {"s3.amazonaws.com", {"AWS S3", "storage"}},
    {"sqs.amazonaws.com", {"AWS SQS", "queue"}},
    {"amazonaws.com", {"AWS", "cloud"}},
    {"github.com", {"GitHub API", "vcs"}},
    {"slack.com", {"Slack", "chat"}},
    {"googleapis.com", {"Google APIs", "cloud"}},
};
struct EnvVendor {
  const char *Prefix;
  Vendor V;
};
const EnvVendor EnvVendors[] = {
    {"STRIPE_", {"Stripe Payment Gateway", "payment"}},
    {"PAYPAL_", {"PayPal", "payment"}},
    {"ADYEN_", {"Adyen", "payment"}},
    {"SENDGRID_", {"SendGrid", "email"}},
    {"MAILGUN_", {"Mailgun", "email"}},
    {"POSTMARK_", {"Postmark", "email"}},
    {"TWILIO_", {"Twilio", "sms"}},
    {"GITHUB_", {"GitHub API", "vcs"}},
    {"SLACK_", {"Slack", "chat"}},
};

bool endsWithLabel(const std::string &Host, const std::string &Suffix) {
  if (Host == Suffix)
    return true;
  return Host.size() > Suffix.size() &&
         Host.compare(Host.size() - Suffix.size(), Suffix.size(), Suffix) == 0 &&
         Host[Host.size() - Suffix.size() - 1] == '.';
}

std::string roleName(const std::string &Kind, const std::string &Library) {
  if (Library == "libpqxx" || Library == "libpq")
    return "PostgreSQL";
  if (Library == "hiredis" || Library == "redis-plus-plus")
    return "Redis";
  if (Library.find("mysql") != std::string::npos)
    return "MySQL";
  if (Library == "sqlite3")
    return "SQLite";
  if (Library == "libmongoc")
    return "MongoDB";
  if (Library == "libmemcached")
    return "Memcached";
  if (Library.find("kafka") != std::string::npos)
    return "Kafka";
  if (Kind == "email")
    return "SMTP mail";
  if (Kind == "http")
    return "HTTP API";
  return Kind;
}
} // namespace

const Vendor *vendorForHost(const std::string &Host) {
  for (const auto &HV : HostVendors)
    if (endsWithLabel(Host, HV.Suffix))
      return &HV.V;
  return nullptr;
}

const Vendor *vendorForEnv(const std::string &Name) {
  for (const auto &EV : EnvVendors)
    if (Name.rfind(EV.Prefix, 0) == 0)
      return &EV.V;
  return nullptr;
}

ParsedEndpoint parseEndpoint(const std::string &E) {
  ParsedEndpoint P;
  if (E.empty())
    return P;
  if (E.find("://") == std::string::npos && E.find('=') != std::string::npos) {
    auto KV = parseConninfo(E);
    P.Host = KV.count("host") ? KV["host"] : "";
    P.Port = KV.count("port") ? KV["port"] : "";
    P.Database = KV.count("dbname") ? KV["dbname"] : "";
    return P;
  }
  std::string Rest = E;
  if (auto S = E.find("://"); S != std::string::npos) {
    P.Scheme = E.substr(0, S);
    std::transform(P.Scheme.begin(), P.Scheme.end(), P.Scheme.begin(), ::tolower);
    Rest = E.substr(S + 3);
  }
  auto End = Rest.find_first_of("/?#");
  std::string HostPort = Rest.substr(0, End);
  if (auto At = HostPort.rfind('@'); At != std::string::npos)
    HostPort = HostPort.substr(At + 1);
  if (!HostPort.empty() && HostPort[0] == '[') {
    auto Close = HostPort.find(']');
    P.Host = HostPort.substr(1, Close == std::string::npos ? std::string::npos : Close - 1);
    if (Close != std::string::npos && Close + 1 < HostPort.size() && HostPort[Close + 1] == ':')
      P.Port = HostPort.substr(Close + 2);
  } else if (auto Colon = HostPort.rfind(':'); Colon != std::string::npos) {
    P.Host = HostPort.substr(0, Colon);
    P.Port = HostPort.substr(Colon + 1);
  } else {
    P.Host = HostPort;
  }
  std::transform(P.Host.begin(), P.Host.end(), P.Host.begin(), ::tolower);
  if (End != std::string::npos && Rest[End] == '/' && P.Scheme.find("postgres") == 0) {
    P.Database = Rest.substr(End + 1);
    if (auto Q = P.Database.find('?'); Q != std::string::npos)
      P.Database = P.Database.substr(0, Q);
  }
  return P;
}

std::string slug(const std::string &S) {
  std::string Out;
  for (char C : S) {
    if (std::isalnum(static_cast<unsigned char>(C)))
      Out += static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    else if (!Out.empty() && Out.back() != '-')
      Out += '-';
  }
  while (!Out.empty() && Out.back() == '-')
    Out.pop_back();
  return Out;
}

std::vector<model::Integration> groupIntegrations(std::vector<model::CallSite> &Sites,
                                                  const catalog::Catalog &Cat) {
  std::map<std::string, model::Integration> ById;
  // Sites sharing a handle share an integration even when only one knows the endpoint.
  std::map<std::string, std::string> EndpointByHandle;
  for (const auto &C : Sites)
    if (!C.Endpoint.empty() && !C.HandleKey.empty())
      EndpointByHandle.emplace(C.HandleKey, C.Endpoint);
  for (auto &C : Sites) {
    std::string Endpoint = C.Endpoint;
    if (Endpoint.empty())
      if (auto It = EndpointByHandle.find(C.HandleKey); It != EndpointByHandle.end())
        Endpoint = It->second;
    ParsedEndpoint P = parseEndpoint(Endpoint);
    std::string Kind = C.Kind;
    if (const auto *Lib = Cat.library(C.Library))
      if (auto It = Lib->KindByScheme.find(P.Scheme); It != Lib->KindByScheme.end())
        Kind = It->second;
    C.Kind = Kind;
    std::string Name;
    const Vendor *V = P.Host.empty() ? nullptr : vendorForHost(P.Host);
    if (!V && C.EndpointSource.rfind("env:", 0) == 0)
      V = vendorForEnv(C.EndpointSource.substr(4));
    if (V)
      Name = V->Name;
    else if (!P.Host.empty())
      Name = roleName(Kind, C.Library) + " (" + P.Host + (P.Database.empty() ? "" : "/" + P.Database) + ")";
    else
      Name = roleName(Kind, C.Library) + " (" + C.Library + ")";
    std::string Id = slug(Name);
    auto &I = ById[Id];
    if (I.Id.empty()) {
      I.Id = Id;
      I.Name = Name;
      I.Kind = Kind;
      I.Library = C.Library;
      I.Endpoint = Endpoint;
    } else if (I.Library.find(C.Library) == std::string::npos) {
      I.Library += ", " + C.Library;
    }
    C.Integration = Id;
    I.CallSites.push_back(C.Id);
  }
  std::vector<model::Integration> Out;
  for (auto &[K, I] : ById)
    Out.push_back(std::move(I));
  return Out;
}

} // namespace im::analysis
