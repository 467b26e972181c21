// Messaging and cloud clients: the librdkafka C++ API and Paho MQTT C++ on
// their real Debian headers, aws-sdk-cpp on the
// hand-written mirror under test/inputs/mirror/aws (Debian does not package it).
// One snippet, parsed once, per library.
#include "Snippet.h"

#include "analysis/Security.h"

#include <gmock/gmock.h>

#include <filesystem>

using namespace im;
using testing::HasSubstr;

namespace {

template <const char *const *Code, const char *Name> class Fixture : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{{Name, *Code}});
    analysis::assessSecurity(S->M, S->M.CallSites, test::builtinCatalog(),
                             std::filesystem::current_path().string(), *Findings);
  }
  static void TearDownTestSuite() {
    delete S;
    S = nullptr;
    Findings->clear();
  }
  static const model::CallSite *at(const std::string &Marker) {
    const model::CallSite *C = S->callAt(S->line(Marker));
    EXPECT_NE(C, nullptr) << "no call site at /*@" << Marker << "*/\n" << S->dump();
    return C;
  }
  static std::vector<const model::Finding *> findings(const std::string &Rule) {
    std::vector<const model::Finding *> Out;
    for (const auto &F : *Findings)
      if (F.Rule == Rule)
        Out.push_back(&F);
    return Out;
  }
  static test::Snippets *S;
  static std::vector<model::Finding> *Findings;
};
template <const char *const *Code, const char *Name>
test::Snippets *Fixture<Code, Name>::S = nullptr;
template <const char *const *Code, const char *Name>
std::vector<model::Finding> *Fixture<Code, Name>::Findings = new std::vector<model::Finding>();

const char *Tls = "integration-tls-verification-disabled";
const char *Secret = "integration-hardcoded-secret";

// ----------------------------------------------------------- librdkafka C++
const char *const KafkaCppCode = R"cpp(
#include <librdkafka/rdkafkacpp.h>
#include <string>

void produceWithTimeout(const std::string &payload) {
  std::string errstr;
  RdKafka::Conf *conf = RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL);
  conf->set("bootstrap.servers", "kafka.internal:9092", errstr);
  conf->set("message.timeout.ms", "5000", errstr); /*@msgTimeout*/
  RdKafka::Producer *producer = RdKafka::Producer::create(conf, errstr);
  producer->produce("orders", RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, /*@produce*/
                    const_cast<char *>(payload.data()), payload.size(), nullptr, 0, 0, nullptr);
}

void produceWithDefaults(RdKafka::Topic *topic, std::string &payload) {
  std::string errstr;
  RdKafka::Conf *conf = RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL);
  conf->set("security.protocol", "SASL_SSL", errstr);
  conf->set("sasl.password", "kafka-secret-value", errstr); /*@sasl*/
  RdKafka::Producer *producer = RdKafka::Producer::create(conf, errstr);
  producer->produce(topic, 0, RdKafka::Producer::RK_MSG_COPY, payload.data(), payload.size(), /*@defaults*/
                    nullptr, nullptr);
}

void produceNever(const std::string &payload) {
  std::string errstr;
  RdKafka::Conf *conf = RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL);
  conf->set("message.timeout.ms", "0", errstr); /*@never*/
  RdKafka::Producer *producer = RdKafka::Producer::create(conf, errstr);
  producer->produce("audit", 0, 0, const_cast<char *>(payload.data()), payload.size(), /*@neverProduce*/
                    nullptr, 0, 0, nullptr);
}

void produceWithTopicConf(const std::string &payload) {
  std::string errstr;
  RdKafka::Conf *tconf = RdKafka::Conf::create(RdKafka::Conf::CONF_TOPIC);
  tconf->set("message.timeout.ms", "7000", errstr); /*@topicTimeout*/
  RdKafka::Conf *conf = RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL);
  conf->set("default_topic_conf", tconf, errstr);
  RdKafka::Producer *producer = RdKafka::Producer::create(conf, errstr);
  producer->produce("t", 0, 0, const_cast<char *>(payload.data()), payload.size(), nullptr, 0, 0, nullptr);
}

void flushBounded(RdKafka::Producer *producer) {
  producer->flush(10 * 1000); /*@flush*/
}

void flushForever(RdKafka::Producer *producer) {
  producer->flush(-1); /*@flushForever*/
}

void consume(RdKafka::Conf *conf) {
  std::string errstr;
  RdKafka::KafkaConsumer *consumer = RdKafka::KafkaConsumer::create(conf, errstr);
  RdKafka::Message *msg = consumer->consume(250); /*@consume*/
  delete msg;
}

namespace fake {
struct Producer { int produce(const char *, int) { return 0; } int flush(int) { return 0; } };
struct Conf { int set(const std::string &, const std::string &, std::string &) { return 0; } };
}
void lookAlike() {
  fake::Conf c;
  std::string e;
  c.set("message.timeout.ms", "10", e);
  fake::Producer p;
  p.produce("orders", 1);
  p.flush(5);
}
)cpp";
constexpr char KafkaCppName[] = "kafka_cpp.cpp";
using KafkaCpp = Fixture<&KafkaCppCode, KafkaCppName>;

TEST_F(KafkaCpp, StringKeyedConfSetReachesTheProducerThroughCreate) {
  const auto &C = S->callIn("produceWithTimeout");
  EXPECT_EQ(C.Library, "librdkafka");
  EXPECT_EQ(C.Kind, "queue");
  EXPECT_EQ(C.Operation, "RdKafka::Producer::produce");
  EXPECT_EQ(C.Loc.Line, S->line("produce"));
  EXPECT_EQ(C.Handle, "producer");
  EXPECT_EQ(C.Endpoint, "kafka.internal:9092");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("msgTimeout"))) << S->dump();
}

TEST_F(KafkaCpp, UnsetIsTheFiniteDefaultOnEveryProduceOverload) {
  const auto &C = S->callIn("produceWithDefaults");
  EXPECT_EQ(C.Operation, "RdKafka::Producer::produce");
  EXPECT_EQ(C.Loc.Line, S->line("defaults"));
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 300);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("message.timeout.ms defaults to 300000"));
  EXPECT_EQ(C.Endpoint, "");
}

TEST_F(KafkaCpp, ZeroMessageTimeoutMeansNever) {
  const auto &C = S->callIn("produceNever");
  EXPECT_EQ(C.Loc.Line, S->line("neverProduce"));
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("never")));
}

TEST_F(KafkaCpp, DefaultTopicConfReachesTheProducer) {
  const auto &C = S->callIn("produceWithTopicConf");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 7);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("topicTimeout")));
}

TEST_F(KafkaCpp, FlushIsBoundedByItsOwnArgument) {
  const auto &C = S->callIn("flushBounded");
  EXPECT_EQ(C.Operation, "RdKafka::Producer::flush");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 10);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("flush")));
  const auto &F = S->callIn("flushForever");
  EXPECT_EQ(F.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(F.Timeout.Unbounded);
  EXPECT_TRUE(S->hasEvidenceAt(F.Timeout, S->line("flushForever")));
}

TEST_F(KafkaCpp, ConsumeIsBoundedByItsOwnArgument) {
  const auto &C = S->callIn("consume");
  EXPECT_EQ(C.Operation, "RdKafka::KafkaConsumer::consume");
  EXPECT_EQ(C.Loc.Line, S->line("consume"));
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0.25);
}

TEST_F(KafkaCpp, SaslPasswordLiteralIsAHardcodedSecretNeverPrinted) {
  bool Found = false;
  for (const auto *F : findings(Secret))
    if (F->Loc.Line == S->line("sasl")) {
      Found = true;
      EXPECT_THAT(F->Message, testing::Not(HasSubstr("kafka-secret-value")));
    }
  EXPECT_TRUE(Found);
  for (const auto &St : S->M.Settings)
    EXPECT_THAT(St.Val.Text + St.Val.Str, testing::Not(HasSubstr("kafka-secret-value")));
}

TEST_F(KafkaCpp, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  for (const auto &St : S->M.Settings)
    EXPECT_NE(St.FunctionKey, "lookAlike()");
}

// ------------------------------------------------------------ Paho MQTT C++
const char *const PahoCode = R"cpp(
#include <mqtt/async_client.h>
#include <mqtt/client.h>
#include <chrono>
#include <string>

void publishWaitFor(const std::string &payload) {
  mqtt::async_client cli("tcp://broker.internal:1883", "svc-1");
  mqtt::connect_options opts;
  opts.set_connect_timeout(std::chrono::seconds(5)); /*@connTimeout*/
  cli.connect(opts)->wait(); /*@connect*/
  auto tok = cli.publish("telemetry", payload.data(), payload.size());
  tok->wait_for(std::chrono::milliseconds(1500)); /*@waitFor*/
}

void reassignedToken(mqtt::async_client &cli) {
  mqtt::delivery_token_ptr tok = cli.publish("a", "1", 1);
  tok->wait_for(std::chrono::seconds(10));
  tok = cli.publish("b", "2", 1); /*@reassigned*/
  tok->wait();
}

void publishWaitForever(mqtt::async_client &cli, const std::string &payload) {
  cli.publish("telemetry", payload.data(), payload.size())->wait(); /*@forever*/
}

void subscribeChainedWaitFor(mqtt::async_client &cli) {
  cli.subscribe("commands/#", 1)->wait_for(2000); /*@subscribe*/
}

void connectWithDefaults() {
  mqtt::async_client cli("ssl://broker.example.com:8883", "svc-2");
  mqtt::ssl_options ssl;
  ssl.set_enable_server_cert_auth(false); /*@certOff*/
  mqtt::connect_options opts;
  opts.set_ssl(ssl);
  opts.set_user_name("svc");
  opts.set_password("mqtt-secret-value"); /*@password*/
  cli.connect(opts); /*@connectDefault*/
}

void connectWithBuilder() {
  mqtt::async_client cli("ssl://broker.example.com:8883", "svc-3");
  auto opts = mqtt::connect_options_builder()
                  .connect_timeout(std::chrono::seconds(8)) /*@builderTimeout*/
                  .finalize();
  cli.connect(opts); /*@connectBuilder*/
}

void syncDefaults() {
  mqtt::client cli("tcp://sync.internal:1883", "sync-1");
  cli.connect(); /*@syncConnect*/
}

void syncWithTimeout() {
  mqtt::client cli("tcp://sync.internal:1883", "sync-2");
  cli.set_timeout(2500); /*@syncTimeout*/
  cli.subscribe("alerts"); /*@syncSubscribe*/
}

namespace other {
struct token { bool wait_for(long) { return true; } };
struct async_client { token *publish(const char *) { return nullptr; } };
}
void lookAlike() {
  other::async_client c;
  c.publish("x")->wait_for(5);
}
)cpp";
constexpr char PahoName[] = "paho.cpp";
using Paho = Fixture<&PahoCode, PahoName>;

// paho.mqtt.cpp's async_publish sample: a token variable reused for the next publish
// keeps no bound from the wait_for on the previous token.
TEST_F(Paho, AWaitForOnAReassignedTokenDoesNotBoundTheNextPublish) {
  const model::CallSite *C = S->callAt(S->line("reassigned"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C->Timeout.Unbounded);
}

TEST_F(Paho, TokenWaitForBoundsThePublish) {
  const model::CallSite *C = nullptr;
  for (const auto &X : S->M.CallSites)
    if (X.Function == "publishWaitFor" && X.Operation == "mqtt::async_client::publish")
      C = &X;
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Library, "paho-mqtt");
  EXPECT_EQ(C->Kind, "queue");
  EXPECT_EQ(C->Handle, "tok");
  EXPECT_EQ(C->Endpoint, "tcp://broker.internal:1883");
  EXPECT_EQ(C->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C->Timeout.Seconds, 1.5);
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("waitFor")));
  // The connect timeout bounds connecting, not the publish.
  EXPECT_FALSE(S->hasEvidenceAt(C->Timeout, S->line("connTimeout")));
}

TEST_F(Paho, ConnectTimeoutOnTheOptionsBoundsTheConnect) {
  const auto *C = at("connect");
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Operation, "mqtt::async_client::connect");
  EXPECT_EQ(C->Endpoint, "tcp://broker.internal:1883");
  EXPECT_EQ(C->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C->Timeout.Seconds, 5);
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("connTimeout")));
}

TEST_F(Paho, BuilderConnectTimeoutReachesTheConnect) {
  const auto *C = at("connectBuilder");
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C->Timeout.Seconds, 8);
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("builderTimeout")));
}

TEST_F(Paho, UnsetConnectTimeoutIsThe30SecondDefault) {
  const auto *C = at("connectDefault");
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Endpoint, "ssl://broker.example.com:8883");
  EXPECT_EQ(C->Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C->Timeout.Seconds, 30);
  EXPECT_THAT(C->Timeout.Reason, HasSubstr("connect timeout defaults to 30 s"));
}

TEST_F(Paho, TokenWaitWithoutTimeoutWaitsForever) {
  const auto *C = at("forever");
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Operation, "mqtt::async_client::publish");
  EXPECT_EQ(C->Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C->Timeout.Unbounded);
  EXPECT_THAT(C->Timeout.Reason, HasSubstr("wait() and get_*_response() wait for it forever"));
}

TEST_F(Paho, ChainedWaitForInMillisecondsBoundsTheSubscribe) {
  const auto *C = at("subscribe");
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Operation, "mqtt::async_client::subscribe");
  EXPECT_EQ(C->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C->Timeout.Seconds, 2);
}

TEST_F(Paho, SynchronousClientDefaultsTo30Seconds) {
  const auto &C = S->callIn("syncDefaults");
  EXPECT_EQ(C.Operation, "mqtt::client::connect");
  EXPECT_EQ(C.Endpoint, "tcp://sync.internal:1883");
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 30);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("DFLT_TIMEOUT = 30 s"));
}

TEST_F(Paho, SynchronousClientSetTimeout) {
  const auto &C = S->callIn("syncWithTimeout");
  EXPECT_EQ(C.Operation, "mqtt::client::subscribe");
  EXPECT_EQ(C.Loc.Line, S->line("syncSubscribe"));
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 2.5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("syncTimeout")));
}

TEST_F(Paho, ServerCertAuthOffAndPasswordLiteral) {
  const auto *C = at("connectDefault");
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Security.TlsVerification, "disabled");
  bool Tls = false, Pw = false;
  for (const auto *F : findings(::Tls))
    Tls |= F->Loc.Line == S->line("certOff");
  for (const auto *F : findings(Secret)) {
    Pw |= F->Loc.Line == S->line("password");
    EXPECT_THAT(F->Message, testing::Not(HasSubstr("mqtt-secret-value")));
  }
  EXPECT_TRUE(Tls);
  EXPECT_TRUE(Pw);
}

TEST_F(Paho, LookAlikeDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  for (const auto &St : S->M.Settings)
    EXPECT_NE(St.FunctionKey, "lookAlike()");
}

// ------------------------------------------------- aws-sdk-cpp (mirror header)
const char *const AwsCode = R"cpp(
#include <aws/core/auth/AWSCredentials.h>
#include <aws/core/client/ClientConfiguration.h>
#include <aws/dynamodb/DynamoDBClient.h>
#include <aws/s3/S3Client.h>
#include <aws/sqs/SQSClient.h>

void s3WithTimeouts() {
  Aws::Client::ClientConfiguration cfg;
  cfg.endpointOverride = "https://minio.internal:9000";
  cfg.requestTimeoutMs = 2000; /*@requestTimeout*/
  cfg.connectTimeoutMs = 500; /*@connectTimeout*/
  Aws::S3::S3Client s3(cfg);
  Aws::S3::Model::GetObjectRequest req;
  s3.GetObject(req.WithBucket("invoices").WithKey("2024/01.pdf")); /*@getObject*/
}

void dynamoDefaults() {
  Aws::Client::ClientConfiguration cfg;
  Aws::DynamoDB::DynamoDBClient ddb(cfg);
  Aws::DynamoDB::Model::GetItemRequest req;
  ddb.GetItem(req); /*@getItem*/
}

void connectOnly() {
  Aws::Client::ClientConfiguration cfg;
  cfg.connectTimeoutMs = 250; /*@connectOnly*/
  Aws::DynamoDB::DynamoDBClient ddb(cfg);
  Aws::DynamoDB::Model::GetItemRequest req;
  ddb.GetItem(req);
}

void requestTimeoutZero() {
  Aws::Client::ClientConfiguration cfg;
  cfg.requestTimeoutMs = 0; /*@zero*/
  Aws::SQS::SQSClient sqs(cfg);
  Aws::SQS::Model::SendMessageRequest req;
  sqs.SendMessage(req); /*@send*/
}

void insecure() {
  Aws::Client::ClientConfiguration cfg;
  cfg.verifySSL = false; /*@verifyOff*/
  cfg.scheme = Aws::Http::Scheme::HTTP; /*@plainScheme*/
  cfg.endpointOverride = "http://s3.storage.example.com";
  Aws::Auth::AWSCredentials creds("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"); /*@creds*/
  Aws::S3::S3Client s3(creds, cfg);
  Aws::S3::Model::PutObjectRequest req;
  s3.PutObject(req.WithBucket("b").WithKey("k")); /*@putObject*/
}

namespace mock {
struct ClientConfiguration { long requestTimeoutMs = 0; };
struct S3Client { int GetObject(int) const { return 0; } };
}
void lookAlike() {
  mock::ClientConfiguration c;
  c.requestTimeoutMs = 10;
  mock::S3Client s;
  s.GetObject(1);
}
)cpp";
constexpr char AwsName[] = "aws.cpp";
using Aws = Fixture<&AwsCode, AwsName>;

TEST_F(Aws, RequestAndConnectTimeoutsOnTheConfigurationTheClientIsBuiltFrom) {
  const auto &C = S->callIn("s3WithTimeouts");
  EXPECT_EQ(C.Library, "aws-sdk-cpp");
  EXPECT_EQ(C.Kind, "cloud");
  EXPECT_EQ(C.Operation, "Aws::S3::S3Client::GetObject");
  EXPECT_EQ(C.Loc.Line, S->line("getObject"));
  EXPECT_EQ(C.Handle, "s3");
  EXPECT_EQ(C.Endpoint, "https://minio.internal:9000");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 2.5); // read stall 2 s + connect 0.5 s
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("requestTimeout")));
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("connectTimeout")));
}

TEST_F(Aws, UnsetIsTheSdkDefaultAndTheDefaultRetryStrategy) {
  const auto &C = S->callIn("dynamoDefaults");
  EXPECT_EQ(C.Operation, "Aws::DynamoDB::DynamoDBClient::GetItem");
  EXPECT_EQ(C.Handle, "ddb");
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 3);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("requestTimeoutMs = 3000"));
  EXPECT_EQ(C.Retry.Status, "default");
  ASSERT_TRUE(C.Retry.MaxAttempts);
  EXPECT_EQ(*C.Retry.MaxAttempts, 11);
  ASSERT_TRUE(C.Retry.Backoff);
  EXPECT_TRUE(*C.Retry.Backoff);
  EXPECT_THAT(C.Retry.Reason, HasSubstr("DefaultRetryStrategy"));
}

TEST_F(Aws, ConnectTimeoutAloneKeepsTheRequestDefault) {
  const auto &C = S->callIn("connectOnly");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  EXPECT_FALSE(C.Timeout.Unbounded);
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 3.25); // connect 0.25 s + the 3 s request default
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("connectOnly")));
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("the connect phase is bounded (250 ms); the rest keeps AWS SDK for C++'s default: ClientConfiguration() sets requestTimeoutMs = 3000"));
}

TEST_F(Aws, ZeroRequestTimeoutDisablesIt) {
  const auto &C = S->callIn("requestTimeoutZero");
  EXPECT_EQ(C.Operation, "Aws::SQS::SQSClient::SendMessage");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("zero")));
}

TEST_F(Aws, VerifySslOffHardcodedKeysAndPlainHttp) {
  const auto &C = S->callIn("insecure");
  EXPECT_EQ(C.Operation, "Aws::S3::S3Client::PutObject");
  EXPECT_EQ(C.Endpoint, "http://s3.storage.example.com");
  EXPECT_EQ(C.Security.TlsVerification, "disabled");
  EXPECT_EQ(C.Security.Transport, "plaintext");
  bool Tls = false, Key = false;
  for (const auto *F : findings(::Tls))
    Tls |= F->Loc.Line == S->line("verifyOff");
  for (const auto *F : findings(Secret)) {
    Key |= F->Loc.Line == S->line("creds");
    EXPECT_THAT(F->Message, testing::Not(HasSubstr("wJalrXUtnFEMI")));
    EXPECT_THAT(F->Message, testing::Not(HasSubstr("IOSFODNN7")));
  }
  EXPECT_TRUE(Tls);
  EXPECT_TRUE(Key);
  EXPECT_EQ(findings("integration-plaintext-transport").size(), 1u);
}

TEST_F(Aws, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  for (const auto &St : S->M.Settings)
    EXPECT_NE(St.FunctionKey, "lookAlike()");
}

} // namespace
