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

// Datagram clients: lines sent over UDP to a collector fixed at construction,
// and over a Unix datagram socket to a local agent.
class UdpSink {
public:
  UdpSink(boost::asio::io_context &io, const std::string &host)
      : sock_(io, boost::asio::ip::udp::endpoint(boost::asio::ip::udp::v4(), 0)) {
    boost::asio::ip::udp::resolver r(io);
    dest_ = *r.resolve(boost::asio::ip::udp::v4(), host, "8089").begin();
  }
  void send(const std::string &line) {
    sock_.send_to(boost::asio::buffer(line), dest_); /*@udpSend*/
  }
private:
  boost::asio::ip::udp::socket sock_;
  boost::asio::ip::udp::endpoint dest_;
};
void toLocalAgent(boost::asio::io_context &io, const std::string &line) {
  boost::asio::local::datagram_protocol::socket s(io);
  s.open();
  boost::asio::local::datagram_protocol::endpoint agent("/run/agent.sock");
  s.send_to(boost::asio::buffer(line), agent); /*@unixSend*/
}

// UDP servers: they send back to whoever sent the datagram they received.
void udpEcho(boost::asio::io_context &io) {
  boost::asio::ip::udp::socket s(io, boost::asio::ip::udp::endpoint(boost::asio::ip::udp::v4(), 9000));
  char data[512];
  boost::asio::ip::udp::endpoint sender;
  size_t n = s.receive_from(boost::asio::buffer(data), sender);
  s.send_to(boost::asio::buffer(data, n), sender); /*@echoReply*/
}
class AsyncEcho {
public:
  explicit AsyncEcho(boost::asio::io_context &io)
      : sock_(io, boost::asio::ip::udp::endpoint(boost::asio::ip::udp::v4(), 9001)) {}
  void start() {
    sock_.async_receive_from(boost::asio::buffer(data_), sender_, [this](boost::system::error_code, size_t n) {
      sock_.async_send_to(boost::asio::buffer(data_, n), sender_, /*@asyncReply*/
                          [](boost::system::error_code, size_t) {});
    });
  }
private:
  boost::asio::ip::udp::socket sock_;
  boost::asio::ip::udp::endpoint sender_;
  char data_[512];
};

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

// A datagram send waits for no reply: it is an operation on the network,
// bounded by the kernel's queue rather than by a timeout. A send back to the
// sender of a received datagram is a server's reply and is not a client call.
TEST_F(Asio, DatagramSendsAreClientCallsRepliesToSendersAreNot) {
  const model::CallSite *Udp = S->callAt(S->line("udpSend"));
  ASSERT_NE(Udp, nullptr) << S->dump();
  EXPECT_EQ(Udp->Library, "boost-asio");
  EXPECT_EQ(Udp->Operation, "boost::asio::basic_datagram_socket::send_to");
  EXPECT_EQ(Udp->Function, "UdpSink::send");
  EXPECT_EQ(Udp->Timeout.Status, "default");
  EXPECT_FALSE(Udp->Timeout.Unbounded);
  EXPECT_THAT(Udp->Timeout.Reason, HasSubstr("a datagram send waits for no reply"));
  const model::CallSite *Unix = S->callAt(S->line("unixSend"));
  ASSERT_NE(Unix, nullptr) << S->dump();
  EXPECT_EQ(Unix->Operation, "boost::asio::basic_datagram_socket::send_to");
  for (const char *Reply : {"echoReply", "asyncReply"})
    EXPECT_EQ(S->callAt(S->line(Reply)), nullptr) << Reply << "\n" << S->dump();
}

TEST_F(Asio, SameNamesElsewhereAreNotAsio) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

} // namespace
