// RPC and messaging client libraries on their real Debian headers: gRPC (a stub
// generated at test build time from test/inputs/grpc/greeter.proto), librdkafka
// C and C++, ZeroMQ C and cppzmq. One snippet, parsed once, per library.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

template <const char *const *Code, const char *Name> class Fixture : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{
        {Name, *Code, {"-I" IM_GRPC_GEN}}});
  }
  static void TearDownTestSuite() {
    delete S;
    S = nullptr;
  }
  static test::Snippets *S;
};
template <const char *const *Code, const char *Name>
test::Snippets *Fixture<Code, Name>::S = nullptr;

// ------------------------------------------------------------------- gRPC
const char *const GrpcCode = R"cpp(
#include <grpcpp/grpcpp.h>
#include "greeter.grpc.pb.h"
#include <chrono>
#include <memory>

std::string withDeadline(demo::Greeter::Stub &stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3)); /*@deadline*/
  demo::HelloRequest req;
  demo::HelloReply reply;
  grpc::Status st = stub.SayHello(&context, req, &reply); /*@call*/
  return reply.message();
}

void withoutDeadline() {
  auto channel = grpc::CreateChannel("greeter.internal:50051", grpc::InsecureChannelCredentials());
  std::unique_ptr<demo::Greeter::Stub> stub = demo::Greeter::NewStub(channel);
  grpc::ClientContext ctx;
  demo::HelloRequest req;
  demo::HelloReply reply;
  stub->SayHello(&ctx, req, &reply); /*@bare*/
}

void withRetryPolicy() {
  grpc::ChannelArguments args;
  /*@serviceConfig*/ args.SetServiceConfigJSON(R"({"methodConfig": [{"name": [{"service": "demo.Greeter"}],
    "retryPolicy": {"maxAttempts": 4, "initialBackoff": "0.1s", "maxBackoff": "1s",
                    "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}}]})");
  auto channel = grpc::CreateCustomChannel("ledger.internal:50051", grpc::InsecureChannelCredentials(), args);
  auto stub = demo::Greeter::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  demo::HelloRequest req;
  demo::HelloReply reply;
  stub->SayHello(&ctx, req, &reply); /*@retried*/
}

void deadlineOnOtherContext(demo::Greeter::Stub &stub) {
  grpc::ClientContext a, b;
  a.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  demo::HelloRequest req;
  demo::HelloReply reply;
  stub.SayHello(&b, req, &reply);
}

namespace local {
struct Context {};
struct Stub { int SayHello(Context *, int) { return 0; } };
}
void lookAlike() {
  local::Stub s;
  local::Context c;
  s.SayHello(&c, 1);
}
)cpp";
constexpr char GrpcName[] = "grpc_client.cpp";
using Grpc = Fixture<&GrpcCode, GrpcName>;

TEST_F(Grpc, DeadlineOnTheContextBoundsTheStubCall) {
  const auto &C = S->callIn("withDeadline");
  EXPECT_EQ(C.Library, "grpc");
  EXPECT_EQ(C.Kind, "rpc");
  EXPECT_EQ(C.Operation, "demo::Greeter::Stub::SayHello");
  EXPECT_EQ(C.Loc.Line, S->line("call"));
  EXPECT_EQ(C.Handle, "context");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 3);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("deadline")));
}

TEST_F(Grpc, NoDeadlineWaitsForever) {
  const auto &C = S->callIn("withoutDeadline");
  EXPECT_EQ(C.Loc.Line, S->line("bare"));
  EXPECT_EQ(C.Handle, "ctx");
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("gRPC sets no deadline by default"));
}

TEST_F(Grpc, ChannelTargetReachesTheCallThroughTheStub) {
  const auto &C = S->callIn("withoutDeadline");
  EXPECT_EQ(C.Endpoint, "greeter.internal:50051") << S->dump();
  EXPECT_EQ(C.Retry.Status, "absent");
}

TEST_F(Grpc, ServiceConfigRetryPolicyOnTheChannelArgumentsIsTheCallsRetry) {
  const auto &C = S->callIn("withRetryPolicy");
  EXPECT_EQ(C.Loc.Line, S->line("retried"));
  EXPECT_EQ(C.Endpoint, "ledger.internal:50051");
  EXPECT_EQ(C.Retry.Status, "present") << S->dump();
  EXPECT_EQ(C.Retry.Kind, "library retry policy");
  ASSERT_TRUE(C.Retry.MaxAttempts);
  EXPECT_EQ(*C.Retry.MaxAttempts, 4);
  ASSERT_TRUE(C.Retry.Backoff);
  EXPECT_TRUE(*C.Retry.Backoff);
  EXPECT_TRUE(S->hasEvidenceAt(C.Retry, S->line("serviceConfig"))) << S->dump();
  EXPECT_EQ(C.Timeout.Status, "present");
}

TEST_F(Grpc, DeadlineOnAnotherContextDoesNotCount) {
  const auto &C = S->callIn("deadlineOnOtherContext");
  EXPECT_EQ(C.Handle, "b");
  EXPECT_EQ(C.Timeout.Status, "absent");
}

TEST_F(Grpc, StubLookAlikeWithoutClientContextDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// --------------------------------------------------------- librdkafka (C)
const char *const KafkaCode = R"cpp(
#include <librdkafka/rdkafka.h>

void produceWithTimeout(const char *payload, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", "kafka.internal:9092", err, sizeof err);
  rd_kafka_conf_set(conf, "message.timeout.ms", "5000", err, sizeof err); /*@msgTimeout*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_VALUE((void *)payload, n), RD_KAFKA_V_END); /*@producev*/
}

void produceWithDefaults(const char *payload, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "events", nullptr);
  rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, (void *)payload, n, nullptr, 0, nullptr); /*@produce*/
}

void produceNever(const char *payload, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "message.timeout.ms", "0", err, sizeof err); /*@never*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("audit"), RD_KAFKA_V_VALUE((void *)payload, n), RD_KAFKA_V_END);
}

namespace mock { int rd_kafka_produce(void *, int) { return 0; } }
void lookAlike() { mock::rd_kafka_produce(nullptr, 1); }
)cpp";
constexpr char KafkaName[] = "kafka.cpp";
using Kafka = Fixture<&KafkaCode, KafkaName>;

TEST_F(Kafka, StringKeyedMessageTimeoutReachesTheProducerThroughItsConf) {
  const auto &C = S->callIn("produceWithTimeout");
  EXPECT_EQ(C.Library, "librdkafka");
  EXPECT_EQ(C.Kind, "queue");
  EXPECT_EQ(C.Operation, "rd_kafka_producev");
  EXPECT_EQ(C.Handle, "rk");
  EXPECT_EQ(C.Endpoint, "kafka.internal:9092");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("msgTimeout")));
}

TEST_F(Kafka, UnsetIsTheFiniteDefault) {
  const auto &C = S->callIn("produceWithDefaults");
  EXPECT_EQ(C.Operation, "rd_kafka_produce");
  EXPECT_EQ(C.Handle, "rkt");
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 300);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("message.timeout.ms defaults to 300000"));
}

TEST_F(Kafka, ZeroMessageTimeoutMeansNever) {
  const auto &C = S->callIn("produceNever");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("never")));
}

TEST_F(Kafka, LookAlikeDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// ------------------------------------------------------ ZeroMQ and cppzmq
const char *const ZmqCode = R"cpp(
#include <zmq.h>
#include <zmq.hpp>

void cRequest(void *ctx) {
  void *sock = zmq_socket(ctx, ZMQ_REQ);
  int timeout = 500;
  zmq_setsockopt(sock, ZMQ_RCVTIMEO, &timeout, sizeof timeout); /*@rcvtimeo*/
  zmq_connect(sock, "tcp://quotes.internal:5555");
  char buf[64];
  zmq_recv(sock, buf, sizeof buf, 0); /*@recv*/
}

void cSendWithoutTimeout(void *ctx) {
  void *sock = zmq_socket(ctx, ZMQ_PUSH);
  int timeout = 500;
  zmq_setsockopt(sock, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  zmq_send(sock, "x", 1, 0); /*@send*/
}

void cppRequest(zmq::context_t &ctx) {
  zmq::socket_t sock(ctx, zmq::socket_type::req);
  sock.set(zmq::sockopt::rcvtimeo, 250); /*@cppOpt*/
  sock.connect("tcp://pricing.internal:6000");
  zmq::message_t reply;
  auto r = sock.recv(reply, zmq::recv_flags::none); /*@cppRecv*/
}

namespace fake { int zmq_recv(void *, void *, int, int) { return 0; } }
void lookAlike() { char b[4]; fake::zmq_recv(nullptr, b, 4, 0); }
)cpp";
constexpr char ZmqName[] = "zmq.cpp";
using Zmq = Fixture<&ZmqCode, ZmqName>;

TEST_F(Zmq, ReceiveTimeoutPassedByAddress) {
  const auto &C = S->callIn("cRequest");
  EXPECT_EQ(C.Library, "zeromq");
  EXPECT_EQ(C.Operation, "zmq_recv");
  EXPECT_EQ(C.Handle, "sock");
  EXPECT_EQ(C.Endpoint, "tcp://quotes.internal:5555");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0.5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("rcvtimeo")));
}

TEST_F(Zmq, ReceiveTimeoutDoesNotBoundASend) {
  const auto &C = S->callIn("cSendWithoutTimeout");
  EXPECT_EQ(C.Operation, "zmq_send");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("waits forever"));
}

TEST_F(Zmq, CppzmqSockoptObject) {
  const auto &C = S->callIn("cppRequest");
  EXPECT_EQ(C.Operation, "zmq::detail::socket_base::recv");
  EXPECT_EQ(C.Loc.Line, S->line("cppRecv"));
  EXPECT_EQ(C.Endpoint, "tcp://pricing.internal:6000");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("cppOpt")));
}

TEST_F(Zmq, LookAlikeDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// ------------------------------------- redis-plus-plus (mirror header)
const char *const RedisCode = R"cpp(
#include <sw/redis++/redis++.h>
#include <chrono>

void withSocketTimeout() {
  sw::redis::ConnectionOptions opts;
  opts.host = "cache.internal";
  opts.socket_timeout = std::chrono::milliseconds(200); /*@socket*/
  sw::redis::Redis redis(opts);
  redis.get("session:42"); /*@get*/
}

void withoutTimeout() {
  sw::redis::ConnectionOptions opts;
  opts.host = "cache.internal";
  sw::redis::Redis redis(opts);
  redis.set("k", "v");
}

namespace other { struct Options { int socket_timeout; }; struct Redis { int get(const char *) { return 0; } }; }
void lookAlike() {
  other::Options o;
  o.socket_timeout = 5;
  other::Redis r;
  r.get("x");
}
)cpp";
constexpr char RedisName[] = "redis.cpp";
using RedisPlusPlus = Fixture<&RedisCode, RedisName>;

TEST_F(RedisPlusPlus, SocketTimeoutAssignedOnTheOptionsTheClientIsBuiltFrom) {
  const auto &C = S->callIn("withSocketTimeout");
  EXPECT_EQ(C.Library, "redis-plus-plus");
  EXPECT_EQ(C.Kind, "cache");
  EXPECT_EQ(C.Handle, "redis");
  EXPECT_EQ(C.Endpoint, "cache.internal");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0.2);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("socket")));
}

TEST_F(RedisPlusPlus, NoTimeoutWaitsForever) {
  const auto &C = S->callIn("withoutTimeout");
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("which means no timeout"));
}

TEST_F(RedisPlusPlus, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  for (const auto &St : S->M.Settings)
    EXPECT_NE(St.FunctionKey, "lookAlike()");
}

} // namespace
