// The built tool against inputs that could take a whole run down: a unit that
// crashes Clang or overflows the stack, malformed numbers in every file the tool
// reads, and the exit codes a CI gate relies on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "ToolRun.h"
#include "support/Utf8.h"
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;
using testing::Not;

namespace {

using im::test::ToolRun;
using im::test::slurp;

fs::path tempDir(const std::string &Name) { return im::test::freshTempDir("im-hard-", Name); }

using im::test::write;

std::string entry(const fs::path &Dir, const std::string &File) {
  return json{{"directory", Dir.string()},
              {"file", File},
              {"command", "g++ -std=c++17 -c " + File + " -o /tmp/x.o"}}
      .dump();
}

/// A compilation database of `Files` in `Dir`.
void database(const fs::path &Dir, const std::vector<std::string> &Files) {
  std::string Db = "[";
  for (size_t I = 0; I < Files.size(); ++I)
    Db += (I ? ",\n" : "") + entry(Dir, Files[I]);
  write(Dir / "compile_commands.json", Db + "]");
}

/// A libcurl transfer without a timeout or retry: two findings on line 5.
const char *GoodSource = R"cpp(#include <curl/curl.h>
int fetch() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.example.com/v1/orders");
  return curl_easy_perform(h);
}
)cpp";

/// `int deep(int a) { return a + a + ... ; }` with `Terms` terms.
std::string deepExpression(size_t Terms) {
  std::string S = "int deep(int a) {\n  return a";
  for (size_t I = 1; I < Terms; ++I)
    S += " + a";
  return S + ";\n}\n";
}

/// `int chain(int a) { if (a == 0) return 0; else if (a == 1) ... }` with `Links` links.
std::string elseIfChain(size_t Links) {
  std::string S = "int chain(int a) {\n  if (a == 0) return 0;\n";
  for (size_t I = 1; I < Links; ++I)
    S += "  else if (a == " + std::to_string(I) + ") return " + std::to_string(I) + ";\n";
  return S + "  return -1;\n}\n";
}

/// Every unit is parsed (--no-prefilter): these units exercise the parse and
/// its isolation, most of them without calling any client.
ToolRun analyze(const fs::path &D, const std::string &Extra = "") {
  return im::test::runTool("-p '" + D.string() + "' --no-prefilter --output-dir '" +
                               (D / "out").string() + "' " + Extra,
                           D.string());
}

std::string statusOf(const json &Report, const std::string &FileSuffix) {
  for (const auto &U : Report["translation_units"]) {
    std::string F = U["file"].get<std::string>();
    if (F.size() >= FileSuffix.size() &&
        F.compare(F.size() - FileSuffix.size(), FileSuffix.size(), FileSuffix) == 0)
      return U["status"].get<std::string>() + ": " + U.value("error", "");
  }
  return "<not listed>";
}

std::vector<std::string> findingsIn(const json &Report, const std::string &FileSuffix) {
  std::vector<std::string> Out;
  for (const auto &F : Report["findings"]) {
    std::string File = F["file"].get<std::string>();
    if (File.size() >= FileSuffix.size() &&
        File.compare(File.size() - FileSuffix.size(), FileSuffix.size(), FileSuffix) == 0)
      Out.push_back(F["rule"].get<std::string>() + ":" + std::to_string(F["line"].get<int>()));
  }
  return Out;
}

// ------------------------------------------------------------------ crash isolation

TEST(CrashIsolation, DeepExpressionIsAnalysedOnTheLargeStack) {
  fs::path D = tempDir("deep");
  write(D / "deep.cpp", deepExpression(20000));
  write(D / "good.cpp", GoodSource);
  database(D, {"deep.cpp", "good.cpp"});
  ToolRun R = analyze(D, "-j2");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("2 translation units (0 failed, 0 skipped)"));
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_EQ(statusOf(J, "/deep.cpp"), "analyzed: ");
  EXPECT_THAT(findingsIn(J, "good.cpp"), testing::ElementsAre("integration-missing-retry:5", "integration-missing-timeout:5"));
  fs::remove_all(D);
}

TEST(CrashIsolation, StackOverflowAndCompilerCrashFailOnlyTheirUnit) {
  fs::path D = tempDir("crash");
  // Our walks over the 20,000-term expression keep their own stack: the unit is
  // analysed even on a small stack. Clang's parser recurses once per `else if`.
  write(D / "deep.cpp", deepExpression(20000));
  write(D / "chain.cpp", elseIfChain(20000));
  // Clang's own debugging pragma: the front end traps, as on a compiler bug.
  write(D / "crash.cpp", "#pragma clang __debug crash\nint x;\n");
  write(D / "good.cpp", GoodSource);
  database(D, {"deep.cpp", "chain.cpp", "crash.cpp", "good.cpp"});
  // 4 MB is plenty for an ordinary file and too little for 20,000 nested `else if`.
  ToolRun R = analyze(D, "-j2 --stack-size-mb=4");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("4 translation units (2 failed, 0 skipped)"));
  std::string Chain = (D / "chain.cpp").string(), Crash = (D / "crash.cpp").string();
  EXPECT_THAT(R.Output, HasSubstr("failed: " + Chain + ": " + Chain +
                                  ": crashed while analysing: stack overflow or compiler crash "
                                  "(SIGSEGV)"));
  EXPECT_THAT(R.Output, HasSubstr("failed: " + Crash + ": " + Crash +
                                  ": crashed while analysing: stack overflow or compiler crash"));
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_EQ(statusOf(J, "/deep.cpp"), "analyzed: ");
  EXPECT_THAT(statusOf(J, "/chain.cpp"), HasSubstr("failed: " + Chain + ": crashed while analysing"));
  EXPECT_THAT(statusOf(J, "/crash.cpp"), HasSubstr("failed: " + Crash + ": crashed while analysing"));
  EXPECT_EQ(statusOf(J, "/good.cpp"), "analyzed: ");
  EXPECT_THAT(findingsIn(J, "good.cpp"), testing::ElementsAre("integration-missing-retry:5", "integration-missing-timeout:5"));
  EXPECT_TRUE(fs::exists(D / "out" / "INTEGRATION_RISK_ANALYSIS.md"));
  fs::remove_all(D);
}

TEST(CrashIsolation, StackSizeIsChecked) {
  fs::path D = tempDir("stack");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  ToolRun R = analyze(D, "--stack-size-mb=0");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: --stack-size-mb: expected 1 to 4095, got 0"));
  fs::remove_all(D);
}

// A source root that does not exist is refused before the analysis; the same
// run with the project's own folder as its root is analysed.
TEST(BadOptions, SourceRootMustBeADirectory) {
  fs::path D = tempDir("sourceroot");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  ToolRun R = analyze(D, "--source-root '" + (D / "nowhere").string() + "'");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: --source-root: '" + (D / "nowhere").string() +
                                  "' is not a directory"));
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  ToolRun Ok = analyze(D, "--source-root '" + D.string() + "'");
  EXPECT_EQ(Ok.Exit, 0) << Ok.Output;
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

// ------------------------------------------------------------------ malformed inputs

/// A project with one good unit and a config declaring an in-house client whose
/// operation takes its handle from `Handle`.
fs::path projectWithConfigHandle(const std::string &Name, const std::string &Handle) {
  fs::path D = tempDir(Name);
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  write(D / ".integration-mapper.yaml", R"(catalog:
  - id: acme-ledger
    kind: http
    default_timeout: {seconds: 30, text: "30 s", source: "acme/ledger.h"}
    operations:
      - {name: "acme::post", handle: )" + Handle + R"(, label: post entry}
)");
  return D;
}

TEST(MalformedInput, ConfigCatalogArgumentIndexIsCheckedNotWrapped) {
  for (const char *Bad : {"arg99999999999999999999", "arg4294967296", "arg65536"}) {
    fs::path D = projectWithConfigHandle("arg", Bad);
    ToolRun R = analyze(D, "--quiet");
    EXPECT_EQ(R.Exit, 2) << Bad << "\n" << R.Output;
    EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " +
                                    (D / ".integration-mapper.yaml").string() +
                                    " (catalog): entry 'acme-ledger': operations[0].handle: "
                                    "expected none, object, result, call or argN, got '" +
                                    std::string(Bad) + "'"));
    EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
    fs::remove_all(D);
  }
  // The largest index is accepted: the same project runs.
  fs::path D = projectWithConfigHandle("arg-ok", "arg65535");
  ToolRun R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

TEST(MalformedInput, NumberOverflowInTheCompilationDatabaseIsAnError) {
  fs::path D = tempDir("db-overflow");
  write(D / "good.cpp", GoodSource);
  write(D / "compile_commands.json",
        "[\n" + entry(D, "good.cpp").substr(0, entry(D, "good.cpp").size() - 1) +
            ", \"output\": 1e400}]");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " +
                                  (D / "compile_commands.json").string() +
                                  ": not a JSON compilation database: line 2, column "));
  EXPECT_THAT(R.Output, HasSubstr(": number overflow parsing '1e400'"));
  EXPECT_THAT(R.Output, Not(HasSubstr("terminate")));
  fs::remove_all(D);
}

TEST(MalformedInput, NumberOverflowInACatalogFileIsAnError) {
  fs::path D = tempDir("cat-overflow");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  write(D / ".integration-mapper.yaml", "catalog_files: [bus.json]\n");
  write(D / "bus.json", "{\"id\": \"acme-bus\", \"kind\": \"queue\",\n \"default_timeout\": "
                        "{\"seconds\": 1e400, \"source\": \"x\"}, \"operations\": []}");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " + (D / "bus.json").string() +
                                  ":2:33: number overflow parsing '1e400'"));
  fs::remove_all(D);
}

TEST(MalformedInput, WrongJsonTypeInACatalogFileIsAnError) {
  fs::path D = tempDir("cat-type");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  write(D / ".integration-mapper.yaml", "catalog_files: [bus.json]\n");
  write(D / "bus.json", R"({"id": "acme-bus", "kind": "queue", "mirror_header": "yes",
  "default_timeout": {"seconds": null, "text": "", "source": "x"},
  "operations": [{"name": "::acme::Bus::publish", "handle": "object"}]})");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "bus.json").string() +
                          ": entry 'acme-bus': mirror_header: expected true or false\n");
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

TEST(MalformedInput, WrongTypeInAConfigCatalogEntryNamesTheConfigEntryAndField) {
  fs::path D = tempDir("cfg-type");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  auto Config = [&](const std::string &OnlyIfConnected) {
    write(D / ".integration-mapper.yaml", R"(catalog:
  - id: acme-ledger
    kind: http
    default_timeout: {seconds: 30, text: "30 s", source: "acme/ledger.h"}
    operations:
      - {name: "acme::post", handle: arg0, label: post entry, only_if_connected: )" +
                                              OnlyIfConnected + "}\n");
  };
  for (const char *Bad : {"1", "yes", "null"}) {
    Config(Bad);
    ToolRun R = analyze(D, "--quiet");
    EXPECT_EQ(R.Exit, 2) << Bad << "\n" << R.Output;
    EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / ".integration-mapper.yaml").string() +
                            " (catalog): entry 'acme-ledger': operations[0].only_if_connected: "
                            "expected true or false\n")
        << Bad;
    EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  }
  Config("true");
  ToolRun R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

TEST(MalformedInput, WrongTypeInACatalogFileSetterNamesTheField) {
  fs::path D = tempDir("cat-sqlset");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  write(D / ".integration-mapper.yaml", "catalog_files: [db.json]\n");
  auto Catalog = [&](const std::string &SqlSet) {
    write(D / "db.json", R"({"id": "acme-db", "kind": "db",
  "operations": [{"name": "::acme::Db::query", "handle": "object"}],
  "setters": [{"name": "::acme::Db::exec", "handle": "object", "option_arg": 0, "sql_set": )" +
                             SqlSet + R"(,
               "options": [{"option": "statement_timeout", "concern": "timeout", "unit": "ms"}]}]})");
  };
  Catalog("\"yes\"");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "db.json").string() +
                          ": entry 'acme-db': setters[0].sql_set: expected true or false\n");
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  Catalog("true");
  R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

TEST(MalformedInput, TextFieldOfAnotherTypeInAConfigCatalogEntryIsAnError) {
  fs::path D = tempDir("cfg-text");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  auto Config = [&](const std::string &Label) {
    write(D / ".integration-mapper.yaml", "catalog:\n  - id: acme-ledger\n    kind: http\n"
                                          "    operations:\n      - name: \"acme::post\"\n"
                                          "        handle: arg0\n        label: " + Label + "\n");
  };
  // A list where the label's text belongs, and a bare number.
  for (const char *Bad : {"[post, entry]", "\n          - post entry", "404"}) {
    Config(Bad);
    ToolRun R = analyze(D, "--quiet");
    EXPECT_EQ(R.Exit, 2) << Bad << "\n" << R.Output;
    EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / ".integration-mapper.yaml").string() +
                            " (catalog): entry 'acme-ledger': operations[0].label: expected a string\n")
        << Bad;
    EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  }
  // Text, quoted or not, is accepted.
  for (const char *Good : {"post entry", "\"404\""}) {
    Config(Good);
    ToolRun R = analyze(D, "--quiet");
    EXPECT_EQ(R.Exit, 0) << Good << "\n" << R.Output;
    EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json")) << Good;
  }
  fs::remove_all(D);
}

TEST(MalformedInput, TextFieldOfAnotherTypeInACatalogFileIsAnError) {
  fs::path D = tempDir("cat-text");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  write(D / ".integration-mapper.yaml", "catalog_files: [db.json]\n");
  auto Catalog = [&](const std::string &Label, const std::string &Unit) {
    write(D / "db.json", R"({"id": "acme-db", "kind": "db",
  "operations": [{"name": "::acme::Db::query", "handle": "object", "label": )" + Label + R"(}],
  "setters": [{"name": "::acme::Db::exec", "handle": "object", "option_arg": 0,
               "options": [{"option": "statement_timeout", "concern": "timeout", "unit": )" +
                             Unit + "}]}]}");
  };
  Catalog("5", "\"ms\"");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "db.json").string() +
                          ": entry 'acme-db': operations[0].label: expected a string\n");
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  Catalog("\"query\"", "[\"ms\"]");
  R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "db.json").string() +
                          ": entry 'acme-db': setters[0].options[0].unit: expected a string\n");
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  Catalog("\"query\"", "\"ms\"");
  R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

TEST(MalformedInput, ConfigValueOfTheWrongKindNamesItsFieldByPath) {
  fs::path D = tempDir("cfg-kind");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  write(D / ".integration-mapper.yaml", "integrations:\n  - match: http-api-api-example-com\n"
                                        "    name:\n      - Orders API\n");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / ".integration-mapper.yaml").string() +
                          ":4:7: expected a single value, not a list or mapping (field "
                          "'integrations[0].name')\n");
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  write(D / ".integration-mapper.yaml",
        "integrations:\n  - match: http-api-api-example-com\n    name: Orders API\n");
  R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_EQ(J["integrations"][0]["name"], "Orders API");
  fs::remove_all(D);
}

TEST(MalformedInput, ConfigCatalogAndBaselineThatAreNotUtf8AreNamedAtTheirFirstBadByte) {
  fs::path D = tempDir("not-utf8");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  // A config saved as Latin-1: the comment on line 2 has 0xFC at column 9.
  write(D / ".integration-mapper.yaml", "business: {daily_revenue: 1000}\n# M\xFC" "nchen\n");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / ".integration-mapper.yaml").string() +
                          ":2:4: not UTF-8 (byte 0xFC)\n");
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  // The same config in UTF-8 loads; a catalog file it names is checked the same way.
  write(D / ".integration-mapper.yaml",
        "business: {daily_revenue: 1000}\n# M\xC3\xBC" "nchen\ncatalog_files: [bus.json]\n");
  write(D / "bus.json", "{\"id\": \"acme-bus\", \"kind\": \"queue\",\n \"name\": \"Bus M\xFC" "nchen\","
                        " \"operations\": [{\"name\": \"::acme::Bus::publish\", \"handle\": \"object\"}]}");
  R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "bus.json").string() +
                          ":2:16: not UTF-8 (byte 0xFC)\n");
  write(D / "bus.json", "{\"id\": \"acme-bus\", \"kind\": \"queue\",\n \"name\": \"Bus M\xC3\xBC" "nchen\","
                        " \"operations\": [{\"name\": \"::acme::Bus::publish\", \"handle\": \"object\"}]}");
  R = analyze(D, "--quiet --write-baseline '" + (D / "baseline.json").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  ASSERT_TRUE(fs::exists(D / "baseline.json"));
  // A baseline edited in a Latin-1 editor.
  std::string Baseline = slurp(D / "baseline.json");
  write(D / "baseline.json", "\xFC" + Baseline);
  R = analyze(D, "--baseline '" + (D / "baseline.json").string() + "'");
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "baseline.json").string() +
                          ":1:1: not UTF-8 (byte 0xFC)\n");
  write(D / "baseline.json", Baseline);
  R = analyze(D, "--baseline '" + (D / "baseline.json").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("2 findings in baseline"));
  fs::remove_all(D);
}

TEST(MalformedInput, CompileDatabaseAndGlossaryThatAreNotUtf8AreNamedAtTheirFirstBadByte) {
  fs::path D = tempDir("not-utf8-db");
  write(D / "good.cpp", GoodSource);
  // A generator wrote a Latin-1 path: 0xFC is the 32nd byte of the first line.
  write(D / "compile_commands.json", "[{\"directory\": \".\", \"file\": \"gr\xFC\xDF.cpp\",\n"
                                     " \"command\": \"g++ -c good.cpp\"}]");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "compile_commands.json").string() +
                          ":1:32: not UTF-8 (byte 0xFC)\n");
  database(D, {"good.cpp"});
  const std::string Glossary = "{\"integrations\": {},\n \"other_tool\": {\"city\": \"M\xFC" "nchen\"}}\n";
  write(D / "glossary.json", Glossary);
  R = analyze(D, "--glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "glossary.json").string() +
                          ":2:27: not UTF-8 (byte 0xFC) (glossary left untouched)\n");
  EXPECT_EQ(slurp(D / "glossary.json"), Glossary);
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  // The same glossary in UTF-8 is merged, the other tool's value kept.
  write(D / "glossary.json", "{\"integrations\": {},\n \"other_tool\": {\"city\": \"M\xC3\xBC" "nchen\"}}\n");
  R = analyze(D, "--glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(slurp(D / "glossary.json"), HasSubstr("\"city\": \"M\xC3\xBC" "nchen\""));
  EXPECT_THAT(slurp(D / "glossary.json"), HasSubstr("HTTP API (api.example.com)"));
  fs::remove_all(D);
}

TEST(MalformedInput, NumberOverflowInTheGlossaryWritesNothing) {
  fs::path D = tempDir("glossary-overflow");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  const std::string Glossary = "{\"integrations\": {},\n \"other_tool\": {\"weight\": 1e400}}\n";
  write(D / "glossary.json", Glossary);
  ToolRun R = analyze(D, "--glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " + (D / "glossary.json").string() +
                                  ": malformed glossary, left untouched: line 2, column 27: "
                                  "number overflow parsing '1e400'"));
  // Checked before anything is written: no report that looks like this run's.
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  EXPECT_FALSE(fs::exists(D / "out" / "INTEGRATION_RISK_ANALYSIS.md"));
  EXPECT_EQ(slurp(D / "glossary.json"), Glossary);
  // The same run with a well-formed glossary writes both.
  write(D / "glossary.json", "{\"integrations\": {},\n \"other_tool\": {\"weight\": 1e300}}\n");
  R = analyze(D, "--glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  EXPECT_THAT(slurp(D / "glossary.json"), HasSubstr("HTTP API (api.example.com)"));
  fs::remove_all(D);
}

TEST(MalformedInput, GlossaryValueUnderOurKeyThatIsNotAnObjectIsRefused) {
  fs::path D = tempDir("glossary-value");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  // Another tool (or a hand edit) put a note where our entry for the run's
  // integration goes.
  const std::string Glossary = "{\"integrations\": {\"Kafka\": {\"owner\": \"team-a\"},\n"
                               "  \"HttpApiApiExampleCom\": \"see the wiki\"}}\n";
  for (const std::string &Value : {std::string("\"see the wiki\""), std::string("[1, 2]"),
                                   std::string("null"), std::string("12345678901234567890")}) {
    std::string Text = Glossary;
    Text.replace(Text.find("\"see the wiki\""), 14, Value);
    write(D / "glossary.json", Text);
    ToolRun R = analyze(D, "--quiet --glossary '" + (D / "glossary.json").string() + "'");
    EXPECT_EQ(R.Exit, 2) << Value << "\n" << R.Output;
    EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "glossary.json").string() +
                            ": malformed glossary, left untouched: \"integrations\".\"HttpApiApiExampleCom\" "
                            "is not an object\n")
        << Value;
    EXPECT_EQ(slurp(D / "glossary.json"), Text) << Value;
    EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json")) << Value;
  }
  // An object there is ours to update, its other fields kept; a value that is
  // not an object under a key we do not write stays as it was.
  write(D / "glossary.json", "{\"integrations\": {\"Kafka\": 7,\n"
                             "  \"HttpApiApiExampleCom\": {\"notes\": \"see the wiki\"}}}\n");
  ToolRun R = analyze(D, "--quiet --glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  json G = json::parse(slurp(D / "glossary.json"));
  EXPECT_EQ(G["integrations"]["Kafka"], 7);
  EXPECT_EQ(G["integrations"]["HttpApiApiExampleCom"]["notes"], "see the wiki");
  EXPECT_EQ(G["integrations"]["HttpApiApiExampleCom"]["canonical_name"], "HTTP API (api.example.com)");
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

TEST(MalformedInput, NumberOverflowInAManifestSkipsTheManifest) {
  fs::path D = tempDir("vcpkg-overflow");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  write(D / "vcpkg.json", "{\"name\": \"shop\",\n \"version-semver\": 1e400,\n"
                          " \"dependencies\": [\"curl\"]}\n");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: warning: " + (D / "vcpkg.json").string() +
                                  ":2: malformed JSON: number overflow parsing '1e400' (skipped)"));
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_THAT(findingsIn(J, "good.cpp"), testing::ElementsAre("integration-missing-retry:5", "integration-missing-timeout:5"));
  fs::remove_all(D);
}

// ------------------------------------------------------------------ bytes that are not UTF-8

/// The libcurl transfer of GoodSource with Latin-1 bytes (0xFC, 0xDF) in its URL
/// literal and in a comment on the call's line: a legacy source file.
const char *Latin1Source = "#include <curl/curl.h>\n"
                           "int fetch() {\n"
                           "  CURL *h = curl_easy_init();\n"
                           "  curl_easy_setopt(h, CURLOPT_URL, \"https://api.example.com/v1/gr\xFC\xDF\");\n"
                           "  return curl_easy_perform(h); // \xFC" "bertragung\n"
                           "}\n";

TEST(MalformedInput, FactsFileWithAnIntegerFieldOutOfRangeIsRefused) {
  fs::path D = tempDir("facts-range");
  write(D / "good.cpp", GoodSource);
  database(D, {"good.cpp"});
  const std::string Common = "-p '" + D.string() + "' --no-prefilter --no-cache --quiet ";
  ToolRun R = im::test::runTool(Common + "--shard 1/1 --facts-out '" + (D / "facts.json").string() + "'",
                                D.string());
  ASSERT_EQ(R.Exit, 0) << R.Output;
  const json Facts = json::parse(slurp(D / "facts.json"));
  ASSERT_EQ(Facts["units"][0]["call_sites"][0]["line"], 5);
  auto Merge = [&] {
    return im::test::runTool("merge " + Common + "--output-dir '" + (D / "out").string() + "' '" +
                                 (D / "facts.json").string() + "'",
                             D.string());
  };
  // A line number no unsigned holds (get<unsigned>() of it was undefined
  // behaviour), a negative one, and a shard number out of range.
  for (const auto &[Pointer, Value] :
       std::vector<std::pair<std::string, json>>{{"/units/0/call_sites/0/line", 6.7e34},
                                                 {"/units/0/call_sites/0/line", -1},
                                                 {"/units/0/call_sites/0/line", 2.5},
                                                 {"/shard/0", 1e30}}) {
    json Bad = Facts;
    Bad[json::json_pointer(Pointer)] = Value;
    write(D / "facts.json", Bad.dump());
    R = Merge();
    EXPECT_EQ(R.Exit, 2) << Pointer << "\n" << R.Output;
    EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "facts.json").string() +
                            ": malformed facts file: " +
                            (Pointer == "/shard/0" ? "bad shard number" : "expected an integer in range") +
                            "\n")
        << Pointer << " " << Value;
    EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  }
  // The shard's own file merges.
  write(D / "facts.json", Facts.dump());
  R = Merge();
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(findingsIn(json::parse(slurp(D / "out" / "integration-report.json")), "good.cpp"),
              testing::ElementsAre("integration-missing-retry:5", "integration-missing-timeout:5"));
  fs::remove_all(D);
}

/// `Depth` nested JSON arrays: [[[...]]].
std::string nested(size_t Depth) { return std::string(Depth, '[') + std::string(Depth, ']'); }

TEST(MalformedInput, DeeplyNestedDocumentsAreRefusedNotACrash) {
  // Copying or writing a JSON document recurses once per level, and so does
  // LLVM's YAML parser: 100,000 levels ended the run with a stack overflow.
  fs::path D = tempDir("nesting");
  write(D / "good.cpp", GoodSource);
  auto Db = [&](const std::string &Extra) {
    write(D / "compile_commands.json", "[{\"directory\": \"" + D.string() +
                                           "\", \"file\": \"good.cpp\", \"command\": \"g++ -c good.cpp\""
                                           ", \"x\": " + Extra + "}]");
  };
  Db(nested(100000));
  ToolRun R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 2) << R.Output.substr(0, 500);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "compile_commands.json").string() +
                          ":1:" + std::to_string(D.string().size() + 329) +
                          ": nested deeper than 256 levels\n");
  Db(nested(200)); // unknown fields are ignored, at any reasonable depth
  R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;

  write(D / ".integration-mapper.yaml", "catalog_files: [bus.json]\n");
  auto Catalog = [&](const std::string &Description) {
    write(D / "bus.json", "{\"id\": \"acme-bus\", \"kind\": \"queue\", \"description\": " +
                              Description +
                              ",\n \"operations\": [{\"name\": \"::acme::Bus::publish\", \"handle\": \"object\"}]}");
  };
  Catalog(nested(100000));
  R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 2) << R.Output.substr(0, 500);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "bus.json").string() +
                          ":1:307: nested deeper than 256 levels\n");
  Catalog(nested(200));
  R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;

  // The config: flow collections, and block sequences opened on one line.
  for (const std::string &Deep : {"entry_points: " + nested(100000) + "\n",
                                  "catalog:\n  - " + [] {
                                    std::string S;
                                    for (int I = 0; I < 100000; ++I)
                                      S += "- ";
                                    return S + "x\n";
                                  }()}) {
    write(D / ".integration-mapper.yaml", Deep);
    R = analyze(D, "--quiet");
    EXPECT_EQ(R.Exit, 2) << R.Output.substr(0, 500);
    EXPECT_THAT(R.Output, testing::MatchesRegex("integration-mapper: error: .*/\\.integration-mapper\\.yaml:"
                                                "[12]:[0-9]+: nested deeper than 256 levels\n"));
  }
  // A block scalar's text is not structure, however it is indented.
  write(D / ".integration-mapper.yaml", "catalog:\n  - id: acme-bus\n    kind: queue\n"
                                        "    description: |\n" + [] {
                                          std::string S;
                                          for (int I = 0; I < 600; ++I)
                                            S += "      " + std::string(I, ' ') + "[{\n";
                                          return S;
                                        }() + "    operations: [{name: \"::acme::Bus::publish\", handle: object}]\n");
  R = analyze(D, "--quiet");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  fs::remove(D / ".integration-mapper.yaml");

  // Another tool's value in the glossary.
  const std::string Glossary = "{\"integrations\": {}, \"other_tool\": " + nested(100000) + "}\n";
  write(D / "glossary.json", Glossary);
  R = analyze(D, "--quiet --glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 2) << R.Output.substr(0, 500);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "glossary.json").string() +
                          ":1:291: nested deeper than 256 levels (glossary left untouched)\n");
  EXPECT_EQ(slurp(D / "glossary.json"), Glossary);
  write(D / "glossary.json", "{\"integrations\": {}, \"other_tool\": " + nested(200) + "}\n");
  R = analyze(D, "--quiet --glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_EQ(json::parse(slurp(D / "glossary.json"))["other_tool"], json::parse(nested(200)));

  // A baseline.
  write(D / "baseline.json", "{\"findings\": [], \"note\": " + nested(100000) + "}");
  R = analyze(D, "--quiet --baseline '" + (D / "baseline.json").string() + "'");
  EXPECT_EQ(R.Exit, 2) << R.Output.substr(0, 500);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "baseline.json").string() +
                          ":1:281: nested deeper than 256 levels\n");
  write(D / "baseline.json", "{\"findings\": [], \"note\": " + nested(200) + "}");
  R = analyze(D, "--quiet --baseline '" + (D / "baseline.json").string() + "'");
  EXPECT_EQ(R.Exit, 0) << R.Output;

  // A shard's facts file, as merge reads it.
  write(D / "facts.json", "{\"format\": \"integration-mapper facts 1\", \"units\": " +
                              nested(100000) + "}");
  R = im::test::runTool("merge -p '" + D.string() + "' --output-dir '" + (D / "out").string() +
                            "' '" + (D / "facts.json").string() + "'",
                        D.string());
  EXPECT_EQ(R.Exit, 2) << R.Output.substr(0, 500);
  EXPECT_EQ(R.Output, "integration-mapper: error: " + (D / "facts.json").string() +
                          ":1:306: nested deeper than 256 levels\n");

  // A manifest is skipped with a warning, as any malformed one is.
  write(D / "vcpkg.json", "{\"name\": \"shop\",\n \"features\": " + nested(100000) +
                              ",\n \"dependencies\": [\"curl\"]}\n");
  R = analyze(D);
  EXPECT_EQ(R.Exit, 0) << R.Output.substr(0, 500);
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: warning: " + (D / "vcpkg.json").string() +
                                  ":2: nested deeper than 256 levels (skipped)"));
  fs::remove_all(D);
}

TEST(NotUtf8, Latin1BytesInPathsAreReplacedOnStdoutAndStderr) {
  // A project in a folder a Latin-1 system named "caf\xE9": every path the tool
  // prints holds that byte. The compile database itself is UTF-8 ("directory": ".").
  fs::path Top = tempDir("latin1-console");
  fs::path D = Top / "caf\xE9";
  fs::create_directories(D);
  write(D / "net.cpp", Latin1Source);
  write(D / "gen.cpp", "#include \"gen-\xE9t\xE9.h\"\nint g();\n"); // the header is missing
  write(D / "vcpkg.json", "{");                                     // a manifest that is not JSON
  write(D / "compile_commands.json",
        R"([{"directory": ".", "file": "net.cpp", "command": "g++ -std=c++17 -c net.cpp"},
            {"directory": ".", "file": "gen.cpp", "command": "g++ -std=c++17 -c gen.cpp"},
            {"directory": ".", "file": "net.cpp", "command": "g++ -c net.cpp"}])");
  ToolRun R = analyze(D, "--format json,diagnostics");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_EQ(im::support::firstInvalidUtf8(R.Output), std::nullopt) << R.Output;
  const std::string Dir = (Top / "caf\xEF\xBF\xBD").string(); // U+FFFD where the byte was
  EXPECT_THAT(R.Output, HasSubstr("\n  failed: " + Dir + "/gen.cpp: " + Dir +
                                  "/gen.cpp:1:10: 'gen-<E9>t<E9>.h' file not found\n"));
  EXPECT_THAT(R.Output, HasSubstr("\n  note: " + Dir + "/net.cpp is listed more than once in "));
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: warning: " + Dir + "/vcpkg.json:1: malformed JSON"));
  EXPECT_THAT(R.Output, HasSubstr(" from the cache (" + Dir + "/.integration-mapper-cache)\n"));
  EXPECT_THAT(R.Output, HasSubstr("\nreport: " + Dir + "/out/integration-report.json\n"));
  // An error line naming such a path: the same replacement, exit 2.
  write(D / "out.txt", "");
  R = im::test::runTool("-p '" + D.string() + "' --output-dir '" + (D / "out.txt").string() + "'",
                        D.string());
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_EQ(R.Output, "integration-mapper: error: " + Dir +
                          "/out.txt: output directory is not a directory\n");
  // The same project in a UTF-8 folder prints its paths unchanged.
  fs::path U = Top / "caf\xC3\xA9";
  fs::rename(D, U);
  R = analyze(U, "--format json");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("\n  failed: " + (U / "gen.cpp").string() + ": "));
  EXPECT_THAT(R.Output, Not(HasSubstr("\xEF\xBF\xBD")));
  fs::remove_all(Top);
}

TEST(NotUtf8, Latin1BytesInSourceAndFlagsAreWrittenAsReplacementCharacters) {
  fs::path D = tempDir("latin1");
  write(D / "net.cpp", Latin1Source);
  database(D, {"net.cpp"});
  // A -D flag with a Latin-1 byte reaches the unit's configuration in the reports.
  ToolRun R = analyze(D, "--format json,md,sarif,diagnostics '--extra-arg=-DREGION=M\xFC" "nchen'");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("1 translation units (0 failed, 0 skipped)"));
  EXPECT_THAT(R.Output, HasSubstr("net.cpp:5:10: warning: `curl_easy_perform` on `h` has no timeout"));
  const std::string Fffd = "\xEF\xBF\xBD"; // U+FFFD
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_THAT(findingsIn(J, "/net.cpp"),
              testing::ElementsAre("integration-missing-retry:5", "integration-missing-timeout:5"));
  ASSERT_EQ(J["call_sites"].size(), 1u);
  EXPECT_EQ(J["call_sites"][0]["line"], 5);
  EXPECT_EQ(J["call_sites"][0]["endpoint"], "https://api.example.com/v1/gr" + Fffd + Fffd);
  EXPECT_THAT(J["translation_units"][0]["configuration"].get<std::string>(),
              HasSubstr("-DREGION=M" + Fffd + "nchen"));
  ASSERT_EQ(J["integrations"].size(), 1u);
  EXPECT_THAT(J["integrations"][0]["current_failure_handling"][0]["code"].get<std::string>(),
              HasSubstr("return curl_easy_perform(h); // " + Fffd + "bertragung\n"));
  // The Markdown shows the same text; SARIF parses and lists both findings.
  std::string Md = slurp(D / "out" / "INTEGRATION_RISK_ANALYSIS.md");
  EXPECT_THAT(Md, HasSubstr("  return curl_easy_perform(h); // " + Fffd + "bertragung\n"));
  EXPECT_THAT(Md, HasSubstr("`https://api.example.com/v1/gr" + Fffd + Fffd + "`"));
  EXPECT_THAT(Md, Not(HasSubstr("\xFC")));
  json Sarif = json::parse(slurp(D / "out" / "integration-report.sarif"));
  EXPECT_EQ(Sarif["runs"][0]["results"].size(), 2u);
  // A second run reads the unit's facts from the cache: the same reports.
  std::string First = slurp(D / "out" / "integration-report.json");
  R = analyze(D, "--format json,md,sarif '--extra-arg=-DREGION=M\xFC" "nchen'");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("1 from the cache"));
  EXPECT_EQ(slurp(D / "out" / "integration-report.json"), First);
  EXPECT_EQ(slurp(D / "out" / "INTEGRATION_RISK_ANALYSIS.md"), Md);
  fs::remove_all(D);
}

// ------------------------------------------------------------------ exit codes

TEST(ExitCodes, EntryWithoutAFileIsSkippedWithAWarning) {
  fs::path D = tempDir("emptyfile");
  write(D / "good.cpp", GoodSource);
  write(D / "compile_commands.json", "[" + entry(D, "") + ",\n" + entry(D, "good.cpp") + "]");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: warning: " +
                                  (D / "compile_commands.json").string() +
                                  ": entry 1: empty \"file\" (skipped)"));
  EXPECT_THAT(R.Output, HasSubstr("1 translation units (0 failed, 0 skipped)"));
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_THAT(findingsIn(J, "good.cpp"), testing::ElementsAre("integration-missing-retry:5", "integration-missing-timeout:5"));
  fs::remove_all(D);
}

TEST(ExitCodes, EmptyDatabaseAnalysesNothingAndFails) {
  fs::path D = tempDir("emptydb");
  write(D / "compile_commands.json", "[]");
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: no translation unit was analysed "
                                  "(0 failed, 0 skipped)"));
  fs::remove_all(D);
}

/// A unit that does not compile (its generated header is missing) and makes a
/// libcurl call without a timeout, beside a unit with no integration.
fs::path brokenBuild(const std::string &Name, bool WithPlainUnit) {
  fs::path D = tempDir(Name);
  write(D / "net.cpp", std::string("#include \"generated_timeouts.h\"\n") + GoodSource);
  write(D / "plain.cpp", "int plain() { return 1; }\n");
  database(D, WithPlainUnit ? std::vector<std::string>{"net.cpp", "plain.cpp"}
                            : std::vector<std::string>{"net.cpp"});
  return D;
}

TEST(ExitCodes, EveryUnitFailedIsNotAPass) {
  fs::path D = brokenBuild("allfailed", false);
  ToolRun R = analyze(D);
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("failed: " + (D / "net.cpp").string()));
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: no translation unit was analysed "
                                  "(1 failed, 0 skipped)"));
  // The reports are this run's and say why.
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_THAT(statusOf(J, "/net.cpp"), HasSubstr("failed: "));
  fs::remove_all(D);
}

TEST(ExitCodes, FindingsOfAUnitThatFailedToCompileDoNotFailTheGate) {
  fs::path D = brokenBuild("failedgate", true);
  ToolRun R = analyze(D, "--fail-on=high");
  EXPECT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("2 translation units (1 failed, 0 skipped)"));
  EXPECT_THAT(R.Output, HasSubstr("2 findings are in files only translation units that failed to "
                                  "compile saw: not counted for --fail-on"));
  // The finding is still reported, beside the unit's status.
  json J = json::parse(slurp(D / "out" / "integration-report.json"));
  EXPECT_THAT(findingsIn(J, "net.cpp"), testing::ElementsAre("integration-missing-retry:6", "integration-missing-timeout:6"));
  EXPECT_THAT(statusOf(J, "/net.cpp"), HasSubstr("failed: "));
  // Once the header exists, the same finding fails the gate.
  write(D / "generated_timeouts.h", "#pragma once\n");
  R = analyze(D, "--fail-on=high");
  EXPECT_EQ(R.Exit, 1) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("2 translation units (0 failed, 0 skipped)"));
  EXPECT_THAT(R.Output, Not(HasSubstr("not counted for --fail-on")));
  fs::remove_all(D);
}

} // namespace
