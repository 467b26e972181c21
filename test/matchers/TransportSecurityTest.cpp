// Transport security per library, on the real Debian headers: where a finding
// points (the literal token that holds the offending part, at its line and
// column inside multi-line and concatenated literals), plaintext versus
// "verification disabled" versus "TLS only if offered", and the local and
// verified look-alikes that must stay silent.
#include "Secured.h"

#include "analysis/Endpoints.h"

#include <gmock/gmock.h>

using namespace im;
using test::Secured;
using testing::HasSubstr;
using testing::Not;

namespace {

const char *Tls = "integration-tls-verification-disabled";
const char *Plain = "integration-plaintext-transport";
const char *Downgrade = "integration-tls-downgrade-possible";
const char *Secret = "integration-hardcoded-secret";

/// 1-based column of `Needle` on the line holding /*@Marker*/.
unsigned columnOf(const std::string &Code, const std::string &Marker, const std::string &Needle) {
  size_t M = Code.find("/*@" + Marker + "*/");
  size_t LineStart = Code.rfind('\n', M) + 1;
  size_t At = Code.find(Needle, LineStart);
  EXPECT_LT(At, M) << Needle << " not on the line of " << Marker;
  return static_cast<unsigned>(At - LineStart + 1);
}

// ------------------------------------------------------------------ libpq conninfo
const std::vector<std::string> PqFlags = {"-I/usr/include/postgresql"};
const std::string PqCode = R"cpp(
#include <libpq-fe.h>
constexpr const char kAudit[] =
    "host=audit.db.example.com port=5432 dbname=compliance sslmode=disable " /*@sslmode*/
    "user=auditor password=Qm4vT9zK2wRx7 connect_timeout=4"; /*@password*/
constexpr const char kPrefer[] =
    "host=orders.db.example.com "
    "dbname=orders sslmode=prefer"; /*@prefer*/
constexpr const char kLocal[] =
    "host=127.0.0.1 dbname=orders sslmode=disable"; /*@local*/
constexpr const char kVerified[] =
    "host=orders.db.example.com sslmode=verify-full"; /*@verified*/
void audit() {
  PGconn *c = PQconnectdb(kAudit); /*@auditCall*/
  PQexec(c, "INSERT INTO events VALUES (1)"); /*@auditExec*/
}
void orders() { PQconnectdb(kPrefer); }
void local() { PQconnectdb(kLocal); }
void verified() { PQconnectdb(kVerified); }
)cpp";

TEST(TransportLibpq, SslmodeDisableIsPlaintextAtTheTokenThatSaysIt) {
  Secured X(PqCode, PqFlags);
  const auto *P = X.at(Plain, "sslmode");
  ASSERT_NE(P, nullptr) << X.dump();
  EXPECT_EQ(P->Loc.Column, columnOf(PqCode, "sslmode", "sslmode=disable")) << X.dump();
  EXPECT_THAT(P->Message, HasSubstr("audit.db.example.com: sslmode=disable: no TLS at all"));
  // Not a verification finding, and not repeated at the call or per call.
  EXPECT_EQ(X.of(Tls).size(), 0u) << X.dump();
  EXPECT_EQ(X.at(Plain, "auditCall"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "auditExec"), nullptr) << X.dump();
  // The loopback conninfo says disable too, and raises nothing.
  EXPECT_EQ(X.at(Plain, "local"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 1u) << X.dump();
}

TEST(TransportLibpq, PasswordOnTheSecondLineOfAConcatenatedLiteral) {
  Secured X(PqCode, PqFlags);
  const auto *S = X.at(Secret, "password");
  ASSERT_NE(S, nullptr) << X.dump();
  EXPECT_EQ(S->Loc.Column, columnOf(PqCode, "password", "Qm4vT9zK2wRx7"));
  EXPECT_EQ(X.at(Secret, "sslmode"), nullptr) << X.dump();
  for (const auto &F : X.Findings)
    EXPECT_THAT(F.Message, Not(HasSubstr("Qm4vT9zK2wRx7")));
  for (const auto &C : X.S.M.CallSites)
    EXPECT_THAT(C.Endpoint, Not(HasSubstr("Qm4vT9zK2wRx7")));
}

TEST(TransportLibpq, PreferIsADowngradeAtTheSslmodeToken) {
  Secured X(PqCode, PqFlags);
  const auto *D = X.at(Downgrade, "prefer");
  ASSERT_NE(D, nullptr) << X.dump();
  EXPECT_EQ(D->Loc.Column, columnOf(PqCode, "prefer", "sslmode=prefer"));
  EXPECT_THAT(D->Message, HasSubstr("falls back to plaintext"));
  EXPECT_EQ(X.at(Downgrade, "verified"), nullptr);
  EXPECT_EQ(X.at(Tls, "verified"), nullptr);
  EXPECT_EQ(X.of(Downgrade).size(), 1u) << X.dump();
}

// ------------------------------------------------------------------ MongoDB URI options
const char *const MongoFlags[] = {"-I/usr/include/libmongoc-1.0", "-I/usr/include/libbson-1.0"};
const std::string MongoCode = R"cpp(
#include <mongoc/mongoc.h>
#include <string>
constexpr const char kInsecure[] =
    "/?replicaSet=rs0&tls=true"
    "&tlsAllowInvalidCertificates=true&retryWrites=true"; /*@invalidCerts*/
constexpr const char kStrict[] = "/?tls=true&tlsAllowInvalidCertificates=false"; /*@strict*/
mongoc_collection_t *open(const std::string &hosts, const char *opts) {
  const std::string s = "mongodb://" + hosts + opts;
  mongoc_uri_t *uri = mongoc_uri_new(s.c_str());
  mongoc_client_t *client = mongoc_client_new_from_uri(uri);
  return mongoc_client_get_collection(client, "db", "c");
}
void insecure(const std::string &hosts, const bson_t *doc) {
  const std::string s = "mongodb://" + hosts + kInsecure;
  mongoc_uri_t *uri = mongoc_uri_new(s.c_str());
  mongoc_client_t *client = mongoc_client_new_from_uri(uri);
  mongoc_collection_t *c = mongoc_client_get_collection(client, "db", "c");
  mongoc_collection_insert_one(c, doc, nullptr, nullptr, nullptr); /*@insert*/
}
void strict(const std::string &hosts, const bson_t *doc) {
  const std::string s = "mongodb://" + hosts + kStrict;
  mongoc_uri_t *uri = mongoc_uri_new(s.c_str());
  mongoc_client_t *client = mongoc_client_new_from_uri(uri);
  mongoc_collection_t *c = mongoc_client_get_collection(client, "db", "c");
  mongoc_collection_insert_one(c, doc, nullptr, nullptr, nullptr);
}
void insecureInline(const bson_t *doc) {
  mongoc_client_t *client = mongoc_client_new(
      "mongodb://telemetry.example.com/?tlsInsecure=true"); /*@tlsInsecure*/
  mongoc_collection_t *c = mongoc_client_get_collection(client, "db", "c");
  mongoc_collection_insert_one(c, doc, nullptr, nullptr, nullptr);
}
)cpp";

TEST(TransportMongoc, InvalidCertificatesAllowedInAConcatenatedUriIsFoundAtItsToken) {
  Secured X(MongoCode, {MongoFlags[0], MongoFlags[1]});
  const auto *T = X.at(Tls, "invalidCerts");
  ASSERT_NE(T, nullptr) << X.dump();
  EXPECT_EQ(T->Loc.Column, columnOf(MongoCode, "invalidCerts", "tlsAllowInvalidCertificates"));
  EXPECT_THAT(T->Message, HasSubstr("tlsAllowInvalidCertificates"));
  EXPECT_EQ(X.at(Tls, "strict"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Tls, "insert"), nullptr) << X.dump();
  const auto *I = X.at(Tls, "tlsInsecure");
  ASSERT_NE(I, nullptr) << X.dump();
  EXPECT_EQ(I->Loc.Column, columnOf(MongoCode, "tlsInsecure", "tlsInsecure"));
  EXPECT_EQ(X.of(Tls).size(), 2u) << X.dump();
}

// ------------------------------------------------------------------ librdkafka
const std::string KafkaCode = R"cpp(
#include <librdkafka/rdkafka.h>
rd_kafka_t *producer(const char *brokers, const char *protocol, const char *verify) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof err);
  rd_kafka_conf_set(conf, "security.protocol", protocol, err, sizeof err);
  rd_kafka_conf_set(conf, "enable.ssl.certificate.verification", verify, err, sizeof err);
  return rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
}
void unverified(const char *brokers, void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof err);
  rd_kafka_conf_set(conf, "security.protocol", "SASL_SSL", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.ssl.certificate.verification", "false", err, sizeof err); /*@verifyOff*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END); /*@produce1*/
}
void verified(const char *brokers, void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof err);
  rd_kafka_conf_set(conf, "security.protocol", "ssl", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.ssl.certificate.verification", "true", err, sizeof err); /*@verifyOn*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
}
void plaintext(void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", "kafka-0.example.com:9092", err, sizeof err);
  rd_kafka_conf_set(conf, "security.protocol", "SASL_PLAINTEXT", err, sizeof err); /*@saslPlain*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("u"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
}
void localBroker(void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", "localhost:9092", err, sizeof err);
  rd_kafka_conf_set(conf, "security.protocol", "PLAINTEXT", err, sizeof err); /*@localPlain*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
}
)cpp";

TEST(TransportKafka, VerificationFalseAsAStringIsFoundAtTheSetting) {
  Secured X(KafkaCode);
  const auto *T = X.at(Tls, "verifyOff");
  ASSERT_NE(T, nullptr) << X.dump();
  EXPECT_THAT(T->Message, HasSubstr("enable.ssl.certificate.verification"));
  EXPECT_EQ(X.at(Tls, "verifyOn"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Tls, "produce1"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Tls).size(), 1u) << X.dump();
}

TEST(TransportKafka, SaslPlaintextToARemoteBrokerIsPlaintextOnceLocalIsNot) {
  Secured X(KafkaCode);
  const auto *P = X.at(Plain, "saslPlain");
  ASSERT_NE(P, nullptr) << X.dump();
  EXPECT_THAT(P->Message, HasSubstr("kafka-0.example.com"));
  EXPECT_EQ(X.at(Plain, "localPlain"), nullptr) << X.dump();
  // Two produce calls on one producer, one finding: the setting is what to fix.
  EXPECT_EQ(X.of(Plain).size(), 1u) << X.dump();
  EXPECT_EQ(X.of(Tls).size(), 1u) << X.dump();
}

// ------------------------------------------------------------------ libcurl STARTTLS
const std::string CurlCode = R"cpp(
#include <curl/curl.h>
void opportunistic() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "smtp://mail.example.com:587");
  curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY); /*@try*/
  curl_easy_perform(h);
}
void required() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "smtp://mail.example.com:587");
  curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL); /*@all*/
  curl_easy_perform(h);
}
void plainHttpUnverified() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL,
                   "http://partner.example.com/hook"); /*@http*/
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); /*@verifyOnPlain*/
  curl_easy_perform(h);
}
)cpp";

TEST(TransportLibcurl, StartTlsTryIsADowngradeNotEncryption) {
  Secured X(CurlCode);
  const auto *D = X.at(Downgrade, "try");
  ASSERT_NE(D, nullptr) << X.dump();
  EXPECT_THAT(D->Message, HasSubstr("CURLUSESSL_ALL"));
  EXPECT_EQ(X.at(Downgrade, "all"), nullptr);
  EXPECT_EQ(X.of(Downgrade).size(), 1u) << X.dump();
}

TEST(TransportLibcurl, PlaintextUrlOnItsOwnLineAndNoVerificationFindingWithoutTls) {
  Secured X(CurlCode);
  const auto *P = X.at(Plain, "http");
  ASSERT_NE(P, nullptr) << X.dump();
  EXPECT_EQ(P->Loc.Column, columnOf(CurlCode, "http", "\"http://") + 1);
  EXPECT_EQ(X.at(Tls, "verifyOnPlain"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 1u) << X.dump();
}

// ------------------------------------------------------------------ env readers
const std::string EnvReaderDef = R"cpp(
#include <cstdlib>
#include <string>
namespace app {
std::string env_or(const char *name, const std::string &fallback) {
  const char *v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}
int env_int_or(const char *name, int fallback) {
  const char *v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}
}
)cpp";
const std::string EnvReaderUse = R"cpp(
#include <string>
namespace app {
std::string env_or(const char *name, const std::string &fallback);
int env_int_or(const char *name, int fallback);
std::string label(const char *name, const std::string &fallback);
}
struct Client {
  Client()
      : key_(app::env_or("ROUTING_API_KEY", "rq_live_5c81f0e9a4d27b3366e1d0c9f7a2b48e")), /*@keyDefault*/
        token_(app::env_or("SMS_AUTH_TOKEN", "")), /*@emptyDefault*/
        url_(app::env_or("SMS_FALLBACK_URL", "http://api.sms.example.net")), /*@httpDefault*/
        local_(app::env_or("SIDECAR_URL", "http://127.0.0.1:15001")), /*@localDefault*/
        user_(app::env_or("KAFKA_USERNAME", "fleetd")), /*@userDefault*/
        port_(app::env_int_or("REDIS_PORT", 6379)),
        other_(app::label("NOT_AN_ENV_READ", "http://api.other.example.net")) {} /*@notReader*/
  std::string key_, token_, url_, local_, user_;
  int port_;
  std::string other_;
};
)cpp";

TEST(EnvReaders, CallsOfAProjectGetenvWrapperAreReadsOfTheirVariable) {
  Secured X({{"env.cpp", EnvReaderDef}, {"client.cpp", EnvReaderUse}});
  std::vector<std::string> Names;
  for (const auto &R : analysis::EndpointFolder(X.S.M).helperEnvReads())
    Names.push_back(R.Name);
  EXPECT_THAT(Names, testing::UnorderedElementsAre("ROUTING_API_KEY", "SMS_AUTH_TOKEN",
                                                   "SMS_FALLBACK_URL", "SIDECAR_URL",
                                                   "KAFKA_USERNAME", "REDIS_PORT"));
}

TEST(EnvReaders, ALiteralCredentialDefaultIsAHardCodedSecretAtTheLiteral) {
  Secured X({{"env.cpp", EnvReaderDef}, {"client.cpp", EnvReaderUse}});
  const auto *S = X.at(Secret, "keyDefault");
  ASSERT_NE(S, nullptr) << X.dump();
  EXPECT_EQ(S->Loc.Column, columnOf(EnvReaderUse, "keyDefault", "rq_live_"));
  EXPECT_THAT(S->Message, HasSubstr("ROUTING_API_KEY"));
  EXPECT_EQ(X.at(Secret, "emptyDefault"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Secret, "userDefault"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Secret).size(), 1u) << X.dump();
  for (const auto &F : X.Findings)
    EXPECT_THAT(F.Message, Not(HasSubstr("5c81f0e9a4d27b3366e1d0c9f7a2b48e")));
}

TEST(EnvReaders, APlaintextUrlDefaultToARemoteHostIsPlaintext) {
  Secured X({{"env.cpp", EnvReaderDef}, {"client.cpp", EnvReaderUse}});
  const auto *P = X.at(Plain, "httpDefault");
  ASSERT_NE(P, nullptr) << X.dump();
  EXPECT_EQ(P->Loc.Column, columnOf(EnvReaderUse, "httpDefault", "http://api.sms"));
  EXPECT_THAT(P->Message, HasSubstr("default of SMS_FALLBACK_URL is http://api.sms.example.net"));
  EXPECT_EQ(X.at(Plain, "localDefault"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "notReader"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 1u) << X.dump();
}

} // namespace

// ------------------------------------------------------------------ endpoints from env defaults
// A client whose endpoint is a member set from an env reader: the reader's
// literal default decides the transport when the variable is unset, and the
// finding sits at that literal. TLS schemes, local hosts and a STARTTLS
// requirement on the handle stay silent.
const std::string EnvEndpointUse = R"cpp(
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <string>
namespace app {
std::string env_or(const char *name, const std::string &fallback);
}
class Cache {
public:
  Cache() : host_(app::env_or("CACHE_HOST", "cache.prod.example.com")) {} /*@cacheDefault*/
  void ping() { redisConnect(host_.c_str(), 6379); } /*@cacheConnect*/
private:
  std::string host_;
};
class LocalCache {
public:
  LocalCache() : host_(app::env_or("SIDECAR_HOST", "127.0.0.1")) {}
  void ping() { redisConnect(host_.c_str(), 6379); }
private:
  std::string host_;
};
class Mailer {
public:
  Mailer() : relay_(app::env_or("SMTP_RELAY_URL", "smtp://relay.example.com:587")) {} /*@smtpDefault*/
  void send() {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, relay_.c_str());
    curl_easy_perform(h); /*@smtpSend*/
  }
private:
  std::string relay_;
};
class StrictMailer {
public:
  StrictMailer() : relay_(app::env_or("STRICT_RELAY_URL", "smtp://relay.example.com:587")) {} /*@strictDefault*/
  void send() {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, relay_.c_str());
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    curl_easy_perform(h);
  }
private:
  std::string relay_;
};
)cpp";

TEST(EnvEndpoints, AnEnvDefaultReachingAClientIsJudgedAtTheDefaultLiteral) {
  Secured X({{"env.cpp", EnvReaderDef}, {"clients.cpp", EnvEndpointUse}});
  const auto *Cache = X.at(Plain, "cacheDefault");
  ASSERT_NE(Cache, nullptr) << X.dump();
  EXPECT_EQ(Cache->Loc.Column, columnOf(EnvEndpointUse, "cacheDefault", "cache.prod"));
  EXPECT_THAT(Cache->Message, HasSubstr("cache.prod.example.com over unencrypted redis"));
  EXPECT_THAT(Cache->Message, HasSubstr("the default of CACHE_HOST"));
  EXPECT_EQ(Cache->Severity, "medium"); // the environment may override it
  const auto *Mail = X.at(Plain, "smtpDefault");
  ASSERT_NE(Mail, nullptr) << X.dump();
  EXPECT_THAT(Mail->Message, HasSubstr("relay.example.com over unencrypted smtp"));
  // Not at the calls, and not for the STARTTLS-required relay or the local cache.
  EXPECT_EQ(X.at(Plain, "cacheConnect"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "smtpSend"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "strictDefault"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 2u) << X.dump();
}
