// HTTP client libraries on their real Debian headers (and mirror headers for
// the ones Debian does not package: test/inputs/mirror). One snippet, parsed
// once, per library.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

// ------------------------------------------------------------ cpp-httplib
const char *HttplibCode = R"cpp(
#define CPPHTTPLIB_OPENSSL_SUPPORT
#include <httplib.h>
#include <chrono>
#include <cstdlib>

void withTimeouts() {
  httplib::Client cli("http://inventory.internal:8080");
  cli.set_connection_timeout(2); /*@connect*/
  cli.set_read_timeout(std::chrono::milliseconds(1500)); /*@read*/
  auto res = cli.Get("/items"); /*@get*/
}

void defaultsOnly() {
  httplib::Client cli("https://api.partner.example");
  cli.Post("/orders", "{}", "application/json"); /*@post*/
}

void zeroRead() {
  httplib::Client cli("http://slow.internal");
  cli.set_read_timeout(0); /*@zeroRead*/
  cli.Get("/x");
}

void sslClient() {
  httplib::SSLClient cli("secure.example", 443);
  using namespace std::chrono_literals;
  cli.set_write_timeout(3s); /*@sslWrite*/
  cli.set_read_timeout(4s);
  cli.enable_server_certificate_verification(false); /*@noVerify*/
  cli.Put("/v", "{}", "application/json");
}

void fromEnv() {
  httplib::Client cli(std::getenv("BILLING_URL"));
  cli.Get("/health");
}

namespace fake {
struct Client {
  void set_read_timeout(int) {}
  int Get(const char *) { return 0; }
};
}
void lookAlike() {
  fake::Client c;
  c.set_read_timeout(1);
  c.Get("/not-http");
}
)cpp";

class Httplib : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{{"httplib.cpp", HttplibCode}});
  }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Httplib::S = nullptr;

TEST_F(Httplib, ExplicitTimeoutsWithChronoDuration) {
  const auto &C = S->callIn("withTimeouts");
  EXPECT_EQ(C.Library, "cpp-httplib");
  EXPECT_EQ(C.Kind, "http");
  EXPECT_EQ(C.Operation, "httplib::Client::Get");
  EXPECT_EQ(C.Loc.Line, S->line("get"));
  EXPECT_EQ(C.Handle, "cli");
  EXPECT_EQ(C.Endpoint, "http://inventory.internal:8080");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 3.5); // 1.5 s read + 2 s connect
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("read"))) << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("connect"))) << S->dump();
}

TEST_F(Httplib, UnsetTimeoutIsTheLibraryDefault) {
  const auto &C = S->callIn("defaultsOnly");
  EXPECT_EQ(C.Operation, "httplib::Client::Post");
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 300);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("cpp-httplib's default applies: connect 300 s"));
  EXPECT_EQ(C.Endpoint, "https://api.partner.example");
}

TEST_F(Httplib, ZeroReadTimeoutIsConstantZero) {
  const auto &C = S->callIn("zeroRead");
  // httplib's 0 s read timeout makes select() return at once: not "no timeout".
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("zeroRead"))) << S->dump();
}

TEST_F(Httplib, SslClientThroughClientImplWithChronoLiterals) {
  const auto &C = S->callIn("sslClient");
  EXPECT_EQ(C.Operation, "httplib::ClientImpl::Put");
  EXPECT_EQ(C.Endpoint, "secure.example");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 4);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("sslWrite")));
  bool Verify = false;
  for (const auto &St : S->M.Settings)
    if (St.Concern == "tls_verify" && St.Loc.Line == S->line("noVerify"))
      Verify = St.Val.K == model::Value::Kind::Int && St.Val.Int == 0;
  EXPECT_TRUE(Verify) << "enable_server_certificate_verification(false) recorded";
}

TEST_F(Httplib, EndpointFromEnvironment) {
  const auto &C = S->callIn("fromEnv");
  EXPECT_EQ(C.Endpoint, "");
  EXPECT_EQ(C.EndpointSource, "env:BILLING_URL");
}

TEST_F(Httplib, SameMethodNamesOnAnotherClassDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  for (const auto &St : S->M.Settings)
    EXPECT_NE(St.FunctionKey, "lookAlike()");
}

// ------------------------------------------------------------ Boost.Beast
const char *BeastCode = R"cpp(
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string withDeadline(net::io_context &ioc) {
  tcp::resolver resolver(ioc);
  auto const results = resolver.resolve("pricing.internal", "80");
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30)); /*@expires*/
  stream.connect(results);
  http::request<http::string_body> req{http::verb::get, "/prices", 11};
  http::write(stream, req); /*@write*/
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return res.body();
}

void withoutDeadline(net::io_context &ioc, const tcp::resolver::results_type &results) {
  beast::tcp_stream stream(ioc);
  stream.connect(results); /*@bareConnect*/
  http::request<http::string_body> req{http::verb::post, "/events", 11};
  http::write(stream, req); /*@bareWrite*/
}

void sslLowestLayer(net::io_context &ioc, net::ssl::context &ctx, const tcp::resolver::results_type &results) {
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(2500)); /*@lowest*/
  beast::get_lowest_layer(stream).connect(results);
  http::request<http::string_body> req{http::verb::get, "/", 11};
  http::async_write(stream, req, [](beast::error_code, std::size_t) {}); /*@sslWrite*/
}

// A server's session: its stream was built from an accepted socket, so what it
// reads and writes are requests and replies of its own clients.
class ServerSession {
  beast::tcp_stream stream_;
public:
  explicit ServerSession(tcp::socket &&s) : stream_(std::move(s)) {}
  void reply(http::response<http::string_body> &res) { http::write(stream_, res); /*@serverWrite*/ }
  void next(beast::flat_buffer &b, http::request<http::string_body> &req) {
    http::async_read(stream_, b, req, [](beast::error_code, std::size_t) {}); /*@serverRead*/
  }
};

namespace mock { struct Stream { void expires_after(int) {} }; template <class S, class R> void write(S &, R &) {} }
void lookAlike() {
  mock::Stream s;
  s.expires_after(1);
  int r = 0;
  mock::write(s, r);
}
)cpp";

class Beast : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{{"beast.cpp", BeastCode}});
  }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Beast::S = nullptr;

// basic_stream's expiry bounds asynchronous operations only: "Timeouts are not
// available when performing blocking calls" (boost/beast/core/basic_stream.hpp).
TEST_F(Beast, ExpiresAfterDoesNotBoundASynchronousWriteAndEndpointComesFromTheResolver) {
  const auto *C = S->callAt(S->line("write"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Library, "boost-beast");
  EXPECT_EQ(C->Operation, "boost::beast::http::write");
  EXPECT_EQ(C->Handle, "stream");
  EXPECT_EQ(C->Endpoint, "pricing.internal");
  EXPECT_EQ(C->Timeout.Status, "absent") << S->dump();
  EXPECT_THAT(C->Timeout.Reason, HasSubstr("bounds only asynchronous operations, and this call is synchronous"));
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("expires")));
}

TEST_F(Beast, NoExpiryWaitsForever) {
  for (const char *M : {"bareConnect", "bareWrite"}) {
    const auto *C = S->callAt(S->line(M));
    ASSERT_NE(C, nullptr) << M << "\n" << S->dump();
    EXPECT_EQ(C->Timeout.Status, "absent") << M;
    EXPECT_TRUE(C->Timeout.Unbounded);
    EXPECT_THAT(C->Timeout.Reason, HasSubstr("waits forever"));
  }
}

TEST_F(Beast, ExpiryOnTheLowestLayerOfAnSslStreamBoundsAnAsyncWrite) {
  const auto *C = S->callAt(S->line("sslWrite"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Operation, "boost::beast::http::async_write");
  EXPECT_EQ(C->Handle, "stream");
  EXPECT_EQ(C->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C->Timeout.Seconds, 2.5);
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("lowest")));
}

TEST_F(Beast, AServersSessionOnAnAcceptedSocketIsNoClient) {
  EXPECT_EQ(S->callAt(S->line("serverWrite")), nullptr) << S->dump();
  EXPECT_EQ(S->callAt(S->line("serverRead")), nullptr) << S->dump();
  // The same operations on a stream the code connects are call sites.
  EXPECT_NE(S->callAt(S->line("bareWrite")), nullptr);
  EXPECT_NE(S->callAt(S->line("sslWrite")), nullptr);
}

TEST_F(Beast, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// ------------------------------------------------- cpr (mirror header)
const char *CprCode = R"cpp(
#include <cpr/cpr.h>
#include <chrono>

void typedTimeout() {
  cpr::Response r = cpr::Get(cpr::Url{"https://rates.example.com/latest"},
                             cpr::Timeout{1500}); /*@timeoutArg*/
}

void chronoTimeout() {
  auto r = cpr::Post(cpr::Url{"https://hooks.example.com/in"}, cpr::Body{"{}"},
                     cpr::Timeout{std::chrono::seconds(4)});
}

void noTimeout() {
  auto r = cpr::Get(cpr::Url{"https://status.example.com"}); /*@bare*/
}

void timeoutOnAnotherRequest() {
  auto a = cpr::Get(cpr::Url{"https://a.example.com"}, cpr::Timeout{100});
  auto b = cpr::Get(cpr::Url{"https://b.example.com"}); /*@other*/
}

void session() {
  cpr::Session s;
  s.SetUrl(cpr::Url{"https://session.example.com"});
  s.SetTimeout(cpr::Timeout{2000}); /*@sessionTimeout*/
  s.Get();
}

namespace mine { template <class... T> int Get(T &&...) { return 0; } struct Timeout { Timeout(int) {} }; }
void lookAlike() { mine::Get(mine::Timeout{5}); }
)cpp";

class Cpr : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{{"cpr.cpp", CprCode}});
  }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Cpr::S = nullptr;

TEST_F(Cpr, TimeoutPassedAsATypedArgumentOfTheRequest) {
  const auto &C = S->callIn("typedTimeout");
  EXPECT_EQ(C.Library, "cpr");
  EXPECT_EQ(C.Operation, "cpr::Get");
  EXPECT_EQ(C.Endpoint, "https://rates.example.com/latest");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 1.5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("timeoutArg")));
}

TEST_F(Cpr, ChronoTimeoutArgument) {
  const auto &C = S->callIn("chronoTimeout");
  EXPECT_EQ(C.Operation, "cpr::Post");
  ASSERT_TRUE(C.Timeout.Seconds) << S->dump();
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 4);
}

TEST_F(Cpr, NoTimeoutWaitsForever) {
  const auto &C = S->callIn("noTimeout");
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("cpr sets no timeout by default"));
}

TEST_F(Cpr, TimeoutOfAnotherRequestDoesNotCount) {
  const auto *C = S->callAt(S->line("other"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Endpoint, "https://b.example.com");
  EXPECT_EQ(C->Timeout.Status, "absent");
}

TEST_F(Cpr, SessionSetters) {
  const auto &C = S->callIn("session");
  EXPECT_EQ(C.Operation, "cpr::Session::Get");
  EXPECT_EQ(C.Endpoint, "https://session.example.com");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("sessionTimeout")));
}

TEST_F(Cpr, LookAlikeInAnotherNamespaceDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

} // namespace
