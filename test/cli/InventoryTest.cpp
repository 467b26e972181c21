// The inventory end to end: the built tool on small fixture trees with env files and
// build manifests (test/inputs/inventory/), the cross-check findings firing and
// not firing, malformed files reported and skipped, no env value in any output,
// and the playbook layout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "ToolRun.h"
#include <nlohmann/json.hpp>

#include "catalog/Catalog.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;
using testing::Not;

namespace {

const std::string Inputs = IM_TEST_INPUTS "/inventory";
const std::string Fake = "sk_test_FAKEVALUE123";

using im::test::ToolRun;
using im::test::slurp;

ToolRun run(const std::string &Args, const std::string &Cwd = IM_SOURCE_DIR) {
  return im::test::runTool(Args, Cwd);
}

fs::path tempDir(const std::string &Name) { return im::test::freshTempDir("im-inv-", Name); }


/// A compile database in `Db` for `Tree`/src/main.cpp.
void writeDb(const fs::path &Db, const fs::path &Tree) {
  std::ofstream(Db / "compile_commands.json")
      << R"([{"directory": ")" << Tree.string() << R"(", "file": ")"
      << (Tree / "src/main.cpp").string()
      << R"(", "command": "g++ -std=c++17 -c src/main.cpp -o /tmp/x.o"}])";
}

struct Analysis {
  ToolRun Run;
  json Report;
  std::string Markdown;
  fs::path Out;
};

Analysis analyze(const std::string &Fixture, const std::string &Extra = "") {
  Analysis A;
  fs::path D = tempDir(Fixture);
  writeDb(D, Inputs + "/" + Fixture);
  A.Out = D / "out";
  A.Run = run("-p '" + D.string() + "' --source-root '" + Inputs + "/" + Fixture +
              "' --output-dir '" + A.Out.string() + "' " + Extra);
  if (fs::exists(A.Out / "integration-report.json"))
    A.Report = json::parse(slurp(A.Out / "integration-report.json"));
  A.Markdown = slurp(A.Out / "INTEGRATION_RISK_ANALYSIS.md");
  return A;
}

/// "rule file-suffix:line" of every finding of an inventory rule.
std::vector<std::string> inventoryFindings(const json &R, const std::string &Root) {
  std::vector<std::string> Out;
  for (const auto &F : R["findings"]) {
    std::string Rule = F["rule"];
    if (Rule.find("env") == std::string::npos && Rule.find("unused-client") == std::string::npos &&
        Rule.find("from-literal") == std::string::npos)
      continue;
    std::string File = F["file"];
    if (File.rfind(Root + "/", 0) == 0)
      File = File.substr(Root.size() + 1);
    Out.push_back(Rule + " " + File + ":" + std::to_string(F["line"].get<unsigned>()));
  }
  return Out;
}

void expectNoSecretIn(const fs::path &Dir, const std::string &Stdout) {
  EXPECT_THAT(Stdout, Not(HasSubstr(Fake)));
  for (const auto &E : fs::recursive_directory_iterator(Dir))
    if (E.is_regular_file())
      EXPECT_THAT(slurp(E.path()), Not(HasSubstr(Fake))) << E.path();
}

// ------------------------------------------------------------------ service fixture

class Service : public testing::Test {
protected:
  static void SetUpTestSuite() { A = new Analysis(analyze("service")); }
  static void TearDownTestSuite() {
    fs::remove_all(A->Out.parent_path());
    delete A;
  }
  static Analysis *A;
  const std::string Root = Inputs + "/service";
};
Analysis *Service::A = nullptr;

TEST_F(Service, EveryCrossCheckFiresWhereItShouldAndOnlyThere) {
  ASSERT_EQ(A->Run.Exit, 0) << A->Run.Output;
  EXPECT_THAT(inventoryFindings(A->Report, Root),
              testing::UnorderedElementsAre(
                  // STRIPE_API_KEY: the code uses a literal instead (see below).
                  "integration-env-var-unused .env:2",
                  "integration-env-plaintext-url .env:3", // http:// to audit.example.net
                  "integration-env-var-unused .env:4",    // REDIS_URL: the code reads REDIS_HOST
                  "integration-env-var-unused .env:5",    // LEGACY_API_URL
                  "integration-env-var-unused .env:7",    // EMPTY_TOKEN
                  "integration-env-var-unused .env.example:2", // DATABASE_URL
                  "integration-unused-client-library CMakeLists.txt:12", // pqxx
                  "integration-credential-from-literal src/main.cpp:10",
                  "integration-env-var-undefined src/main.cpp:27")); // getenv("REDIS_HOST")
  // Not firing: AUDIT_COLLECTOR_URL is read, curl and hiredis are called, REDIS_URL
  // to localhost is not "plaintext", STRIPE_API_KEY is reported once though defined twice.
}

TEST_F(Service, FindingMessagesNameTheEvidence) {
  std::map<std::string, std::string> ByRule;
  for (const auto &F : A->Report["findings"])
    ByRule[F["rule"]] += F["message"].get<std::string>() + "\n";
  EXPECT_THAT(ByRule["integration-unused-client-library"],
              HasSubstr("the build links libpqxx (`pqxx` in cmake) but no analyzed call uses it"));
  EXPECT_THAT(ByRule["integration-env-var-undefined"],
              HasSubstr("the code reads REDIS_HOST but no env file defines it (2 env files searched)"));
  EXPECT_THAT(ByRule["integration-credential-from-literal"],
              HasSubstr("`CURLOPT_USERPWD` is set from a string literal although STRIPE_API_KEY is "
                        "defined for this integration in .env:2"));
  EXPECT_THAT(ByRule["integration-env-plaintext-url"],
              HasSubstr("AUDIT_COLLECTOR_URL points at http://audit.example.net without encryption"));
}

TEST_F(Service, OneRowPerIntegrationWithEverySourceOfEvidence) {
  std::map<std::string, json> ById;
  for (const auto &I : A->Report["integrations"]) {
    EXPECT_EQ(ById.count(I["id"]), 0u) << I["id"];
    ById[I["id"]] = I;
  }
  ASSERT_TRUE(ById.count("stripe-payment-gateway"));
  ASSERT_TRUE(ById.count("redis-cache"));
  ASSERT_TRUE(ById.count("postgresql-db-internal")); // named by DATABASE_URL only
  EXPECT_TRUE(ById["postgresql-db-internal"]["call_sites"].empty());
  std::map<std::string, std::vector<std::string>> Sources;
  for (const auto &I : A->Report["inventory"]["integrations"])
    for (const auto &S : I["sources"])
      Sources[I["id"]].push_back(fs::path(S["file"].get<std::string>()).filename().string() + ":" +
                                 std::to_string(S["line"].get<unsigned>()) + " " +
                                 S["note"].get<std::string>());
  EXPECT_THAT(Sources["stripe-payment-gateway"],
              testing::ElementsAre(".env:2 env STRIPE_API_KEY (credential)",
                                   ".env.example:1 env STRIPE_API_KEY (credential)",
                                   "CMakeLists.txt:4 cmake links libcurl (CURL)",
                                   "CMakeLists.txt:10 cmake links libcurl (CURL::libcurl)"));
  // The code reads REDIS_HOST, not REDIS_URL: the env file's local Redis is its own row.
  EXPECT_THAT(Sources["redis-cache"],
              testing::ElementsAre("CMakeLists.txt:6 cmake links hiredis (hiredis>=1.0)"));
  EXPECT_THAT(Sources["redis-localhost"],
              testing::ElementsAre(".env:4 env REDIS_URL (endpoint, redis://localhost)"));
  EXPECT_THAT(A->Markdown, HasSubstr("| Stripe Payment Gateway | 1 | `.env:2` env STRIPE_API_KEY "
                                     "(credential)<br>`.env.example:1` env STRIPE_API_KEY "
                                     "(credential) | `CMakeLists.txt:4` cmake links libcurl (CURL)"));
}

TEST_F(Service, InventorySectionsInJsonAndMarkdown) {
  const json &Inv = A->Report["inventory"];
  EXPECT_EQ(Inv["env_files"].size(), 2u);
  EXPECT_EQ(Inv["manifests"].size(), 1u);
  bool SawDatabase = false;
  for (const auto &V : Inv["variables"]) {
    EXPECT_FALSE(V.contains("value"));
    if (V["name"] == "DATABASE_URL") {
      SawDatabase = true;
      EXPECT_EQ(V["class"], "endpoint");
      EXPECT_EQ(V["scheme"], "postgres");
      EXPECT_EQ(V["host"], "db.internal");
      EXPECT_EQ(V["line"], 2);
      EXPECT_EQ(V["read_by_code"], false);
    }
  }
  EXPECT_TRUE(SawDatabase);
  std::vector<std::string> Libs;
  for (const auto &L : Inv["libraries"])
    Libs.push_back(L["library"].get<std::string>() + (L["called"].get<bool>() ? " called" : " unused"));
  EXPECT_THAT(Libs, testing::ElementsAre("libcurl called", "hiredis called", "libcurl called",
                                         "libpqxx unused"));
  EXPECT_THAT(A->Markdown, HasSubstr("## Inventory: environment and build"));
  EXPECT_THAT(A->Markdown, HasSubstr("| `AUDIT_COLLECTOR_URL` | `.env:3` | endpoint | "
                                     "`http://audit.example.net` ⚠️ plaintext | ✅ | audit-collector-http-api |"));
  EXPECT_THAT(A->Markdown, HasSubstr("| libpqxx | `pqxx` (cmake) | `CMakeLists.txt:12` | ❌ |"));
}

TEST_F(Service, MalformedEnvLineIsReportedWithPathAndLineAndTheRunGoesOn) {
  EXPECT_THAT(A->Run.Output, HasSubstr("warning: " + Root + "/.env:8: expected NAME=value (skipped)"));
  EXPECT_THAT(A->Markdown, HasSubstr("- `.env:8` expected NAME=value"));
  ASSERT_EQ(A->Report["inventory"]["problems"].size(), 1u);
}

TEST_F(Service, NoEnvValueInAnyOutput) { expectNoSecretIn(A->Out, A->Run.Output); }

// ------------------------------------------------------------------ not firing

TEST(InventoryClean, NoCrossCheckFiresWhenEverythingAgrees) {
  Analysis A = analyze("clean");
  ASSERT_EQ(A.Run.Exit, 0) << A.Run.Output;
  EXPECT_THAT(inventoryFindings(A.Report, Inputs + "/clean"), testing::ElementsAre());
  ASSERT_EQ(A.Report["inventory"]["variables"].size(), 2u);
  for (const auto &V : A.Report["inventory"]["variables"])
    EXPECT_TRUE(V["read_by_code"].get<bool>()) << V["name"];
  EXPECT_TRUE(A.Report["inventory"]["libraries"][0]["called"].get<bool>());
  expectNoSecretIn(A.Out, A.Run.Output);
  fs::remove_all(A.Out.parent_path());
}

TEST(InventoryClean, NoInventoryOptionTurnsItOff) {
  Analysis A = analyze("service", "--no-inventory");
  ASSERT_EQ(A.Run.Exit, 0) << A.Run.Output;
  EXPECT_FALSE(A.Report["inventory"]["enabled"].get<bool>());
  EXPECT_THAT(inventoryFindings(A.Report, Inputs + "/service"), testing::ElementsAre());
  EXPECT_THAT(A.Markdown, Not(HasSubstr("## Inventory")));
  fs::remove_all(A.Out.parent_path());
}

TEST(InventoryClean, BundledExampleAgreesWithItsEnvFileAndBuild) {
  // The example is analyzed from the repository root: the walk finds the example's
  // .env.example and CMakeLists.txt, and skips test/inputs/inventory (it holds
  // .integration-mapper-ignore) and build/.
  fs::path D = tempDir("example");
  ToolRun R = run("-p compile_commands.example.json --output-dir '" + D.string() + "'");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  json J = json::parse(slurp(D / "integration-report.json"));
  const std::string Src = IM_SOURCE_DIR;
  ASSERT_EQ(J["inventory"]["env_files"].size(), 1u);
  EXPECT_EQ(J["inventory"]["env_files"][0]["file"], Src + "/examples/payment-service/.env.example");
  for (const auto &F : J["inventory"]["manifests"])
    EXPECT_EQ(F["file"].get<std::string>().find("/inventory/"), std::string::npos) << F;
  for (const auto &V : J["inventory"]["variables"])
    EXPECT_TRUE(V["read_by_code"].get<bool>()) << V["name"];
  std::vector<std::string> Libs;
  for (const auto &L : J["inventory"]["libraries"])
    Libs.push_back(L["library"].get<std::string>() + (L["called"].get<bool>() ? " called" : ""));
  EXPECT_THAT(Libs, testing::ElementsAre("libcurl called", "hiredis called", "libpqxx called",
                                         "libcurl called"));
  EXPECT_THAT(inventoryFindings(J, Src), testing::ElementsAre());
  EXPECT_THAT(R.Output, Not(HasSubstr("/test/inputs/inventory/")));
  std::string Md = slurp(D / "INTEGRATION_RISK_ANALYSIS.md");
  // The call-site count comes from the code; the env source from .env.example.
  EXPECT_THAT(Md, testing::ContainsRegex("\\| Stripe Payment Gateway \\| [0-9]+ \\| "
                                         "`examples/payment-service/.env.example:2` env "
                                         "STRIPE_API_KEY \\(credential\\) \\|"));
  fs::remove_all(D);
}

// ------------------------------------------------------------------ malformed files

TEST(InventoryBroken, MalformedManifestsAndEnvFilesAreReportedAndSkipped) {
  Analysis A = analyze("broken");
  std::string Root = Inputs + "/broken";
  ASSERT_EQ(A.Run.Exit, 0) << A.Run.Output;
  EXPECT_THAT(A.Run.Output, HasSubstr("warning: " + Root + "/.env.production:2: expected NAME=value"));
  EXPECT_THAT(A.Run.Output, HasSubstr("warning: " + Root +
                                      "/.env.production:3: unterminated quoted value of QUOTED_SECRET"));
  EXPECT_THAT(A.Run.Output, HasSubstr("warning: " + Root + "/vcpkg.json:3: malformed JSON"));
  EXPECT_THAT(A.Run.Output,
              HasSubstr("warning: " + Root +
                        "/CMakeLists.txt:2: command 'target_link_libraries' has no closing parenthesis"));
  EXPECT_EQ(A.Report["inventory"]["problems"].size(), 4u);
  // What parsed before the bad line is kept.
  ASSERT_EQ(A.Report["inventory"]["variables"].size(), 1u);
  EXPECT_EQ(A.Report["inventory"]["variables"][0]["name"], "GOOD_URL");
  ASSERT_EQ(A.Report["inventory"]["libraries"].size(), 1u);
  EXPECT_EQ(A.Report["inventory"]["libraries"][0]["line"], 1);
  expectNoSecretIn(A.Out, A.Run.Output);
  fs::remove_all(A.Out.parent_path());
  // --quiet: the problems stay in the report, nothing is printed.
  Analysis Q = analyze("broken", "--quiet");
  ASSERT_EQ(Q.Run.Exit, 0) << Q.Run.Output;
  EXPECT_EQ(Q.Run.Output, "");
  EXPECT_EQ(Q.Report["inventory"]["problems"].size(), 4u);
  fs::remove_all(Q.Out.parent_path());
}

// ------------------------------------------------------------------ every manifest kind

TEST(InventoryManifests, EveryManifestKindEndToEnd) {
  // The clean service plus a vcpkg.json, conanfile.txt, conanfile.py and meson.build.
  fs::path Tree = tempDir("manifests-tree");
  fs::copy(Inputs + "/clean", Tree, fs::copy_options::recursive);
  for (const char *Kind : {"vcpkg", "conan-txt", "conan-py", "meson"})
    fs::copy(Inputs + "/manifests/" + Kind, Tree / Kind, fs::copy_options::recursive);
  fs::path Db = tempDir("manifests-db");
  writeDb(Db, Tree);
  ToolRun R = run("-p '" + Db.string() + "' --source-root '" + Tree.string() + "' --output-dir '" +
                  (Db / "out").string() + "'");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  json J = json::parse(slurp(Db / "out/integration-report.json"));
  std::vector<std::string> Libs;
  for (const auto &L : J["inventory"]["libraries"]) {
    std::string File = L["file"];
    Libs.push_back(File.substr(Tree.string().size() + 1) + ":" +
                   std::to_string(L["line"].get<unsigned>()) + " " + L["manifest"].get<std::string>() +
                   " " + L["library"].get<std::string>() + (L["called"].get<bool>() ? " called" : ""));
  }
  EXPECT_THAT(Libs, testing::ElementsAre(
                        "CMakeLists.txt:1 cmake libcurl called",
                        "CMakeLists.txt:3 cmake libcurl called",
                        "conan-py/conanfile.py:7 conan libpq",
                        "conan-py/conanfile.py:10 conan mongoc",
                        "conan-py/conanfile.py:11 conan cpp-httplib",
                        "conan-txt/conanfile.txt:2 conan libcurl called",
                        "conan-txt/conanfile.txt:4 conan librdkafka",
                        "meson/meson.build:3 meson libcurl called",
                        "meson/meson.build:5 meson libpq",
                        "meson/meson.build:6 meson zeromq",
                        "vcpkg/vcpkg.json:6 vcpkg libcurl called",
                        "vcpkg/vcpkg.json:7 vcpkg hiredis",
                        "vcpkg/vcpkg.json:8 vcpkg aws-sdk-cpp",
                        "vcpkg/vcpkg.json:9 vcpkg cpr"));
  // Unused: exactly the uncalled libraries the catalog knows (hiredis at least);
  // the others (libpq, librdkafka, ...) cannot be judged until the catalog has them.
  auto Cat = im::catalog::Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(Cat));
  std::set<std::string> Expected, Got;
  for (const auto &L : J["inventory"]["libraries"])
    if (!L["called"].get<bool>() && Cat->library(L["library"].get<std::string>()))
      Expected.insert(L["library"].get<std::string>());
  std::string HiredisMessage;
  for (const auto &F : J["findings"])
    if (F["rule"] == "integration-unused-client-library") {
      std::string M = F["message"];
      std::string Lib = M.substr(std::string("the build links ").size());
      Got.insert(Lib.substr(0, Lib.find(' ')));
      if (Lib.rfind("hiredis ", 0) == 0)
        HiredisMessage = M;
    }
  EXPECT_EQ(Got, Expected);
  EXPECT_TRUE(Expected.count("hiredis"));
  EXPECT_THAT(HiredisMessage, HasSubstr("the build links hiredis (`hiredis` in vcpkg)"));
  fs::remove_all(Tree);
  fs::remove_all(Db);
}

// ------------------------------------------------------------------ layout

TEST(Layout, ClaudeWritesThePlaybookPaths) {
  fs::path Tree = tempDir("layout-tree");
  fs::copy(Inputs + "/clean", Tree, fs::copy_options::recursive);
  fs::path Db = tempDir("layout-db");
  writeDb(Db, Tree);
  for (int Pass = 0; Pass < 2; ++Pass) { // the second run must not read its own output
    ToolRun R = run("-p '" + Db.string() + "' --source-root '" + Tree.string() + "' --layout=claude");
    ASSERT_EQ(R.Exit, 0) << R.Output;
    fs::path Doc = Tree / ".claude/memory/integrations/INTEGRATION_RISK_ANALYSIS.md";
    EXPECT_THAT(R.Output, HasSubstr("report: " + Doc.string()));
    EXPECT_TRUE(fs::exists(Doc));
    EXPECT_TRUE(fs::exists(Tree / ".claude/memory/integrations/integration-report.json"));
    json J = json::parse(slurp(Tree / ".claude/memory/integrations/integration-report.json"));
    EXPECT_EQ(J["inventory"]["env_files"].size(), 1u);
    expectNoSecretIn(Tree / ".claude", R.Output);
  }
  fs::remove_all(Tree);
  fs::remove_all(Db);
}

TEST(Layout, BadValuesAreUsageErrors) {
  ToolRun Bogus = run("-p compile_commands.example.json --layout=bogus");
  EXPECT_EQ(Bogus.Exit, 2);
  EXPECT_THAT(Bogus.Output, HasSubstr("--layout: unknown layout 'bogus' (expected default, claude)"));
  ToolRun Both = run("-p compile_commands.example.json --layout=claude --output-dir /tmp/x");
  EXPECT_EQ(Both.Exit, 2);
  EXPECT_THAT(Both.Output, HasSubstr("do not combine it with --output-dir"));
}

} // namespace
