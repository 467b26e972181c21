// Endpoints held in the project's configuration structs, on the real Debian
// headers: a field assigned from an env reader in a config loader, a default
// member initializer of an aggregate, and a constructor parameter filled from
// either at the construction. The finding sits where the endpoint is written;
// TLS schemes and loopback look-alikes beside them stay silent.
#include "Secured.h"

#include "analysis/Endpoints.h"

#include <gmock/gmock.h>

using namespace im;
using test::Secured;
using testing::HasSubstr;

namespace {

const char *Plain = "integration-plaintext-transport";

/// Each call's endpoint and where it came from, for failure messages.
std::string endpoints(const Secured &X) {
  std::string O;
  for (const auto &C : X.S.M.CallSites)
    O += std::to_string(C.Loc.Line) + " " + C.Operation + " handle=" + C.HandleKey +
         " endpoint=" + C.Endpoint + " source=" + C.EndpointSource + "\n";
  analysis::EndpointFolder Folder(X.S.M);
  for (const auto &S : X.S.M.Settings) {
    O += "  setting " + std::to_string(S.Loc.Line) + " " + S.HandleKey + " " + S.Concern + " " +
         S.Option + " <- " + S.Val.DependsOn + " expr";
    for (const auto &P : S.Expr)
      O += " " + P.Kind + ":" + P.Text;
    O += " folded";
    for (const auto &P : Folder.expand(S.Expr))
      O += " " + P.Kind + ":" + P.Text;
    O += "\n";
  }
  for (const auto &I : X.S.M.FieldInits) {
    O += "  init " + std::to_string(I.Loc.Line) + " " + I.FieldKey + " =";
    for (const auto &P : I.Expr)
      O += " " + P.Kind + ":" + P.Text;
    O += "\n";
  }
  for (const auto &E : X.S.M.Constructions) {
    O += "  made " + std::to_string(E.Loc.Line) + " " + E.CalleeKey + " (";
    for (const auto &A : E.StrArgs)
      for (const auto &P : A)
        O += " " + P.Kind + ":" + P.Text;
    O += ")\n";
  }
  return O;
}

const std::string EnvDef = R"cpp(
#include <cstdlib>
#include <string>
namespace app {
std::string env_or(const char *name, const std::string &fallback) {
  const char *v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}
}
)cpp";

const std::string ConfigCode = R"cpp(
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <string>
namespace app { std::string env_or(const char *name, const std::string &fallback); }
struct Config {
  std::string cache_host;
  std::string sidecar_host;
  std::string report_url = "http://reports.prod.example.com/v1/upload"; /*@memberPlain*/
  std::string billing_url = "https://billing.prod.example.com/v1"; /*@memberTls*/
  std::string metrics_url = "http://localhost:9091/metrics"; /*@memberLocal*/
};
Config load_config() {
  Config c;
  c.cache_host = app::env_or("CACHE_HOST", "cache.prod.example.com"); /*@assigned*/
  c.sidecar_host = app::env_or("SIDECAR_HOST", "127.0.0.1"); /*@assignedLocal*/
  return c;
}
class Cache {
public:
  Cache(const std::string &host, int port) : ctx_(redisConnect(host.c_str(), port)) {} /*@connect*/
  redisContext *ctx_;
};
class Sidecar {
public:
  Sidecar(const std::string &host, int port) : ctx_(redisConnect(host.c_str(), port)) {}
  redisContext *ctx_;
};
void post(const std::string &url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_perform(h); /*@perform*/
}
class Reporter {
public:
  explicit Reporter(const Config &c) : c_(c) {}
  void upload() { send(c_.report_url); }
  void bill() { send(c_.billing_url); }
  void metrics() { send(c_.metrics_url); }
private:
  void send(const std::string &url) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_perform(h);
  }
  Config c_;
};
int run() {
  const Config cfg = load_config();
  Cache cache(cfg.cache_host, 6379); /*@construct*/
  Sidecar sidecar(cfg.sidecar_host, 6379);
  Reporter r(cfg);
  r.upload();
  r.bill();
  r.metrics();
  return 0;
}
)cpp";

TEST(ConfigEndpoints, AConfigFieldAssignedFromAnEnvDefaultReachesAConstructorParameter) {
  Secured X({{"env.cpp", EnvDef}, {"config.cpp", ConfigCode}});
  const auto *P = X.at(Plain, "assigned");
  ASSERT_NE(P, nullptr) << X.dump() << endpoints(X);
  EXPECT_THAT(P->Message, HasSubstr("cache.prod.example.com over unencrypted redis"));
  EXPECT_THAT(P->Message, HasSubstr("the default of CACHE_HOST"));
  // The loopback look-alike beside it, and nothing at the call or the construction.
  EXPECT_EQ(X.at(Plain, "assignedLocal"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "connect"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "construct"), nullptr) << X.dump();
}

TEST(ConfigEndpoints, ADefaultMemberInitializerOfAConfigStructIsJudgedAtItsLiteral) {
  Secured X({{"env.cpp", EnvDef}, {"config.cpp", ConfigCode}});
  const auto *P = X.at(Plain, "memberPlain");
  ASSERT_NE(P, nullptr) << X.dump() << endpoints(X);
  EXPECT_THAT(P->Message, HasSubstr("reports.prod.example.com over unencrypted http"));
  EXPECT_EQ(X.at(Plain, "memberTls"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "memberLocal"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 2u) << X.dump();
}

} // namespace

namespace {

// HTTP over a plain Boost.Beast tcp_stream speaks http: the host handed to the
// resolver decides. An ssl_stream over the same shape, and a loopback host,
// stay silent.
const std::string BeastCode = R"cpp(
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <string>
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
class Pricing {
public:
  Pricing(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)) {}
  int quote() {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    const tcp::resolver::results_type endpoints = resolver.resolve(host_, port_);
    beast::error_code ec;
    for (const auto &entry : endpoints) {
      stream.connect(entry.endpoint(), ec); /*@beastConnect*/
      if (!ec) break;
    }
    http::request<http::empty_body> req{http::verb::get, "/v1/quote", 11};
    http::write(stream, req);
    return 0;
  }
private:
  std::string host_, port_;
};
class SecurePricing {
public:
  SecurePricing(std::string host, asio::ssl::context &ctx) : host_(std::move(host)), ctx_(ctx) {}
  int quote() {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx_);
    auto const results = resolver.resolve(host_, "443");
    beast::get_lowest_layer(stream).connect(results);
    http::request<http::empty_body> req{http::verb::get, "/v1/quote", 11};
    http::write(stream, req);
    return 0;
  }
private:
  std::string host_;
  asio::ssl::context &ctx_;
};
class Sidecar {
public:
  explicit Sidecar(std::string host) : host_(std::move(host)) {}
  int get() {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    auto const results = resolver.resolve(host_, "15001");
    stream.connect(results);
    http::request<http::empty_body> req{http::verb::get, "/eta", 11};
    http::write(stream, req);
    return 0;
  }
private:
  std::string host_;
};
struct Hosts {
  std::string pricing = "pricing.prod.example.com"; /*@pricingHost*/
  std::string quotes = "quotes.prod.example.com"; /*@secureHost*/
  std::string sidecar = "127.0.0.1"; /*@sidecarHost*/
};
int main() {
  const Hosts hosts{};
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  Pricing p(hosts.pricing, "80");
  SecurePricing s(hosts.quotes, ctx);
  Sidecar e(hosts.sidecar);
  return p.quote() + s.quote() + e.get();
}
)cpp";

TEST(ConfigEndpoints, HttpOverAPlainBeastStreamToTheHostItsConstructionPasses) {
  Secured X(BeastCode);
  const auto *P = X.at(Plain, "pricingHost");
  ASSERT_NE(P, nullptr) << X.dump() << endpoints(X);
  EXPECT_THAT(P->Message, HasSubstr("pricing.prod.example.com over unencrypted http"));
  EXPECT_EQ(X.at(Plain, "secureHost"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "sidecarHost"), nullptr) << X.dump();
  EXPECT_EQ(X.at(Plain, "beastConnect"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 1u) << X.dump();
}

} // namespace

namespace {

// librdkafka settings made through the project's own `set(key, value)` helper
// are the settings they forward: plaintext and verification-off at the
// helper's call, the TLS look-alikes beside them silent.
const std::string KafkaForwarded = R"cpp(
#include <librdkafka/rdkafka.h>
#include <stdexcept>
#include <string>
void plain(void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  auto set = [&](const char *key, const std::string &value) {
    if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
      throw std::runtime_error(key);
  };
  set("bootstrap.servers", "kafka-0.prod.example.com:9092");
  set("security.protocol", "sasl_plaintext"); /*@fwdPlain*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
}
void secure(void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  auto set = [&](const char *key, const std::string &value) {
    if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
      throw std::runtime_error(key);
  };
  set("bootstrap.servers", "kafka-0.prod.example.com:9093");
  set("security.protocol", "sasl_ssl"); /*@fwdSsl*/
  set("enable.ssl.certificate.verification", "true"); /*@fwdVerifyOn*/
  set("ssl.endpoint.identification.algorithm", "https"); /*@fwdHostOn*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
}
void unverified(void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  auto set = [&](const char *key, const std::string &value) {
    if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
      throw std::runtime_error(key);
  };
  set("bootstrap.servers", "kafka-0.prod.example.com:9093");
  set("security.protocol", "ssl");
  set("enable.ssl.certificate.verification", "false"); /*@fwdVerifyOff*/
  set("ssl.endpoint.identification.algorithm", "none"); /*@fwdHostOff*/
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
}
)cpp";

TEST(ForwardedSettings, KafkaProtocolAndVerificationThroughAProjectSetHelper) {
  Secured X(KafkaForwarded);
  const auto *P = X.at(Plain, "fwdPlain");
  ASSERT_NE(P, nullptr) << X.dump() << endpoints(X);
  EXPECT_THAT(P->Message, HasSubstr("kafka-0.prod.example.com"));
  const auto *T = X.at("integration-tls-verification-disabled", "fwdVerifyOff");
  ASSERT_NE(T, nullptr) << X.dump();
  EXPECT_THAT(T->Message, HasSubstr("enable.ssl.certificate.verification"));
  EXPECT_EQ(X.at(Plain, "fwdSsl"), nullptr) << X.dump();
  EXPECT_EQ(X.at("integration-tls-verification-disabled", "fwdVerifyOn"), nullptr) << X.dump();
  // Hostname verification off by name: none is off, https (the default) is not.
  const auto *H = X.at("integration-tls-verification-disabled", "fwdHostOff");
  ASSERT_NE(H, nullptr) << X.dump();
  EXPECT_THAT(H->Message, HasSubstr("ssl.endpoint.identification.algorithm"));
  EXPECT_EQ(X.at("integration-tls-verification-disabled", "fwdHostOn"), nullptr) << X.dump();
  EXPECT_EQ(X.of(Plain).size(), 1u) << X.dump();
  EXPECT_EQ(X.of("integration-tls-verification-disabled").size(), 2u) << X.dump();
}

} // namespace
