// How a call's handle is held (raw pointer, smart pointer, object), read from its
// declaration on the real headers: the mitigation plan writes `->`, `.` and
// `.get()` from it.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;

namespace {

const char *const Code = R"cpp(
#include <curl/curl.h>
#include <grpcpp/grpcpp.h>
#include "greeter.grpc.pb.h"
#include <memory>

void rawCurl() {
  CURL *h = curl_easy_init();
  curl_easy_perform(h);
}

void ownedCurl() {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), &curl_easy_cleanup);
  curl_easy_perform(h.get());
}

struct Fetcher {
  std::shared_ptr<CURL> curl_;
  void fetch() { curl_easy_perform(curl_.get()); }
};

void contextObject(demo::Greeter::Stub &stub) {
  grpc::ClientContext ctx;
  demo::HelloRequest req;
  demo::HelloReply reply;
  stub.SayHello(&ctx, req, &reply);
}

void contextOwned(demo::Greeter::Stub &stub) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  demo::HelloRequest req;
  demo::HelloReply reply;
  stub.SayHello(ctx.get(), req, &reply);
}

void contextParameter(demo::Greeter::Stub &stub, grpc::ClientContext *ctx) {
  demo::HelloRequest req;
  demo::HelloReply reply;
  stub.SayHello(ctx, req, &reply);
}
)cpp";

class HandleType : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets({{"handles.cpp", Code, {"-I" IM_GRPC_GEN}}});
  }
  static void TearDownTestSuite() {
    delete S;
    S = nullptr;
  }
  static test::Snippets *S;
};
test::Snippets *HandleType::S = nullptr;

TEST_F(HandleType, RawPointerSmartPointerAndMemberSmartPointer) {
  EXPECT_EQ(S->callIn("rawCurl").Handle, "h");
  EXPECT_EQ(S->callIn("rawCurl").HandleType, "pointer");
  EXPECT_EQ(S->callIn("ownedCurl").Handle, "h");
  EXPECT_EQ(S->callIn("ownedCurl").HandleType, "smart_pointer");
  EXPECT_EQ(S->callIn("Fetcher::fetch").Handle, "curl_");
  EXPECT_EQ(S->callIn("Fetcher::fetch").HandleType, "smart_pointer");
}

TEST_F(HandleType, GrpcContextAsObjectOwnedOrPointerParameter) {
  EXPECT_EQ(S->callIn("contextObject").Handle, "ctx");
  EXPECT_EQ(S->callIn("contextObject").HandleType, "object") << "`&ctx` passes an object";
  EXPECT_EQ(S->callIn("contextOwned").HandleType, "smart_pointer");
  EXPECT_EQ(S->callIn("contextParameter").HandleType, "pointer");
}

} // namespace
