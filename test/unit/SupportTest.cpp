// The shared vocabulary of lib/support: endpoints, schemes, local hosts,
// secrets and units, as every stage (analysis, inventory, report, matchers) sees them.
#include "inventory/Inventory.h"
#include "support/Endpoint.h"
#include "support/Secrets.h"
#include "support/Units.h"

#include <gtest/gtest.h>

#include <optional>

using namespace im;

TEST(Conninfo, KeyValueAndUri) {
  auto KV = support::parseConninfo("host=db.internal dbname=orders connect_timeout=5 password='s e'");
  EXPECT_EQ(KV["host"], "db.internal");
  EXPECT_EQ(KV["connect_timeout"], "5");
  EXPECT_EQ(KV["password"], "s e");
  auto U = support::parseConninfo("postgresql://u:p@db:5433/orders?connect_timeout=3&sslmode=require");
  EXPECT_EQ(U["host"], "db");
  EXPECT_EQ(U["port"], "5433");
  EXPECT_EQ(U["dbname"], "orders");
  EXPECT_EQ(U["connect_timeout"], "3");
  EXPECT_EQ(U["sslmode"], "require");
}

TEST(Endpoints, ParsedFromUrlConninfoAndHostPort) {
  struct Row {
    const char *In, *Scheme, *Host, *Port, *Database;
  };
  const Row Rows[] = {
      {"https://API.Stripe.com/v1/charges", "https", "api.stripe.com", "", ""},
      {"postgresql://app:pw@db.internal:5433/orders?sslmode=require", "postgresql", "db.internal",
       "5433", "orders"},
      {"host=orders-db port=5432 dbname=orders", "", "orders-db", "5432", "orders"},
      {"cache.internal:6379", "", "cache.internal", "6379", ""},
      {"redis://[::1]:6379/0", "redis", "::1", "6379", ""},
      {"Example.COM", "", "example.com", "", ""},
  };
  for (const Row &R : Rows) {
    auto P = support::parseEndpoint(R.In);
    EXPECT_EQ(P.Scheme, R.Scheme) << R.In;
    EXPECT_EQ(P.Host, R.Host) << R.In;
    EXPECT_EQ(P.Port, R.Port) << R.In;
    EXPECT_EQ(P.Database, R.Database) << R.In;
  }
}

TEST(Endpoints, LocalHosts) {
  const std::pair<const char *, bool> Rows[] = {
      {"localhost", true},          {"LOCALHOST", true},         {"api.localhost", true},
      {"127.0.0.53", true},         {"::1", true},               {"[::1]", true},
      {"0.0.0.0", true},            {"/var/run/postgresql", true}, {"unix:/run/redis.sock", true},
      {"@abstract-socket", true},   {"host.docker.internal", true},
      {"localhost.example.com", false}, {"10.0.0.5", false},     {"db.internal", false},
      {"", false},
  };
  for (const auto &[Host, Local] : Rows)
    EXPECT_EQ(support::isLocalHost(Host), Local) << Host;
}

TEST(Endpoints, SchemesKindAndPlaintext) {
  struct Row {
    const char *Scheme;
    std::optional<bool> Plain;
    const char *Kind;
  };
  const Row Rows[] = {
      {"http", true, "http"},       {"HTTPS", false, "http"},     {"ws", true, ""},
      {"redis", true, "cache"},     {"rediss", false, "cache"},   {"smtp", true, "email"},
      {"smtps", false, "email"},    {"amqp", true, "queue"},      {"mqtts", false, "queue"},
      {"nats", true, "queue"},      {"tls", false, ""},           {"tcp", std::nullopt, ""},
      {"postgresql", std::nullopt, "db"}, {"mongodb+srv", std::nullopt, "db"},
      {"kafka", std::nullopt, "queue"},   {"unknownproto", std::nullopt, ""},
  };
  for (const Row &R : Rows) {
    EXPECT_EQ(support::isPlaintextScheme(R.Scheme), R.Plain) << R.Scheme;
    EXPECT_EQ(support::schemeKind(R.Scheme), R.Kind) << R.Scheme;
  }
  EXPECT_EQ(support::schemeRole("postgres"), "PostgreSQL");
  EXPECT_EQ(support::schemeRole("rediss"), "Redis");
  EXPECT_EQ(support::schemeRole("ftp"), "");
}

// An endpoint in an env file and the same endpoint in code get the same verdict:
// one vocabulary decides both (nats, unix sockets and host.docker.internal used to differ).
TEST(Endpoints, EnvFilesJudgeLikeTheCode) {
  const std::pair<const char *, bool> Rows[] = {
      {"nats://broker.internal:4222", true},  {"http://api.partner.com", true},
      {"https://api.partner.com", false},     {"redis://host.docker.internal:6379", false},
      {"redis://localhost:6379", false},      {"tcp://broker.internal:5555", false},
      {"redis://cache.internal:6379", true},  {"postgresql://db.internal/x", false},
  };
  std::string Text;
  for (size_t I = 0; I < std::size(Rows); ++I)
    Text += "SERVICE" + std::to_string(I) + "_URL=" + Rows[I].first + "\n";
  auto Env = inventory::parseEnvFile(".env", Text);
  ASSERT_EQ(Env.Variables.size(), std::size(Rows));
  for (size_t I = 0; I < std::size(Rows); ++I) {
    auto P = support::parseEndpoint(Rows[I].first);
    bool Code = support::isPlaintextScheme(P.Scheme) == true && !support::isLocalHost(P.Host);
    EXPECT_EQ(Code, Rows[I].second) << Rows[I].first;
    EXPECT_EQ(Env.Variables[I].Plaintext, Rows[I].second) << Rows[I].first;
  }
}

TEST(Endpoints, UrlSchemeHostNeverReturnsAPassword) {
  std::string S, H;
  ASSERT_TRUE(support::urlSchemeHost("redis://:hunter2@cache.internal:6379/0", S, H));
  EXPECT_EQ(S, "redis");
  EXPECT_EQ(H, "cache.internal");
  S.clear(), H.clear();
  ASSERT_TRUE(support::urlSchemeHost("amqp://u:pa/ss@mq.internal/", S, H));
  EXPECT_EQ(S, "amqp");
  EXPECT_EQ(H, "") << "an ambiguous authority yields no host";
  EXPECT_FALSE(support::urlSchemeHost("not a url", S, H));
}

TEST(Secrets, RedactionKeepsKeysAndHosts) {
  const std::pair<const char *, const char *> Rows[] = {
      {"host=db password=hunter2 dbname=x", "host=db password=*** dbname=x"},
      {"host=db password='a b' dbname=x", "host=db password=*** dbname=x"},
      {"host=db PWD=hunter2;UID=app", "host=db PWD=***;UID=app"},
      {"postgresql://app:hunter2@db/x", "postgresql://app:***@db/x"},
      {"https://api.stripe.com/v1/charges", "https://api.stripe.com/v1/charges"},
      {"key sk_live_4eC39HqLyjWDarjtT1zdp7dc end", "key *** end"},
      {"db=shop host=h pass=hunter2 read_timeout=4", "db=shop host=h pass=*** read_timeout=4"},
      {"host=db password=%s", "host=db password=%s"},
  };
  for (const auto &[In, Out] : Rows)
    EXPECT_EQ(support::redactSecrets(In), Out) << In;
  EXPECT_EQ(support::secretKind("postgresql://shop:hunter2@db/orders"), "password in a URL");
  EXPECT_EQ(support::secretKind("host=db password={}"), "");
}

TEST(Units, SecondsPerUnitAndFormatting) {
  EXPECT_EQ(support::secondsPerUnit("ms"), 1e-3);
  EXPECT_EQ(support::secondsPerUnit("us"), 1e-6);
  EXPECT_EQ(support::secondsPerUnit("s"), 1.0);
  EXPECT_EQ(support::secondsPerUnit("timeval"), 1.0);
  EXPECT_EQ(support::secondsPerUnit("min"), std::nullopt);
  EXPECT_EQ(support::formatSeconds(0.25), "250 ms");
  EXPECT_EQ(support::formatSeconds(300), "5 min");
}
