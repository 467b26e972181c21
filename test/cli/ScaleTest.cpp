// Large codebases: progress on stderr, the facts cache, shards and merge, and
// the reachability prefilter, run through the built tool as users run it.
#include "ToolRun.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;
using testing::Not;
using im::test::readJson;
using im::test::runTool;
using im::test::slurp;
using im::test::ToolRun;

namespace {

/// Writes `Text` to `P`, creating its folder first.
void write(const fs::path &P, const std::string &Text) {
  fs::create_directories(P.parent_path());
  im::test::write(P, Text);
}

/// "N translation units parsed, M from the cache" of a run.
std::pair<int, int> parsedAndCached(const std::string &Output) {
  std::smatch M;
  std::regex Line(R"((\d+) translation units parsed, (\d+) from the cache)");
  if (!std::regex_search(Output, M, Line))
    return {-1, -1};
  return {std::stoi(M[1]), std::stoi(M[2])};
}

/// Every file of the project last modified an hour ago, as in a checkout
/// nobody is editing: the cache then validates unchanged files by a stat.
void ageFiles(const fs::path &Dir) {
  auto Past = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto &E : fs::recursive_directory_iterator(Dir))
    if (E.is_regular_file())
      fs::last_write_time(E.path(), Past);
}

/// A project of eight units over the real libcurl header:
///  net.cpp       includes net.h, which includes <curl/curl.h>: a wrapper
///  orders.cpp    includes net.h: calls the wrapper
///  mail.cpp      includes <curl/curl.h> directly, not net.h; its URL is
///                env_or("MAIL_URL", ...), defined in env.cpp
///  env.cpp       includes env.h only (no curl): an env reader the URL needs
///  api.cpp       includes api.h only (no curl): calls a function of report.cpp
///                declared in report.h, which calls the wrapper through
///                gateway.h's interface, implemented in stripe.cpp with curl
///  report.cpp    includes report.h and gateway.h
///  stripe.cpp    includes gateway.h and <curl/curl.h>
///  util.cpp      includes util.h only: reaches no client
class Project {
public:
  explicit Project(const std::string &Name) : Dir(im::test::freshTempDir("im-scale-", Name)) {
    write(Dir / "src/net.h", "#pragma once\n#include <curl/curl.h>\nnamespace app {\n"
                             "int fetch(const char *url);\n}\n");
    write(Dir / "src/net.cpp", "#include \"net.h\"\nnamespace app {\nint fetch(const char *url) {\n"
                               "  CURL *c = curl_easy_init();\n"
                               "  curl_easy_setopt(c, CURLOPT_URL, url);\n"
                               "  return curl_easy_perform(c);\n}\n}\n");
    write(Dir / "src/orders.cpp", "#include \"net.h\"\nnamespace app {\nint order() {\n"
                                  "  return fetch(\"https://orders.internal/api\");\n}\n}\n");
    write(Dir / "src/env.h", "#pragma once\nnamespace app {\n"
                             "const char *env_or(const char *name, const char *fallback);\n}\n");
    write(Dir / "src/env.cpp", "#include \"env.h\"\n#include <cstdlib>\nnamespace app {\n"
                               "const char *env_or(const char *name, const char *fallback) {\n"
                               "  const char *v = std::getenv(name);\n  return v ? v : fallback;\n}\n}\n");
    write(Dir / "src/mail.cpp", "#include <curl/curl.h>\n#include \"env.h\"\nnamespace app {\nint mail() {\n"
                                "  CURL *c = curl_easy_init();\n"
                                "  curl_easy_setopt(c, CURLOPT_URL, env_or(\"MAIL_URL\", \"smtp://mail.internal\"));\n"
                                "  curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);\n"
                                "  return curl_easy_perform(c);\n}\n}\n");
    write(Dir / "src/gateway.h", "#pragma once\nnamespace app {\nstruct Gateway {\n"
                                 "  virtual ~Gateway() = default;\n"
                                 "  virtual int charge(int cents) = 0;\n};\n"
                                 "Gateway &gateway();\n}\n");
    write(Dir / "src/stripe.cpp",
          "#include \"gateway.h\"\n#include <curl/curl.h>\nnamespace app {\n"
          "struct Stripe : Gateway {\n  int charge(int cents) override {\n"
          "    CURL *c = curl_easy_init();\n"
          "    curl_easy_setopt(c, CURLOPT_URL, \"https://api.stripe.com/v1/charges\");\n"
          "    return curl_easy_perform(c) + cents;\n  }\n};\n"
          "Gateway &gateway() { static Stripe S; return S; }\n}\n");
    write(Dir / "src/report.h", "#pragma once\nnamespace app {\nint settle(int cents);\n}\n");
    write(Dir / "src/report.cpp", "#include \"report.h\"\n#include \"gateway.h\"\nnamespace app {\n"
                                  "int settle(int cents) { return gateway().charge(cents); }\n}\n");
    write(Dir / "src/api.h", "#pragma once\n#include \"report.h\"\n");
    write(Dir / "src/api.cpp", "#include \"api.h\"\nint main() { return app::settle(100); }\n");
    write(Dir / "src/util.h", "#pragma once\nnamespace app {\ninline int twice(int x) { return 2 * x; }\n}\n");
    write(Dir / "src/util.cpp", "#include \"util.h\"\nnamespace app {\nint four() { return twice(2); }\n}\n");
    json Db = json::array();
    for (const char *F : {"net", "orders", "mail", "api", "report", "stripe", "util", "env"})
      Db.push_back({{"directory", Dir.string()},
                    {"file", "src/" + std::string(F) + ".cpp"},
                    {"command", "c++ -std=c++17 -Isrc -c src/" + std::string(F) + ".cpp"}});
    write(Dir / "build/compile_commands.json", Db.dump(2));
    ageFiles(Dir);
  }
  ~Project() { fs::remove_all(Dir); }
  /// The tool in the project's directory on its database; `merge ...` stays first.
  ToolRun run(const std::string &Args) const {
    std::string Common = "-p build --no-glossary ";
    if (Args.rfind("merge ", 0) == 0)
      return runTool("merge " + Common + Args.substr(6), Dir.string());
    return runTool(Common + Args, Dir.string());
  }
  fs::path Dir;
};

std::string statusOf(const json &Report, const std::string &FileSuffix) {
  for (const auto &U : Report["translation_units"]) {
    std::string F = U["file"];
    if (F.size() >= FileSuffix.size() &&
        F.compare(F.size() - FileSuffix.size(), FileSuffix.size(), FileSuffix) == 0)
      return U["status"];
  }
  return "";
}

// ------------------------------------------------------------------ progress

TEST(Progress, PeriodicLinesWhenStderrIsNotATerminal) {
  Project P("progress");
  ToolRun R = P.run("--no-cache --no-prefilter --output-dir out");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  // No in-place redraw in a log: plain lines, the last one at 100%.
  EXPECT_THAT(R.Output, Not(HasSubstr("\r")));
  EXPECT_THAT(R.Output, Not(HasSubstr("\x1b[K")));
  EXPECT_THAT(R.Output, HasSubstr("integration-mapper: analysing [8/8] 100%  "));
  EXPECT_THAT(R.Output, HasSubstr(" elapsed"));
  std::regex Line(R"(integration-mapper: analysing \[\d/8\] \d+%  \d+:\d\d elapsed)");
  EXPECT_TRUE(std::regex_search(R.Output, Line)) << R.Output;

  ToolRun Q = P.run("--no-cache --quiet --output-dir out");
  EXPECT_EQ(Q.Exit, 0) << Q.Output;
  EXPECT_EQ(Q.Output, "");
}

// ------------------------------------------------------------------ cache

TEST(FactsCache, RerunParsesNothingAndEditingAHeaderReparsesItsIncluders) {
  Project P("cache");
  std::string Args = "--no-prefilter --cache-dir cache --output-dir out";
  ToolRun Cold = P.run(Args);
  ASSERT_EQ(Cold.Exit, 0) << Cold.Output;
  EXPECT_EQ(parsedAndCached(Cold.Output), std::make_pair(8, 0)) << Cold.Output;
  std::string ColdReport = slurp(P.Dir / "out/integration-report.json");
  ASSERT_FALSE(ColdReport.empty());

  ToolRun Warm = P.run(Args);
  ASSERT_EQ(Warm.Exit, 0) << Warm.Output;
  EXPECT_EQ(parsedAndCached(Warm.Output), std::make_pair(0, 8)) << Warm.Output;
  EXPECT_EQ(slurp(P.Dir / "out/integration-report.json"), ColdReport);

  // net.h is included by net.cpp and orders.cpp only.
  std::ofstream(P.Dir / "src/net.h", std::ios::app) << "// edited\n";
  ToolRun Edited = P.run(Args);
  ASSERT_EQ(Edited.Exit, 0) << Edited.Output;
  EXPECT_EQ(parsedAndCached(Edited.Output), std::make_pair(2, 6)) << Edited.Output;

  // The re-parsed units were stored again.
  ToolRun Again = P.run(Args);
  EXPECT_EQ(parsedAndCached(Again.Output), std::make_pair(0, 8)) << Again.Output;
}

TEST(FactsCache, ChangingAUnitsOwnFileOrCommandReparsesOnlyIt) {
  Project P("cache-own");
  std::string Args = "--no-prefilter --cache-dir cache --output-dir out";
  ASSERT_EQ(P.run(Args).Exit, 0);
  std::ofstream(P.Dir / "src/util.cpp", std::ios::app) << "// edited\n";
  EXPECT_EQ(parsedAndCached(P.run(Args).Output), std::make_pair(1, 7));
  // An extra argument changes every command line.
  EXPECT_EQ(parsedAndCached(P.run(Args + " --extra-arg=-DX=1").Output), std::make_pair(8, 0));
}

TEST(FactsCache, CorruptOrForeignEntriesAreIgnoredAndRewritten) {
  Project P("cache-corrupt");
  std::string Args = "--no-prefilter --cache-dir cache --output-dir out";
  ASSERT_EQ(P.run(Args).Exit, 0);
  std::string Good = slurp(P.Dir / "out/integration-report.json");
  std::vector<fs::path> Entries;
  for (const auto &E : fs::directory_iterator(P.Dir / "cache"))
    if (E.is_regular_file())
      Entries.push_back(E.path());
  ASSERT_EQ(Entries.size(), 8u);
  // Truncated JSON, another file's entry under this name, a different format.
  std::string First = slurp(Entries[0]);
  write(Entries[0], First.substr(0, First.size() / 2));
  write(Entries[1], slurp(Entries[2]));
  json Foreign = json::parse(slurp(Entries[3]));
  Foreign["format"] = "some other tool";
  write(Entries[3], Foreign.dump());
  ToolRun R = P.run(Args);
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_EQ(parsedAndCached(R.Output), std::make_pair(3, 5)) << R.Output;
  EXPECT_EQ(slurp(P.Dir / "out/integration-report.json"), Good);
  // Rewritten: the next run takes everything from the cache.
  EXPECT_EQ(parsedAndCached(P.run(Args).Output), std::make_pair(0, 8));
}

/// The Project with a header of its own, common.h (an inline helper that
/// calls the wrapper, so it has facts), included by orders.cpp, mail.cpp and
/// report.cpp.
void addCommonHeader(const Project &P) {
  write(P.Dir / "src/common.h", "#pragma once\n#include \"net.h\"\nnamespace app {\n"
                                "inline int ping() { return fetch(\"https://status.internal/ping\"); }\n}\n");
  for (const char *F : {"orders", "mail", "report"}) {
    fs::path Path = P.Dir / "src" / (std::string(F) + ".cpp");
    write(Path, "#include \"common.h\"\n" + slurp(Path));
  }
  ageFiles(P.Dir);
}

/// The cache's entries (file name -> the digests of the parts it lists).
std::map<std::string, std::vector<std::string>> cacheEntries(const fs::path &Cache) {
  std::map<std::string, std::vector<std::string>> Out;
  for (const auto &E : fs::directory_iterator(Cache))
    if (E.is_regular_file())
      Out[json::parse(slurp(E.path()))["file"]] = json::parse(slurp(E.path()))["parts"];
  return Out;
}

/// The parts whose facts are located in `File` (a path suffix).
std::set<std::string> partsOf(const fs::path &Cache, const std::string &File) {
  std::set<std::string> Out;
  for (const auto &E : fs::directory_iterator(Cache / "parts"))
    if (slurp(E.path()).find(File + "\"") != std::string::npos)
      Out.insert(E.path().stem().string());
  return Out;
}

TEST(FactsCache, AHeadersFactsAreStoredOnceForAllItsIncludersAndGiveTheSameReport) {
  Project P("cache-parts");
  addCommonHeader(P);
  std::string Args = "--no-prefilter --cache-dir cache --output-dir out";
  ToolRun Cold = P.run(Args);
  ASSERT_EQ(Cold.Exit, 0) << Cold.Output;
  std::string Report = slurp(P.Dir / "out/integration-report.json");
  // ping()'s call site is in the report, at common.h:4.
  EXPECT_THAT(Report, HasSubstr("common.h:4:"));

  // Three units list common.h's part; it is one file.
  auto Common = partsOf(P.Dir / "cache", "src/common.h");
  ASSERT_EQ(Common.size(), 1u);
  int Listing = 0;
  for (const auto &[File, Parts] : cacheEntries(P.Dir / "cache"))
    Listing += std::count(Parts.begin(), Parts.end(), *Common.begin());
  EXPECT_EQ(Listing, 3);

  ToolRun Warm = P.run(Args);
  ASSERT_EQ(Warm.Exit, 0) << Warm.Output;
  EXPECT_EQ(parsedAndCached(Warm.Output), std::make_pair(0, 8)) << Warm.Output;
  // Each part is read once, for the first unit (by file) that lists it, and
  // skipped for the others: common.h's twice, any other shared part as often.
  std::set<std::string> Distinct;
  size_t Listings = 0;
  for (const auto &[File, Parts] : cacheEntries(P.Dir / "cache")) {
    Distinct.insert(Parts.begin(), Parts.end());
    Listings += Parts.size();
  }
  EXPECT_EQ(Distinct.size(), 12u);
  EXPECT_EQ(Listings - Distinct.size(), 3u);
  EXPECT_THAT(Warm.Output, HasSubstr("cached facts: 12 parts read, 3 repeats skipped\n"));
  EXPECT_EQ(slurp(P.Dir / "out/integration-report.json"), Report);
  ASSERT_EQ(P.run("--no-prefilter --no-cache --output-dir fresh").Exit, 0);
  EXPECT_EQ(slurp(P.Dir / "fresh/integration-report.json"), Report);

  // An edit of common.h makes another part (and the old one stays unused).
  std::ofstream(P.Dir / "src/common.h", std::ios::app) << "namespace app { inline int three() { return 3; } }\n";
  ToolRun Edited = P.run(Args);
  EXPECT_EQ(parsedAndCached(Edited.Output), std::make_pair(3, 5)) << Edited.Output;
  EXPECT_EQ(partsOf(P.Dir / "cache", "src/common.h").size(), 2u);
}

TEST(FactsCache, AMissingOrDamagedPartMakesTheUnitsThatNeedItParseAgain) {
  Project P("cache-parts-damaged");
  addCommonHeader(P);
  std::string Args = "--no-prefilter --cache-dir cache --output-dir out";
  ASSERT_EQ(P.run(Args).Exit, 0);
  std::string Good = slurp(P.Dir / "out/integration-report.json");

  // orders.cpp's own part, damaged: only orders.cpp is parsed again.
  auto Orders = partsOf(P.Dir / "cache", "src/orders.cpp");
  ASSERT_EQ(Orders.size(), 1u);
  fs::path OrdersPart = P.Dir / "cache/parts" / (*Orders.begin() + ".json");
  std::string Text = slurp(OrdersPart);
  write(OrdersPart, Text.substr(0, Text.size() - 20) + std::string(20, ' '));
  ToolRun Damaged = P.run(Args);
  ASSERT_EQ(Damaged.Exit, 0) << Damaged.Output;
  EXPECT_EQ(parsedAndCached(Damaged.Output), std::make_pair(1, 7)) << Damaged.Output;
  EXPECT_EQ(slurp(P.Dir / "out/integration-report.json"), Good);
  EXPECT_EQ(slurp(OrdersPart), Text); // written again

  // common.h's part, deleted: the first unit listing it (one worker: in the
  // database's order, orders.cpp) is parsed again and stores it again, which
  // is all the two others need.
  auto Common = partsOf(P.Dir / "cache", "src/common.h");
  ASSERT_EQ(Common.size(), 1u);
  fs::path CommonPart = P.Dir / "cache/parts" / (*Common.begin() + ".json");
  fs::remove(CommonPart);
  ToolRun Missing = P.run(Args + " -j1");
  ASSERT_EQ(Missing.Exit, 0) << Missing.Output;
  EXPECT_EQ(parsedAndCached(Missing.Output), std::make_pair(1, 7)) << Missing.Output;
  EXPECT_TRUE(fs::exists(CommonPart));
  EXPECT_EQ(slurp(P.Dir / "out/integration-report.json"), Good);
  EXPECT_EQ(parsedAndCached(P.run(Args).Output), std::make_pair(0, 8));
}

TEST(FactsCache, NoCacheWritesNothing) {
  Project P("cache-off");
  ToolRun R = P.run("--no-prefilter --no-cache --output-dir out");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("8 translation units parsed\n"));
  EXPECT_FALSE(fs::exists(P.Dir / "build/.integration-mapper-cache"));
  // By default the cache is beside the compilation database.
  ASSERT_EQ(P.run("--no-prefilter --output-dir out").Exit, 0);
  EXPECT_TRUE(fs::exists(P.Dir / "build/.integration-mapper-cache"));
}

// ------------------------------------------------------------------ include-scan cache

/// "includes scanned in N translation units, M from the cache" of a run.
std::pair<int, int> scannedAndCached(const std::string &Output) {
  std::smatch M;
  std::regex Line(R"(includes scanned in (\d+) translation units, (\d+) from the cache)");
  if (!std::regex_search(Output, M, Line))
    return {-1, -1};
  return {std::stoi(M[1]), std::stoi(M[2])};
}

/// The report's findings, call sites and integrations.
json essence(const json &Report);

TEST(ScanCache, RerunScansNothingAndAHeaderEditRescansOnlyItsIncluders) {
  Project P("scan-cache");
  std::string Args = "--cache-dir cache --output-dir out";
  ToolRun Cold = P.run(Args);
  ASSERT_EQ(Cold.Exit, 0) << Cold.Output;
  EXPECT_EQ(scannedAndCached(Cold.Output), std::make_pair(8, 0)) << Cold.Output;
  EXPECT_EQ(parsedAndCached(Cold.Output), std::make_pair(7, 0)) << Cold.Output;

  ToolRun Warm = P.run(Args);
  ASSERT_EQ(Warm.Exit, 0) << Warm.Output;
  EXPECT_EQ(scannedAndCached(Warm.Output), std::make_pair(0, 8)) << Warm.Output;
  EXPECT_EQ(parsedAndCached(Warm.Output), std::make_pair(0, 7)) << Warm.Output;
  // No progress line for a scan that did not run.
  EXPECT_THAT(Warm.Output, Not(HasSubstr("scanning includes")));

  // util.h is included by util.cpp alone, which reaches no client.
  std::ofstream(P.Dir / "src/util.h", std::ios::app) << "// edited\n";
  ToolRun Leaf = P.run(Args);
  ASSERT_EQ(Leaf.Exit, 0) << Leaf.Output;
  EXPECT_EQ(scannedAndCached(Leaf.Output), std::make_pair(1, 7)) << Leaf.Output;
  EXPECT_EQ(parsedAndCached(Leaf.Output), std::make_pair(0, 7)) << Leaf.Output;
  EXPECT_EQ(statusOf(readJson(P.Dir / "out/integration-report.json"), "util.cpp"), "unreached");

  // net.h is included by net.cpp and orders.cpp.
  std::ofstream(P.Dir / "src/net.h", std::ios::app) << "// edited\n";
  ToolRun Shared = P.run(Args);
  ASSERT_EQ(Shared.Exit, 0) << Shared.Output;
  EXPECT_EQ(scannedAndCached(Shared.Output), std::make_pair(2, 6)) << Shared.Output;
  EXPECT_EQ(parsedAndCached(Shared.Output), std::make_pair(2, 5)) << Shared.Output;

  ToolRun Fresh = P.run("--no-cache --output-dir fresh");
  ASSERT_EQ(Fresh.Exit, 0) << Fresh.Output;
  EXPECT_EQ(essence(readJson(P.Dir / "out/integration-report.json")).dump(1),
            essence(readJson(P.Dir / "fresh/integration-report.json")).dump(1));
}

TEST(ScanCache, AHeaderThatNowIncludesAClientMakesItsUnitReachOne) {
  Project P("scan-cache-reach");
  std::string Args = "--cache-dir cache --output-dir out";
  ASSERT_EQ(P.run(Args).Exit, 0);
  EXPECT_EQ(statusOf(readJson(P.Dir / "out/integration-report.json"), "util.cpp"), "unreached");
  write(P.Dir / "src/util.h", "#pragma once\n#include <curl/curl.h>\nnamespace app {\n"
                              "inline int twice(int x) { return 2 * x; }\n}\n");
  ToolRun R = P.run(Args);
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_EQ(scannedAndCached(R.Output), std::make_pair(1, 7)) << R.Output;
  EXPECT_EQ(parsedAndCached(R.Output), std::make_pair(1, 7)) << R.Output;
  EXPECT_EQ(statusOf(readJson(P.Dir / "out/integration-report.json"), "util.cpp"), "analyzed");
}

TEST(ScanCache, TouchingAFileWithoutChangingItRescansNothing) {
  Project P("scan-cache-touch");
  std::string Args = "--cache-dir cache --output-dir out";
  ASSERT_EQ(P.run(Args).Exit, 0);
  // A new time, the same contents (a branch switched back and forth): the hash decides.
  fs::last_write_time(P.Dir / "src/net.h", fs::file_time_type::clock::now());
  ToolRun R = P.run(Args);
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_EQ(scannedAndCached(R.Output), std::make_pair(0, 8)) << R.Output;
  EXPECT_EQ(parsedAndCached(R.Output), std::make_pair(0, 7)) << R.Output;
}

TEST(ScanCache, CorruptOrForeignEntriesAreIgnoredAndRewritten) {
  Project P("scan-cache-corrupt");
  std::string Args = "--cache-dir cache --output-dir out";
  ASSERT_EQ(P.run(Args).Exit, 0);
  std::string Good = slurp(P.Dir / "out/integration-report.json");
  std::vector<fs::path> Entries;
  for (const auto &E : fs::directory_iterator(P.Dir / "cache/scan"))
    Entries.push_back(E.path());
  ASSERT_EQ(Entries.size(), 8u);
  // Cut short, another unit's entry under this name, another format.
  std::string First = slurp(Entries[0]);
  write(Entries[0], First.substr(0, First.size() / 2));
  write(Entries[1], slurp(Entries[2]));
  std::string Third = slurp(Entries[3]);
  write(Entries[3], "some other tool" + Third.substr(Third.find('\n')));
  ToolRun R = P.run(Args);
  ASSERT_EQ(R.Exit, 0) << R.Output;
  EXPECT_EQ(scannedAndCached(R.Output), std::make_pair(3, 5)) << R.Output;
  EXPECT_EQ(slurp(P.Dir / "out/integration-report.json"), Good);
  EXPECT_EQ(scannedAndCached(P.run(Args).Output), std::make_pair(0, 8));
}

// ------------------------------------------------------------------ prefilter

TEST(Prefilter, FollowsWrappersAndInterfacesToAFixedPointAndSkipsTheRest) {
  Project P("prefilter");
  ToolRun R = P.run("--no-cache --output-dir out");
  ASSERT_EQ(R.Exit, 0) << R.Output;
  json Report = readJson(P.Dir / "out/integration-report.json");
  // Include <curl/curl.h>: net, mail, stripe. Include net.h (fetch is a
  // wrapper): orders. Include gateway.h (Gateway::charge is overridden by a
  // curl caller): report. Include report.h (settle calls charge): api.
  // Spells env_or, whose result is mail's URL: env.
  for (const char *F : {"net.cpp", "mail.cpp", "stripe.cpp", "orders.cpp", "report.cpp", "api.cpp", "env.cpp"})
    EXPECT_EQ(statusOf(Report, F), "analyzed") << F;
  EXPECT_EQ(statusOf(Report, "util.cpp"), "unreached");
  EXPECT_THAT(R.Output, HasSubstr("8 translation units (0 failed, 0 skipped, 1 reach no client)"));
  EXPECT_THAT(R.Output, HasSubstr("7 translation units parsed"));
  EXPECT_THAT(slurp(P.Dir / "out/INTEGRATION_RISK_ANALYSIS.md"),
              HasSubstr("| Translation units | 8 (7 analyzed, 0 failed, 0 skipped, 1 reach no "
                        "client library (not parsed)) |"));
}

/// The findings, call sites and integrations of a report (what the prefilter
/// must not change).
json essence(const json &Report) {
  return {{"findings", Report["findings"]}, {"call_sites", Report["call_sites"]},
          {"integrations", Report["integrations"]}};
}

TEST(Prefilter, SameFindingsWithAndWithout) {
  Project P("prefilter-same");
  ASSERT_EQ(P.run("--no-cache --output-dir with").Exit, 0);
  ASSERT_EQ(P.run("--no-cache --no-prefilter --output-dir without").Exit, 0);
  json With = essence(readJson(P.Dir / "with/integration-report.json"));
  json Without = essence(readJson(P.Dir / "without/integration-report.json"));
  EXPECT_GE(With["call_sites"].size(), 3u);
  EXPECT_EQ(With.dump(1), Without.dump(1));
}

TEST(Prefilter, SameFindingsOnTheBundledExample) {
  fs::path Out = im::test::freshTempDir("im-scale-", "example-prefilter");
  std::string Base = "-p compile_commands.example.json --no-glossary --no-cache --output-dir '";
  ASSERT_EQ(runTool(Base + (Out / "with").string() + "'", IM_SOURCE_DIR).Exit, 0);
  ASSERT_EQ(runTool(Base + (Out / "without").string() + "' --no-prefilter", IM_SOURCE_DIR).Exit, 0);
  json With = readJson(Out / "with/integration-report.json");
  json Without = readJson(Out / "without/integration-report.json");
  EXPECT_GE(With["findings"].size(), 5u);
  EXPECT_EQ(essence(With).dump(1), essence(Without).dump(1));
  fs::remove_all(Out);
}

TEST(Prefilter, SameFindingsOnTheDevCorpus) {
  fs::path Devset = fs::path(IM_SOURCE_DIR) / ".." / "shared" / "eval" / "devset";
  if (!fs::exists(Devset / "CMakeLists.txt"))
    GTEST_SKIP() << "no dev corpus at " << Devset.string();
  fs::path Build = im::test::freshTempDir("im-scale-", "devset");
  int Rc = std::system(("cmake -S '" + Devset.string() + "' -B '" + Build.string() +
                        "' -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null 2>&1")
                           .c_str());
  if (Rc != 0)
    GTEST_SKIP() << "the dev corpus does not configure here (packages missing?)";
  std::string Base = "-p '" + Build.string() + "' --source-root '" +
                     fs::weakly_canonical(Devset).string() + "' --no-glossary --no-cache";
  ToolRun With = runTool(Base + " --output-dir '" + (Build / "with").string() + "'", IM_SOURCE_DIR);
  ToolRun Without = runTool(Base + " --no-prefilter --output-dir '" + (Build / "without").string() + "'",
                            IM_SOURCE_DIR);
  ASSERT_EQ(With.Exit, 0) << With.Output;
  ASSERT_EQ(Without.Exit, 0) << Without.Output;
  json W = readJson(Build / "with/integration-report.json");
  json WO = readJson(Build / "without/integration-report.json");
  EXPECT_GE(W["findings"].size(), 20u);
  EXPECT_EQ(essence(W).dump(1), essence(WO).dump(1));
  std::smatch M;
  if (std::regex_search(With.Output, M, std::regex(R"(\d+ translation units \([^)]*\))")))
    std::cout << "dev corpus with the prefilter: " << M[0] << "\n";
  fs::remove_all(Build);
}

// ------------------------------------------------------------------ shards

/// Every report file of a run.
std::map<std::string, std::string> reports(const fs::path &Dir) {
  std::map<std::string, std::string> Out;
  for (const char *F : {"integration-report.json", "INTEGRATION_RISK_ANALYSIS.md",
                        "integration-report.sarif"})
    Out[F] = slurp(Dir / F);
  return Out;
}

void expectShardsMergeToTheSingleRun(const std::string &Cwd, const std::string &Common,
                                      const fs::path &Tmp, unsigned N) {
  ToolRun Single = runTool(Common + " --output-dir '" + (Tmp / "single").string() + "'", Cwd);
  ASSERT_EQ(Single.Exit, 0) << Single.Output;
  std::string Facts;
  for (unsigned I = 1; I <= N; ++I) {
    std::string Shard = std::to_string(I) + "/" + std::to_string(N);
    fs::path F = Tmp / ("facts-" + std::to_string(I) + ".json");
    ToolRun S = runTool(Common + " --shard=" + Shard + " --facts-out '" + F.string() + "'", Cwd);
    ASSERT_EQ(S.Exit, 0) << S.Output;
    EXPECT_THAT(S.Output, HasSubstr("facts: " + F.string()));
    Facts += " '" + F.string() + "'";
  }
  ToolRun M = runTool("merge " + Common + " --output-dir '" + (Tmp / "merged").string() + "'" +
                          Facts,
                      Cwd);
  ASSERT_EQ(M.Exit, 0) << M.Output;
  auto A = reports(Tmp / "single"), B = reports(Tmp / "merged");
  for (const auto &[Name, Text] : A) {
    EXPECT_FALSE(Text.empty()) << Name;
    EXPECT_EQ(Text, B[Name]) << Name << " differs between the single run and the merged shards";
  }
}

TEST(Shards, MergedReportsAreByteIdenticalToASingleRunOnTheExample) {
  fs::path Tmp = im::test::freshTempDir("im-scale-", "example-shards");
  expectShardsMergeToTheSingleRun(
      IM_SOURCE_DIR,
      "-p compile_commands.example.json --no-glossary --no-cache --format json,md,sarif", Tmp, 3);
  fs::remove_all(Tmp);
}

TEST(Shards, MergedReportsAreByteIdenticalOnAMultiUnitProject) {
  Project P("shards");
  // With the prefilter the merge runs the later rounds itself (orders, report, api).
  expectShardsMergeToTheSingleRun(P.Dir.string(),
                                  "-p build --no-glossary --no-cache --format json,md,sarif",
                                  P.Dir / "pre", 2);
  expectShardsMergeToTheSingleRun(
      P.Dir.string(), "-p build --no-glossary --no-cache --no-prefilter --format json,md,sarif",
      P.Dir / "all", 4);
}

TEST(Shards, MergeRefusesAnIncompleteOrMixedSetOfShards) {
  Project P("shards-bad");
  ASSERT_EQ(P.run("--no-cache --shard=1/2 --facts-out f1.json").Exit, 0);
  ToolRun Missing = P.run("merge --output-dir out f1.json");
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_THAT(Missing.Output,
              HasSubstr("integration-mapper: error: merge: shard 2/2 is missing: merge needs the "
                        "facts of every shard"));
  ASSERT_EQ(P.run("--no-cache --no-prefilter --shard=2/2 --facts-out f2.json").Exit, 0);
  ToolRun Mixed = P.run("merge --output-dir out f1.json f2.json");
  EXPECT_EQ(Mixed.Exit, 2);
  EXPECT_THAT(Mixed.Output, HasSubstr("f2.json: --no-prefilter differs from f1.json: the shards "
                                      "are not from one run"));
  ToolRun Bad = P.run("--shard=3/2");
  EXPECT_EQ(Bad.Exit, 2);
  EXPECT_THAT(Bad.Output, HasSubstr("--shard: expected i/N with 1 <= i <= N, got '3/2'"));
  write(P.Dir / "junk.json", "{\"format\": 1}");
  ToolRun Junk = P.run("merge junk.json");
  EXPECT_EQ(Junk.Exit, 2);
  EXPECT_THAT(Junk.Output, HasSubstr("junk.json: not a facts file"));
}

} // namespace
