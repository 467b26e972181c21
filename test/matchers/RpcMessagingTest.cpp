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

TEST_F(Grpc, DeadlineOnAnotherContextDoesNotCount) {
  const auto &C = S->callIn("deadlineOnOtherContext");
  EXPECT_EQ(C.Handle, "b");
  EXPECT_EQ(C.Timeout.Status, "absent");
}

TEST_F(Grpc, StubLookAlikeWithoutClientContextDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

} // namespace
