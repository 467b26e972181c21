// The built tool as a user runs it: the bundled example end to end, and every
// kind of bad input with its exact message and exit code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "ToolRun.h"
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;
using testing::Not;

namespace {

using im::test::ToolRun;
using im::test::slurp;

ToolRun run(const std::string &Args, const std::string &Cwd = IM_SOURCE_DIR) {
  return im::test::runTool(Args, Cwd);
}

fs::path tempDir(const std::string &Name) { return im::test::freshTempDir("im-cli-", Name); }

using im::test::write;

json readJson(const fs::path &P) {
  std::ifstream In(P);
  return json::parse(In);
}

const std::string Inputs = IM_TEST_INPUTS "/cli";

std::string entry(const std::string &File, const std::string &Extra = "") {
  return R"({"directory": ")" + Inputs + R"(", "file": ")" + File +
         R"(", "command": "g++ -std=c++17 )" + Extra + " -c " + File + R"( -o /tmp/x.o"})";
}

const json *callAt(const json &Report, const std::string &FileSuffix, unsigned Line) {
  for (const auto &C : Report["call_sites"])
    if (C["file"].get<std::string>().size() >= FileSuffix.size() &&
        C["file"].get<std::string>().compare(C["file"].get<std::string>().size() - FileSuffix.size(),
                                             FileSuffix.size(), FileSuffix) == 0 &&
        C["line"] == Line)
      return &C;
  return nullptr;
}

// ------------------------------------------------------------------ the example

class Example : public testing::Test {
protected:
  static void SetUpTestSuite() {
    Out = new fs::path(tempDir("example"));
    Result = new ToolRun(run("-p compile_commands.example.json --output-dir '" + Out->string() +
                             "' --glossary '" + (*Out / "glossary.json").string() + "'"));
    Report = new json(readJson(*Out / "integration-report.json"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*Out);
    delete Out;
    delete Result;
    delete Report;
  }
  static fs::path *Out;
  static ToolRun *Result;
  static json *Report;
};
fs::path *Example::Out;
ToolRun *Example::Result;
json *Example::Report;

TEST_F(Example, RunsAndSaysWhereTheReportIs) {
  EXPECT_EQ(Result->Exit, 0) << Result->Output;
  EXPECT_THAT(Result->Output, HasSubstr("integration-mapper: 6 translation units (0 failed, 0 skipped)"));
  EXPECT_THAT(Result->Output, HasSubstr("report: " + (*Out / "integration-report.json").string()));
  EXPECT_THAT(Result->Output, HasSubstr("report: " + (*Out / "INTEGRATION_RISK_ANALYSIS.md").string()));
  for (const auto &E : fs::directory_iterator(*Out))
    EXPECT_EQ(E.path().string().find(".tmp"), std::string::npos) << "temporary file left behind";
}

TEST_F(Example, EveryTranslationUnitAnalyzed) {
  ASSERT_EQ((*Report)["translation_units"].size(), 6u);
  for (const auto &U : (*Report)["translation_units"]) {
    EXPECT_EQ(U["status"], "analyzed") << U.dump();
    EXPECT_TRUE(fs::path(U["file"].get<std::string>()).is_absolute());
  }
  EXPECT_EQ((*Report)["schema_version"], "1.1");
}

TEST_F(Example, StripeChargeIsProtectedByHelperTimeoutAndBackoffRetry) {
  const json *C = callAt(*Report, "src/payments/StripeClient.cpp", 36);
  ASSERT_NE(C, nullptr) << Report->dump(2);
  EXPECT_EQ((*C)["library"], "libcurl");
  EXPECT_EQ((*C)["kind"], "http");
  EXPECT_EQ((*C)["operation"], "curl_easy_perform");
  EXPECT_EQ((*C)["function"], "shop::payments::StripeClient::charge");
  EXPECT_EQ((*C)["handle"], "curl");
  EXPECT_EQ((*C)["column"], 19);
  EXPECT_EQ((*C)["integration"], "stripe-payment-gateway");
  EXPECT_EQ((*C)["timeout"]["present"], true);
  EXPECT_EQ((*C)["timeout"]["seconds"], 5.0);
  std::vector<std::string> Ev;
  for (const auto &E : (*C)["timeout"]["evidence"])
    Ev.push_back(fs::path(E["file"].get<std::string>()).filename().string() + ":" +
                 std::to_string(E["line"].get<int>()) + " " + E["note"].get<std::string>());
  EXPECT_THAT(Ev, testing::ElementsAre(
                      "CurlOptions.cpp:10 CURLOPT_CONNECTTIMEOUT_MS = 2 s (kConnectTimeoutMs)",
                      "CurlOptions.cpp:11 CURLOPT_TIMEOUT_MS = 5 s (kTransferTimeoutMs)",
                      "StripeClient.cpp:31 passes the handle to shop::http::applyDefaultTimeouts()"));
  const json &R = (*C)["retry"];
  EXPECT_EQ(R["present"], true);
  EXPECT_EQ(R["bounded"], true);
  EXPECT_EQ(R["max_attempts"], 3);
  EXPECT_EQ(R["backoff"], true);
  EXPECT_EQ(R["jitter"], false);
}

TEST_F(Example, RefundHasNoTimeoutAndAFinding) {
  const json *C = callAt(*Report, "src/payments/StripeClient.cpp", 55);
  ASSERT_NE(C, nullptr);
  EXPECT_EQ((*C)["timeout"]["present"], false);
  EXPECT_EQ((*C)["timeout"]["status"], "absent");
  EXPECT_EQ((*C)["timeout"]["reason"],
            "no CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS/CURLOPT_CONNECTTIMEOUT/CURLOPT_CONNECTTIMEOUT_MS "
            "on handle `curl` before line 55; libcurl waits forever for a transfer by default "
            "(connect phase: 300 s)");
  bool Found = false;
  for (const auto &F : (*Report)["findings"])
    if (F["rule"] == "integration-missing-timeout" && F["line"] == 55) {
      Found = true;
      EXPECT_EQ(F["severity"], "high");
      EXPECT_THAT(F["message"].get<std::string>(),
                  HasSubstr("`curl_easy_perform` on `curl` has no timeout: no CURLOPT_TIMEOUT"));
    }
  EXPECT_TRUE(Found);
}

TEST_F(Example, ZeroTimeoutInMacroAndItemLoopAreSeenThrough) {
  const json *C = callAt(*Report, "src/notify/WebhookNotifier.cpp", 20);
  ASSERT_NE(C, nullptr) << "the call inside SHOP_PERFORM(h) reports the user's line";
  EXPECT_EQ((*C)["timeout"]["status"], "absent");
  EXPECT_EQ((*C)["timeout"]["reason"],
            "CURLOPT_TIMEOUT is set to 0L at line 16, which libcurl treats as no timeout");
  EXPECT_EQ((*C)["retry"]["present"], false);
  EXPECT_EQ((*C)["retry"]["reason"],
            "the loop at line 17 iterates over a collection, calling once per item; it is not a "
            "retry");
}

TEST_F(Example, EnvironmentTimeoutIsConditional) {
  const json *C = callAt(*Report, "src/notify/WebhookNotifier.cpp", 35);
  ASSERT_NE(C, nullptr);
  EXPECT_EQ((*C)["timeout"]["present"], false);
  EXPECT_EQ((*C)["timeout"]["status"], "conditional");
  EXPECT_EQ((*C)["timeout"]["reason"],
            "CURLOPT_TIMEOUT_MS is set from env:AUDIT_TIMEOUT_MS, not a compile-time constant");
}

TEST_F(Example, RedisAndPostgresAreFoundWithTheirTimeouts) {
  const json *Get = callAt(*Report, "src/cache/SessionCache.cpp", 18);
  ASSERT_NE(Get, nullptr);
  EXPECT_EQ((*Get)["library"], "hiredis");
  EXPECT_EQ((*Get)["kind"], "cache");
  EXPECT_EQ((*Get)["timeout"]["seconds"], 1.5);
  const json *Conn = callAt(*Report, "src/db/OrderRepository.cpp", 6);
  ASSERT_NE(Conn, nullptr);
  EXPECT_EQ((*Conn)["handle"], "conn_");
  EXPECT_EQ((*Conn)["timeout"]["seconds"], 5.0);
  const json *Exec = callAt(*Report, "src/db/OrderRepository.cpp", 10);
  ASSERT_NE(Exec, nullptr);
  EXPECT_EQ((*Exec)["integration"], (*Conn)["integration"]) << "the transaction uses conn_";
  EXPECT_EQ((*Exec)["timeout"]["status"], "absent") << "connect_timeout does not bound a statement";
}

TEST_F(Example, MarkdownHasTheInventory) {
  std::ifstream In(*Out / "INTEGRATION_RISK_ANALYSIS.md");
  std::string Md((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  EXPECT_THAT(Md, HasSubstr("# Integration Risk Analysis"));
  EXPECT_THAT(Md, HasSubstr("| `examples/payment-service/src/payments/StripeClient.cpp:36` | "
                            "`shop::payments::StripeClient::charge` | `curl_easy_perform` | `curl` | "
                            "✅ 5 s | ✅ 3×, backoff |"));
}

TEST_F(Example, GlossaryKeepsOtherEntriesAndTheDocumentHasEverySection) {
  json G = readJson(*Out / "glossary.json");
  EXPECT_EQ(G["integrations"]["StripePaymentGateway"]["risk_level"], "critical");
  EXPECT_THAT(Result->Output, HasSubstr("glossary: " + (*Out / "glossary.json").string()));
  std::ifstream In(*Out / "INTEGRATION_RISK_ANALYSIS.md");
  std::string Md((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  size_t Last = 0;
  for (const char *Section :
       {"## Executive Summary", "## Critical Integrations", "## Integration Architecture",
        "## Integration Dependency Graph", "## Resilience Pattern Assessment",
        "## Resilience Quality Matrix", "## Prioritized Mitigation Plan", "## For AI Agents",
        "## Glossary"}) {
    size_t At = Md.find(Section);
    ASSERT_NE(At, std::string::npos) << Section;
    EXPECT_GT(At, Last) << Section << " out of the playbook's order";
    Last = At;
  }
  EXPECT_THAT(Md, HasSubstr("**Estimated Cost of Downtime**: $2,083/hour"));
}

TEST_F(Example, OutputIsDeterministic) {
  fs::path Again = tempDir("example-again");
  ToolRun R = run("-p compile_commands.example.json -j 1 --no-glossary --output-dir '" + Again.string() + "'");
  ASSERT_EQ(R.Exit, 0);
  for (const char *F : {"integration-report.json", "INTEGRATION_RISK_ANALYSIS.md"}) {
    std::ifstream A(*Out / F), B(Again / F);
    std::string SA((std::istreambuf_iterator<char>(A)), {}), SB((std::istreambuf_iterator<char>(B)), {});
    EXPECT_EQ(SA, SB) << F;
  }
  fs::remove_all(Again);
}

// ------------------------------------------------------------------ bad input

// ------------------------------------------------------------------ security

TEST_F(Example, StripeCredentialComesFromTheEnvironment) {
  const json *C = callAt(*Report, "src/payments/StripeClient.cpp", 36);
  ASSERT_NE(C, nullptr);
  const json &S = (*C)["security"];
  EXPECT_EQ(S["transport"], "tls");
  EXPECT_EQ(S["tls_verification"], "verified");
  ASSERT_EQ(S["credential_source"].size(), 1u) << S.dump(2);
  EXPECT_EQ(S["credential_source"][0]["kind"], "env");
  EXPECT_EQ(S["credential_source"][0]["name"], "STRIPE_API_KEY");
  EXPECT_EQ(S["credential_source"][0]["via"], "CURLOPT_USERPWD");
  EXPECT_EQ(S["credential_source"][0]["line"], 28);
}

TEST_F(Example, PostgresWithoutSslmodeIsADowngradeAtTheConninfo) {
  const json *Found = nullptr;
  for (const auto &F : (*Report)["findings"]) {
    if (F["rule"] == "integration-tls-downgrade-possible")
      Found = &F;
    EXPECT_NE(F["rule"], "integration-tls-verification-disabled") << F["message"];
  }
  ASSERT_NE(Found, nullptr);
  EXPECT_THAT((*Found)["file"].get<std::string>(), testing::EndsWith("src/db/OrderRepository.cpp"));
  EXPECT_EQ((*Found)["line"], 6);
  EXPECT_EQ((*Found)["column"], 14); // the conninfo literal, not the member initializer
  EXPECT_EQ((*Found)["severity"], "medium");
  ASSERT_TRUE(Found->contains("related"));
  EXPECT_GE((*Found)["related"].size(), 1u); // the calls on the connection
  EXPECT_THAT((*Found)["message"].get<std::string>(),
              HasSubstr("PostgreSQL connection to orders-db.internal: no sslmode"));
}

TEST(Security, SecretTextAppearsInNoOutput) {
  fs::path D = tempDir("secrets");
  const std::string Live = "sk_live_51HqLyjWDarjtT1zdp7dcXYZ";
  const std::string Pw = "Tr0ub4dor-and-3";
  write(D / "secrets.cpp", R"cpp(
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <pqxx/pqxx>
const char *kKey = ")cpp" + Live + R"cpp(";
void pay() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api:)cpp" + Pw + R"cpp(@api.example.com/v1");
  curl_easy_setopt(h, CURLOPT_USERPWD, "admin:)cpp" + Pw + R"cpp(");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
  curl_easy_perform(h);
}
void cache(redisContext *c) { redisCommand(c, "AUTH )cpp" + Pw + R"cpp("); }
void db() {
  pqxx::connection c("host=db.example.com password=)cpp" + Pw + R"cpp( sslmode=verify-full");
  pqxx::work tx(c);
  tx.exec("SELECT 1");
}
)cpp");
  write(D / "broken.cpp", "#error " + Live + " password=" + Pw + "\n");
  write(D / "compile_commands.json",
        R"([{"directory": ")" + D.string() + R"(", "file": "secrets.cpp", "command": "g++ -std=c++17 -c secrets.cpp"},
            {"directory": ")" + D.string() + R"(", "file": "broken.cpp", "command": "g++ -std=c++17 -c broken.cpp"}])");
  ToolRun R = run("-p '" + D.string() + "' --format=json,md,sarif,diagnostics --output-dir '" +
                      (D / "out").string() + "'",
                  D.string());
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, Not(HasSubstr(Live)));
  EXPECT_THAT(R.Output, Not(HasSubstr(Pw)));
  size_t Files = 0;
  for (const auto &E : fs::directory_iterator(D / "out")) {
    std::ifstream In(E.path());
    std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    ++Files;
    EXPECT_THAT(Text, Not(HasSubstr(Live))) << E.path();
    EXPECT_THAT(Text, Not(HasSubstr(Pw))) << E.path();
  }
  EXPECT_EQ(Files, 3u); // JSON, Markdown, SARIF; diagnostics went to stdout
  EXPECT_THAT(R.Output, HasSubstr("[integration-hardcoded-secret]"));
  json Report = readJson(D / "out" / "integration-report.json");
  std::vector<std::string> Kinds;
  for (const auto &F : Report["findings"])
    if (F["rule"] == "integration-hardcoded-secret")
      Kinds.push_back(std::to_string(F["line"].get<int>()) + " " + F["message"].get<std::string>().substr(0, 60));
  EXPECT_THAT(Kinds, testing::ElementsAre(
                         "5 hard-coded Stripe live secret key in a string literal: anyon",
                         "8 hard-coded password in a URL in a string literal passed to `",
                         "9 hard-coded credential passed to `CURLOPT_USERPWD` as a strin",
                         "13 hard-coded Redis AUTH password passed to `redisCommand` as a",
                         "15 hard-coded password in a connection string in a string liter"));
  fs::remove_all(D);
}

TEST(BadInput, MissingDatabase) {
  ToolRun R = run("-p /nonexistent/build");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: /nonexistent/build: no such file\n");
}

TEST(BadInput, DirectoryWithoutDatabase) {
  fs::path D = tempDir("nodb");
  ToolRun R = run("-p '" + D.string() + "'");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + D.string() +
                          ": no compile_commands.json in this directory (configure with "
                          "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or use bear)\n");
}

TEST(BadInput, MalformedDatabase) {
  fs::path D = tempDir("malformed");
  write(D / "compile_commands.json", "[{\"directory\": \"/x\", \"file\": \"a.cpp\"\n");
  ToolRun R = run("-p '" + D.string() + "'");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "compile_commands.json").string() +
                          ": not a JSON compilation database: invalid JSON at line 2, column 1\n");
}

TEST(BadInput, SourceNotInDatabase) {
  ToolRun R = run("-p compile_commands.example.json examples/payment-service/src/http/CurlOptions.h");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: examples/payment-service/src/http/CurlOptions.h: "
                      "not in the compilation database compile_commands.example.json\n");
}

TEST(BadInput, MissingSource) {
  ToolRun R = run("-p compile_commands.example.json no/such/file.cpp");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: no/such/file.cpp: no such file\n");
}

TEST(BadInput, UnknownFormat) {
  ToolRun R = run("-p compile_commands.example.json --format=pdf");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: --format: unknown format 'pdf' (expected json, md, sarif, diagnostics)\n");
}

TEST(BadInput, ConfigErrorNamesFileLineAndField) {
  fs::path D = tempDir("badconfig");
  write(D / "cfg.yaml", "business:\n  daily_revenue: 5\nintegrations:\n  - match: stripe\n    "
                        "criticality: 11\n");
  ToolRun R = run("-p compile_commands.example.json --config '" + (D / "cfg.yaml").string() +
                  "' --output-dir '" + (D / "out").string() + "'");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "cfg.yaml").string() +
                          ":4:5: integrations['stripe'].criticality: must be between 1 and 10\n");
  write(D / "cfg.yaml", "bussiness:\n  daily_revenue: 5\n");
  R = run("-p compile_commands.example.json --config '" + (D / "cfg.yaml").string() + "'");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "cfg.yaml").string() +
                          ":1:1: unknown key 'bussiness'\n");
  fs::remove_all(D);
}

TEST(BadInput, MalformedGlossaryIsLeftUntouched) {
  fs::path D = tempDir("badglossary");
  write(D / "glossary.json", "{\"integrations\": [}");
  ToolRun R = run("-p compile_commands.example.json --output-dir '" + (D / "out").string() +
                  "' --glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " + (D / "glossary.json").string() +
                                  ": malformed glossary, left untouched: parse error"));
  std::ifstream In(D / "glossary.json");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(In)), {}), "{\"integrations\": [}");
  fs::remove_all(D);
}

TEST(BadInput, UnknownOptionIsUsageError) {
  ToolRun R = run("--no-such-option");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_THAT(R.Output, HasSubstr("Unknown command line argument '--no-such-option'"));
}

TEST(Cli, VersionAndHelp) {
  ToolRun V = run("--version");
  EXPECT_EQ(V.Exit, 0);
  EXPECT_THAT(V.Output, HasSubstr("integration-mapper 0.1.0 (LLVM/Clang 19."));
  ToolRun H = run("--help");
  EXPECT_EQ(H.Exit, 0);
  for (const char *Opt : {"-p <path>", "--extra-arg=<string>", "--extra-arg-before=<string>",
                          "-j <uint>", "--format=<string>", "--output-dir=<string>"})
    EXPECT_THAT(H.Output, HasSubstr(std::string("  ") + Opt + " ")) << Opt;
  EXPECT_THAT(H.Output, HasSubstr("Exit codes: 0 analysis done, 1 findings at or above --fail-on, 2 usage or input error."));
}

TEST(Robustness, BrokenGccOnlyDuplicateAndMissingFiles) {
  fs::path D = tempDir("robust");
  write(D / "compile_commands.json",
        "[" + entry("broken.cpp") + "," +
            entry("tu_one.cpp", "-fno-canonical-system-headers -fconcepts-diagnostics-depth=3") +
            "," + entry("tu_two.cpp") + "," + entry("tu_one.cpp", "-DAGAIN") + "," +
            entry("generated_at_build_time.cpp") + "]");
  ToolRun R = run("-p '" + D.string() + "' --output-dir '" + (D / "out").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("4 translation units (1 failed, 1 skipped), 2 call sites"));
  EXPECT_THAT(R.Output,
              HasSubstr("failed: " + Inputs + "/broken.cpp: " + Inputs +
                        "/broken.cpp:7:10: use of undeclared identifier 'undeclared_function'"));
  EXPECT_THAT(R.Output, HasSubstr("skipped: " + Inputs + "/generated_at_build_time.cpp: " + Inputs +
                                  "/generated_at_build_time.cpp: listed in the compilation database "
                                  "but does not exist (generated at build time?)"));
  EXPECT_THAT(R.Output, HasSubstr("note: " + Inputs + "/tu_one.cpp is listed more than once"));
  json J = readJson(D / "out" / "integration-report.json");
  // The broken file is still analyzed as far as Clang can: its good call is found.
  EXPECT_NE(callAt(J, "broken.cpp", 4), nullptr);
  // The header's call is reported once although two translation units include it.
  int Shared = 0;
  for (const auto &C : J["call_sites"])
    Shared += C["file"].get<std::string>().find("shared_call.h") != std::string::npos;
  EXPECT_EQ(Shared, 1);
  for (const auto &U : J["translation_units"])
    if (U["file"].get<std::string>().find("tu_one.cpp") != std::string::npos)
      EXPECT_EQ(U["status"], "analyzed") << "GCC-only flags must not stop the run";
  fs::remove_all(D);
}

TEST(Configuration, InactiveBranchThatWouldChangeTheVerdictIsNoted) {
  fs::path D = tempDir("ifdef");
  write(D / "compile_commands.json", "[" + entry("ifdef_timeout.cpp", "-DNDEBUG") + "]");
  ToolRun R = run("-p '" + D.string() + "' --output-dir '" + (D / "out").string() + "'");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  json J = readJson(D / "out" / "integration-report.json");
  EXPECT_EQ(J["translation_units"][0]["configuration"], "-std=c++17 -DNDEBUG");
  const json *C = callAt(J, "ifdef_timeout.cpp", 7);
  ASSERT_NE(C, nullptr);
  EXPECT_EQ((*C)["timeout"]["status"], "absent");
  ASSERT_EQ((*C)["configuration_notes"].size(), 1u);
  EXPECT_EQ((*C)["configuration_notes"][0]["line"], 4);
  EXPECT_EQ((*C)["configuration_notes"][0]["note"],
            "an inactive preprocessor branch (lines 4-6) sets CURLOPT_TIMEOUT: another build "
            "configuration may give this call a timeout");
  // With the macro defined the verdict changes and the note goes away.
  write(D / "compile_commands.json", "[" + entry("ifdef_timeout.cpp", "-DUSE_TIMEOUTS") + "]");
  R = run("-p '" + D.string() + "' --output-dir '" + (D / "out").string() + "'");
  J = readJson(D / "out" / "integration-report.json");
  C = callAt(J, "ifdef_timeout.cpp", 7);
  ASSERT_NE(C, nullptr);
  EXPECT_EQ((*C)["timeout"]["status"], "present");
  EXPECT_TRUE((*C)["configuration_notes"].empty());
  fs::remove_all(D);
}

TEST_F(Example, BreakerAndFallbackAreFoundAcrossFunctions) {
  const json *Audit = callAt(*Report, "src/notify/WebhookNotifier.cpp", 35);
  ASSERT_NE(Audit, nullptr);
  EXPECT_EQ((*Audit)["circuit_breaker"]["present"], true);
  EXPECT_EQ((*Audit)["circuit_breaker"]["kind"], "wraps the call (recognised by shape)");
  const json *Get = callAt(*Report, "src/cache/SessionCache.cpp", 18);
  ASSERT_NE(Get, nullptr);
  EXPECT_EQ((*Get)["fallback"]["present"], true);
  EXPECT_EQ((*Get)["fallback"]["kind"], "alternative_source");
  bool Names = false;
  for (const auto &E : (*Get)["fallback"]["evidence"])
    Names |= E["note"].get<std::string>().find("on failure calls shop::db::OrderRepository::sessionUser()") !=
             std::string::npos;
  EXPECT_TRUE(Names) << (*Get)["fallback"].dump(2);
}

} // namespace

// The project's own clients (docs/catalog.md, "Your own clients"): an in-house SDK
// whose implementation is not in the compile database, declared in the config file
// (inline entry) and in a catalog file the config names.
TEST(UserCatalog, InHouseClientsFromTheConfigAreReportedWithTheirProtection) {
  fs::path D = tempDir("usercatalog");
  fs::create_directories(D / "clients");
  write(D / ".integration-mapper.yaml", R"(catalog:
  - id: acme-ledger
    name: Acme ledger SDK
    kind: http
    default_timeout: {seconds: 30, text: "the SDK gives up after 30 s", source: "acme/ledger.h"}
    operations:
      - {name: "acme::Ledger::post", handle: object, label: post entry}
    setters:
      - {name: "acme::Ledger::setDeadline", handle: object, value_arg: 0,
         options: [{concern: timeout, scope: total, unit: ms}]}
catalog_files: [clients/queue.json]
)");
  write(D / "clients" / "queue.json", R"({"id": "acme-bus", "kind": "queue",
  "default_timeout": {"seconds": null, "text": "publish blocks until the broker answers", "source": "acme/bus.h"},
  "operations": [{"name": "::acme::Bus::publish", "handle": "object", "label": "publish"}]})");
  write(D / "main.cpp", R"(namespace acme {
struct Ledger { void setDeadline(int ms); int post(const char *entry); };
struct Bus { int publish(const char *topic); };
}
int book(acme::Ledger &l) {
  l.setDeadline(1500);
  return l.post("x");
}
int shout(acme::Bus &b) { return b.publish("orders"); }
int unset(acme::Ledger &l) { return l.post("y"); }
)");
  write(D / "compile_commands.json", R"([{"directory": ")" + D.string() +
                                         R"(", "file": "main.cpp", "command": "g++ -c main.cpp"}])");
  ToolRun R = run("-p . --format json --output-dir out --quiet", D.string());
  ASSERT_EQ(R.Exit, 0) << R.Output;
  json Rep = readJson(D / "out" / "integration-report.json");
  const json *Book = callAt(Rep, "main.cpp", 7);
  ASSERT_NE(Book, nullptr) << Rep["call_sites"].dump(2);
  EXPECT_EQ((*Book)["library"], "acme-ledger");
  EXPECT_EQ((*Book)["operation"], "acme::Ledger::post");
  EXPECT_EQ((*Book)["timeout"]["present"], true);
  EXPECT_EQ((*Book)["timeout"]["seconds"], 1.5);
  EXPECT_EQ((*Book)["timeout"]["evidence"][0]["line"], 6);
  const json *Unset = callAt(Rep, "main.cpp", 10);
  ASSERT_NE(Unset, nullptr);
  EXPECT_EQ((*Unset)["timeout"]["status"], "default");
  EXPECT_EQ((*Unset)["timeout"]["seconds"], 30.0);
  const json *Shout = callAt(Rep, "main.cpp", 9);
  ASSERT_NE(Shout, nullptr);
  EXPECT_EQ((*Shout)["library"], "acme-bus");
  EXPECT_EQ((*Shout)["kind"], "queue");
  EXPECT_EQ((*Shout)["timeout"]["status"], "absent");

  // A bad entry in the catalog file: exit 2, the file, the entry and the field.
  write(D / "clients" / "queue.json",
        R"({"id": "acme-bus", "kind": "queue", "default_timeout": {"seconds": null, "text": "", "source": "x"},
  "operations": [{"name": "::acme::Bus::publish", "handle": "socket"}]})");
  R = run("-p . --format json --output-dir out2 --quiet", D.string());
  EXPECT_EQ(R.Exit, 2);
  EXPECT_THAT(R.Output, HasSubstr((D / "clients" / "queue.json").string() +
                                  ": entry 'acme-bus': operations[0].handle: "));
  EXPECT_FALSE(fs::exists(D / "out2" / "integration-report.json"));
  fs::remove_all(D);
}

// A password the shape rules recognise and a catalog credential setter also
// records: one finding, one credential source, and never the secret's text.
TEST(Security, OneFindingPerHardCodedPassword) {
  fs::path D = tempDir("mysqlsecret");
  write(D / "m.cpp", R"(#include <mysql.h>
void q() {
  MYSQL *m = mysql_init(nullptr);
  mysql_real_connect(m, "db.internal", "app", "Sup3rSecretPw!", "shop", 3306, nullptr, 0);
  mysql_query(m, "SELECT 1");
}
)");
  write(D / "compile_commands.json", R"([{"directory": ")" + D.string() +
                                         R"(", "file": "m.cpp", "command": "g++ -I/usr/include/mariadb -c m.cpp"}])");
  ToolRun R = run("-p . --format json,md --output-dir out --quiet", D.string());
  ASSERT_EQ(R.Exit, 0) << R.Output;
  json Rep = readJson(D / "out" / "integration-report.json");
  int Secrets = 0;
  for (const auto &F : Rep["findings"])
    if (F["rule"] == "integration-hardcoded-secret") {
      ++Secrets;
      EXPECT_EQ(F["line"], 4);
      EXPECT_EQ(F["message"], "hard-coded MySQL password passed to `mysql_real_connect` as a string "
                              "literal: load it from a secret store or the environment");
    }
  EXPECT_EQ(Secrets, 1) << Rep["findings"].dump(2);
  const json *C = callAt(Rep, "m.cpp", 4);
  ASSERT_NE(C, nullptr);
  EXPECT_EQ((*C)["security"]["credential_source"].size(), 1u) << (*C)["security"].dump(2);
  for (const auto &E : fs::directory_iterator(D / "out"))
    EXPECT_EQ(slurp(E.path()).find("Sup3rSecretPw"), std::string::npos) << E.path();
  fs::remove_all(D);
}

// Test frameworks' test cases and a `main` in a test or example folder are not
// where the system's work starts; an ordinary function with no caller is. The
// test cases are written with the real Catch2 2.x and Boost.Test headers.
TEST(TestCode, TestCasesAndTestMainsAreNotEntryPoints) {
  fs::path D = tempDir("testcode");
  for (const char *Dir : {"src", "tests", "examples", "checks"})
    fs::create_directories(D / Dir);
  write(D / "src" / "push.h", "int push_metrics();\n");
  write(D / "src" / "push.cpp", R"(#include <curl/curl.h>
#include "push.h"
int push_metrics() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://metrics.example.com/push");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
  return curl_easy_perform(h);
}
)");
  write(D / "src" / "daemon.cpp", "#include \"push.h\"\nvoid run_daemon() { push_metrics(); }\n");
  write(D / "examples" / "demo.cpp", "#include \"../src/push.h\"\nint main() { return push_metrics(); }\n");
  // Outside a test folder and not named as a test: only the framework's own
  // names tell these apart from the system's code.
  write(D / "checks" / "catch_cases.cpp", R"(#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include "../src/push.h"
TEST_CASE("pushes") { REQUIRE(push_metrics() == 0); }
struct Fixture { int n = 0; };
TEST_CASE_METHOD(Fixture, "pushes with a fixture") { REQUIRE(push_metrics() == n); }
)");
  write(D / "checks" / "boost_cases.cpp", R"(#define BOOST_TEST_MODULE push
#include <boost/test/included/unit_test.hpp>
#include "../src/push.h"
BOOST_AUTO_TEST_CASE(pushes) { BOOST_CHECK(push_metrics() == 0); }
)");
  std::string Db = "[";
  for (const char *F : {"src/push.cpp", "src/daemon.cpp", "examples/demo.cpp", "checks/catch_cases.cpp",
                        "checks/boost_cases.cpp"})
    Db += std::string(Db.size() > 1 ? "," : "") + R"({"directory": ")" + D.string() + R"(", "file": ")" + F +
          R"(", "command": "g++ -std=c++17 -c )" + F + R"("})";
  write(D / "compile_commands.json", Db + "]");
  ToolRun R = run("-p . --format json --output-dir out --quiet --no-prefilter", D.string());
  ASSERT_EQ(R.Exit, 0) << R.Output;
  json Rep = readJson(D / "out" / "integration-report.json");
  std::vector<std::string> Entries;
  for (const auto &E : Rep["entry_points"])
    Entries.push_back(E["name"]);
  EXPECT_THAT(Entries, testing::ElementsAre("run_daemon")) << Rep["entry_points"].dump(2);
  ASSERT_NE(callAt(Rep, "src/push.cpp", 7), nullptr) << Rep["call_sites"].dump(2);

  // With --include-tests the test code is the system: its `main` starts work.
  R = run("-p . --format json --output-dir out2 --quiet --no-prefilter --include-tests", D.string());
  ASSERT_EQ(R.Exit, 0) << R.Output;
  Entries.clear();
  json WithTests = readJson(D / "out2" / "integration-report.json");
  for (const auto &E : WithTests["entry_points"])
    Entries.push_back(E["name"]);
  EXPECT_THAT(Entries, testing::Contains("main"));
  EXPECT_THAT(Entries, testing::Contains("run_daemon"));
  fs::remove_all(D);
}
