// Hand-written protocol clients over Boost.Asio sockets (libboost-dev's real
// headers): a socket the code connects is a network client, reported with its
// endpoint; a socket it accepted is a server's and is not.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

const char *const Code = R"cpp(
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <string>
using boost::asio::ip::tcp;

// A hand-written HTTP/1.1 client.
std::string fetchStatus(boost::asio::io_context &io) {
  tcp::resolver resolver(io);
  tcp::socket socket(io);
  boost::asio::connect(socket, resolver.resolve("status.partner.example", "80")); /*@connect*/
  std::string req = "GET /status HTTP/1.1\r\nHost: status.partner.example\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(req)); /*@write*/
  boost::asio::streambuf buf;
  boost::asio::read_until(socket, buf, "\r\n"); /*@read*/
  return "";
}

// A RESP (Redis protocol) client: the member socket is connected in one method
// and used in another.
class MiniRedis {
public:
  explicit MiniRedis(boost::asio::io_context &io) : sock_(io) {}
  void open() {
    sock_.connect(tcp::endpoint(boost::asio::ip::make_address("10.0.0.7"), 6379)); /*@memberConnect*/
  }
  void ping() {
    boost::asio::write(sock_, boost::asio::buffer(std::string("*1\r\n$4\r\nPING\r\n"))); /*@ping*/
  }
private:
  tcp::socket sock_;
};

// Over TLS: connected through the stream's lowest layer.
void overTls(boost::asio::io_context &io, boost::asio::ssl::context &ctx) {
  boost::asio::ssl::stream<tcp::socket> stream(io, ctx);
  tcp::resolver resolver(io);
  auto results = resolver.resolve("ledger.internal", "443");
  boost::asio::connect(stream.lowest_layer(), results);
  stream.handshake(boost::asio::ssl::stream_base::client);
  boost::asio::write(stream, boost::asio::buffer(std::string("PING\n"))); /*@tlsWrite*/
}

// A server: the socket was accepted, not connected; its writes are replies.
void serve(boost::asio::io_context &io) {
  tcp::acceptor acc(io, tcp::endpoint(tcp::v4(), 8080));
  tcp::socket s(io);
  acc.accept(s);
  std::string reply = "HTTP/1.1 200 OK\r\n\r\n";
  boost::asio::write(s, boost::asio::buffer(reply));
  s.write_some(boost::asio::buffer(reply));
}

namespace other {
struct Sock { void connect(const char *) {} };
void write(Sock &, const std::string &) {}
}
void lookAlike() {
  other::Sock s;
  s.connect("10.9.9.9");
  other::write(s, "x");
}
)cpp";

constexpr char Name[] = "asio.cpp";
using Asio = test::SnippetSuite<&Code, Name>;

TEST_F(Asio, HandWrittenHttpClientIsAGenericTcpClientWithItsEndpoint) {
  for (const char *Marker : {"connect", "write", "read"}) {
    const model::CallSite *C = S->callAt(S->line(Marker));
    ASSERT_NE(C, nullptr) << Marker << "\n" << S->dump();
    EXPECT_EQ(C->Library, "boost-asio");
    EXPECT_EQ(C->Kind, "tcp");
    EXPECT_EQ(C->Endpoint, "status.partner.example") << Marker;
    EXPECT_EQ(C->Timeout.Status, "absent") << Marker;
    EXPECT_TRUE(C->Timeout.Unbounded);
    EXPECT_THAT(C->Timeout.Reason, HasSubstr("have no timeout and wait forever"));
  }
  EXPECT_EQ(S->callAt(S->line("write"))->Operation, "boost::asio::write");
  EXPECT_EQ(S->callAt(S->line("read"))->Operation, "boost::asio::read_until");
}

TEST_F(Asio, MemberSocketConnectedInAnotherMethod) {
  const model::CallSite *C = S->callAt(S->line("ping"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Library, "boost-asio");
  EXPECT_EQ(C->Function, "MiniRedis::ping");
  EXPECT_EQ(C->Endpoint, "10.0.0.7");
  const model::CallSite *Conn = S->callAt(S->line("memberConnect"));
  ASSERT_NE(Conn, nullptr);
  EXPECT_EQ(Conn->Operation, "boost::asio::basic_socket::connect");
}

TEST_F(Asio, TlsStreamConnectedThroughItsLowestLayer) {
  const model::CallSite *C = S->callAt(S->line("tlsWrite"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Endpoint, "ledger.internal");
}

TEST_F(Asio, AcceptedServerSocketIsNotAClient) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "serve") << S->dump();
}

TEST_F(Asio, SameNamesElsewhereAreNotAsio) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

} // namespace
