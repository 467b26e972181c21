// Security rules on the real Debian headers: libcurl, libpqxx, libpq,
// hiredis, OpenSSL and Boost.Asio ssl. Every rule has look-alikes that must not fire.
#include "Secured.h"

#include "analysis/Security.h"
#include "support/Endpoint.h"
#include "support/Secrets.h"
#include "model/Facts.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace im;
using testing::HasSubstr;
using testing::Not;

namespace {

using test::Secured;

const char *Tls = "integration-tls-verification-disabled";
const char *Plain = "integration-plaintext-transport";
const char *Secret = "integration-hardcoded-secret";

// ------------------------------------------------------------------ TLS verification

TEST(TlsVerification, CurlOptionsSetToZeroFireAndOneDoesNot) {
  Secured X(R"cpp(
#include <curl/curl.h>
#include <cstdlib>
struct Options { long verifyPeer = 0; };
void peerOff() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.example.com/v1");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); /*@peerOff*/
  curl_easy_perform(h);
}
void hostOffThroughVariable() {
  CURL *h = curl_easy_init();
  long verify = 0;
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, verify); /*@hostOff*/
  curl_easy_perform(h);
}
void peerOn() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.example.com/v1");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L); /*@peerOn*/
  curl_easy_perform(h); /*@peerOnCall*/
}
void fromEnvironment() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, std::atol(std::getenv("VERIFY"))); /*@env*/
  curl_easy_perform(h);
}
void defaultsOff(const Options &o) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o.verifyPeer); /*@struct*/
  curl_easy_perform(h);
}
void untouched() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.example.com/v1");
  curl_easy_perform(h); /*@untouched*/
}
)cpp");
  const auto *Off = X.at(Tls, "peerOff");
  ASSERT_NE(Off, nullptr) << X.dump();
  EXPECT_EQ(Off->Severity, "high");
  EXPECT_THAT(Off->Message, HasSubstr("CURLOPT_SSL_VERIFYPEER = 0L turns off certificate verification"));
  EXPECT_FALSE(Off->CallSiteId.empty());
  ASSERT_NE(X.at(Tls, "hostOff"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Tls, "peerOn"), nullptr);
  EXPECT_EQ(X.at(Tls, "env"), nullptr);
  const auto *Struct = X.at(Tls, "struct");
  ASSERT_NE(Struct, nullptr) << X.dump();
  EXPECT_EQ(Struct->Severity, "medium");
  EXPECT_THAT(Struct->Message, HasSubstr("by default"));
  EXPECT_EQ(X.of(Tls).size(), 3u) << X.dump();

  const model::CallSite *On = X.S.callAt(X.S.line("peerOnCall"));
  ASSERT_NE(On, nullptr);
  EXPECT_EQ(On->Security.TlsVerification, "verified");
  EXPECT_EQ(On->Security.Transport, "tls");
  EXPECT_EQ(X.S.callIn("peerOff").Security.TlsVerification, "disabled");
  EXPECT_EQ(X.S.callAt(X.S.line("untouched"))->Security.TlsVerification, "verified");
}

TEST(TlsVerification, OpenSslVerifyNoneAndAcceptAllCallbacks) {
  Secured X(R"cpp(
#include <curl/curl.h>
#include <openssl/ssl.h>
static int acceptAll(int, X509_STORE_CTX *) { return 1; }
static int checksResult(int preverify_ok, X509_STORE_CTX *) {
  if (!preverify_ok)
    return 0;
  return 1;
}
static CURLcode insecureCtx(CURL *, void *ctx, void *) {
  SSL_CTX_set_verify(static_cast<SSL_CTX *>(ctx), SSL_VERIFY_PEER, acceptAll); /*@acceptAll*/
  return CURLE_OK;
}
static CURLcode checkedCtx(CURL *, void *ctx, void *) {
  SSL_CTX_set_verify(static_cast<SSL_CTX *>(ctx), SSL_VERIFY_PEER, checksResult); /*@checked*/
  return CURLE_OK;
}
void lambdas(SSL_CTX *ctx) {
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX *) { return 1; }); /*@lambdaAll*/
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, [](int ok, X509_STORE_CTX *) { return ok; }); /*@lambdaOk*/
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr); /*@none*/
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr); /*@peer*/
}
void useCtx() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, insecureCtx);
  curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, checkedCtx);
  curl_easy_perform(h);
}
)cpp");
  const auto *All = X.at(Tls, "acceptAll");
  ASSERT_NE(All, nullptr) << X.dump();
  EXPECT_THAT(All->Message, HasSubstr("`acceptAll` registered with `SSL_CTX_set_verify` accepts "
                                      "every certificate"));
  EXPECT_THAT(All->Message, HasSubstr("sec.cpp:4"));
  EXPECT_EQ(X.at(Tls, "checked"), nullptr) << X.dump();
  EXPECT_NE(X.at(Tls, "lambdaAll"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Tls, "lambdaOk"), nullptr) << X.dump();
  const auto *None = X.at(Tls, "none");
  ASSERT_NE(None, nullptr) << X.dump();
  EXPECT_THAT(None->Message, HasSubstr("`SSL_CTX_set_verify` receives `SSL_VERIFY_NONE`"));
  EXPECT_EQ(X.at(Tls, "peer"), nullptr);
  EXPECT_EQ(X.of(Tls).size(), 3u) << X.dump();
}

TEST(TlsVerification, BoostAsioVerifyNoneAndCallbacks) {
  Secured X(R"cpp(
#include <boost/asio/ssl.hpp>
namespace ssl = boost::asio::ssl;
void insecure(ssl::context &ctx) {
  ctx.set_verify_mode(ssl::verify_none); /*@verifyNone*/
  ctx.set_verify_callback([](bool, ssl::verify_context &) { return true; }); /*@acceptAll*/
}
void server() {
  ssl::context ctx(ssl::context::tls_server);
  ctx.set_verify_mode(ssl::verify_none); /*@server*/
}
void secure(ssl::context &ctx) {
  ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert); /*@verifyPeer*/
  ctx.set_verify_callback(ssl::host_name_verification("api.example.com")); /*@hostName*/
  ctx.set_verify_callback([](bool preverified, ssl::verify_context &) { /*@checks*/
    return preverified;
  });
}
)cpp");
  const auto *None = X.at(Tls, "verifyNone");
  ASSERT_NE(None, nullptr) << X.dump();
  EXPECT_THAT(None->Message, HasSubstr("receives `boost::asio::ssl::verify_none`"));
  EXPECT_NE(X.at(Tls, "acceptAll"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Tls).size(), 2u) << X.dump();
}

TEST(TlsVerification, AContextWithoutVerificationIsEveryCallOnTheStreamBuiltWithIt) {
  Secured X(R"cpp(
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
void insecure() {
  boost::asio::io_context ioc;
  ssl::context ctx(ssl::context::tlsv12_client);
  ctx.set_verify_mode(ssl::verify_none); /*@none*/
  boost::asio::ip::tcp::resolver resolver(ioc);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect(resolver.resolve("api.vendor.example.com", "443")); /*@connect*/
  beast::http::request<beast::http::string_body> req{beast::http::verb::get, "/", 11};
  beast::http::write(stream, req); /*@write*/
}
void secure() {
  boost::asio::io_context ioc;
  ssl::context ctx(ssl::context::tlsv12_client);
  ctx.set_verify_mode(ssl::verify_peer); /*@peer*/
  boost::asio::ip::tcp::resolver resolver(ioc);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect(resolver.resolve("api.other.example.com", "443")); /*@okConnect*/
  beast::http::request<beast::http::string_body> req{beast::http::verb::get, "/", 11};
  beast::http::write(stream, req); /*@okWrite*/
}
)cpp");
  ASSERT_NE(X.at(Tls, "none"), nullptr) << X.dump();
  for (const char *M : {"connect", "write"}) {
    const auto *C = X.S.callAt(X.S.line(M));
    ASSERT_NE(C, nullptr) << M << "\n" << X.dump();
    EXPECT_EQ(C->Security.Transport, "tls") << M;
    EXPECT_EQ(C->Security.TlsVerification, "disabled") << M;
    bool Noted = false;
    for (const auto &E : C->Security.Evidence)
      Noted |= E.Line == X.S.line("none") && E.Note == "verification disabled: boost::asio::ssl::verify_none";
    EXPECT_TRUE(Noted) << M << "\n" << X.dump();
    // The address's default scheme is not shown as what travels.
    for (const auto &E : C->Security.Evidence)
      EXPECT_EQ(E.Note.find("http://"), std::string::npos) << E.Note;
  }
  for (const char *M : {"okConnect", "okWrite"}) {
    const auto *C = X.S.callAt(X.S.line(M));
    ASSERT_NE(C, nullptr) << M << "\n" << X.dump();
    EXPECT_NE(C->Security.TlsVerification, "disabled") << M;
  }
  EXPECT_EQ(X.of(Tls).size(), 1u) << X.dump();
}

TEST(TlsTransport, AnSslStreamIsEncryptedWhateverAddressTheRunGivesIt) {
  Secured X(R"cpp(
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
void secure(const char *host, ssl::context &ctx) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx); /*@sslStream*/
  beast::get_lowest_layer(stream).connect(resolver.resolve(host, "443"));
  beast::http::request<beast::http::string_body> req{beast::http::verb::get, "/", 11};
  beast::http::write(stream, req); /*@tlsWrite*/
}
void plain(const char *host) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  stream.connect(resolver.resolve(host, "80"));
  beast::http::request<beast::http::string_body> req{beast::http::verb::get, "/", 11};
  beast::http::write(stream, req); /*@plainWrite*/
}
)cpp");
  const auto *Tls = X.S.callAt(X.S.line("tlsWrite"));
  const auto *Plain = X.S.callAt(X.S.line("plainWrite"));
  ASSERT_TRUE(Tls && Plain) << X.dump();
  EXPECT_EQ(Tls->Security.Transport, "tls");
  bool Noted = false;
  for (const auto &E : Tls->Security.Evidence)
    Noted |= E.Line == X.S.line("sslStream") &&
             E.Note == "encrypted transport: TLS set up on the connection "
                       "(boost::beast::ssl_stream::ssl_stream); the address is decided at run time";
  EXPECT_TRUE(Noted) << X.dump();
  // Without TLS on the stream a run-time address decides nothing yet.
  EXPECT_EQ(Plain->Security.Transport, "unknown");
}

TEST(TlsVerification, PostgresSslmode) {
  Secured X(R"cpp(
#include <pqxx/pqxx>
void disabled() {
  pqxx::connection c("host=orders.prod.example.com dbname=orders sslmode=disable"); /*@disable*/
  pqxx::work tx(c);
  tx.exec("SELECT 1");
}
void prefer() {
  pqxx::connection c("host=orders.prod.example.com sslmode=prefer"); /*@prefer*/
}
void unset() {
  const char *conninfo = "host=orders.prod.example.com dbname=orders"; /*@unset*/
  pqxx::connection c(conninfo);
}
void verified() {
  pqxx::connection c("host=orders.prod.example.com sslmode=verify-full"); /*@verifyFull*/
}
void local() {
  pqxx::connection c("host=localhost dbname=orders"); /*@local*/
}
void socket() {
  pqxx::connection c("dbname=orders"); /*@socket*/
}
void uri() {
  pqxx::connection c("postgresql://orders.prod.example.com/orders?sslmode=verify-ca"); /*@uri*/
}
)cpp");
  // No TLS at all is plaintext, not "verification disabled"; prefer and the
  // default are a downgrade, each its own rule.
  const auto *D = X.at(Plain, "disable");
  ASSERT_NE(D, nullptr) << X.dump();
  EXPECT_THAT(D->Message, HasSubstr("PostgreSQL connection to orders.prod.example.com: sslmode=disable"));
  EXPECT_EQ(X.at(Tls, "disable"), nullptr) << X.dump();
  const char *Downgrade = "integration-tls-downgrade-possible";
  ASSERT_NE(X.at(Downgrade, "prefer"), nullptr) << X.dump();
  const auto *U = X.at(Downgrade, "unset");
  ASSERT_NE(U, nullptr) << X.dump();
  EXPECT_THAT(U->Message, HasSubstr("no sslmode: libpq's default `prefer` checks no certificate"));
  for (const char *Rule : {Tls, Plain, Downgrade}) {
    EXPECT_EQ(X.at(Rule, "verifyFull"), nullptr) << Rule;
    EXPECT_EQ(X.at(Rule, "local"), nullptr) << Rule;
    EXPECT_EQ(X.at(Rule, "socket"), nullptr) << Rule;
    EXPECT_EQ(X.at(Rule, "uri"), nullptr) << Rule;
  }
  EXPECT_EQ(X.of(Tls).size(), 0u) << X.dump();
  EXPECT_EQ(X.of(Downgrade).size(), 2u) << X.dump();
  EXPECT_EQ(X.S.callAt(X.S.line("verifyFull"))->Security.TlsVerification, "verified");
  EXPECT_EQ(X.S.callAt(X.S.line("local"))->Security.Transport, "local");
  // Every call on the connection carries the verdict.
  for (const auto &C : X.S.M.CallSites)
    if (C.Function == "disabled")
      EXPECT_EQ(C.Security.Transport, "plaintext") << C.Operation;
}

// ------------------------------------------------------------------ plaintext transport

TEST(PlaintextTransport, HttpToRemoteHostsOnly) {
  Secured X(R"cpp(
#include <curl/curl.h>
#include <cstdio>
void remote() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "http://partner.example.com/hook"); /*@http*/
  curl_easy_perform(h);
}
void noScheme() {
  CURL *h = curl_easy_init();
  const char *url = "partner.example.com:8080/v1/events"; /*@bare*/
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_perform(h);
}
void localhost() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "http://localhost:8080/health"); /*@localhost*/
  curl_easy_perform(h); /*@localhostCall*/
}
void loopback() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "http://127.0.0.1:9000/metrics"); /*@loopback*/
  curl_easy_perform(h);
}
void commentAndLog() {
  // Docs: http://partner.example.com/docs explains the hook. /*@comment*/
  std::fprintf(stderr, "calling http://partner.example.com/hook\n"); /*@log*/
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://partner.example.com/hook");
  curl_easy_perform(h);
}
void mail(bool tls) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "smtp://mail.example.com:587"); /*@smtpTls*/
  curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  curl_easy_perform(h);
  CURL *m = curl_easy_init();
  curl_easy_setopt(m, CURLOPT_URL, "smtp://mail.example.com:25"); /*@smtpPlain*/
  curl_easy_perform(m);
}
)cpp");
  const auto *H = X.at(Plain, "http");
  ASSERT_NE(H, nullptr) << X.dump();
  EXPECT_EQ(H->Message, "`curl_easy_perform` talks to partner.example.com over unencrypted http: "
                        "credentials and payloads cross the network in clear text");
  const auto *B = X.at(Plain, "bare");
  ASSERT_NE(B, nullptr) << X.dump();
  EXPECT_THAT(B->Message, HasSubstr("(no scheme: libcurl uses http)"));
  EXPECT_EQ(X.at(Plain, "localhost"), nullptr);
  EXPECT_EQ(X.at(Plain, "loopback"), nullptr);
  EXPECT_EQ(X.at(Plain, "comment"), nullptr);
  EXPECT_EQ(X.at(Plain, "log"), nullptr);
  EXPECT_EQ(X.at(Plain, "smtpTls"), nullptr) << X.dump();
  EXPECT_NE(X.at(Plain, "smtpPlain"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 3u) << X.dump();
  const auto *L = X.S.callAt(X.S.line("localhostCall"));
  ASSERT_NE(L, nullptr);
  EXPECT_EQ(L->Security.Transport, "local");
  ASSERT_FALSE(L->Security.Evidence.empty());
  EXPECT_THAT(L->Security.Evidence[0].Note,
              HasSubstr("plaintext to a local address (not flagged): http://localhost:8080"));
}

TEST(PlaintextTransport, HiredisWithoutTls) {
  Secured X(R"cpp(
#include <hiredis/hiredis.h>
void remote() {
  redisContext *c = redisConnect("cache.prod.example.com", 6379); /*@remote*/
  redisCommand(c, "GET k");
}
void local() {
  redisContext *c = redisConnect("127.0.0.1", 6379); /*@local*/
  redisCommand(c, "GET k");
}
)cpp");
  const auto *R = X.at(Plain, "remote");
  ASSERT_NE(R, nullptr) << X.dump();
  EXPECT_THAT(R->Message, HasSubstr("cache.prod.example.com over unencrypted redis (no scheme: "
                                    "hiredis uses redis)"));
  EXPECT_EQ(X.at(Plain, "local"), nullptr);
}

// ------------------------------------------------------------------ hard-coded secrets

const char *LiveKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const char *AwsKey = "AKIAIOSFODNN7EXAMPLE";

TEST(HardcodedSecret, KnownPrefixesAuthParametersAndConninfo) {
  std::string Code = R"cpp(
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <libpq-fe.h>
#include <pqxx/pqxx>
#include <cstdlib>
#include <string>
const char *kStripe = ")cpp" + std::string(LiveKey) + R"cpp("; /*@stripe*/
std::string aws = ")cpp" + std::string(AwsKey) + R"cpp("; /*@aws*/
const char *placeholder = "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX";
void curl() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_USERPWD, "admin:hunter2"); /*@userpwd*/
  curl_easy_perform(h);
}
void curlFromEnv() {
  CURL *h = curl_easy_init();
  const char *password = std::getenv("API_PASSWORD"); /*@envPassword*/
  curl_easy_setopt(h, CURLOPT_PASSWORD, password);
  curl_easy_perform(h); /*@envCall*/
}
void redis(redisContext *c) {
  redisCommand(c, "AUTH %s", "hunter2"); /*@redisFmt*/
  redisCommand(c, "AUTH hunter2"); /*@redisInline*/
  redisCommand(c, "AUTH %s", std::getenv("REDIS_PASSWORD")); /*@redisEnv*/
  redisCommand(c, "GET password"); /*@redisGet*/
}
void libpq() {
  PGconn *a = PQsetdbLogin("db.example.com", "5432", nullptr, nullptr, "orders", "shop", "hunter2"); /*@pqLiteral*/
  PGconn *b = PQsetdbLogin("db.example.com", "5432", nullptr, nullptr, "orders", "shop",
                           std::getenv("PGPASSWORD")); /*@pqEnv*/
}
void conninfo() {
  pqxx::connection c("host=db.example.com sslmode=verify-full password=hunter2"); /*@conninfo*/
  std::printf("password=%s\n", "x"); /*@format*/
}
)cpp";
  Secured X(Code, {"-I/usr/include/postgresql"});
  const auto *S = X.at(Secret, "stripe");
  ASSERT_NE(S, nullptr) << X.dump();
  EXPECT_EQ(S->Severity, "critical");
  EXPECT_THAT(S->Message, HasSubstr("hard-coded Stripe live secret key in a string literal"));
  ASSERT_NE(X.at(Secret, "aws"), nullptr) << X.dump();
  EXPECT_THAT(X.at(Secret, "aws")->Message, HasSubstr("AWS access key id"));
  const auto *U = X.at(Secret, "userpwd");
  ASSERT_NE(U, nullptr) << X.dump();
  EXPECT_EQ(U->Message, "hard-coded credential passed to `CURLOPT_USERPWD` as a string literal: "
                        "load it from a secret store or the environment");
  EXPECT_EQ(X.at(Secret, "envPassword"), nullptr);
  EXPECT_NE(X.at(Secret, "redisFmt"), nullptr) << X.dump();
  EXPECT_NE(X.at(Secret, "redisInline"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Secret, "redisEnv"), nullptr);
  EXPECT_EQ(X.at(Secret, "redisGet"), nullptr);
  const auto *Pq = X.at(Secret, "pqLiteral");
  ASSERT_NE(Pq, nullptr) << X.dump();
  EXPECT_THAT(Pq->Message, HasSubstr("PostgreSQL password passed to `PQsetdbLogin`"));
  EXPECT_EQ(X.at(Secret, "pqEnv"), nullptr);
  const auto *Ci = X.at(Secret, "conninfo");
  ASSERT_NE(Ci, nullptr) << X.dump();
  EXPECT_THAT(Ci->Message, HasSubstr("password in a connection string"));
  EXPECT_EQ(X.at(Secret, "format"), nullptr);
  EXPECT_EQ(X.of(Secret).size(), 7u) << X.dump();
  for (const auto &F : X.Findings) {
    EXPECT_THAT(F.Message, Not(HasSubstr("hunter2")));
    EXPECT_THAT(F.Message, Not(HasSubstr(LiveKey)));
    EXPECT_THAT(F.Message, Not(HasSubstr(AwsKey)));
  }
  // Credential sources on the call sites.
  const auto *Env = X.S.callAt(X.S.line("envCall"));
  ASSERT_NE(Env, nullptr);
  ASSERT_EQ(Env->Security.Credentials.size(), 1u);
  EXPECT_EQ(Env->Security.Credentials[0].Kind, "env");
  EXPECT_EQ(Env->Security.Credentials[0].Name, "API_PASSWORD");
  EXPECT_EQ(Env->Security.Credentials[0].Via, "CURLOPT_PASSWORD");
  const auto *Redis = X.S.callAt(X.S.line("redisEnv"));
  ASSERT_NE(Redis, nullptr);
  bool SawEnv = false;
  for (const auto &C : Redis->Security.Credentials)
    SawEnv |= C.Kind == "env" && C.Name == "REDIS_PASSWORD";
  EXPECT_TRUE(SawEnv);
}

TEST(HardcodedSecret, FactsNeverHoldTheSecret) {
  // The per-TU facts (cache/shard format) are redacted before they leave the extractor.
  const char *Code = R"cpp(
#include <curl/curl.h>
#include <pqxx/pqxx>
void f() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://user:hunter2@api.example.com/v1");
  curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, "ghp_abcdefghijklmnopqrstuvwxyz0123456789");
  curl_easy_perform(h);
  pqxx::connection c("host=db.example.com password=hunter2 connect_timeout=5");
}
)cpp";
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++17", "-resource-dir=" IM_CLANG_RESOURCE_DIR, "-Wno-everything"}, "f.cpp");
  ASSERT_TRUE(AST);
  model::TUFacts Facts;
  clang::ast_matchers::MatchFinder Finder;
  matchers::Extractor X(test::builtinCatalog(), Facts);
  X.registerMatchers(Finder);
  Finder.matchAST(AST->getASTContext());
  X.finish();
  std::string Json = model::toJson(Facts).dump();
  EXPECT_THAT(Json, Not(HasSubstr("hunter2")));
  EXPECT_THAT(Json, Not(HasSubstr("ghp_abcdefghij")));
  EXPECT_THAT(Json, HasSubstr("password=***"));
  EXPECT_THAT(Json, HasSubstr("GitHub personal access token"));
  // What is left still drives the verdicts: the endpoint keeps its host and timeout.
  EXPECT_THAT(Json, HasSubstr("connect_timeout=5"));
}

TEST(SecretShapes, KindsAndPlaceholders) {
  EXPECT_EQ(support::secretKind("xoxb-123456789012-abcdefghijkl"), "Slack bot token");
  EXPECT_EQ(support::secretKind("SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
            "SendGrid API key");
  EXPECT_EQ(support::secretKind("AIzaSyA1234567890abcdefghijklmnopqrstuv"), "Google API key");
  EXPECT_EQ(support::secretKind("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abcdefgh"),
            "bearer token");
  EXPECT_EQ(support::secretKind("postgresql://shop:hunter2@db/orders"), "password in a URL");
  EXPECT_EQ(support::secretKind("Authorization: Bearer %s"), "");
  EXPECT_EQ(support::secretKind("password="), "");
  EXPECT_EQ(support::secretKind("password={}"), "");
  EXPECT_EQ(support::secretKind("ask_live_customers"), "");
  EXPECT_EQ(support::secretKind("MY_AKIAIOSFODNN7EXAMPLE"), "");
  EXPECT_EQ(support::redactSecrets("host=db password='a b' port=5"), "host=db password=*** port=5");
  EXPECT_TRUE(support::isLocalHost("127.0.0.53"));
  EXPECT_TRUE(support::isLocalHost("[::1]"));
  EXPECT_TRUE(support::isLocalHost("/var/run/postgresql"));
  EXPECT_FALSE(support::isLocalHost("localhost.example.com"));
  EXPECT_FALSE(support::isLocalHost("10.0.0.5"));
}

} // namespace

namespace {

// ------------------------------------------------------------------ other libraries
// The generic matchers (constants as arguments, authentication parameters, insecure
// channel calls) on the real Poco, Qt 5, cpp-httplib and gRPC headers.

TEST(TlsVerification, PocoAndQtVerifyNone) {
  Secured X(R"cpp(
#include <Poco/Net/Context.h>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QSslConfiguration>
using Poco::Net::Context;
void poco() {
  Context::Ptr insecure = new Context(Context::CLIENT_USE, "", "", "", Context::VERIFY_NONE); /*@poco*/
  Context::Ptr strict = new Context(Context::CLIENT_USE, "", "", "", Context::VERIFY_STRICT);
  Context::Ptr server = new Context(Context::SERVER_USE, "", "", "", Context::VERIFY_NONE); /*@pocoServer*/
}
void qt(QSslSocket &socket, QSslConfiguration &config) {
  socket.setPeerVerifyMode(QSslSocket::VerifyNone); /*@qt*/
  config.setPeerVerifyMode(QSslSocket::VerifyPeer);
}
)cpp",
            {"-I/usr/include/x86_64-linux-gnu/qt5", "-I/usr/include/x86_64-linux-gnu/qt5/QtCore",
             "-I/usr/include/x86_64-linux-gnu/qt5/QtNetwork", "-fPIC"});
  const auto *P = X.at(Tls, "poco");
  ASSERT_NE(P, nullptr) << X.dump();
  EXPECT_THAT(P->Message, HasSubstr("`Poco::Net::Context` receives `Poco::Net::Context::VERIFY_NONE`"));
  const auto *Q = X.at(Tls, "qt");
  ASSERT_NE(Q, nullptr) << X.dump();
  EXPECT_THAT(Q->Message, HasSubstr("`QSslSocket::setPeerVerifyMode` receives `QSslSocket::VerifyNone`"));
  EXPECT_EQ(X.of(Tls).size(), 2u) << X.dump();
}

TEST(HardcodedSecret, HttplibAuthentication) {
  Secured X(R"cpp(
#include <httplib.h>
#include <cstdlib>
void literal(httplib::Client &cli) {
  cli.set_bearer_token_auth("0123456789abcdef0123456789"); /*@bearer*/
  cli.set_basic_auth("shop", "hunter2"); /*@basic*/
}
void fromEnv(httplib::Client &cli) {
  cli.set_bearer_token_auth(std::getenv("PARTNER_TOKEN")); /*@env*/
  std::string password = std::getenv("PARTNER_PASSWORD");
  cli.set_basic_auth("shop", password); /*@envVar*/
}
)cpp");
  const auto *B = X.at(Secret, "bearer");
  ASSERT_NE(B, nullptr) << X.dump();
  EXPECT_THAT(B->Message, HasSubstr("hard-coded bearer token passed to `httplib::Client::set_bearer_token_auth`"));
  ASSERT_NE(X.at(Secret, "basic"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Secret).size(), 2u) << X.dump();
}

TEST(PlaintextTransport, GrpcInsecureChannel) {
  Secured X(R"cpp(
#include <grpcpp/grpcpp.h>
void channels() {
  auto remote = grpc::CreateChannel("payments.prod.example.com:443", grpc::InsecureChannelCredentials()); /*@remote*/
  auto local = grpc::CreateChannel("localhost:50051", grpc::InsecureChannelCredentials()); /*@local*/
  auto tls = grpc::CreateChannel("payments.prod.example.com:443", grpc::SslCredentials(grpc::SslCredentialsOptions()));
}
)cpp");
  const auto *R = X.at(Plain, "remote");
  ASSERT_NE(R, nullptr) << X.dump();
  EXPECT_THAT(R->Message, HasSubstr("`grpc::InsecureChannelCredentials()` opens an unencrypted "
                                    "channel to payments.prod.example.com"));
  EXPECT_EQ(X.at(Plain, "local"), nullptr);
  EXPECT_EQ(X.of(Plain).size(), 1u) << X.dump();
}

} // namespace

namespace {

// ------------------------------------------------------------------ protocol hygiene

TEST(Webhooks, SignatureHeaderNeedsAnHmac) {
  Secured X(R"cpp(
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <map>
#include <string>
using Headers = std::map<std::string, std::string>;
static bool signatureMatches(const std::string &payload, const std::string &sig,
                             const std::string &secret) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), (int)secret.size(),
       reinterpret_cast<const unsigned char *>(payload.data()), payload.size(), mac, &len);
  return sig.size() == len && CRYPTO_memcmp(sig.data(), mac, len) == 0;
}
bool verifiedHandler(const Headers &h, const std::string &body, const std::string &secret) {
  auto it = h.find("Stripe-Signature"); /*@verified*/
  return it != h.end() && signatureMatches(body, it->second, secret);
}
bool trustingHandler(const Headers &h, const std::string &body) {
  auto it = h.find("Stripe-Signature"); /*@trusting*/
  return it != h.end() && !body.empty();
}
)cpp");
  const char *Rule = "integration-webhook-signature-unverified";
  EXPECT_EQ(X.at(Rule, "verified"), nullptr) << X.dump();
  const auto *T = X.at(Rule, "trusting");
  ASSERT_NE(T, nullptr) << X.dump();
  EXPECT_THAT(T->Message, HasSubstr("`trustingHandler` reads the Stripe-Signature header but "
                                    "computes no HMAC over the payload"));
}

TEST(ApiVersion, StripeVersionHeader) {
  const char *Unpinned = R"cpp(
#include <curl/curl.h>
void charge() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.stripe.com/v1/charges");
  curl_easy_perform(h); /*@call*/
}
)cpp";
  Secured U(Unpinned);
  const auto *F = U.at("integration-api-version-unpinned", "call");
  ASSERT_NE(F, nullptr) << U.dump();
  EXPECT_EQ(F->Severity, "low");
  EXPECT_EQ(U.S.callIn("charge").Security.ApiVersion, "not_pinned");

  Secured P(R"cpp(
#include <curl/curl.h>
void charge() {
  CURL *h = curl_easy_init();
  curl_slist *headers = curl_slist_append(nullptr, "Stripe-Version: 2024-06-20"); /*@pin*/
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_URL, "https://api.stripe.com/v1/charges");
  curl_easy_perform(h);
}
)cpp");
  EXPECT_TRUE(P.of("integration-api-version-unpinned").empty()) << P.dump();
  const auto &C = P.S.callIn("charge");
  EXPECT_EQ(C.Security.ApiVersion, "pinned");
  EXPECT_TRUE(P.S.hasEvidenceAt({true, "present", C.Security.Evidence}, P.S.line("pin")));
}

} // namespace

namespace {

// ------------------------------------------------------------------ test code and local servers

TEST(TlsVerification, DisabledForALocalTestServerIsNotedOnly) {
  Secured X(R"cpp(
#include <curl/curl.h>
void localServer() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://localhost:8443/health");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); /*@local*/
  curl_easy_perform(h); /*@call*/
}
void remoteServer() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "https://api.example.com/v1");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); /*@remote*/
  curl_easy_perform(h);
}
)cpp");
  EXPECT_EQ(X.at(Tls, "local"), nullptr) << X.dump();
  EXPECT_NE(X.at(Tls, "remote"), nullptr) << X.dump();
  const auto *C = X.S.callAt(X.S.line("call"));
  ASSERT_NE(C, nullptr);
  EXPECT_TRUE(X.S.hasEvidenceAt({false, "absent", C->Security.Evidence}, X.S.line("local")));
}

TEST(HardcodedSecret, FixturesInTestCodeAreExpectedLiveKeysAreNot) {
  test::Snippets S(std::vector<test::SnippetFile>{{"tests/payment_test.cpp", R"cpp(
#include <pqxx/pqxx>
const char *kTestKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
const char *kLiveKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"; /*@live*/
void fixture() {
  pqxx::connection c("host=localhost password=fixture-pass");
}
)cpp"}});
  std::vector<model::Finding> Findings;
  analysis::assessSecurity(S.M, S.M.CallSites, test::builtinCatalog(),
                           std::filesystem::current_path().string(), Findings);
  std::vector<unsigned> Lines;
  for (const auto &F : Findings)
    if (F.Rule == Secret)
      Lines.push_back(F.Loc.Line);
  EXPECT_EQ(Lines, std::vector<unsigned>{S.line("live")});
}

} // namespace
