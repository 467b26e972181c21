// The built tool on a project that plants every secret shape it knows, in the
// code and in the compile flags: no output (JSON, Markdown, SARIF, compiler
// diagnostics, the glossary, stdout and stderr) prints one, and look-alikes
// that are not secrets stay readable.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "ToolRun.h"
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;
using testing::Not;

namespace {

using im::test::write;

/// Credentials written the ways code and build files write them.
const char *Source = R"cpp(#include <mysql/mysql.h>
#include <libpq-fe.h>
#include <curl/curl.h>
bool mysqlConnect(MYSQL *m, const char *host) {
  return mysql_real_connect(m, host, "root", "Pw-positional-123", "shop", 3306, nullptr, 0) != nullptr;
}
PGconn *spaced() { return PQconnectdb("host=db.internal password = Spaced-Secret-9 dbname=app"); }
PGconn *amp() { return PQconnectdb("host=db.internal password=Amp&Tail-Secret dbname=app"); }
PGconn *login() {
  return PQsetdbLogin("db.internal", "5432", nullptr, nullptr, "app", "app", "Pq-Login-Secret-4");
}
int fetch() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL,
                   "https://user:Url-Secret-77@api.example.com/v1/orders?api_key=Query-Secret-5&origin=1");
  return curl_easy_perform(h);
}
const char *macroPassword() { return DB_PASSWORD; }
)cpp";

/// Uses a client (so the reachability prefilter parses it), fails to compile,
/// and the compiler's message quotes the -D password.
const char *Broken = "#include <libpq-fe.h>\nstatic_assert(sizeof(int) == 3, DB_PASSWORD);\n";

const char *Flags = "-std=c++17 -I/usr/include/postgresql -DSTRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc "
                    "-DDB_PASSWORD=\\\"Define-Secret-8\\\" -DAPI_KEY=Api-Define-Secret-6 "
                    "-DPASSWORD_MIN_LENGTH=12";

const char *Planted[] = {"4eC39HqLyjWDarjtT1zdp7dc", "Define-Secret-8", "Api-Define-Secret-6",
                         "Pw-positional-123",        "Spaced-Secret-9", "Tail-Secret",
                         "Pq-Login-Secret-4",        "Url-Secret-77",   "Query-Secret-5"};

TEST(Secrets, NoOutputPrintsAPlantedSecret) {
  fs::path D = im::test::freshTempDir("im-secrets-", "planted");
  write(D / "db.cpp", Source);
  write(D / "broken.cpp", Broken);
  json Db = json::array();
  for (const char *F : {"db.cpp", "broken.cpp"})
    Db.push_back({{"directory", D.string()},
                  {"file", F},
                  {"command", std::string("g++ ") + Flags + " -c " + F + " -o /tmp/x.o"}});
  write(D / "compile_commands.json", Db.dump(1));
  fs::path Glossary = D / "glossary.json";
  im::test::ToolRun R = im::test::runTool(
      "-p '" + D.string() + "' --output-dir '" + (D / "out").string() +
          "' --format json,md,sarif,diagnostics --glossary '" + Glossary.string() + "'",
      D.string());
  ASSERT_THAT(R.Output, HasSubstr("2 translation units (1 failed, 0 skipped)"));

  std::vector<std::pair<std::string, std::string>> Outputs = {{"stdout+stderr", R.Output},
                                                              {"glossary", im::test::slurp(Glossary)}};
  for (const auto &F : fs::recursive_directory_iterator(D / "out"))
    if (F.is_regular_file())
      Outputs.emplace_back(F.path().string(), im::test::slurp(F.path()));
  ASSERT_GE(Outputs.size(), 5u) << "json, md, sarif, glossary, stdout";
  for (const auto &[Name, Text] : Outputs)
    for (const char *S : Planted)
      EXPECT_THAT(Text, Not(HasSubstr(S))) << Name << " prints " << S;

  json J = json::parse(im::test::slurp(D / "out" / "integration-report.json"));
  std::map<std::string, json> Units;
  for (const auto &U : J["translation_units"])
    Units[fs::path(U["file"].get<std::string>()).filename().string()] = U;
  // The flags stay readable; only the credential macros' values are gone.
  EXPECT_EQ(Units["db.cpp"]["configuration"],
            "-std=c++17 -DSTRIPE_KEY=*** -DDB_PASSWORD=*** -DAPI_KEY=*** -DPASSWORD_MIN_LENGTH=12");
  EXPECT_EQ(Units["broken.cpp"]["status"], "failed");
  EXPECT_THAT(Units["broken.cpp"]["error"].get<std::string>(), HasSubstr("static assertion failed"));

  std::string Md = im::test::slurp(D / "out" / "INTEGRATION_RISK_ANALYSIS.md");
  // The positional password is blanked in the excerpt; the user name next to it is not.
  EXPECT_THAT(Md, HasSubstr(R"(mysql_real_connect(m, host, "root", "***", "shop", 3306, nullptr, 0))"));
  // Endpoints keep host, path and harmless parameters.
  EXPECT_THAT(R.Output + Md, HasSubstr("api.example.com"));
  fs::remove_all(D);
}

} // namespace
