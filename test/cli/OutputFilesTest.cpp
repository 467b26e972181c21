// The built tool's output files: the shared glossary written through a symbolic
// link with its mode kept, refused when read-only, updated by one run at a time;
// every output checked before the analysis; the previous run's reports never
// left looking current.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "ToolRun.h"
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;
using testing::Not;

namespace {

using im::test::ToolRun;
using im::test::slurp;

using im::test::write;

/// A project in `D` with one libcurl call to `Host`.
void project(const fs::path &D, const std::string &Host) {
  fs::create_directories(D);
  write(D / "net.cpp", "#include <curl/curl.h>\nint fetch() {\n  CURL *h = curl_easy_init();\n"
                       "  curl_easy_setopt(h, CURLOPT_URL, \"https://" + Host + "/v1\");\n"
                       "  return curl_easy_perform(h);\n}\n");
  write(D / "compile_commands.json",
        json::array({{{"directory", D.string()},
                      {"file", "net.cpp"},
                      {"command", "g++ -std=c++17 -c net.cpp -o /tmp/x.o"}}})
            .dump());
}

ToolRun analyze(const fs::path &D, const std::string &Extra) {
  return im::test::runTool("-p '" + D.string() + "' --output-dir '" + (D / "out").string() + "' " +
                               Extra,
                           D.string());
}

unsigned modeOf(const fs::path &P) {
  struct stat St;
  return ::stat(P.c_str(), &St) == 0 ? (St.st_mode & 07777) : 0;
}

TEST(OutputFiles, SymlinkedGlossaryUpdatesItsTargetAndKeepsItsMode) {
  fs::path D = im::test::freshTempDir("im-out-", "symlink");
  project(D / "p", "api.example.com");
  fs::create_directories(D / "shared");
  write(D / "shared" / "glossary.json", "{\"integrations\": {}}\n");
  ::chmod((D / "shared" / "glossary.json").c_str(), 0600);
  fs::create_symlink("../shared/glossary.json", D / "p" / "glossary.json");
  ToolRun R = analyze(D / "p", "--glossary '" + (D / "p" / "glossary.json").string() + "'");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_TRUE(fs::is_symlink(D / "p" / "glossary.json")) << "the link stays a link";
  EXPECT_THAT(slurp(D / "shared" / "glossary.json"), HasSubstr("HTTP API (api.example.com)"));
  EXPECT_EQ(modeOf(D / "shared" / "glossary.json"), 0600u);
  fs::remove_all(D);
}

TEST(OutputFiles, ReadOnlyGlossaryIsRefusedBeforeTheAnalysisEvenForRoot) {
  fs::path D = im::test::freshTempDir("im-out-", "readonly");
  project(D, "api.example.com");
  const std::string Before = "{\"integrations\": {}}\n";
  write(D / "glossary.json", Before);
  ::chmod((D / "glossary.json").c_str(), 0444);
  ToolRun R = analyze(D, "--glossary '" + (D / "glossary.json").string() + "'");
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " + (D / "glossary.json").string() +
                                  ": is read-only"));
  EXPECT_THAT(R.Output, Not(HasSubstr("translation units"))) << "nothing was analysed";
  EXPECT_EQ(slurp(D / "glossary.json"), Before);
  EXPECT_EQ(modeOf(D / "glossary.json"), 0444u);
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

TEST(OutputFiles, NonRegularOutputsAreRefusedBeforeTheAnalysis) {
  fs::path D = im::test::freshTempDir("im-out-", "nonregular");
  project(D, "api.example.com");
  // The report's name is taken by a directory.
  fs::create_directories(D / "out" / "integration-report.json");
  ToolRun R = analyze(D, "--no-glossary");
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " +
                                  (D / "out" / "integration-report.json").string() +
                                  ": is not a regular file; nothing was analysed or written"));
  EXPECT_FALSE(fs::exists(D / "out" / "INTEGRATION_RISK_ANALYSIS.md"));
  // The output directory's name is taken by a file.
  fs::remove_all(D / "out");
  write(D / "out", "not a directory\n");
  R = analyze(D, "--no-glossary");
  EXPECT_EQ(R.Exit, 2) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: error: " + (D / "out").string() +
                                  ": output directory is not a directory"));
  EXPECT_EQ(slurp(D / "out"), "not a directory\n");
  fs::remove_all(D);
}

TEST(OutputFiles, ConcurrentRunsKeepEveryProjectInTheGlossary) {
  fs::path D = im::test::freshTempDir("im-out-", "concurrent");
  fs::path Glossary = D / "glossary.json";
  // Other tools' entries make the file big enough for the runs to overlap.
  json G = {{"integrations", json::object()}, {"other_tool", json::object()}};
  for (int I = 0; I < 20000; ++I)
    G["other_tool"]["k" + std::to_string(I)] = std::string(200, 'x');
  write(Glossary, G.dump(2));
  const int Runs = 4;
  for (int I = 0; I < Runs; ++I)
    project(D / ("p" + std::to_string(I)), "host" + std::to_string(I) + ".example.com");
  std::vector<std::thread> Threads;
  std::vector<ToolRun> Results(Runs);
  for (int I = 0; I < Runs; ++I)
    Threads.emplace_back([&, I] {
      Results[I] = analyze(D / ("p" + std::to_string(I)), "--glossary '" + Glossary.string() + "'");
    });
  for (auto &T : Threads)
    T.join();
  for (const auto &R : Results)
    ASSERT_EQ(R.Exit, 0) << R.Output;
  json After = json::parse(slurp(Glossary));
  for (int I = 0; I < Runs; ++I)
    EXPECT_THAT(After.dump(), HasSubstr("host" + std::to_string(I) + ".example.com"))
        << "run " << I << "'s entry was lost";
  EXPECT_EQ(After["other_tool"].size(), 20000u);
  fs::remove_all(D);
}

TEST(OutputFiles, PreviousReportsNeverLookCurrent) {
  fs::path D = im::test::freshTempDir("im-out-", "stale");
  project(D, "api.example.com");
  ToolRun R = analyze(D, "--no-glossary --format json,md,sarif");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  ASSERT_TRUE(fs::exists(D / "out" / "integration-report.sarif"));
  // A later run that writes only JSON leaves no SARIF of the earlier run behind.
  R = analyze(D, "--no-glossary --format json");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_TRUE(fs::exists(D / "out" / "integration-report.json"));
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.sarif"));
  EXPECT_FALSE(fs::exists(D / "out" / "INTEGRATION_RISK_ANALYSIS.md"));
  // A run killed during the analysis leaves no report at all: the previous one
  // was removed before the analysis started. The unit below keeps the compiler
  // busy (a constant evaluation of a billion steps) until the run is killed; it
  // calls no client, so the include prefilter is turned off for it to be parsed.
  write(D / "out" / "INTEGRATION_RISK_ANALYSIS.md", "stale\n");
  write(D / "slow.cpp", "constexpr long spin() { long s = 0; for (long i = 0; i < 1000000000; ++i) "
                        "s += i % 3; return s; }\nstatic_assert(spin() > 0);\n");
  write(D / "compile_commands.json",
        json::array({{{"directory", D.string()},
                      {"file", "slow.cpp"},
                      {"command", "g++ -std=c++17 -fconstexpr-steps=2147483647 -c slow.cpp"}}})
            .dump());
  std::string Cmd = "cd '" + D.string() + "' && timeout -s KILL 8 '" IM_TOOL "' -p '" + D.string() +
                    "' --output-dir '" + (D / "out").string() +
                    "' --no-glossary --no-prefilter >/dev/null 2>&1";
  EXPECT_NE(std::system(Cmd.c_str()), 0) << "the run was killed";
  EXPECT_FALSE(fs::exists(D / "out" / "INTEGRATION_RISK_ANALYSIS.md"));
  EXPECT_FALSE(fs::exists(D / "out" / "integration-report.json"));
  fs::remove_all(D);
}

} // namespace
