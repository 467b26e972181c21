// The built tool on the shapes a monorepo has: a long call chain ending in a
// libcurl wrapper, many callers of one wrapper. The findings must be right at
// every depth, and the JSON call graph keeps only the paths to client calls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "ToolRun.h"
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Contains;
using testing::HasSubstr;

namespace {

using im::test::runTool;
using im::test::slurp;
using im::test::write;

/// fetch(url): the wrapper; its endpoint is its parameter. Callers include its
/// header (the prefilter follows headers to the wrapper).
const char *WrapperHeader = "#pragma once\nint fetch(const char *url);\n";
const char *Wrapper = R"cpp(#include "fetch.h"
#include <curl/curl.h>
int fetch(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc == CURLE_OK ? 0 : 1;
}
)cpp";

void database(const fs::path &Dir, const std::vector<std::string> &Files) {
  json Db = json::array();
  for (const auto &F : Files)
    Db.push_back({{"directory", Dir.string()}, {"file", F}, {"arguments", {"c++", "-std=c++17", "-c", F}}});
  write(Dir / "compile_commands.json", Db.dump());
}

/// main -> f0 -> f1 -> ... -> f<Depth-1> -> fetch("http://tail.internal/end"),
/// and beside it a helper main calls that reaches no client.
fs::path chainProject(size_t Depth) {
  fs::path D = im::test::freshTempDir("im-graph-", "chain");
  write(D / "fetch.h", WrapperHeader);
  write(D / "fetch.cpp", Wrapper);
  std::string Chain = "#include \"fetch.h\"\n";
  for (size_t I = 0; I < Depth; ++I)
    Chain += "int f" + std::to_string(I) + "(int depth);\n";
  for (size_t I = 0; I + 1 < Depth; ++I)
    Chain += "int f" + std::to_string(I) + "(int depth) { return f" + std::to_string(I + 1) +
             "(depth + 1); }\n";
  Chain += "int f" + std::to_string(Depth - 1) +
           "(int depth) { return depth + fetch(\"http://tail.internal/end\"); }\n";
  Chain += "int unrelatedHelper(int x) { return x * 2; }\n"
           "int main() { return f0(unrelatedHelper(1)); }\n";
  write(D / "chain.cpp", Chain);
  database(D, {"fetch.cpp", "chain.cpp"});
  return D;
}

std::set<std::string> names(const json &Functions) {
  std::set<std::string> Out;
  for (const auto &F : Functions)
    Out.insert(F["name"].get<std::string>());
  return Out;
}

TEST(CallGraphShapes, LongChainReachesItsEntryAndFindsTheWrapper) {
  const size_t Depth = 400;
  fs::path D = chainProject(Depth);
  auto Run = runTool("-p . --output-dir out --no-glossary --quiet", D.string());
  ASSERT_EQ(Run.Exit, 0) << Run.Output;
  json J = json::parse(slurp(D / "out/integration-report.json"));

  // One call site: the wrapper call at the end of the chain, through fetch().
  ASSERT_EQ(J["call_sites"].size(), 1u);
  const json &C = J["call_sites"][0];
  EXPECT_EQ(C["function"], "f" + std::to_string(Depth - 1));
  EXPECT_EQ(C["endpoint"], "http://tail.internal/end");
  EXPECT_THAT(C["via"][0]["note"].get<std::string>(), HasSubstr("calls fetch()"));
  EXPECT_EQ(C["timeout"]["status"], "absent");

  // The chain's entry is main, and the integration is on its request path.
  std::vector<std::string> Entries;
  for (const auto &E : J["entry_points"])
    Entries.push_back(E["name"]);
  EXPECT_EQ(Entries, std::vector<std::string>{"main"});
  ASSERT_EQ(J["integrations"].size(), 1u);
  EXPECT_THAT(J["integrations"][0]["used_by"], Contains("main"));
  EXPECT_THAT(J["integrations"][0]["wrappers"], Contains("f" + std::to_string(Depth - 1)));

  // The call graph holds every function of the chain and the wrapper, and only
  // the calls between them: the helper that reaches no client is left out.
  std::set<std::string> Fns = names(J["call_graph"]["functions"]);
  EXPECT_EQ(Fns.size(), Depth + 2); // f0..f<Depth-1>, fetch, main
  EXPECT_TRUE(Fns.count("main") && Fns.count("fetch") && Fns.count("f0") &&
              Fns.count("f" + std::to_string(Depth - 1)));
  EXPECT_FALSE(Fns.count("unrelatedHelper"));
  EXPECT_EQ(J["call_graph"]["calls"].size(), Depth + 1); // main->f0, f<i>->f<i+1>, f<last>->fetch
  for (const auto &E : J["call_graph"]["calls"])
    EXPECT_NE(E["callee"].get<std::string>().find("unrelatedHelper"), 0u) << E.dump();
}

TEST(CallGraphShapes, EveryCallerOfOneWrapperIsACallSiteAndAnEntry) {
  const size_t Callers = 300;
  fs::path D = im::test::freshTempDir("im-graph-", "callers");
  write(D / "fetch.h", WrapperHeader);
  write(D / "fetch.cpp", Wrapper);
  std::string Src = "#include \"fetch.h\"\n";
  for (size_t I = 0; I < Callers; ++I)
    Src += "int caller" + std::to_string(I) + "() { return fetch(\"http://svc.internal/item/" +
           std::to_string(I) + "\"); }\n";
  write(D / "callers.cpp", Src);
  database(D, {"fetch.cpp", "callers.cpp"});
  auto Run = runTool("-p . --output-dir out --no-glossary --quiet", D.string());
  ASSERT_EQ(Run.Exit, 0) << Run.Output;
  json J = json::parse(slurp(D / "out/integration-report.json"));
  ASSERT_EQ(J["call_sites"].size(), Callers);
  EXPECT_EQ(J["call_sites"][Callers - 1]["function"], "caller" + std::to_string(Callers - 1));
  EXPECT_EQ(J["call_sites"][Callers - 1]["endpoint"],
            "http://svc.internal/item/" + std::to_string(Callers - 1));
  ASSERT_EQ(J["integrations"].size(), 1u); // one host: one integration
  EXPECT_EQ(J["integrations"][0]["call_sites"].size(), Callers);
  EXPECT_EQ(J["entry_points"].size(), Callers);
  EXPECT_EQ(J["call_graph"]["functions"].size(), Callers + 1);
  EXPECT_EQ(J["call_graph"]["calls"].size(), Callers);
}

} // namespace

namespace {

// A library whose API reaches its server only through an interface; the
// transport implementing it (over libcurl, its URL fixed at construction) is
// in another unit. The API's public functions are the entry points, through
// the interface; a method of another class with the same name that no
// interface dispatches to is not.
TEST(CallGraphShapes, EntryPointsReachTheClientThroughAnInterface) {
  fs::path D = im::test::freshTempDir("im-graph-", "iface");
  write(D / "transport.h", R"cpp(#pragma once
#include <string>
struct Transport {
  virtual ~Transport() = default;
  virtual void send(const std::string &body) = 0;
};
Transport *makeHttp(const std::string &url);
)cpp");
  write(D / "http.cpp", R"cpp(#include "transport.h"
#include <curl/curl.h>
struct Http : Transport {
  CURL *h_ = nullptr;
  explicit Http(const std::string &url) : h_(curl_easy_init()) { curl_easy_setopt(h_, CURLOPT_URL, url.c_str()); }
  void send(const std::string &body) override {
    curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_perform(h_);
  }
};
Transport *makeHttp(const std::string &url) { return new Http(url); }
)cpp");
  write(D / "api.cpp", R"cpp(#include "transport.h"
struct Client {
  Transport *t_;
  explicit Client(Transport *t) : t_(t) {}
  void write(const std::string &line) { t_->send(line); }
};
struct Local {
  void send(const std::string &) {}
  void write(const std::string &line) { send(line); }
};
)cpp");
  database(D, {"http.cpp", "api.cpp"});
  auto Run = runTool("-p . --output-dir out --no-glossary --quiet", D.string());
  ASSERT_EQ(Run.Exit, 0) << Run.Output;
  json J = json::parse(slurp(D / "out/integration-report.json"));
  ASSERT_EQ(J["call_sites"].size(), 1u);
  EXPECT_EQ(J["call_sites"][0]["function"], "Http::send");
  std::vector<std::string> Entries;
  for (const auto &E : J["entry_points"])
    Entries.push_back(E["name"]);
  EXPECT_EQ(Entries, std::vector<std::string>{"Client::write"});
  ASSERT_EQ(J["integrations"].size(), 1u);
  EXPECT_THAT(J["integrations"][0]["used_by"], Contains("Client::write"));
}

} // namespace

namespace {

// A file compiled only into an executable CTest runs is test code wherever it
// sits; the same file without the CTest registration is the system's.
TEST(TestCodeByTarget, AFileBuiltOnlyIntoATestExecutableIsTestCode) {
  for (bool Registered : {true, false}) {
    fs::path D = im::test::freshTempDir("im-graph-", Registered ? "ctest" : "noctest");
    fs::create_directories(D / "src");
    fs::create_directories(D / "build/checks");
    write(D / "src/client.cpp", R"cpp(#include <curl/curl.h>
long fetch() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.vendor.example.com/v1/items");
  return curl_easy_perform(h);
}
)cpp");
    write(D / "src/client_check.cpp", R"cpp(#include <curl/curl.h>
int main() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://staging.vendor.example.com/v1/ping");
  return curl_easy_perform(h) == CURLE_OK ? 0 : 1;
}
)cpp");
    json Db = json::array();
    for (auto [File, Target] : {std::pair<const char *, const char *>{"src/client.cpp", "client"},
                                {"src/client_check.cpp", "client_check"}})
      Db.push_back({{"directory", (D / "build").string()},
                    {"file", (D / File).string()},
                    {"arguments", {"c++", "-std=c++17", "-o", std::string("CMakeFiles/") + Target + ".dir/" +
                                                                    File + ".o",
                                   "-c", (D / File).string()}}});
    write(D / "build/compile_commands.json", Db.dump());
    if (Registered) {
      write(D / "build/CTestTestfile.cmake", "subdirs(\"checks\")\n");
      write(D / "build/checks/CTestTestfile.cmake",
            "add_test([=[client_check]=] \"" + (D / "build/client_check").string() + "\")\n"
            "set_tests_properties([=[client_check]=] PROPERTIES  _BACKTRACE_TRIPLES \"x\")\n");
    }
    auto Run = runTool("-p build --output-dir out --no-glossary --quiet", D.string());
    ASSERT_EQ(Run.Exit, 0) << Run.Output;
    json J = json::parse(slurp(D / "out/integration-report.json"));
    std::vector<std::string> Sites, Tests;
    for (const auto &C : J["call_sites"])
      Sites.push_back(fs::path(C["file"].get<std::string>()).filename().string());
    for (const auto &C : J["inventory"]["test_call_sites"])
      Tests.push_back(fs::path(C["file"].get<std::string>()).filename().string());
    if (Registered) {
      EXPECT_EQ(Sites, std::vector<std::string>{"client.cpp"});
      EXPECT_EQ(Tests, std::vector<std::string>{"client_check.cpp"});
    } else {
      EXPECT_EQ(Sites, (std::vector<std::string>{"client.cpp", "client_check.cpp"}));
      EXPECT_TRUE(Tests.empty());
    }
  }
}

} // namespace
