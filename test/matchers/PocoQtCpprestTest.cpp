// HTTP clients of application frameworks on their real Debian headers: Poco::Net
// (libpoco-dev 1.11), Qt Network (qtbase5-dev 5.15) and cpprestsdk
// (libcpprest-dev 2.10). One snippet, parsed once, per library.
#include "Snippet.h"

#include "analysis/Rules.h"
#include "analysis/Security.h"

#include <gmock/gmock.h>

#include <filesystem>

using namespace im;
using testing::HasSubstr;

namespace {

/// Runs the security assessment too, so TLS verification can be asserted.
test::Snippets *parseWithSecurity(const char *Name, const char *Code,
                                  std::vector<std::string> Args = {}) {
  auto *S = new test::Snippets(
      std::vector<test::SnippetFile>{{Name, Code, std::move(Args)}});
  std::vector<model::Finding> Findings;
  analysis::assessSecurity(S->M, S->M.CallSites, test::builtinCatalog(),
                           std::filesystem::current_path().string(), Findings);
  return S;
}

bool hasSettingIn(const test::Snippets &S, const std::string &FunctionKey) {
  for (const auto &St : S.M.Settings)
    if (St.FunctionKey == FunctionKey)
      return true;
  return false;
}

// ------------------------------------------------------------------ Poco::Net
const char *PocoCode = R"cpp(
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/Context.h>
#include <Poco/Timespan.h>
#include <istream>

using namespace Poco::Net;

void receiveWithTimeout() {
  HTTPClientSession session("inventory.internal", 8080);
  session.setTimeout(Poco::Timespan(5, 0)); /*@setTimeout*/
  HTTPResponse res;
  session.receiveResponse(res); /*@receive*/
}

void sendWithTimeoutInALocal(HTTPRequest &req) {
  HTTPClientSession session("orders.internal");
  Poco::Timespan t(2, 500000); /*@span*/
  session.setTimeout(t); /*@setLocal*/
  session.sendRequest(req);
}

void threeTimeouts() {
  HTTPClientSession session("search.internal", 9200);
  session.setTimeout(Poco::Timespan(3, 0), 10000000, Poco::Timespan(0, 250000)); /*@three*/
  HTTPResponse res;
  session.receiveResponse(res);
}

void timespanConstants() {
  HTTPClientSession session("metrics.internal", 8086);
  session.setTimeout(Poco::Timespan(15 * Poco::Timespan::SECONDS)); /*@constants*/
  HTTPResponse res;
  session.receiveResponse(res);
}

void defaultsOnly(HTTPRequest &req) {
  HTTPClientSession session;
  session.setHost("pricing.internal");
  session.sendRequest(req); /*@default*/
}

void zeroReceive() {
  HTTPClientSession session("slow.internal", 80);
  session.setTimeout(Poco::Timespan(0, 0)); /*@zero*/
  HTTPResponse res;
  session.receiveResponse(res);
}

void sendThenReceive(HTTPRequest &req) {
  HTTPClientSession session("orders.internal", 8080);
  session.sendRequest(req); /*@pairSend*/
  HTTPResponse res;
  session.receiveResponse(res); /*@pairReceive*/
}

void secureNoVerify() {
  Context::Ptr ctx = new Context(Context::CLIENT_USE, "", "", "", Context::VERIFY_NONE); /*@verifyNone*/
  HTTPSClientSession session("payments.example.com", 443, ctx);
  session.setTimeout(Poco::Timespan(0, 0, 1, 30, 0)); /*@daysCtor*/
  HTTPResponse res;
  session.receiveResponse(res);
}

namespace fake {
struct HTTPClientSession {
  HTTPClientSession(const char *) {}
  void setTimeout(long) {}
  void sendRequest(int) {}
  void receiveResponse(int) {}
};
}
namespace other { void sendRequest(Poco::Net::HTTPRequest &) {} }
void lookAlike(Poco::Net::HTTPRequest &req) {
  fake::HTTPClientSession s("not-http.internal");
  s.setTimeout(1);
  s.sendRequest(1);
  s.receiveResponse(1);
  other::sendRequest(req);
}
)cpp";

class Poco : public testing::Test {
protected:
  static void SetUpTestSuite() { S = parseWithSecurity("poco.cpp", PocoCode); }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Poco::S = nullptr;

TEST_F(Poco, OneMissingRetryFindingPerRequestNotPerHalf) {
  std::vector<unsigned> Lines;
  for (const auto &F : analysis::evaluateRules(S->M.CallSites, test::builtinCatalog(), ""))
    if (F.Rule == "integration-missing-retry" &&
        (F.Loc.Line == S->line("pairSend") || F.Loc.Line == S->line("pairReceive")))
      Lines.push_back(F.Loc.Line);
  EXPECT_EQ(Lines, std::vector<unsigned>{S->line("pairSend")});
}

TEST_F(Poco, TimespanSecondsAndMicrosecondsBoundTheReceive) {
  const auto &C = S->callIn("receiveWithTimeout");
  EXPECT_EQ(C.Library, "poco-net");
  EXPECT_EQ(C.Kind, "http");
  EXPECT_EQ(C.Operation, "Poco::Net::HTTPClientSession::receiveResponse");
  EXPECT_EQ(C.Loc.Line, S->line("receive"));
  EXPECT_EQ(C.Handle, "session");
  EXPECT_EQ(C.Endpoint, "inventory.internal");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5); // the receive timeout; connect does not bound a receive
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("setTimeout"))) << S->dump();
}

TEST_F(Poco, TimespanInALocalBoundsConnectAndSend) {
  const auto &C = S->callIn("sendWithTimeoutInALocal");
  EXPECT_EQ(C.Operation, "Poco::Net::HTTPClientSession::sendRequest");
  EXPECT_EQ(C.Endpoint, "orders.internal");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5); // connect 2.5 s + send 2.5 s
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("setLocal"))) << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("span"))) << S->dump();
}

TEST_F(Poco, ThreeArgumentOverloadReadsEachTimeout) {
  const auto &C = S->callIn("threeTimeouts");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0.25); // the third argument, the receive timeout
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("three")));
  // The send timeout (second argument, an integer converted to a Timespan) is 10 s.
  bool Send = false;
  for (const auto &St : S->M.Settings)
    if (St.Loc.Line == S->line("three") && St.Option == "setTimeout(send)")
      Send = St.Val.K == model::Value::Kind::Float && St.Val.Float == 10.0 && St.Unit == "s";
  EXPECT_TRUE(Send) << "setTimeout's second argument read as 10 s";
}

TEST_F(Poco, TimespanConstantsDefinedOutOfLineAreRead) {
  // Timespan::SECONDS is declared in the header but defined in the library.
  const auto &C = S->callIn("timespanConstants");
  EXPECT_EQ(C.Endpoint, "metrics.internal");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 15);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("constants")));
}

TEST_F(Poco, UnsetTimeoutIsTheSixtySecondDefault) {
  const auto &C = S->callIn("defaultsOnly");
  EXPECT_EQ(C.Loc.Line, S->line("default"));
  EXPECT_EQ(C.Endpoint, "pricing.internal"); // setHost
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 60);
  EXPECT_THAT(C.Timeout.Reason,
              HasSubstr("Poco::Net's default applies: connect 30 s (HTTP_DEFAULT_CONNECTION_TIMEOUT), "
                        "then 60 s per socket send and per receive"));
}

TEST_F(Poco, ZeroReceiveTimeoutWaitsForever) {
  const auto &C = S->callIn("zeroReceive");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("setTimeout(receive) is set to Poco::Timespan(0, 0) at line " +
                                          std::to_string(S->line("zero")) +
                                          ", which Poco::Net treats as no timeout"));
}

TEST_F(Poco, HttpsSessionWithDaysConstructorAndVerifyNoneContext) {
  const auto &C = S->callIn("secureNoVerify");
  EXPECT_EQ(C.Endpoint, "payments.example.com");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 90); // 1 min 30 s
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("daysCtor")));
  EXPECT_EQ(C.Security.TlsVerification, "disabled");
  bool Noted = false;
  for (const auto &E : C.Security.Evidence)
    Noted |= E.Line == S->line("verifyNone");
  EXPECT_TRUE(Noted) << "the VERIFY_NONE context reaches the session";
}

TEST_F(Poco, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  EXPECT_FALSE(hasSettingIn(*S, "lookAlike(Poco::Net::HTTPRequest &)"));
  EXPECT_EQ(S->M.CallSites.size(), 9u) << S->dump();
}

// ------------------------------------------------------------------ Qt Network
const char *QtCode = R"cpp(
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtCore/QUrl>

void requestTimeout(QNetworkAccessManager &manager) {
  QNetworkRequest request(QUrl("https://inventory.example.com/items"));
  request.setTransferTimeout(5000); /*@reqTimeout*/
  manager.get(request); /*@get*/
}

void managerTimeout() {
  QNetworkAccessManager manager;
  manager.setTransferTimeout(8000); /*@mgrTimeout*/
  QNetworkRequest request;
  request.setUrl(QUrl("https://orders.example.com/v1"));
  manager.post(request, QByteArray("{}"));
}

void defaultConstant(QNetworkAccessManager &manager) {
  QNetworkRequest request(QUrl("https://archive.example.com"));
  request.setTransferTimeout(); /*@defaultArg*/
  manager.deleteResource(request);
}

void noTimeout(QNetworkAccessManager &manager) {
  QNetworkRequest request(QUrl("https://status.example.com"));
  manager.head(request); /*@head*/
}

void disabled(QNetworkAccessManager &manager) {
  QNetworkRequest request(QUrl("https://slow.example.com"));
  request.setTransferTimeout(0); /*@zero*/
  manager.sendCustomRequest(request, "PURGE");
}

void temporaryRequest(QNetworkAccessManager &manager) {
  manager.get(QNetworkRequest(QUrl("https://feed.example.com/latest"))); /*@temp*/
}

void requestZeroFallsBackToManager() {
  QNetworkAccessManager manager;
  manager.setTransferTimeout(4000); /*@fallback*/
  QNetworkRequest request(QUrl("https://cache.example.com"));
  request.setTransferTimeout(0);
  manager.get(request);
}

void requestOverridesManager() {
  QNetworkAccessManager manager;
  manager.setTransferTimeout(4000);
  QNetworkRequest request(QUrl("https://fast.example.com"));
  request.setTransferTimeout(1000); /*@override*/
  manager.get(request);
}

void timeoutAfterTheCall(QNetworkAccessManager &manager) {
  QNetworkRequest request(QUrl("https://late.example.com"));
  manager.get(request); /*@late*/
  request.setTransferTimeout(1000);
}

void insecure(QNetworkAccessManager &manager) {
  QSslConfiguration config = QSslConfiguration::defaultConfiguration();
  config.setPeerVerifyMode(QSslSocket::VerifyNone); /*@verifyNone*/
  QNetworkRequest request(QUrl("https://legacy.example.com"));
  request.setSslConfiguration(config);
  request.setTransferTimeout(2000);
  manager.put(request, QByteArray("x"));
}

namespace fake {
struct QNetworkAccessManager {
  void setTransferTimeout(int) {}
  void get(const QNetworkRequest &) {}
};
}
void lookAlike() {
  fake::QNetworkAccessManager m;
  m.setTransferTimeout(1);
  QNetworkRequest r(QUrl("https://not-qt.example.com"));
  m.get(r);
}

// The application's manager, left without a timeout, is the one the helpers
// that take a manager use (a manager nobody analysed passes in makes their
// verdict "cannot tell" instead).
void application() {
  QNetworkAccessManager nam;
  noTimeout(nam);
  temporaryRequest(nam);
  timeoutAfterTheCall(nam);
}
)cpp";

const std::vector<std::string> QtArgs = {
    "-fPIC", "-DQT_NETWORK_LIB", "-DQT_CORE_LIB", "-I/usr/include/x86_64-linux-gnu/qt5",
    "-I/usr/include/x86_64-linux-gnu/qt5/QtCore", "-I/usr/include/x86_64-linux-gnu/qt5/QtNetwork"};

class Qt : public testing::Test {
protected:
  static void SetUpTestSuite() { S = parseWithSecurity("qt.cpp", QtCode, QtArgs); }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Qt::S = nullptr;

TEST_F(Qt, TimeoutOnTheRequestArgument) {
  const auto &C = S->callIn("requestTimeout");
  EXPECT_EQ(C.Library, "qt-network");
  EXPECT_EQ(C.Operation, "QNetworkAccessManager::get");
  EXPECT_EQ(C.Loc.Line, S->line("get"));
  EXPECT_EQ(C.Handle, "manager");
  EXPECT_EQ(C.Endpoint, "https://inventory.example.com/items");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("reqTimeout"))) << S->dump();
}

TEST_F(Qt, TimeoutOnTheManagerAndUrlFromSetUrl) {
  const auto &C = S->callIn("managerTimeout");
  EXPECT_EQ(C.Operation, "QNetworkAccessManager::post");
  EXPECT_EQ(C.Endpoint, "https://orders.example.com/v1");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 8);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("mgrTimeout"))) << S->dump();
}

TEST_F(Qt, SetTransferTimeoutWithoutArgumentIsThirtySeconds) {
  const auto &C = S->callIn("defaultConstant");
  EXPECT_EQ(C.Operation, "QNetworkAccessManager::deleteResource");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 30); // DefaultTransferTimeoutConstant = 30000 ms
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("defaultArg")));
}

TEST_F(Qt, NoTimeoutWaitsForever) {
  const auto &C = S->callIn("noTimeout");
  EXPECT_EQ(C.Operation, "QNetworkAccessManager::head");
  EXPECT_EQ(C.Endpoint, "https://status.example.com");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("Qt sets no transfer timeout by default"));
}

TEST_F(Qt, UrlOfATemporaryRequest) {
  const auto &C = S->callIn("temporaryRequest");
  EXPECT_EQ(C.Loc.Line, S->line("temp"));
  EXPECT_EQ(C.Endpoint, "https://feed.example.com/latest");
  EXPECT_EQ(C.EndpointSource, "literal");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
}

TEST_F(Qt, ZeroDisablesTheTimeout) {
  const auto &C = S->callIn("disabled");
  EXPECT_EQ(C.Operation, "QNetworkAccessManager::sendCustomRequest");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("at line " + std::to_string(S->line("zero")) +
                                          ", which Qt Network (QNetworkAccessManager) treats as "
                                          "no timeout"));
}

TEST_F(Qt, RequestZeroFallsBackToTheManagerTimeout) {
  const auto &C = S->callIn("requestZeroFallsBackToManager");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 4);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("fallback")));
}

TEST_F(Qt, AFiniteRequestTimeoutTakesPrecedenceOverTheManagers) {
  const auto &C = S->callIn("requestOverridesManager");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 1);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("override")));
}

TEST_F(Qt, TimeoutSetOnTheRequestAfterTheCallDoesNotCount) {
  const auto &C = S->callIn("timeoutAfterTheCall");
  EXPECT_EQ(C.Loc.Line, S->line("late"));
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
}

TEST_F(Qt, VerifyNoneSslConfigurationOnTheRequest) {
  const auto &C = S->callIn("insecure");
  EXPECT_EQ(C.Operation, "QNetworkAccessManager::put");
  EXPECT_EQ(C.Endpoint, "https://legacy.example.com");
  ASSERT_TRUE(C.Timeout.Seconds) << S->dump();
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 2);
  EXPECT_EQ(C.Security.TlsVerification, "disabled");
  bool Noted = false;
  for (const auto &E : C.Security.Evidence)
    Noted |= E.Line == S->line("verifyNone");
  EXPECT_TRUE(Noted) << "the VerifyNone configuration reaches the request";
}

TEST_F(Qt, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  for (const auto &St : S->M.Settings)
    if (St.FunctionKey == "lookAlike()")
      EXPECT_EQ(St.Concern, "endpoint") << "only the real QNetworkRequest's URL is recorded";
  EXPECT_EQ(S->M.CallSites.size(), 10u) << S->dump();
}

// ------------------------------------------------------------------ cpprestsdk
const char *CpprestCode = R"cpp(
#include <cpprest/http_client.h>
#include <chrono>

using namespace web::http;
using namespace web::http::client;

void withConfig() {
  http_client_config config;
  config.set_timeout(std::chrono::seconds(5)); /*@setTimeout*/
  http_client client(U("https://inventory.example.com/api"), config);
  client.request(methods::GET, U("/items")); /*@request*/
}

void defaults() {
  http_client client(U("https://pricing.example.com"));
  client.request(methods::POST, U("/quote"), U("{}"), U("application/json"));
}

void zero() {
  http_client_config config;
  using namespace std::chrono_literals;
  config.set_timeout(0ms); /*@zero*/
  http_client client(web::uri(U("https://zero.example.com")), config);
  client.request(methods::GET);
}

void insecure() {
  http_client_config config;
  config.set_validate_certificates(false); /*@noVerify*/
  config.set_timeout(std::chrono::milliseconds(1500));
  http_client client(U("https://legacy.example.com"), config);
  http_request req(methods::GET);
  client.request(req);
}

namespace fake {
struct http_client_config { void set_timeout(int) {} };
struct http_client {
  http_client(const char *, http_client_config) {}
  void request(int) {}
};
}
namespace other { void request(const web::http::method &) {} }
void lookAlike() {
  fake::http_client_config c;
  c.set_timeout(1);
  fake::http_client cl("https://not-cpprest.example.com", c);
  cl.request(1);
  other::request(methods::GET);
}
)cpp";

class Cpprest : public testing::Test {
protected:
  static void SetUpTestSuite() { S = parseWithSecurity("cpprest.cpp", CpprestCode); }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Cpprest::S = nullptr;

TEST_F(Cpprest, TimeoutOnTheConfigTheClientIsBuiltFrom) {
  const auto &C = S->callIn("withConfig");
  EXPECT_EQ(C.Library, "cpprestsdk");
  EXPECT_EQ(C.Operation, "web::http::client::http_client::request");
  EXPECT_EQ(C.Loc.Line, S->line("request"));
  EXPECT_EQ(C.Handle, "client");
  EXPECT_EQ(C.Endpoint, "https://inventory.example.com/api");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("setTimeout"))) << S->dump();
}

TEST_F(Cpprest, UnsetTimeoutIsTheThirtySecondDefault) {
  const auto &C = S->callIn("defaults");
  EXPECT_EQ(C.Endpoint, "https://pricing.example.com");
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 30);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("cpprestsdk (C++ REST SDK)'s default applies: "
                                          "http_client_config's timeout defaults to 30 s"));
}

TEST_F(Cpprest, ZeroTimeoutIsAnImmediateTimeoutNotInfinity) {
  // cpprestsdk's asio client arms its timer with the duration as is: 0 fails at once.
  const auto &C = S->callIn("zero");
  EXPECT_EQ(C.Endpoint, "https://zero.example.com");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0);
  EXPECT_FALSE(C.Timeout.Unbounded);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("zero")));
}

TEST_F(Cpprest, ValidateCertificatesFalseTurnsVerificationOff) {
  const auto &C = S->callIn("insecure");
  EXPECT_EQ(C.Endpoint, "https://legacy.example.com");
  ASSERT_TRUE(C.Timeout.Seconds) << S->dump();
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 1.5);
  EXPECT_EQ(C.Security.TlsVerification, "disabled");
  bool Off = false;
  for (const auto &St : S->M.Settings)
    if (St.Concern == "tls_verify" && St.Loc.Line == S->line("noVerify"))
      Off = St.Val.K == model::Value::Kind::Int && St.Val.Int == 0;
  EXPECT_TRUE(Off) << "set_validate_certificates(false) recorded";
}

TEST_F(Cpprest, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  EXPECT_FALSE(hasSettingIn(*S, "lookAlike()"));
  EXPECT_EQ(S->M.CallSites.size(), 4u) << S->dump();
}

} // namespace
