// The project's own clients, declared in .integration-mapper.yaml (`catalog:`):
// an in-house HTTP client behind a virtual interface, its deadline setter and
// option struct, implemented over libcurl (real Debian header) in the same code.
#include "Snippet.h"

#include "config/Config.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

const char *Yaml = R"(
catalog:
  - id: acme-http
    name: Acme HTTP client
    kind: http
    headers: [acme/http.h]
    default_timeout:
      seconds: null
      text: "acme::HttpClient has no deadline unless setDeadline is called"
      source: acme/http.h
    operations:
      - {name: "acme::HttpClient::send", handle: object, label: send request}
    setters:
      - name: acme::HttpClient::setDeadline
        handle: object
        value_arg: 0
        options: [{concern: timeout, scope: total, unit: ms}]
      - name: acme::Options::timeout_ms
        field_assignment: true
        options: [{concern: timeout, scope: total, unit: ms}]
      - {name: "acme::makeClient", handle: result, value_arg: 0, options: [{concern: derive}]}
      - {name: "acme::HttpClient::setBaseUrl", handle: object, value_arg: 0, options: [{concern: endpoint}]}
)";

const char *Code = R"cpp(
#include <curl/curl.h>
#include <memory>
#include <string>

namespace acme {
struct Options { int timeout_ms = 0; };
class HttpClient {
public:
  virtual ~HttpClient() = default;
  virtual int send(const std::string &path) = 0;
  void setDeadline(int ms) { deadline_ = ms; }
  void setBaseUrl(const char *u) { base_ = u; }
protected:
  int deadline_ = 0;
  std::string base_;
};
// The implementation over libcurl: its curl call is the wrapper's implementation,
// not a second integration.
class CurlHttpClient : public HttpClient {
public:
  int send(const std::string &path) override {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, (base_ + path).c_str());
    return curl_easy_perform(h); /*@inner*/
  }
};
std::unique_ptr<HttpClient> makeClient(const Options &o);
}

void withDeadline(acme::HttpClient &c) {
  c.setBaseUrl("https://ledger.internal"); /*@url*/
  c.setDeadline(2500); /*@deadline*/
  c.send("/entries"); /*@send*/
}

void noDeadline(acme::HttpClient &c) {
  c.send("/balance"); /*@bare*/
}

void throughTheImplementation(acme::CurlHttpClient &c) {
  c.setDeadline(800); /*@implDeadline*/
  c.send("/x"); /*@implSend*/
}

void fromOptions() {
  acme::Options o;
  o.timeout_ms = 1200; /*@optTimeout*/
  auto c = acme::makeClient(o);
  c->send("/y");
}

namespace other {
struct HttpClient { int send(const std::string &) { return 0; } void setDeadline(int) {} };
}
void lookAlike(other::HttpClient &c) {
  c.setDeadline(5);
  c.send("/not-acme");
}

// The client noDeadline() is given: made here, never given a deadline.
void application() {
  acme::CurlHttpClient client;
  noDeadline(client);
}
)cpp";

catalog::Catalog userCatalog() {
  auto Cat = catalog::Catalog::loadBuiltin();
  EXPECT_TRUE(static_cast<bool>(Cat));
  auto Cfg = config::parseConfig(Yaml, "/p/.integration-mapper.yaml");
  if (!Cfg) {
    ADD_FAILURE() << toString(Cfg.takeError());
    return std::move(*Cat);
  }
  if (auto E = config::extendCatalog(*Cfg, *Cat))
    ADD_FAILURE() << toString(std::move(E));
  return std::move(*Cat);
}

class UserCatalog : public testing::Test {
protected:
  static void SetUpTestSuite() {
    Cat = new catalog::Catalog(userCatalog());
    S = new test::Snippets(std::vector<test::SnippetFile>{{"acme.cpp", Code}}, *Cat);
  }
  static void TearDownTestSuite() {
    delete S;
    delete Cat;
  }
  static catalog::Catalog *Cat;
  static test::Snippets *S;
};
catalog::Catalog *UserCatalog::Cat = nullptr;
test::Snippets *UserCatalog::S = nullptr;

TEST_F(UserCatalog, WrapperCallThroughTheInterfaceWithItsDeadlineAndEndpoint) {
  const auto &C = S->callIn("withDeadline");
  EXPECT_EQ(C.Library, "acme-http");
  EXPECT_EQ(C.Kind, "http");
  EXPECT_EQ(C.Operation, "acme::HttpClient::send");
  EXPECT_EQ(C.Loc.Line, S->line("send"));
  EXPECT_EQ(C.Endpoint, "https://ledger.internal");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 2.5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("deadline"))) << S->dump();
}

TEST_F(UserCatalog, WrapperWithoutDeadlineUsesTheDeclaredDefault) {
  const auto &C = S->callIn("noDeadline");
  EXPECT_EQ(C.Library, "acme-http");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("no deadline unless setDeadline is called"));
}

TEST_F(UserCatalog, OverrideOfTheDeclaredVirtualIsTheSameOperation) {
  const auto &C = S->callIn("throughTheImplementation");
  EXPECT_EQ(C.Library, "acme-http");
  EXPECT_EQ(C.Operation, "acme::HttpClient::send");
  EXPECT_EQ(C.Loc.Line, S->line("implSend"));
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("implDeadline")));
}

TEST_F(UserCatalog, OptionStructFieldFlowsIntoTheClientBuiltFromIt) {
  const auto &C = S->callIn("fromOptions");
  EXPECT_EQ(C.Library, "acme-http");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 1.2);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("optTimeout"))) << S->dump();
}

TEST_F(UserCatalog, TheWrappersOwnLibcurlCallIsNotASecondIntegration) {
  EXPECT_EQ(S->callAt(S->line("inner")), nullptr) << S->dump();
}

TEST_F(UserCatalog, SameNamesOnAnotherClassAreNotTheClient) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

TEST(UserCatalogConfig, BadEntryNamesTheConfigFileTheEntryAndTheField) {
  auto Cat = catalog::Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(Cat));
  auto Cfg = config::parseConfig(R"(
catalog:
  - id: acme-http
    kind: webservice
    default_timeout: {seconds: null, text: none, source: acme}
    operations: [{name: "acme::HttpClient::send", handle: object}]
)",
                                 "/p/.integration-mapper.yaml");
  ASSERT_TRUE(static_cast<bool>(Cfg)) << toString(Cfg.takeError());
  llvm::Error E = config::extendCatalog(*Cfg, *Cat);
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_EQ(toString(std::move(E)),
            "/p/.integration-mapper.yaml (catalog): entry 'acme-http': kind: expected one of "
            "http, db, cache, queue, email, rpc, cloud, local, tcp");
}

TEST(UserCatalogConfig, AnEntryMayNotRedefineABuiltinLibrary) {
  auto Cat = catalog::Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(Cat));
  auto Cfg = config::parseConfig(R"(
catalog:
  - id: libcurl
    kind: http
    default_timeout: {seconds: null, text: none, source: me}
)",
                                 "/p/.integration-mapper.yaml");
  ASSERT_TRUE(static_cast<bool>(Cfg));
  llvm::Error E = config::extendCatalog(*Cfg, *Cat);
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_THAT(toString(std::move(E)),
              HasSubstr("entry 'libcurl': id: duplicate library id (already defined in matchers/catalog/libcurl.json)"));
}

TEST(UserCatalogConfig, MissingCatalogFileIsNamedWithTheConfig) {
  auto Cat = catalog::Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(Cat));
  auto Cfg = config::parseConfig("catalog_files: [clients/acme.json]\n", "/p/.integration-mapper.yaml");
  ASSERT_TRUE(static_cast<bool>(Cfg));
  ASSERT_EQ(Cfg->CatalogFiles.size(), 1u);
  EXPECT_EQ(Cfg->CatalogFiles[0], "/p/clients/acme.json");
  llvm::Error E = config::extendCatalog(*Cfg, *Cat);
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_EQ(toString(std::move(E)), "/p/.integration-mapper.yaml: catalog_files: "
                                    "/p/clients/acme.json: cannot read: No such file or directory");
}

} // namespace
