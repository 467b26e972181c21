// Integrations, not library calls, on the real Debian headers: connects are call
// sites; wrappers whose endpoint comes from their callers are inferred (libcurl,
// cpp-httplib, Boost.Beast, libpq; wrapper of wrapper; an interface implemented
// in another translation unit); one connection object is one integration; env
// reads through the project's own helpers; names never come from functions.
#include "analysis/Endpoints.h"
#include "analysis/Integrations.h"
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;
using testing::Not;

namespace {

std::vector<model::Integration> group(test::Snippets &S) {
  return analysis::groupIntegrations(S.M.CallSites, test::builtinCatalog());
}

const model::Integration *integrationOf(const std::vector<model::Integration> &Is,
                                        const model::CallSite &C) {
  for (const auto &I : Is)
    if (I.Id == C.Integration)
      return &I;
  return nullptr;
}

// ------------------------------------------------------------------ connects
const char *Connects = R"cpp(
#include <hiredis/hiredis.h>
#include <postgresql/libpq-fe.h>
#include <sqlite3.h>

struct Cache {
  redisContext *ctx_ = nullptr;
  void open() {
    struct timeval tv = {1, 0};
    ctx_ = redisConnectWithTimeout("cache.internal", 6379, tv); /*@redis*/
    redisSetTimeout(ctx_, tv); /*@redisConfig*/
  }
  void get() { freeReplyObject(redisCommand(ctx_, "GET k")); /*@redisGet*/ }
};
PGconn *replica() {
  const char *const keys[] = {"host", "dbname", nullptr};
  const char *const vals[] = {"replica.db.internal", "trips", nullptr};
  return PQconnectdbParams(keys, vals, 0); /*@pqParams*/
}
PGconn *legacy() { return PQsetdbLogin("legacy.db.internal", "5432", nullptr, nullptr, "app", "u", nullptr); /*@pqLogin*/ }
sqlite3 *outbox() {
  sqlite3 *db = nullptr;
  sqlite3_open_v2("/var/lib/app/outbox.db", &db, SQLITE_OPEN_READWRITE, nullptr); /*@sqlite*/
  sqlite3_busy_timeout(db, 2000); /*@sqliteConfig*/
  return db;
}
)cpp";
constexpr char ConnectsName[] = "connects.cpp";
using ConnectSites = test::SnippetSuite<&Connects, ConnectsName>;

TEST_F(ConnectSites, EveryConnectIsACallSiteConfigurationIsNot) {
  for (const char *M : {"redis", "pqParams", "pqLogin", "sqlite", "redisGet"})
    EXPECT_NE(S->callAt(S->line(M)), nullptr) << M << "\n" << S->dump();
  for (const char *M : {"redisConfig", "sqliteConfig"})
    EXPECT_EQ(S->callAt(S->line(M)), nullptr) << M << "\n" << S->dump();
  // The connect and the command on the member context are one integration.
  auto Is = group(*S);
  const auto *Connect = S->callAt(S->line("redis"));
  const auto *Get = S->callAt(S->line("redisGet"));
  ASSERT_TRUE(Connect && Get);
  EXPECT_EQ(Connect->Integration, Get->Integration);
  EXPECT_EQ(Connect->Endpoint, "cache.internal");
  const auto *Sqlite = S->callAt(S->line("sqlite"));
  ASSERT_TRUE(Sqlite);
  EXPECT_EQ(Sqlite->Kind, "local");
}

// ------------------------------------------------- wrappers over four libraries
const char *Wrappers = R"cpp(
#include <curl/curl.h>
#include <httplib.h>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <postgresql/libpq-fe.h>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;

// libcurl: the URL is the caller's; the timeout is the wrapper's.
long curlGet(const std::string &url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L); /*@curlTimeout*/
  CURLcode rc = curl_easy_perform(h); /*@curlInside*/
  curl_easy_cleanup(h);
  return rc;
}
// A wrapper of the wrapper: the base URL is still the caller's.
long getJson(const std::string &base, const std::string &path) { return curlGet(base + path); /*@mapsViaJson*/ }
// Not a wrapper of the wrapper: the host is its own, only the path is the caller's.
long getStatus(const std::string &id) { return curlGet("https://status.example.net/jobs/" + id); /*@statusOwnHost*/ }

// Not a wrapper: the URL is its own.
long health() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://status.example.org/health");
  return curl_easy_perform(h); /*@ownUrl*/
}

// cpp-httplib: the host is the caller's.
int httplibGet(const std::string &host, const std::string &path) {
  httplib::Client cli(host);
  auto res = cli.Get(path.c_str()); /*@httplibInside*/
  return res ? res->status : 0;
}

// Boost.Beast: the host is the caller's.
int beastGet(const std::string &host) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  auto results = resolver.resolve(host, "80");
  stream.connect(results); /*@beastInside*/
  return 0;
}

// libpq: the conninfo is the caller's.
PGconn *openDb(const std::string &conninfo) { return PQconnectdb(conninfo.c_str()); /*@pqInside*/ }

int main() {
  curlGet("https://hooks.slack.com/services/x"); /*@slack*/
  curlGet("https://api.sendgrid.com/v3/mail/send"); /*@sendgrid*/
  getJson("https://api.maps.example.com/v1", "/route"); /*@maps*/
  getStatus("42");
  httplibGet("http://sms.example.net", "/send"); /*@httplib*/
  beastGet("pricing.internal"); /*@beast*/
  PGconn *primary = openDb("host=primary.db.internal dbname=trips"); /*@primary*/
  PGconn *replica = openDb("host=replica.db.internal dbname=trips"); /*@replica*/
  return primary && replica;
}
)cpp";
constexpr char WrappersName[] = "wrappers.cpp";
using WrapperSites = test::SnippetSuite<&Wrappers, WrappersName>;

TEST_F(WrapperSites, TheCallSiteIsWhereTheEndpointIsDetermined) {
  // beastGet is a wrapper too: the stream connects to what the resolver
  // returned for the caller's host (the catalog's resolve value_arg).
  for (const char *M : {"slack", "sendgrid", "maps", "httplib", "beast", "primary", "replica",
                        "ownUrl", "statusOwnHost"})
    EXPECT_NE(S->callAt(S->line(M)), nullptr) << M << "\n" << S->dump();
  // The library calls inside the wrappers are their implementation, not call sites.
  for (const char *M : {"curlInside", "httplibInside", "beastInside", "pqInside", "mapsViaJson"})
    EXPECT_EQ(S->callAt(S->line(M)), nullptr) << M << "\n" << S->dump();
  EXPECT_EQ(S->callAt(S->line("slack"))->Endpoint, "https://hooks.slack.com/services/x");
  EXPECT_EQ(S->callAt(S->line("maps"))->Endpoint, "https://api.maps.example.com/v1/route");
  EXPECT_EQ(S->callAt(S->line("statusOwnHost"))->Endpoint, "https://status.example.net/jobs/{...}");
  EXPECT_EQ(S->callAt(S->line("httplib"))->Endpoint, "http://sms.example.net");
  EXPECT_EQ(S->callAt(S->line("beast"))->Endpoint, "pricing.internal");
  EXPECT_EQ(S->callAt(S->line("primary"))->Function, "main");
}

TEST_F(WrapperSites, ProtectionsInsideTheWrapperHoldForEveryCaller) {
  const auto *Slack = S->callAt(S->line("slack"));
  const auto *Maps = S->callAt(S->line("maps"));
  ASSERT_TRUE(Slack && Maps);
  EXPECT_TRUE(Slack->Timeout.Present) << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(Slack->Timeout, S->line("curlTimeout")));
  EXPECT_TRUE(Maps->Timeout.Present) << S->dump();
  // The look-alike that is not a wrapper sets no timeout.
  EXPECT_FALSE(S->callAt(S->line("ownUrl"))->Timeout.Present);
}

TEST_F(WrapperSites, OneIntegrationPerEndpointNotPerWrapper) {
  auto Is = group(*S);
  auto Of = [&](const char *M) { return S->callAt(S->line(M))->Integration; };
  EXPECT_NE(Of("slack"), Of("sendgrid"));
  EXPECT_NE(Of("primary"), Of("replica"));
  EXPECT_NE(Of("slack"), Of("maps"));
  const auto *Primary = integrationOf(Is, *S->callAt(S->line("primary")));
  const auto *Replica = integrationOf(Is, *S->callAt(S->line("replica")));
  ASSERT_TRUE(Primary && Replica);
  EXPECT_THAT(Replica->Name, HasSubstr("replica.db.internal"));
  for (const auto &I : Is) {
    EXPECT_THAT(I.Name, Not(HasSubstr("curlGet")));
    EXPECT_THAT(I.Name, Not(HasSubstr("main")));
    EXPECT_THAT(I.Name, Not(HasSubstr("openDb")));
  }
}

// ------------------------------------ an interface implemented in another TU
const char *Transport = R"cpp(
#include <string>
struct Transport {
  virtual ~Transport() = default;
  virtual long send(const std::string &url, const std::string &body) = 0;
};
)cpp";
const char *CurlTransport = R"cpp(
#include <curl/curl.h>
struct CurlTransport : Transport {
  long send(const std::string &url, const std::string &body) override {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    return curl_easy_perform(h);
  }
};
Transport *makeTransport() { return new CurlTransport; }
)cpp";
const char *Exporter = R"cpp(
std::string env_or(const char *name, const std::string &fallback);
struct Exporter {
  Transport &t_;
  std::string endpoint_;
  explicit Exporter(Transport &t) : t_(t), endpoint_(env_or("COLLECTOR_URL", "https://collector.example.com")) {}
  long exportSpans(const std::string &json) { return t_.send(endpoint_ + "/v1/traces", json); /*@traces*/ }
  long exportLogs(const std::string &json) { return t_.send(endpoint_ + "/v1/logs", json); /*@logs*/ }
};
struct Zipkin {
  Transport &t_;
  long post(const std::string &json) { return t_.send("http://zipkin.internal:9411/api/v2/spans", json); /*@zipkin*/ }
};
)cpp";
const char *EnvHelpers = R"cpp(
#include <cstdlib>
#include <string>
std::string env_or(const char *name, const std::string &fallback) {
  const char *v = std::getenv(name);
  if (v == nullptr || *v == '\0')
    return fallback;
  return std::string(v);
}
int env_int_or(const char *name, int fallback) {
  const std::string raw = env_or(name, "");
  return raw.empty() ? fallback : std::atoi(raw.c_str());
}
std::string label(const char *name) { return std::string("label:") + name; }
int workers() { return env_int_or("WORKER_COUNT", 4); }
std::string notEnv() { return label("NOT_AN_ENV_VAR"); }
)cpp";

class AcrossUnits : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{
        {"curl_transport.cpp", std::string(Transport) + CurlTransport},
        {"exporter.cpp", std::string(Transport) + Exporter},
        {"env.cpp", EnvHelpers}});
  }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *AcrossUnits::S = nullptr;

TEST_F(AcrossUnits, AnInterfaceImplementedInAnotherUnitIsAWrapper) {
  std::vector<const model::CallSite *> InExporter, InTransport;
  for (const auto &C : S->M.CallSites)
    (llvm::StringRef(C.Loc.File).ends_with("/exporter.cpp") ? InExporter : InTransport).push_back(&C);
  EXPECT_EQ(InExporter.size(), 3u) << S->dump();
  EXPECT_TRUE(InTransport.empty()) << S->dump();
  ASSERT_EQ(S->M.WrapperImplementations.size(), 1u);
  EXPECT_TRUE(llvm::StringRef(S->M.WrapperImplementations[0].Loc.File).ends_with("/curl_transport.cpp"))
      << S->M.WrapperImplementations[0].Loc.File;
  const auto *Traces = S->callAt(S->line("traces"));
  const auto *Zipkin = S->callAt(S->line("zipkin"));
  ASSERT_TRUE(Traces && Zipkin);
  // The member set from an env helper defined in another unit, with its default.
  EXPECT_EQ(Traces->Endpoint, "https://collector.example.com/v1/traces");
  EXPECT_EQ(Traces->EndpointSource, "env:COLLECTOR_URL");
  EXPECT_EQ(Zipkin->Endpoint, "http://zipkin.internal:9411/api/v2/spans");
  EXPECT_EQ(Zipkin->EndpointSource, "literal");
  EXPECT_FALSE(Traces->Via.empty());
}

TEST_F(AcrossUnits, OneObjectOneEndpointIsOneIntegration) {
  auto Is = group(*S);
  const auto *Traces = S->callAt(S->line("traces"));
  const auto *Logs = S->callAt(S->line("logs"));
  const auto *Zipkin = S->callAt(S->line("zipkin"));
  ASSERT_TRUE(Traces && Logs && Zipkin);
  EXPECT_EQ(Traces->Integration, Logs->Integration);
  EXPECT_NE(Traces->Integration, Zipkin->Integration);
  EXPECT_THAT(integrationOf(Is, *Zipkin)->Name, HasSubstr("zipkin.internal"));
  for (const auto &I : Is)
    EXPECT_THAT(I.Name, Not(HasSubstr("export")));
}

TEST_F(AcrossUnits, EnvReadsThroughHelpersAtAnyDepth) {
  analysis::EndpointFolder F(S->M);
  std::vector<std::string> Names;
  for (const auto &R : F.helperEnvReads())
    Names.push_back(R.Name);
  EXPECT_THAT(Names, testing::Contains("COLLECTOR_URL"));
  EXPECT_THAT(Names, testing::Contains("WORKER_COUNT"));
  EXPECT_THAT(Names, Not(testing::Contains("NOT_AN_ENV_VAR")));
}

// ---------------------------------------- one member connection, several methods
const char *Repos = R"cpp(
#include <pqxx/pqxx>
#include <string>
class Trips {
  pqxx::connection conn_;
public:
  explicit Trips(const std::string &dsn) : conn_(dsn) {} /*@tripsConnect*/
  void create() { pqxx::work tx(conn_); tx.exec0("INSERT INTO trips DEFAULT VALUES"); /*@create*/ tx.commit(); }
  int count() { pqxx::work tx(conn_); return tx.exec1("SELECT count(*) FROM trips")[0].as<int>(); /*@count*/ }
};
class Audit {
  pqxx::connection conn_;
public:
  Audit() : conn_("host=audit.db.internal dbname=compliance") {} /*@auditConnect*/
  void record() { pqxx::work tx(conn_); tx.exec0("INSERT INTO audit DEFAULT VALUES"); /*@record*/ tx.commit(); }
};
)cpp";
constexpr char ReposName[] = "repos.cpp";
using MemberConnections = test::SnippetSuite<&Repos, ReposName>;

TEST_F(MemberConnections, OneConnectionObjectIsOneIntegration) {
  auto Is = group(*S);
  auto Of = [&](const char *M) {
    const auto *C = S->callAt(S->line(M));
    EXPECT_NE(C, nullptr) << M << "\n" << S->dump();
    return C ? C->Integration : std::string();
  };
  EXPECT_EQ(Of("tripsConnect"), Of("create"));
  EXPECT_EQ(Of("create"), Of("count"));
  EXPECT_EQ(Of("auditConnect"), Of("record"));
  EXPECT_NE(Of("create"), Of("record"));
  EXPECT_EQ(Is.size(), 2u);
  for (const auto &I : Is) {
    EXPECT_THAT(I.Name, Not(HasSubstr("create")));
    EXPECT_THAT(I.Name, Not(HasSubstr("record")));
  }
}

// ------------------------------------- wrappers reached through callable slots
const char *Callables = R"cpp(
#include <curl/curl.h>
#include <functional>
#include <string>
using Sender = std::function<long(const std::string &url, const std::string &body)>;
long curlPost(const std::string &url, const std::string &body) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L); /*@postTimeout*/
  return curl_easy_perform(h); /*@postInside*/
}
// Holds whatever sender its owner gives it.
struct Notifier {
  Sender send_;
  explicit Notifier(Sender s) : send_(std::move(s)) {}
  long notify(const std::string &text) { return send_("https://hooks.slack.com/services/T1", text); /*@slack*/ }
};
// Takes the sender as a parameter.
long page(const Sender &s) { return s("https://events.pagerduty.com/v2/enqueue", "{}"); /*@pager*/ }
// A function pointer set at run time.
long (*g_post)(const std::string &, const std::string &) = nullptr;
long mail(const std::string &b) { return g_post("https://api.sendgrid.com/v3/mail/send", b); /*@sendgrid*/ }
// Look-alikes: a std::function that only formats, and a sender slot nobody fills.
using Formatter = std::function<std::string(const std::string &url)>;
std::string show(const Formatter &f) { return f("https://format.example.com/x"); /*@format*/ }
long unused(const Sender &s) { return s("https://never.example.com/y", "{}"); /*@unfilled*/ }
int main() {
  Notifier n(curlPost);
  n.notify("deploy done");
  Notifier n2([](const std::string &u, const std::string &b) { return curlPost(u, b); });
  n2.notify("x");
  page(curlPost);
  g_post = &curlPost;
  mail("hi");
  show([](const std::string &u) { return "<" + u + ">"; });
  return 0;
}
)cpp";
constexpr char CallablesName[] = "callables.cpp";
using CallableWrappers = test::SnippetSuite<&Callables, CallablesName>;

TEST_F(CallableWrappers, TheSiteIsTheCallThroughTheSlotThatSuppliesTheUrl) {
  const auto *Slack = S->callAt(S->line("slack"));
  const auto *Pager = S->callAt(S->line("pager"));
  const auto *Sendgrid = S->callAt(S->line("sendgrid"));
  ASSERT_TRUE(Slack && Pager && Sendgrid) << S->dump();
  EXPECT_EQ(Slack->Endpoint, "https://hooks.slack.com/services/T1");
  EXPECT_EQ(Pager->Endpoint, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(Sendgrid->Endpoint, "https://api.sendgrid.com/v3/mail/send");
  EXPECT_EQ(Slack->Function, "Notifier::notify");
  // The library call inside the callback is its implementation, not a site.
  EXPECT_EQ(S->callAt(S->line("postInside")), nullptr) << S->dump();
  // The timeout set inside the callback holds for each caller.
  EXPECT_TRUE(Slack->Timeout.Present) << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(Slack->Timeout, S->line("postTimeout")));
  bool Through = false;
  for (const auto &V : Slack->Via)
    // curlPost itself or the lambda that calls it: both are what `send_` holds.
    Through |= V.Line == S->line("slack") && llvm::StringRef(V.Note).starts_with("calls ") &&
               llvm::StringRef(V.Note).ends_with(" through `send_`");
  EXPECT_TRUE(Through) << S->dump();
  group(*S); // fills each call site's integration
  EXPECT_NE(Slack->Integration, Pager->Integration);
  EXPECT_NE(Pager->Integration, Sendgrid->Integration);
}

TEST_F(CallableWrappers, ACallableThatReachesNoClientIsNoSite) {
  // A formatter called with a URL, and a sender slot nothing fills, are not
  // sites; the matching callers above still are.
  EXPECT_EQ(S->callAt(S->line("format")), nullptr) << S->dump();
  EXPECT_EQ(S->callAt(S->line("unfilled")), nullptr) << S->dump();
  EXPECT_NE(S->callAt(S->line("pager")), nullptr);
  for (const auto &C : S->M.CallSites) {
    EXPECT_EQ(C.Endpoint.find("format.example.com"), std::string::npos) << S->dump();
    EXPECT_EQ(C.Endpoint.find("never.example.com"), std::string::npos) << S->dump();
  }
}

// ------------------------------ one class, built for several endpoints
const char *Objects = R"cpp(
#include <httplib.h>
#include <pqxx/pqxx>
#include <string>
// A generic REST client: the base URL is the object's, the path the call's.
class RestClient {
public:
  explicit RestClient(std::string base) : base_(std::move(base)) {}
  int get(const std::string &path) {
    httplib::Client cli(base_);
    cli.set_read_timeout(5, 0); /*@restTimeout*/
    auto res = cli.Get(path.c_str()); /*@restInside*/
    return res ? res->status : 0;
  }
  int health() { return get("/healthz"); }
private:
  std::string base_;
};
class OrdersApi {
  RestClient client_{"https://orders.internal.example.com"};
public:
  int order(const std::string &id) { return client_.get("/v1/orders/" + id); /*@orders*/ }
  int ping() { return client_.health(); /*@ordersPing*/ }
};
class GeoApi {
  RestClient client_;
public:
  GeoApi() : client_("https://maps.googleapis.com") {}
  int geocode() { return client_.get("/maps/api/geocode/json"); /*@geo*/ }
};
// Built twice, for two databases.
class Store {
  pqxx::connection conn_;
public:
  explicit Store(const std::string &dsn) : conn_(dsn) {} /*@storeConnect*/
  void put() { pqxx::work tx(conn_); tx.exec0("INSERT INTO t DEFAULT VALUES"); /*@storePut*/ tx.commit(); }
};
// Look-alike: built once, it owns its one connection; its sites stay inside.
class Repo {
  pqxx::connection conn_;
public:
  explicit Repo(const std::string &dsn) : conn_(dsn) {} /*@repoConnect*/
  int count() { pqxx::work tx(conn_); return tx.exec1("SELECT count(*) FROM t")[0].as<int>(); /*@repoCount*/ }
};
int run() {
  OrdersApi o;
  GeoApi g;
  Repo r("host=main.db.internal dbname=app");
  Store primary("host=primary.db.internal dbname=app"); /*@primaryMade*/
  Store replica("host=replica.db.internal dbname=app"); /*@replicaMade*/
  primary.put(); /*@primaryPut*/
  replica.put(); /*@replicaPut*/
  return o.order("1") + o.ping() + g.geocode() + r.count();
}
)cpp";
constexpr char ObjectsName[] = "objects.cpp";
using ObjectEndpoints = test::SnippetSuite<&Objects, ObjectsName>;

TEST_F(ObjectEndpoints, EachObjectsCallsAreSitesWithItsEndpoint) {
  const auto *Orders = S->callAt(S->line("orders"));
  const auto *Ping = S->callAt(S->line("ordersPing"));
  const auto *Geo = S->callAt(S->line("geo"));
  ASSERT_TRUE(Orders && Ping && Geo) << S->dump();
  EXPECT_EQ(Orders->Endpoint, "https://orders.internal.example.com");
  EXPECT_EQ(Ping->Endpoint, "https://orders.internal.example.com");
  EXPECT_EQ(Geo->Endpoint, "https://maps.googleapis.com");
  EXPECT_EQ(Orders->Function, "OrdersApi::order");
  // The client's own library call is the implementation, not a site, and its
  // timeout holds for every object's calls.
  EXPECT_EQ(S->callAt(S->line("restInside")), nullptr) << S->dump();
  EXPECT_TRUE(Orders->Timeout.Present) << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(Geo->Timeout, S->line("restTimeout"))) << S->dump();
  group(*S);
  EXPECT_EQ(Orders->Integration, Ping->Integration);
  EXPECT_NE(Orders->Integration, Geo->Integration);
}

TEST_F(ObjectEndpoints, TwoConnectionsOfOneClassAreTwoIntegrations) {
  const auto *PrimaryMade = S->callAt(S->line("primaryMade"));
  const auto *ReplicaMade = S->callAt(S->line("replicaMade"));
  const auto *PrimaryPut = S->callAt(S->line("primaryPut"));
  const auto *ReplicaPut = S->callAt(S->line("replicaPut"));
  ASSERT_TRUE(PrimaryMade && ReplicaMade && PrimaryPut && ReplicaPut) << S->dump();
  EXPECT_EQ(PrimaryPut->Endpoint, "host=primary.db.internal dbname=app");
  EXPECT_EQ(ReplicaPut->Endpoint, "host=replica.db.internal dbname=app");
  // The transaction's exec and commit in put() are one exchange: one site per call of put().
  size_t AtPrimaryPut = 0;
  for (const auto &C : S->M.CallSites)
    AtPrimaryPut += C.Loc.Line == S->line("primaryPut");
  EXPECT_EQ(AtPrimaryPut, 1u) << S->dump();
  EXPECT_EQ(S->callAt(S->line("storePut")), nullptr) << S->dump();
  EXPECT_EQ(S->callAt(S->line("storeConnect")), nullptr) << S->dump();
  group(*S);
  EXPECT_EQ(PrimaryMade->Integration, PrimaryPut->Integration);
  EXPECT_EQ(ReplicaMade->Integration, ReplicaPut->Integration);
  EXPECT_NE(PrimaryPut->Integration, ReplicaPut->Integration);
}

TEST_F(ObjectEndpoints, AClassBuiltOnceKeepsItsSitesInside) {
  const auto *Connect = S->callAt(S->line("repoConnect"));
  const auto *Count = S->callAt(S->line("repoCount"));
  ASSERT_TRUE(Connect && Count) << S->dump();
  EXPECT_EQ(Connect->Endpoint, "host=main.db.internal dbname=app");
  EXPECT_EQ(Count->Function, "Repo::count");
  // ... while the classes built for several endpoints above moved theirs.
  EXPECT_NE(S->callAt(S->line("replicaPut")), nullptr);
}

TEST(IntegrationNames, FromTheEnvVarHoldingTheAddress) {
  EXPECT_EQ(analysis::nameFromEnv("ROUTING_API_URL", "HTTP API", "http"), "Routing API");
  EXPECT_EQ(analysis::nameFromEnv("SMTP_RELAY_URL", "SMTP mail", "email"), "SMTP mail (SMTP Relay)");
  EXPECT_EQ(analysis::nameFromEnv("TRIPS_REPLICA_DSN", "PostgreSQL", "db"), "PostgreSQL (Trips Replica)");
  EXPECT_EQ(analysis::nameFromEnv("PRICING_HOST", "HTTP API", "http"), "Pricing HTTP API");
  EXPECT_EQ(analysis::nameFromEnv("REDIS_HOST", "Redis", "cache"), "Redis");
}

} // namespace
