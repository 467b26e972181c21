// The risk document's pieces without parsing: config, grouping, rubric, glossary.
#include "analysis/Integrations.h"
#include "analysis/Scoring.h"
#include "catalog/Catalog.h"
#include "config/Config.h"
#include "report/Glossary.h"
#include "support/Secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace im;
using testing::ElementsAre;
using testing::HasSubstr;

namespace {

std::string configError(const std::string &Yaml) {
  auto C = config::parseConfig(Yaml, "/p/.integration-mapper.yaml");
  if (C)
    return "";
  return llvm::toString(C.takeError());
}

// ------------------------------------------------------------------ config

TEST(Config, ReadsBusinessFactsOverridesEntryPointsAndSuppressions) {
  auto C = config::parseConfig(R"(
business:
  daily_revenue: 50000
  currency: EUR
entry_points: [handleCheckout, shop::Worker::run]
integrations:
  - match: stripe-payment-gateway
    name: Stripe
    criticality: 10
    rto_target: 5m
    traffic_share: 0.25
suppressions:
  - rule: integration-missing-retry
    path: src/notify/
)",
                               "cfg.yaml");
  ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->Path, "cfg.yaml");
  EXPECT_EQ(*C->DailyRevenue, 50000);
  EXPECT_EQ(C->Currency, "EUR");
  EXPECT_THAT(C->EntryPoints, ElementsAre("handleCheckout", "shop::Worker::run"));
  const auto *O = C->overrideFor("stripe-payment-gateway", "Stripe Payment Gateway");
  ASSERT_NE(O, nullptr);
  EXPECT_EQ(*O->Name, "Stripe");
  EXPECT_EQ(*O->Criticality, 10);
  EXPECT_EQ(*O->RtoTargetSeconds, 300);
  EXPECT_EQ(*O->TrafficShare, 0.25);
  EXPECT_TRUE(C->suppressed("integration-missing-retry", "src/notify/Webhook.cpp", "x"));
  EXPECT_FALSE(C->suppressed("integration-missing-timeout", "src/notify/Webhook.cpp", "x"));
  EXPECT_FALSE(C->suppressed("integration-missing-retry", "src/payments/Stripe.cpp", "x"));
}

TEST(Config, EmptyFileIsAllDefaults) {
  auto C = config::parseConfig("# nothing yet\n", "cfg.yaml");
  ASSERT_TRUE(static_cast<bool>(C));
  EXPECT_FALSE(C->DailyRevenue);
  EXPECT_EQ(C->Currency, "USD");
}

TEST(Config, UnknownKeyIsAnErrorWithLineAndColumn) {
  EXPECT_EQ(configError("business:\n  daily_revenu: 5\n"),
            "/p/.integration-mapper.yaml:2:3: unknown key 'daily_revenu'");
}

TEST(Config, OutOfRangeCriticalityNamesTheField) {
  EXPECT_THAT(configError("integrations:\n  - match: stripe\n    criticality: 11\n"),
              HasSubstr("integrations['stripe'].criticality: must be between 1 and 10"));
  EXPECT_THAT(configError("integrations:\n  - match: stripe\n    criticality: 11\n"),
              testing::StartsWith("/p/.integration-mapper.yaml:2:"));
}

TEST(Config, BadDurationShareAndTypesAreErrors) {
  EXPECT_THAT(configError("integrations:\n  - match: a\n    rto_target: soon\n"),
              HasSubstr("integrations['a'].rto_target: expected a duration like 30s, 5m, 1h or 2d"));
  EXPECT_THAT(configError("integrations:\n  - match: a\n    traffic_share: 20\n"),
              HasSubstr("integrations['a'].traffic_share: must be a fraction between 0 and 1"));
  EXPECT_EQ(configError("business:\n  daily_revenue: lots\n"),
              "/p/.integration-mapper.yaml:2:18: invalid floating point number (field 'business.daily_revenue')");
  EXPECT_THAT(configError("integrations:\n  - name: x\n"), HasSubstr("missing required key 'match'"));
  EXPECT_THAT(configError("business: [1, 2\n"), testing::StartsWith("/p/.integration-mapper.yaml:"));
}

TEST(Config, AValueOfTheWrongKindNamesItsFieldByPath) {
  EXPECT_EQ(configError("business:\n  currency: [EUR, USD]\n"),
            "/p/.integration-mapper.yaml:2:14: expected a single value, not a list or mapping "
            "(field 'business.currency')");
  EXPECT_EQ(configError("integrations:\n  - match: a\n  - match: b\n    name:\n      - Billing\n"),
            "/p/.integration-mapper.yaml:5:7: expected a single value, not a list or mapping "
            "(field 'integrations[1].name')");
  EXPECT_EQ(configError("integrations:\n  - match: a\n    criticality: {level: 3}\n"),
            "/p/.integration-mapper.yaml:3:19: expected a single value, not a list or mapping "
            "(field 'integrations[0].criticality')");
  EXPECT_EQ(configError("suppressions: [{rule: integration-missing-retry, path: [src]}]\n"),
            "/p/.integration-mapper.yaml:1:57: expected a single value, not a list or mapping "
            "(field 'suppressions[0].path')");
  EXPECT_EQ(configError("entry_points: main\n"),
            "/p/.integration-mapper.yaml:1:15: expected a list (field 'entry_points')");
  EXPECT_EQ(configError("catalog_files: [[a.json]]\n"),
            "/p/.integration-mapper.yaml:1:18: expected a single value, not a list or mapping "
            "(field 'catalog_files[0]')");
  // A syntax error is located, not given a field; a broken document after it
  // does not keep the search for the field going.
  EXPECT_EQ(configError("entry_points: [main, worker\n"),
            "/p/.integration-mapper.yaml:1:28: Could not find closing ]!");
  EXPECT_THAT(configError("catalog:\n  *- id: acme\n=    kind: http\n    derue}\n"),
              testing::StartsWith("/p/.integration-mapper.yaml:"));
  EXPECT_EQ(configError("business: 1000\n"),
            "/p/.integration-mapper.yaml:1:11: expected a mapping of keys and values (field 'business')");
  // The same fields with values of their kind load.
  auto C = config::parseConfig("business:\n  currency: EUR\nintegrations:\n  - match: a\n  - match: b\n"
                               "    name: Billing\n    criticality: 3\nsuppressions: [{rule: "
                               "integration-missing-retry, path: src}]\nentry_points: [main]\n"
                               "catalog_files: [a.json]\n",
                               "/p/.integration-mapper.yaml");
  ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->Currency, "EUR");
  EXPECT_EQ(C->Integrations[1].Name, "Billing");
  EXPECT_EQ(C->Integrations[1].Criticality, 3);
  EXPECT_EQ(C->Suppressions[0].Path, "src");
  EXPECT_EQ(C->EntryPoints, std::vector<std::string>{"main"});
  EXPECT_EQ(C->CatalogFiles, std::vector<std::string>{"/p/a.json"});
}

TEST(Config, NestingBeyondTheLimitIsRefusedBeforeParsing) {
  std::string Dashes;
  for (int I = 0; I < 300; ++I)
    Dashes += "- ";
  EXPECT_EQ(configError("entry_points: " + std::string(300, '[') + "\n"),
            "/p/.integration-mapper.yaml:1:271: nested deeper than 256 levels");
  EXPECT_EQ(configError("catalog: " + Dashes + "x\n"),
            "/p/.integration-mapper.yaml:1:522: nested deeper than 256 levels");
  // Brackets in quoted scalars, comments, plain scalars and block scalars are text.
  auto C = config::parseConfig("entry_points: ['" + std::string(300, '[') + "', \"" +
                                   std::string(300, '{') + "\"]  # " + std::string(300, '[') +
                                   "\nsuppressions:\n  - reason: see [1] and {2}" +
                                   std::string(300, '[') + "\n    rule: r\n    path: |\n" +
                                   std::string(600, ' ') + "[[[\n",
                               "/p/.integration-mapper.yaml");
  ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->EntryPoints.size(), 2u);
  EXPECT_EQ(C->Suppressions[0].Path, "[[[\n");
}

TEST(Config, QuotedScalarsInCatalogEntriesStayText) {
  // `label: "404"` is text, as in JSON; `label: 404` is a number, and a label
  // must be text.
  auto Entry = [](const std::string &Label) {
    return "catalog:\n  - id: acme\n    kind: http\n    operations:\n"
           "      - {name: \"acme::post\", handle: arg0, label: " + Label + "}\n";
  };
  for (const char *Text : {"\"404\"", "'404'", "\"true\""}) {
    auto C = config::parseConfig(Entry(Text), "/p/.integration-mapper.yaml");
    ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
    catalog::Catalog Cat;
    ASSERT_FALSE(static_cast<bool>(config::extendCatalog(*C, Cat))) << Text;
    ASSERT_NE(Cat.library("acme"), nullptr);
    EXPECT_EQ(Cat.library("acme")->Operations[0].Label,
              std::string(Text).substr(1, std::string(Text).size() - 2));
  }
  auto C = config::parseConfig(Entry("404"), "/p/.integration-mapper.yaml");
  ASSERT_TRUE(static_cast<bool>(C));
  catalog::Catalog Cat;
  EXPECT_EQ(llvm::toString(config::extendCatalog(*C, Cat)),
            "/p/.integration-mapper.yaml (catalog): entry 'acme': operations[0].label: expected a string");
}

TEST(Config, FoundByWalkingUpLikeClangTidy) {
  namespace fs = std::filesystem;
  fs::path Root = fs::temp_directory_path() / ("im-config-" + std::to_string(getpid()));
  fs::create_directories(Root / "src" / "deep");
  std::ofstream(Root / ".integration-mapper.yaml") << "entry_points: [main]\n";
  EXPECT_EQ(config::findConfig((Root / "src" / "deep").string()),
            (Root / ".integration-mapper.yaml").string());
  fs::remove_all(Root);
}

TEST(Config, Durations) {
  EXPECT_EQ(*config::parseDuration("90s"), 90);
  EXPECT_EQ(*config::parseDuration("5m"), 300);
  EXPECT_EQ(*config::parseDuration("1h"), 3600);
  EXPECT_EQ(*config::parseDuration("2d"), 172800);
  EXPECT_EQ(*config::parseDuration("45"), 45);
  EXPECT_FALSE(config::parseDuration("-1m"));
  EXPECT_FALSE(config::parseDuration("m"));
}

// ------------------------------------------------------------------ grouping

model::CallSite site(const std::string &Id, const std::string &Lib, const std::string &Kind,
                     const std::string &Fn, const std::string &HandleKey,
                     const std::string &Endpoint, const std::string &Source = "literal") {
  model::CallSite C;
  C.Id = Id;
  C.Loc = {"/src/" + Id + ".cpp", 10, 3};
  C.Library = Lib;
  C.Kind = Kind;
  C.Operation = Lib == "libcurl" ? "curl_easy_perform" : "redisCommand";
  C.Function = Fn;
  C.FunctionKey = Fn + "()";
  C.Handle = HandleKey.substr(HandleKey.rfind(':') + 1);
  C.Handle = C.Handle.substr(0, C.Handle.find('@'));
  C.HandleKey = HandleKey;
  C.Endpoint = Endpoint;
  C.EndpointSource = Source;
  return C;
}

const catalog::Catalog &cat() {
  static auto C = catalog::Catalog::loadBuiltin();
  return *C;
}

TEST(Grouping, VendorHostEnvHandleAndWrapperClass) {
  std::vector<model::CallSite> S = {
      site("a", "libcurl", "http", "pay::Stripe::charge", "var:h@1", "https://api.stripe.com/v1/charges"),
      site("b", "libcurl", "http", "pay::Stripe::refund", "var:h@2", ""), // URL built at run time
      site("c", "libcurl", "http", "mail::send", "var:m@1", "", "env:SENDGRID_API_URL"),
      site("d", "libcurl", "http", "audit::post", "var:x@1", "", "env:AUDIT_URL"),
      site("e", "libcurl", "http", "audit::flush", "var:y@1", "", "env:AUDIT_URL"),
      site("f", "hiredis", "cache", "Cache::get", "field:Cache::ctx_", ""),
      site("g", "hiredis", "cache", "Cache::put", "field:Cache::ctx_", ""),
      site("h", "libcurl", "http", "hooks::notify", "param:hooks::notify()#0", ""),
  };
  auto Ints = analysis::groupIntegrations(S, cat());
  std::map<std::string, std::string> ById;
  for (const auto &C : S)
    ById[C.Id] = C.Integration;
  EXPECT_EQ(ById["a"], "stripe-payment-gateway");
  EXPECT_EQ(ById["b"], "stripe-payment-gateway") << "same wrapper class as a known Stripe call";
  EXPECT_EQ(ById["c"], "sendgrid") << "vendor from the env var prefix";
  EXPECT_EQ(ById["d"], ById["e"]) << "same env var";
  EXPECT_EQ(ById["d"], "audit-http-api") << "named after the env var's subject, not a function";
  EXPECT_EQ(ById["f"], "redis-cache") << "the only Redis: library plus role";
  EXPECT_EQ(ById["f"], ById["g"]) << "shared member handle";
  EXPECT_EQ(ById["h"], "http-api-h-cpp")
      << "nothing known: named after the file holding the call, never after a function";
  const model::Integration *Stripe = nullptr;
  for (const auto &I : Ints)
    if (I.Id == "stripe-payment-gateway")
      Stripe = &I;
  ASSERT_NE(Stripe, nullptr);
  EXPECT_EQ(Stripe->Category, "payment");
  EXPECT_THAT(Stripe->CallSites, ElementsAre("a", "b"));
  EXPECT_THAT(Stripe->GroupedBy,
              ElementsAre("same wrapper class pay::Stripe", "vendor Stripe Payment Gateway"));
}

TEST(Grouping, PostgresPrimaryOnlyWhenAlone) {
  std::vector<model::CallSite> One = {
      site("a", "libpqxx", "db", "Repo::get", "field:Repo::conn_", "host=db1 dbname=orders")};
  analysis::groupIntegrations(One, cat());
  EXPECT_EQ(One[0].Integration, "postgresql-primary");
  std::vector<model::CallSite> Two = {
      site("a", "libpqxx", "db", "Repo::get", "field:Repo::conn_", "host=db1 dbname=orders"),
      site("b", "libpqxx", "db", "Stats::get", "field:Stats::conn_", "host=db2 dbname=stats")};
  analysis::groupIntegrations(Two, cat());
  EXPECT_EQ(Two[0].Integration, "postgresql-db1-orders");
  EXPECT_EQ(Two[1].Integration, "postgresql-db2-stats");
}

// ------------------------------------------------------------------ rubric

TEST(Rubric, CriticalityLevelsRiskMoneyAndKeys) {
  EXPECT_EQ(analysis::baseCriticality("http", "payment"), 9);
  EXPECT_EQ(analysis::baseCriticality("db", "db"), 8);
  EXPECT_EQ(analysis::baseCriticality("cache", "cache"), 5);
  EXPECT_EQ(analysis::baseCriticality("http", "email"), 4);
  EXPECT_EQ(analysis::criticalityLevel(10), "CRITICAL");
  EXPECT_EQ(analysis::criticalityLevel(7), "HIGH");
  EXPECT_EQ(analysis::criticalityLevel(4), "MEDIUM");
  EXPECT_EQ(analysis::criticalityLevel(3), "LOW");
  EXPECT_EQ(analysis::riskScore(10, 1), 10);
  EXPECT_EQ(analysis::riskScore(10, 10), 1);
  EXPECT_EQ(analysis::riskScore(6, 3), 5);
  EXPECT_EQ(analysis::formatMoney(50000.0 / 24, "USD"), "$2,083");
  EXPECT_EQ(analysis::formatMoney(1234567, "CHF"), "1,234,567 CHF");
  EXPECT_EQ(analysis::glossaryKey("stripe-payment-gateway"), "StripePaymentGateway");
  EXPECT_EQ(analysis::formatScore(3.25), "3.25");
  EXPECT_EQ(analysis::formatScore(1.6), "1.6");
  EXPECT_EQ(analysis::formatScore(7), "7");
  EXPECT_EQ(analysis::resilienceRating(3.25), "POOR");
  EXPECT_EQ(analysis::resilienceRating(8), "EXCELLENT");
}

model::CallSite protectedSite(double Seconds, int Attempts) {
  auto C = site("p", "libcurl", "http", "pay::Stripe::charge", "var:h@1", "https://api.stripe.com");
  C.Timeout.Present = true;
  C.Timeout.Status = "present";
  C.Timeout.Seconds = Seconds;
  C.Timeout.Evidence = {{"/src/p.cpp", 8, "CURLOPT_TIMEOUT_MS 5000"}};
  C.Retry.Present = true;
  C.Retry.Status = "present";
  C.Retry.Bounded = true;
  C.Retry.Backoff = true;
  C.Retry.MaxAttempts = Attempts;
  return C;
}

TEST(Rubric, TimeoutJudgementWeakestCallDecides) {
  auto Good = protectedSite(5, 3);
  auto Bad = site("q", "libcurl", "http", "pay::Stripe::refund", "var:h@2", "");
  Bad.Timeout.Reason = "no CURLOPT_TIMEOUT on handle `h`";
  auto Both = analysis::judgeTimeout({&Good, &Bad});
  EXPECT_EQ(Both.Cell.Mark, "bad");
  EXPECT_EQ(Both.Cell.Text, "none (1/2 calls)");
  EXPECT_EQ(Both.Points, 0);
  ASSERT_EQ(Both.J.Refs.size(), 1u);
  EXPECT_EQ(Both.J.Refs[0].Line, 10u);
  auto One = analysis::judgeTimeout({&Good});
  EXPECT_EQ(One.Cell.Mark, "ok");
  EXPECT_EQ(One.Cell.Text, "5 s");
  EXPECT_EQ(One.Points, 3);
  auto Retry = analysis::judgeRetry({&Good, &Bad});
  EXPECT_EQ(Retry.Cell.Mark, "warn");
  EXPECT_EQ(Retry.Points, 1);
}

model::Report report(std::vector<model::CallSite> Sites) {
  model::Report R;
  R.CallSites = std::move(Sites);
  R.Integrations = analysis::groupIntegrations(R.CallSites, cat());
  R.Functions = {{"main()", "main", {"/src/main.cpp", 1, 5}},
                 {"handle()", "handle", {"/src/main.cpp", 5, 5}}};
  R.Calls = {{"main()", "handle()", {"/src/main.cpp", 2, 3}, {}},
             {"handle()", "pay::Stripe::charge()", {"/src/main.cpp", 6, 3}, {}},
             {"handle()", "Cache::get()", {"/src/main.cpp", 7, 3}, {}}};
  return R;
}

TEST(Assess, EntryPointsUsedByCriticalityRtoSpofAndCost) {
  auto Cache = site("c", "hiredis", "cache", "Cache::get", "field:Cache::ctx_", "");
  Cache.Timeout.Status = "present";
  Cache.Timeout.Present = true;
  Cache.Timeout.Seconds = 1.5;
  auto R = report({protectedSite(5, 3), Cache,
                   site("w", "libcurl", "http", "pay::Stripe::refund", "var:h@9", "")});
  config::Config Cfg;
  Cfg.EntryPoints = {"handle"};
  auto D = analysis::assess(R, Cfg, nullptr, &cat());
  EXPECT_THAT(D.EntryPoints, ElementsAre("handle", "main", "pay::Stripe::refund"));
  ASSERT_EQ(D.Integrations.size(), 2u);
  const auto &Redis = D.Integrations[0];
  const auto &Stripe = D.Integrations[1];
  EXPECT_EQ(Stripe.Id, "stripe-payment-gateway");
  EXPECT_THAT(Stripe.UsedBy, ElementsAre("handle", "main", "pay::Stripe::refund"));
  EXPECT_EQ(Stripe.Criticality, 10) << "payment 9, +1 for several entry points";
  EXPECT_EQ(Stripe.Level, "CRITICAL");
  EXPECT_TRUE(Stripe.Recovery.Unbounded) << "refund has no timeout";
  EXPECT_EQ(Stripe.Recovery.Verdict, "exceeds");
  EXPECT_EQ(Stripe.Recovery.Target, "5 min");
  EXPECT_EQ(Stripe.Recovery.TargetSource, "default");
  EXPECT_TRUE(Stripe.Spof);
  EXPECT_EQ(Stripe.Downtime.Text, "not configured") << "no revenue: never a made-up figure";
  EXPECT_EQ(Redis.Id, "redis-cache");
  EXPECT_THAT(Redis.UsedBy, ElementsAre("handle", "main"));
  EXPECT_EQ(Redis.Recovery.Actual, "1.5 s per request");
  EXPECT_EQ(Redis.Recovery.Verdict, "meets");
  EXPECT_THAT(Redis.Cascades, ElementsAre("stripe-payment-gateway"));
  EXPECT_EQ(D.CriticalSpofs, std::vector<std::string>{"stripe-payment-gateway"});
  ASSERT_FALSE(D.Plan.empty());
  EXPECT_EQ(D.Plan[0].Id, "M1");
  EXPECT_EQ(D.Plan[0].Priority, "CRITICAL");
  EXPECT_EQ(D.Plan[0].At.Line, 10u);
  EXPECT_THAT(D.Plan[0].Code, HasSubstr("curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);"));
  EXPECT_EQ(D.Downtime.Text, "not configured");
}

TEST(Assess, EntryPointsAreNeverOperatorsLambdasOrTestBodies) {
  auto R = report({protectedSite(5, 3)});
  model::Function Assign{"Order::operator=()", "Order::operator=", {"/src/order.cpp", 3, 1}};
  Assign.Special = true;
  model::Function Lambda{"lambda@/src/main.cpp:9()", "handle::<lambda>", {"/src/main.cpp", 9, 1}};
  Lambda.Special = true;
  model::Function Body{"PayTest_Charges_Test::TestBody()", "PayTest_Charges_Test::TestBody",
                       {"/src/pay_test.cpp", 4, 1}};
  model::Function Worker{"worker()", "worker", {"/src/worker.cpp", 2, 1}};
  for (const auto &F : {Assign, Lambda, Body, Worker}) {
    R.Functions.push_back(F);
    R.Calls.push_back({F.Key, "handle()", {F.Loc.File, F.Loc.Line + 1, 3}, {}});
  }
  auto D = analysis::assess(R, config::Config{}, nullptr);
  // The look-alike with no caller that is an ordinary function still is one.
  EXPECT_THAT(D.EntryPoints, ElementsAre("main", "worker"));
}

TEST(Assess, CostFromConfigAndOverrides) {
  auto R = report({protectedSite(5, 3)});
  config::Config Cfg;
  Cfg.DailyRevenue = 48000;
  config::IntegrationOverride O;
  O.Match = "stripe-payment-gateway";
  O.Criticality = 8;
  O.RtoTargetSeconds = 10;
  O.TrafficShare = 0.5;
  Cfg.Integrations.push_back(O);
  auto D = analysis::assess(R, Cfg, nullptr);
  const auto &X = D.Integrations[0];
  EXPECT_EQ(X.Criticality, 8);
  EXPECT_EQ(X.CriticalitySource, "config");
  EXPECT_EQ(X.Downtime.Text, "$1,000/hour");
  EXPECT_EQ(*X.Downtime.PerHour, 1000);
  EXPECT_EQ(X.Recovery.Actual, "15 s per request") << "5 s × 3 attempts";
  EXPECT_EQ(X.Recovery.Verdict, "exceeds") << "target 10 s from the config";
  EXPECT_EQ(D.Downtime.Text, "$1,000/hour");
}

TEST(Assess, ExcerptIsTheRealSourceAroundTheCall) {
  auto R = report({site("w", "libcurl", "http", "pay::Stripe::refund", "var:h@9",
                        "https://api.stripe.com/v1/refunds")});
  std::string Src;
  for (int L = 1; L <= 20; ++L)
    Src += "line " + std::to_string(L) + "\n";
  auto D = analysis::assess(R, {}, [&](const std::string &F) -> std::optional<std::string> {
    return F == "/src/w.cpp" ? std::optional<std::string>(Src) : std::nullopt;
  });
  ASSERT_EQ(D.Integrations[0].Excerpts.size(), 1u);
  const auto &E = D.Integrations[0].Excerpts[0];
  EXPECT_EQ(E.FirstLine, 6u);
  EXPECT_EQ(E.Text, "line 6\nline 7\nline 8\nline 9\nline 10\nline 11\nline 12\nline 13\n");
  EXPECT_THAT(E.Verdict, HasSubstr("PROBLEM: no timeout, no retry"));
}

TEST(Assess, ExcerptsNeverPrintCredentials) {
  EXPECT_EQ(support::redactSourceLine(
                R"(  curl_easy_setopt(h, CURLOPT_USERPWD, "sk_live_123:");)"),
            R"(  curl_easy_setopt(h, CURLOPT_USERPWD, "***");)");
  EXPECT_EQ(support::redactSourceLine(R"(conn_("host=db password=hunter2 \"x\"");)"),
            R"(conn_("***");)");
  EXPECT_EQ(support::redactSourceLine(
                R"(curl_easy_setopt(h, CURLOPT_URL, "https://api:Tr0ub4dor@api.example.com/v1");)"),
            R"(curl_easy_setopt(h, CURLOPT_URL, "***");)");
  EXPECT_EQ(support::redactSourceLine(R"(call("sk_live_51Habc", "x");)"), R"(call("***", "***");)");
  EXPECT_THAT(support::redactSourceLine(R"(call("AKIAIOSFODNN7EXAMPLE", "x");)"),
              testing::Not(HasSubstr("AKIAIOSFODNN7EXAMPLE")));
  EXPECT_EQ(support::redactSourceLine(R"(curl_easy_setopt(h, CURLOPT_URL, "https://a/b");)"),
            R"(curl_easy_setopt(h, CURLOPT_URL, "https://a/b");)");
}

// ------------------------------------------------------------------ glossary

model::Report glossaryReport() {
  auto R = report({protectedSite(5, 3)});
  R.Risk = analysis::assess(R, {}, nullptr);
  return R;
}

TEST(Glossary, KeepsOtherToolsEntriesAndUpdatesOurs) {
  std::string Existing = R"({
  "services": {"Billing": {"owner": "team-a"}},
  "integrations": {
    "Kafka": {"canonical_name": "Kafka", "discovered_by": "queue-mapper"},
    "StripePaymentGateway": {"canonical_name": "old", "notes": "keep me"}
  }
})";
  auto Out = report::mergeGlossary(Existing, "g.json", glossaryReport());
  ASSERT_TRUE(static_cast<bool>(Out)) << llvm::toString(Out.takeError());
  auto J = nlohmann::json::parse(*Out);
  EXPECT_EQ(J["services"]["Billing"]["owner"], "team-a");
  EXPECT_EQ(J["integrations"]["Kafka"]["discovered_by"], "queue-mapper");
  const auto &S = J["integrations"]["StripePaymentGateway"];
  EXPECT_EQ(S["canonical_name"], "Stripe Payment Gateway");
  EXPECT_EQ(S["type"], "external-api");
  EXPECT_EQ(S["discovered_by"], "integration-mapper");
  EXPECT_EQ(S["risk_level"], "critical");
  EXPECT_EQ(S["failure_impact"], "Cannot process payments");
  EXPECT_EQ(S["notes"], "keep me");
}

TEST(Glossary, MalformedFileIsRefusedAndLeftUntouched) {
  namespace fs = std::filesystem;
  fs::path D = fs::temp_directory_path() / ("im-glossary-" + std::to_string(getpid()));
  fs::create_directories(D);
  fs::path P = D / "glossary.json";
  std::ofstream(P) << "{\"integrations\": {";
  auto E = report::updateGlossary(P.string(), glossaryReport());
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_THAT(llvm::toString(std::move(E)),
              HasSubstr(P.string() + ": malformed glossary, left untouched: parse error"));
  std::ifstream In(P);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(In)), {}), "{\"integrations\": {");
  auto NotObject = report::mergeGlossary(R"({"integrations": []})", "g.json", glossaryReport());
  ASSERT_FALSE(static_cast<bool>(NotObject));
  EXPECT_EQ(llvm::toString(NotObject.takeError()),
            "g.json: malformed glossary, left untouched: \"integrations\" is not an object");
  // Our entry for an integration of the run holding something else than an object.
  auto NotOurs = report::mergeGlossary(R"({"integrations": {"StripePaymentGateway": "see wiki"}})",
                                       "g.json", glossaryReport());
  ASSERT_FALSE(static_cast<bool>(NotOurs));
  EXPECT_EQ(llvm::toString(NotOurs.takeError()),
            "g.json: malformed glossary, left untouched: \"integrations\".\"StripePaymentGateway\" "
            "is not an object");
  // A missing file (and directory) is created.
  fs::path New = D / "x" / ".claude" / "memory" / "glossary.json";
  ASSERT_FALSE(static_cast<bool>(report::updateGlossary(New.string(), glossaryReport())));
  EXPECT_TRUE(fs::exists(New));
  fs::remove_all(D);
}


} // namespace
