// Inventory parsers (env files, CMake, vcpkg, conan, meson), discovery, the
// manifest-name mapping and the cross-reference with the code. Clang-free.
#include "analysis/Rules.h"
#include "catalog/Catalog.h"
#include "inventory/Inventory.h"
#include "model/Facts.h"
#include "support/Files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace im;
using namespace im::inventory;
using testing::ElementsAre;
using testing::HasSubstr;
using testing::Not;

namespace {

const std::string Inputs = IM_TEST_INPUTS "/inventory";
const char *Fake = "sk_test_FAKEVALUE123";

const catalog::Catalog &builtin() {
  static const catalog::Catalog Cat = [] {
    auto C = catalog::Catalog::loadBuiltin();
    EXPECT_TRUE(static_cast<bool>(C));
    return C ? std::move(*C) : catalog::Catalog();
  }();
  return Cat;
}

std::string read(const std::string &P) {
  auto T = support::readFile(P);
  EXPECT_TRUE(static_cast<bool>(T)) << P;
  return T ? *T : "";
}

/// "library name line" per entry, for compact expectations.
std::vector<std::string> libs(const ManifestParse &P) {
  std::vector<std::string> Out;
  for (const auto &L : P.Libraries)
    Out.push_back(L.Library + " " + L.Name + " " + std::to_string(L.Loc.Line));
  return Out;
}
std::vector<std::string> problems(const std::vector<model::InventoryProblem> &Ps) {
  std::vector<std::string> Out;
  for (const auto &P : Ps)
    Out.push_back(std::to_string(P.Loc.Line) + ": " + P.Message);
  return Out;
}

/// Every string field of a variable: where a value could leak.
std::string allText(const model::EnvVariable &V) {
  return V.Name + "|" + V.Loc.File + "|" + V.Class + "|" + V.Scheme + "|" + V.Host + "|" +
         V.Integration;
}

} // namespace

// ---------------------------------------------------------------- env files

TEST(EnvNames, EndpointsAndCredentialsByName) {
  EXPECT_EQ(classifyEnvName("DATABASE_URL"), "endpoint");
  EXPECT_EQ(classifyEnvName("REDIS_URL"), "endpoint");
  EXPECT_EQ(classifyEnvName("PAYMENTS_ENDPOINT"), "endpoint");
  EXPECT_EQ(classifyEnvName("DB_HOST"), "endpoint");
  EXPECT_EQ(classifyEnvName("SENTRY_DSN"), "endpoint");
  EXPECT_EQ(classifyEnvName("orders_uri"), "endpoint");
  EXPECT_EQ(classifyEnvName("STRIPE_API_KEY"), "credential");
  EXPECT_EQ(classifyEnvName("JWT_SECRET"), "credential");
  EXPECT_EQ(classifyEnvName("GITHUB_TOKEN"), "credential");
  EXPECT_EQ(classifyEnvName("DB_PASSWORD"), "credential");
  EXPECT_EQ(classifyEnvName("AWS_SECRET_ACCESS_KEY"), "credential");
  EXPECT_EQ(classifyEnvName("LOG_LEVEL"), "");
  EXPECT_EQ(classifyEnvName("URL_PREFIX_LENGTH"), "");
  EXPECT_EQ(classifyEnvName("TOKENIZER_THREADS"), "");
}

TEST(EnvParser, DotenvSyntax) {
  std::string Text = "# comment\n"
                     "\n"
                     "export STRIPE_API_KEY=\"sk_test_FAKEVALUE123\"\n"
                     "API_URL = https://api.example.com/v1 # trailing comment\n"
                     "REDIS_URL='redis://:sk_test_FAKEVALUE123@cache.internal:6379/0'\n"
                     "EMPTY_TOKEN=\n"
                     "EMPTY_QUOTED_PASSWORD=\"\"\n"
                     "PRIVATE_KEY=\"-----BEGIN KEY-----\n"
                     "sk_test_FAKEVALUE123\n"
                     "-----END KEY-----\"\n"
                     "  LOG_LEVEL=debug\n"
                     "HOOK_URL=http://hooks.example.net/x\n"
                     "LOCAL_URL=http://localhost:8080\n";
  EnvParse P = parseEnvFile("/p/.env", Text);
  EXPECT_THAT(problems(P.Problems), ElementsAre());
  ASSERT_EQ(P.Variables.size(), 9u);
  std::vector<std::string> Got;
  for (const auto &V : P.Variables) {
    Got.push_back(V.Name + "@" + std::to_string(V.Loc.Line) + " " + V.Class + " " + V.Scheme +
                  " " + V.Host + (V.Empty ? " empty" : "") + (V.Plaintext ? " plaintext" : ""));
    EXPECT_EQ(allText(V).find(Fake), std::string::npos) << allText(V);
  }
  EXPECT_THAT(Got, ElementsAre("STRIPE_API_KEY@3 credential  ", "API_URL@4 endpoint https api.example.com",
                               "REDIS_URL@5 endpoint redis cache.internal plaintext",
                               "EMPTY_TOKEN@6 credential   empty",
                               "EMPTY_QUOTED_PASSWORD@7 credential   empty",
                               "PRIVATE_KEY@8 credential  ", "LOG_LEVEL@11   ",
                               "HOOK_URL@12 endpoint http hooks.example.net plaintext",
                               "LOCAL_URL@13 endpoint http localhost"));
}

TEST(EnvParser, NoPartOfACredentialPassesForAHost) {
  EnvParse P = parseEnvFile("/p/.env", "A_URL=postgres://u:sk_test/FAKEVALUE123@db.example.com/x\n"
                                       "B_URL=https://u:sk_test_FAKEVALUE123@api.example.com:8443/v1\n"
                                       "C_URL=redis://${REDIS_HOST}:6379\n"
                                       "D_URL=http://[::1]:8080/\n"
                                       "E_URL=not a url://x\n");
  ASSERT_EQ(P.Variables.size(), 5u);
  EXPECT_EQ(P.Variables[0].Scheme, "postgres");
  EXPECT_EQ(P.Variables[0].Host, ""); // ambiguous: '/' in the password
  EXPECT_EQ(P.Variables[1].Host, "api.example.com");
  EXPECT_EQ(P.Variables[2].Host, ""); // interpolation
  EXPECT_EQ(P.Variables[3].Host, "::1");
  EXPECT_FALSE(P.Variables[3].Plaintext);
  EXPECT_EQ(P.Variables[4].Scheme, "");
  for (const auto &V : P.Variables) {
    EXPECT_EQ(allText(V).find("sk_test"), std::string::npos) << allText(V);
    EXPECT_EQ(allText(V).find("FAKEVALUE"), std::string::npos) << allText(V);
  }
}

TEST(EnvParser, MalformedLinesAreReportedAndSkipped) {
  EnvParse P = parseEnvFile(Inputs + "/broken/.env.production", read(Inputs + "/broken/.env.production"));
  ASSERT_EQ(P.Variables.size(), 1u);
  EXPECT_EQ(P.Variables[0].Name, "GOOD_URL");
  EXPECT_THAT(problems(P.Problems), ElementsAre("2: expected NAME=value",
                                                "3: unterminated quoted value of QUOTED_SECRET"));
  EXPECT_EQ(P.Problems[0].Loc.File, Inputs + "/broken/.env.production");
  for (const auto &Pr : P.Problems)
    EXPECT_EQ(Pr.Message.find(Fake), std::string::npos);
}

TEST(EnvParser, ByteOrderMarkAndCrlfLineEnds) {
  EnvParse P = parseEnvFile("/p/.env", "\xEF\xBB\xBF" "A_URL=https://x.example\r\nB_TOKEN=\"y\"\r\n");
  EXPECT_THAT(problems(P.Problems), ElementsAre());
  ASSERT_EQ(P.Variables.size(), 2u);
  EXPECT_EQ(P.Variables[0].Name, "A_URL");
  EXPECT_EQ(P.Variables[0].Host, "x.example");
  EXPECT_EQ(P.Variables[1].Name, "B_TOKEN");
  EXPECT_EQ(P.Variables[1].Loc.Line, 2u);
}

TEST(EnvParser, TextAfterAQuotedValueIsAProblem) {
  EnvParse P = parseEnvFile("/p/.env", "A_URL=\"https://x.example\" junk\nB_URL=https://y.example\n");
  EXPECT_THAT(problems(P.Problems), ElementsAre("1: unexpected text after the quoted value of A_URL"));
  ASSERT_EQ(P.Variables.size(), 1u);
  EXPECT_EQ(P.Variables[0].Name, "B_URL");
}

// ---------------------------------------------------------------- manifests

TEST(ManifestNames, TheCatalogNamesEveryManifestKind) {
  EXPECT_EQ(libraryForManifestName(builtin(), "CURL"), "libcurl");
  EXPECT_EQ(libraryForManifestName(builtin(), "CURL::libcurl"), "libcurl");
  EXPECT_EQ(libraryForManifestName(builtin(), "libcurl>=7.80"), "libcurl");
  EXPECT_EQ(libraryForManifestName(builtin(), "libcurl/8.4.0"), "libcurl");
  EXPECT_EQ(libraryForManifestName(builtin(), "pqxx"), "libpqxx");
  EXPECT_EQ(libraryForManifestName(builtin(), "PostgreSQL"), "libpq");
  EXPECT_EQ(libraryForManifestName(builtin(), "hiredis::hiredis"), "hiredis");
  EXPECT_EQ(libraryForManifestName(builtin(), "redis++::redis++_static"), "redis-plus-plus");
  EXPECT_EQ(libraryForManifestName(builtin(), "RdKafka::rdkafka++"), "librdkafka");
  EXPECT_EQ(libraryForManifestName(builtin(), "gRPC::grpc++"), "grpc");
  EXPECT_EQ(libraryForManifestName(builtin(), "Qt5::Network"), "qt-network");
  EXPECT_EQ(libraryForManifestName(builtin(), "aws-cpp-sdk-s3"), "aws-sdk-cpp");
  EXPECT_EQ(libraryForManifestName(builtin(), "mongo::mongoc_shared"), "mongoc");
  EXPECT_EQ(libraryForManifestName(builtin(), "mongo-c-driver"), "mongoc");
  EXPECT_EQ(libraryForManifestName(builtin(), "paho-mqttpp3"), "paho-mqtt");
  EXPECT_EQ(libraryForManifestName(builtin(), "unofficial::sqlite3::sqlite3"), "sqlite");
  EXPECT_EQ(libraryForManifestName(builtin(), "mysqlclient"), "mysql");
  EXPECT_EQ(libraryForManifestName(builtin(), "fmt"), "");
  EXPECT_EQ(libraryForManifestName(builtin(), "Qt5::Widgets"), "");
  EXPECT_EQ(libraryForManifestName(builtin(), "Poco"), ""); // only its Net component is a client
  EXPECT_EQ(libraryForManifestName(builtin(), "curlpp"), "");
}

TEST(CMakeManifest, FindPackagePkgConfigAndLinkedTargets) {
  std::string P = Inputs + "/manifests/cmake/CMakeLists.txt";
  ManifestParse M = parseCMake(P, read(P), builtin());
  EXPECT_THAT(problems(M.Problems), ElementsAre());
  EXPECT_THAT(libs(M), ElementsAre("libcurl CURL 2", "poco-net Poco::Net 3", "libpqxx libpqxx 8",
                                   "librdkafka rdkafka++>=1.9 9",
                                   "redis-plus-plus redis++::redis++_static 11",
                                   "sqlite sqlite3 12", "libmemcached memcached 12"));
  for (const auto &L : M.Libraries) {
    EXPECT_EQ(L.Manifest, "cmake");
    EXPECT_EQ(L.Loc.File, P);
  }
}

TEST(CMakeManifest, UnclosedCommandIsReportedWithItsLine) {
  std::string P = Inputs + "/broken/CMakeLists.txt";
  ManifestParse M = parseCMake(P, read(P), builtin());
  EXPECT_THAT(libs(M), ElementsAre("libcurl CURL 1"));
  EXPECT_THAT(problems(M.Problems),
              ElementsAre("2: command 'target_link_libraries' has no closing parenthesis"));
}

TEST(VcpkgManifest, DependenciesWithTheirLines) {
  std::string P = Inputs + "/manifests/vcpkg/vcpkg.json";
  ManifestParse M = parseVcpkg(P, read(P), builtin());
  EXPECT_THAT(problems(M.Problems), ElementsAre());
  EXPECT_THAT(libs(M), ElementsAre("libcurl curl 6", "hiredis hiredis 7",
                                   "aws-sdk-cpp aws-sdk-cpp 8", "cpr cpr 9"));
}

TEST(VcpkgManifest, MalformedJsonIsReportedWithItsLine) {
  std::string P = Inputs + "/broken/vcpkg.json";
  ManifestParse M = parseVcpkg(P, read(P), builtin());
  EXPECT_TRUE(M.Libraries.empty());
  ASSERT_EQ(M.Problems.size(), 1u);
  EXPECT_EQ(M.Problems[0].Loc.Line, 3u);
  EXPECT_EQ(M.Problems[0].Message,
            "malformed JSON: syntax error while parsing value - unexpected ']'; expected '[', "
            "'{', or a literal");
  ManifestParse Literal = parseVcpkg("/p/vcpkg.json", "{\"dependencies\": [sk_test_FAKEVALUE123]}", builtin());
  ASSERT_EQ(Literal.Problems.size(), 1u);
  EXPECT_THAT(Literal.Problems[0].Message, Not(HasSubstr("FAKEVALUE")));
}

TEST(ConanManifest, RequiresOfTxtAndPy) {
  std::string T = Inputs + "/manifests/conan-txt/conanfile.txt";
  EXPECT_THAT(libs(parseConanTxt(T, read(T), builtin())),
              ElementsAre("libcurl libcurl/8.4.0 2", "librdkafka librdkafka/2.3.0 4"));
  std::string Py = Inputs + "/manifests/conan-py/conanfile.py";
  ManifestParse M = parseConanPy(Py, read(Py), builtin());
  EXPECT_THAT(problems(M.Problems), ElementsAre());
  EXPECT_THAT(libs(M), ElementsAre("libpq libpq/15.4 7", "mongoc mongo-c-driver/1.24.4 10",
                                   "cpp-httplib cpp-httplib/0.14.1 11"));
  EXPECT_THAT(problems(parseConanTxt("/p/conanfile.txt", "[requires\nlibcurl/8\n", builtin()).Problems),
              ElementsAre("1: malformed section header"));
}

TEST(MesonManifest, DependencyAndFindLibrary) {
  std::string P = Inputs + "/manifests/meson/meson.build";
  ManifestParse M = parseMeson(P, read(P), builtin());
  EXPECT_THAT(problems(M.Problems), ElementsAre());
  EXPECT_THAT(libs(M), ElementsAre("libcurl libcurl 3", "libpq libpq 5", "zeromq zmq 6"));
  EXPECT_THAT(problems(parseMeson("/p/meson.build", "x = dependency('libcurl'\ny = 1\n", builtin()).Problems),
              ElementsAre("1: unbalanced '(': no closing parenthesis"));
}

// ---------------------------------------------------------------- discovery

TEST(Discovery, FindsManifestsAndSkipsBuildVendoredAndHiddenDirectories) {
  Discovered D = discover(Inputs + "/manifests");
  std::vector<std::string> Rel;
  for (const auto &F : D.Manifests)
    Rel.push_back(support::relativeTo(F, Inputs + "/manifests"));
  EXPECT_THAT(Rel, ElementsAre("cmake/CMakeLists.txt", "conan-py/conanfile.py",
                               "conan-txt/conanfile.txt", "meson/meson.build", "vcpkg/vcpkg.json"));
  EXPECT_TRUE(D.EnvFiles.empty()); // node_modules/ and .cache/ are not entered
  EXPECT_FALSE(D.Truncated);
}

TEST(Discovery, IgnoreMarkerDepthAndEntryBounds) {
  // test/inputs/inventory holds .integration-mapper-ignore: a walk from above skips it.
  Discovered Above = discover(IM_TEST_INPUTS);
  for (const auto &F : Above.EnvFiles)
    EXPECT_EQ(F.find("/inventory/"), std::string::npos) << F;
  Discovered Shallow = discover(Inputs + "/manifests", {0, 50000, {}});
  EXPECT_TRUE(Shallow.Manifests.empty());
  EXPECT_TRUE(Shallow.Truncated);
  Discovered Few = discover(Inputs + "/manifests", {8, 3, {}});
  EXPECT_TRUE(Few.Truncated);
}

TEST(Discovery, NeverWalksTheFileSystemRoot) {
  model::Inventory Inv = collect("/", builtin());
  EXPECT_TRUE(Inv.Manifests.empty());
  ASSERT_EQ(Inv.Problems.size(), 1u);
  EXPECT_THAT(Inv.Problems[0].Message, HasSubstr("not searched (pass --source-root)"));
}

TEST(Discovery, EnvFileNames) {
  EXPECT_TRUE(isEnvFileName(".env"));
  EXPECT_TRUE(isEnvFileName(".env.example"));
  EXPECT_TRUE(isEnvFileName(".env.production"));
  EXPECT_FALSE(isEnvFileName(".envrc"));
  EXPECT_FALSE(isEnvFileName("env"));
}

// ---------------------------------------------------------------- cross-reference

namespace {
model::Report reportWith(const std::vector<std::string> &EnvText) {
  model::Report R;
  model::TranslationUnit U;
  U.File = "/p/src/a.cpp";
  U.Status = "analyzed";
  R.Units.push_back(U);
  model::CallSite Stripe;
  Stripe.Id = "a";
  Stripe.Loc = {"/p/src/a.cpp", 10, 3};
  Stripe.Library = "libcurl";
  Stripe.HandleKey = "var:h@a";
  Stripe.Integration = "stripe-payment-gateway";
  model::CallSite Redis;
  Redis.Id = "b";
  Redis.Loc = {"/p/src/a.cpp", 20, 3};
  Redis.Library = "hiredis";
  Redis.Integration = "redis-hiredis";
  R.CallSites = {Stripe, Redis};
  auto AddIntegration = [&](const char *Id, const char *Name, const char *Library,
                            const char *Endpoint, const char *Site) {
    model::Integration I;
    I.Id = Id;
    I.Name = Name;
    I.Library = Library;
    I.Endpoint = Endpoint;
    I.CallSites = {Site};
    R.Integrations.push_back(I);
  };
  AddIntegration("redis-hiredis", "Redis (hiredis)", "hiredis", "", "b");
  AddIntegration("stripe-payment-gateway", "Stripe Payment Gateway", "libcurl",
                 "https://api.stripe.com/v1/charges", "a");
  R.Inventory.Enabled = true;
  R.Inventory.EnvFiles = {"/p/.env"};
  for (const auto &T : EnvText)
    for (auto &V : parseEnvFile("/p/.env", T).Variables)
      R.Inventory.Variables.push_back(V);
  return R;
}
std::vector<std::string> rulesOf(const std::vector<model::Finding> &Fs) {
  std::vector<std::string> Out;
  for (const auto &F : Fs)
    Out.push_back(F.Rule + " " + std::to_string(F.Loc.Line));
  return Out;
}
} // namespace

TEST(CrossReference, EnvAndManifestEvidenceJoinTheCodeIntegration) {
  model::Report R = reportWith({"STRIPE_SECRET_KEY=x\nREDIS_URL=redis://cache.internal:6379\n"
                                "REDIS_PASSWORD=y\nDATABASE_URL=postgres://db.internal/orders\n"});
  R.Inventory.Libraries.push_back({"libcurl", "CURL", "cmake", {"/p/CMakeLists.txt", 4, 0}});
  R.Inventory.EnvReads.push_back({"REDIS_URL", {"/p/src/a.cpp", 19, 5}});
  crossReference(R, builtin());
  ASSERT_EQ(R.Integrations.size(), 3u);
  EXPECT_EQ(R.Integrations[0].Id, "postgresql-db-internal"); // named by the environment only
  EXPECT_TRUE(R.Integrations[0].CallSites.empty());
  EXPECT_EQ(R.Integrations[1].Id, "redis-hiredis");
  ASSERT_EQ(R.Integrations[1].Sources.size(), 2u);
  EXPECT_EQ(R.Integrations[1].Sources[0].Note, "env REDIS_URL (endpoint, redis://cache.internal)");
  EXPECT_EQ(R.Integrations[1].Sources[1].Note, "env REDIS_PASSWORD (credential)");
  EXPECT_EQ(R.Integrations[2].Id, "stripe-payment-gateway");
  ASSERT_EQ(R.Integrations[2].Sources.size(), 2u);
  EXPECT_EQ(R.Integrations[2].Sources[0].File, "/p/.env");
  EXPECT_EQ(R.Integrations[2].Sources[0].Line, 1u);
  EXPECT_EQ(R.Integrations[2].Sources[1].Note, "cmake links libcurl (CURL)");
  EXPECT_TRUE(R.Inventory.Libraries[0].Called);
  EXPECT_TRUE(R.Inventory.Variables[1].ReadByCode);
  EXPECT_FALSE(R.Inventory.Variables[0].ReadByCode);
}

TEST(InventoryRules, FireAndStayQuiet) {
  auto Cat = catalog::Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(Cat));
  model::Report R = reportWith({"STRIPE_API_KEY=x\nAPI_URL=http://api.example.com\nLOG_LEVEL=1\n"});
  R.Inventory.EnvReads.push_back({"API_URL", {"/p/src/a.cpp", 5, 1}});
  R.Inventory.EnvReads.push_back({"MISSING_URL", {"/p/src/a.cpp", 6, 1}});
  R.Inventory.EnvReads.push_back({"HOME", {"/p/src/a.cpp", 7, 1}});
  R.Inventory.Libraries.push_back({"libpqxx", "pqxx", "cmake", {"/p/CMakeLists.txt", 9, 0}});
  R.Inventory.Libraries.push_back({"libcurl", "CURL", "cmake", {"/p/CMakeLists.txt", 4, 0}});
  R.Inventory.Libraries.push_back({"no-such-id", "x", "cmake", {"/p/CMakeLists.txt", 5, 0}});
  crossReference(R, builtin());
  model::Setting Literal;
  Literal.HandleKey = "var:h@a";
  Literal.Concern = "credential";
  Literal.Option = "CURLOPT_USERPWD";
  Literal.Val.DependsOn = "literal";
  Literal.Loc = {"/p/src/a.cpp", 8, 3};
  auto F = analysis::evaluateInventoryRules(R, {Literal}, *Cat, "/p");
  EXPECT_THAT(rulesOf(F), ElementsAre("integration-env-var-unused 1",
                                      "integration-env-plaintext-url 2",
                                      "integration-unused-client-library 9",
                                      "integration-env-var-undefined 6",
                                      "integration-credential-from-literal 8"));
  for (const auto &X : F) {
    EXPECT_NE(analysis::rule(X.Rule), nullptr) << X.Rule;
    EXPECT_FALSE(X.Fingerprint.empty());
  }
  EXPECT_THAT(F[3].Message, HasSubstr("MISSING_URL"));
  EXPECT_THAT(F[4].Message, HasSubstr("STRIPE_API_KEY is defined for this integration in .env:1"));

  // No env file: nothing is "undefined"; nothing analyzed: no cross-check at all.
  R.Inventory.EnvFiles.clear();
  R.Inventory.Variables.clear();
  EXPECT_THAT(rulesOf(analysis::evaluateInventoryRules(R, {}, *Cat, "/p")),
              ElementsAre("integration-unused-client-library 9"));
  R.Units[0].Status = "failed";
  EXPECT_TRUE(analysis::evaluateInventoryRules(R, {}, *Cat, "/p").empty());
}

TEST(EnvReadFacts, JsonRoundTrip) {
  model::TUFacts F;
  F.Unit.File = "/p/a.cpp";
  F.EnvReads.push_back({"API_URL", {"/p/a.cpp", 3, 7}});
  model::TUFacts G = model::tuFactsFromJson(model::toJson(F));
  ASSERT_EQ(G.EnvReads.size(), 1u);
  EXPECT_EQ(G.EnvReads[0].Name, "API_URL");
  EXPECT_EQ(G.EnvReads[0].Loc, (model::Location{"/p/a.cpp", 3, 7}));
}
