// The shared vocabulary of lib/support: endpoints, schemes, local hosts,
// secrets and units, as every stage (analysis, inventory, report, matchers) sees them.
#include "inventory/Inventory.h"
#include "support/Endpoint.h"
#include "support/Secrets.h"
#include "support/Units.h"
#include "support/Utf8.h"

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

TEST(Endpoints, UrlRulesOutTlsOnlyWithoutAnInBandUpgrade) {
  // Plaintext schemes whose protocol has no STARTTLS: the URL alone decides.
  for (const char *S : {"http", "WS", "redis", "amqp", "mqtt", "telnet"})
    EXPECT_TRUE(support::urlRulesOutTls(S)) << S;
  // Plaintext too, but a client option can still upgrade them; and TLS or unsaid schemes.
  for (const char *S : {"smtp", "imap", "pop3", "ftp", "ldap", "nats", "https", "rediss",
                        "postgresql", "tcp", ""})
    EXPECT_FALSE(support::urlRulesOutTls(S)) << S;
  EXPECT_EQ(support::isPlaintextScheme("smtp"), true);
}

TEST(Endpoints, ConninfoKeyOffsetFindsWholeKeysOnly) {
  const std::string C = "host=db sslmode=disable";
  EXPECT_EQ(support::conninfoKeyOffset(C, "sslmode"), C.find("sslmode"));
  EXPECT_EQ(support::conninfoKeyOffset(C, "SSLMODE"), C.find("sslmode"));
  // `mode=` inside `sslmode=` is not the key `mode`; after ?, & and ; it is.
  EXPECT_EQ(support::conninfoKeyOffset(C, "mode"), std::string::npos);
  const std::string U = "mongodb://h/?replicaSet=rs0&tls=true";
  EXPECT_EQ(support::conninfoKeyOffset(U, "tls"), U.find("tls="));
  EXPECT_EQ(support::conninfoKeyOffset("Server=x;Ssl Mode=None;SslMode=None", "sslmode"), 23u);
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
// one vocabulary decides both, nats, unix sockets and host.docker.internal included.
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

TEST(Secrets, SettingsWithSpacesAmpersandsAndMacroValues) {
  const std::pair<const char *, const char *> Rows[] = {
      // conninfo allows spaces around '='; '&' is part of a conninfo value.
      {"host=db password = Spaced-Secret-9 dbname=app", "host=db password = *** dbname=app"},
      {"host=db password=Amp&Tail dbname=x", "host=db password=*** dbname=x"},
      // In a URL query '&' ends the value; any credential-named parameter is redacted.
      {"https://h/x?password=Amp&Tail=1", "https://h/x?password=***&Tail=1"},
      {"https://api.example.com/v1?api_key=Query5ecret&origin=1",
       "https://api.example.com/v1?api_key=***&origin=1"},
      {"https://api.example.com/v1?sig=abc123&token=t0k3n#frag",
       "https://api.example.com/v1?sig=***&token=***#frag"},
      // Compile flags: the macro's name says whether its value is a credential.
      {"-std=c++17 -DDB_PASSWORD=\"hunter2-xyz\" -DPASSWORD_MIN_LENGTH=12 -DNDEBUG",
       "-std=c++17 -DDB_PASSWORD=*** -DPASSWORD_MIN_LENGTH=12 -DNDEBUG"},
      {"-DSTRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc -DAPI_KEY=abc123def",
       "-DSTRIPE_KEY=*** -DAPI_KEY=***"},
      {"--db-password=letmein1 --db-host=x", "--db-password=*** --db-host=x"},
      {"Driver={PostgreSQL};Server=db;Uid=app;Pwd=s3cr3t;", "Driver={PostgreSQL};Server=db;Uid=app;Pwd=***;"},
      {"TOKEN_TTL=3600 TOKEN=abcdef", "TOKEN_TTL=3600 TOKEN=***"},
      // URL user info, also when the password holds a '/'.
      {"amqp://u:pa/ss@mq.internal/vh", "amqp://u:***@mq.internal/vh"},
      {"redis://:hunter2@cache:6379/0", "redis://:***@cache:6379/0"},
  };
  for (const auto &[In, Out] : Rows)
    EXPECT_EQ(support::redactSecrets(In), Out) << In;
  // Look-alikes stay as they are.
  for (const char *Same : {"https://api.example.com/search?keyword=shoes&page=2",
                           "http://host:8080/users/bob@example.com",
                           "mongodb://db/?authSource=admin&authMechanism=SCRAM-SHA-256",
                           "UPDATE users SET password = ? WHERE id = ?",
                           "UPDATE users SET password = :pw WHERE id = :id",
                           "-DTOKEN_FILE=/run/secrets/token -DKEY_BITS=2048 -DUSE_AUTH=1",
                           "if (a != b && c <= d) x == y;"})
    EXPECT_EQ(support::redactSecrets(Same), Same);
  // Reported as a hard-coded password: the password shapes; other names are only redacted.
  EXPECT_EQ(support::secretKind("host=db password = Spaced-Secret-9"), "password in a connection string");
  EXPECT_EQ(support::secretKind("https://h/?api_key=Query5ecret"), "");
  EXPECT_EQ(support::secretKind("UPDATE users SET password = ? WHERE id = ?"), "");
}

TEST(Secrets, CredentialNames) {
  for (const char *Yes : {"DB_PASSWORD", "apiKey", "x-api-key", "STRIPE_KEY", "client_secret",
                          "AUTH_TOKEN", "pwd", "auth", "BASIC_AUTH", "sig", "passphrase"})
    EXPECT_TRUE(support::credentialName(Yes)) << Yes;
  for (const char *No : {"PASSWORD_MIN_LENGTH", "keyword", "authSource", "TOKEN_FILE", "KEY_ID",
                         "DB_USER", "API_KEY_HEADER", "host", "monkey", "USE_AUTH_CACHE"})
    EXPECT_FALSE(support::credentialName(No)) << No;
}

TEST(Secrets, MacroValuesOfCredentialNames) {
  EXPECT_EQ(support::secretMacroValue("DB_PASSWORD=\"Define-Secret-8\""), "Define-Secret-8");
  EXPECT_EQ(support::secretMacroValue("DB_PASSWORD=\\\"Define-Secret-8\\\""), "Define-Secret-8");
  EXPECT_EQ(support::secretMacroValue("API_KEY=Api-Define-Secret-6"), "Api-Define-Secret-6");
  EXPECT_EQ(support::secretMacroValue("PASSWORD_MIN_LENGTH=12"), "");
  EXPECT_EQ(support::secretMacroValue("NDEBUG"), "");
}

TEST(Secrets, KnownValuesAreRedactedEverywhere) {
  EXPECT_EQ(support::redactKnown("error: unknown name 'Pw-positional-123' in Pw-positional-123x",
                                 {"Pw-positional-123"}),
            "error: unknown name '***' in ***x");
  EXPECT_EQ(support::redactKnown("abc", {"abc"}), "***");
  EXPECT_EQ(support::redactKnown("abcdef", {"abc"}), "abcdef") << "short values only as a whole";
}

TEST(Secrets, SourceLinesRedactLiteralsReadAsCredentials) {
  const std::string Call =
      R"(  mysql_real_connect(m, host, "root", "Pw-positional-123", "shop", 3306, nullptr, 0);)";
  // The analysis read the fourth literal (its contents start at column 40) as the password.
  EXPECT_EQ(Call.find("Pw-positional") + 1, 40u);
  EXPECT_EQ(support::redactSourceLine(Call, {40}),
            R"(  mysql_real_connect(m, host, "root", "***", "shop", 3306, nullptr, 0);)");
  EXPECT_EQ(support::redactSourceLine(Call), Call) << "no column: nothing on the line looks secret";
  // Code is not a setting; a comment and a literal are read as text.
  EXPECT_EQ(support::redactSourceLine("  opts.password = load_password();"),
            "  opts.password = load_password();");
  EXPECT_EQ(support::redactSourceLine("  connect(h); // password = hunter2"),
            "  connect(h); // password = ***");
  EXPECT_EQ(support::redactSourceLine(R"(  PQconnectdb("host=db password = Spaced-Secret-9");)"),
            R"(  PQconnectdb("***");)");
  EXPECT_EQ(support::redactSourceLine(R"(  char q = '"'; f("x", "https://a/?api_key=K3y&v=1");)"),
            R"(  char q = '"'; f("***", "***");)") << "a line naming a key blanks every literal";
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

TEST(Utf8, MalformedSequencesBecomeOneReplacementCharacterEach) {
  const std::string Fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(im::support::validUtf8("gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80"); // well-formed: unchanged
  EXPECT_EQ(im::support::validUtf8("gr\xFC\xDF" "e"), "gr" + Fffd + Fffd + "e");     // Latin-1
  EXPECT_EQ(im::support::validUtf8("a\xE2\x82(b"), "a" + Fffd + "(b");         // truncated
  EXPECT_EQ(im::support::validUtf8("\xC0\xAF"), Fffd + Fffd);                  // overlong
  EXPECT_EQ(im::support::validUtf8("\xED\xA0\x80"), Fffd + Fffd + Fffd);       // surrogate
  EXPECT_EQ(im::support::validUtf8("\xF4\x90\x80\x80"), Fffd + Fffd + Fffd + Fffd); // > U+10FFFF
  EXPECT_EQ(im::support::validUtf8("end\xF0\x9F\x98"), "end" + Fffd);          // cut at the end
  // The JSON outputs replace what the Markdown does, byte for byte.
  for (std::string S : {"gr\xFC\xDF" "e", "a\xE2\x82(b", "\xC0\xAF", "\xED\xA0\x80",
                        "\xF4\x90\x80\x80", "end\xF0\x9F\x98", "\x80\xBF\xFE\xFF"})
    EXPECT_EQ(nlohmann::json::parse(im::support::dumpJson(nlohmann::json(S))).get<std::string>(),
              im::support::validUtf8(S))
        << S;
}

TEST(Utf8, FirstBadByteIsNamedWithLineAndColumn) {
  EXPECT_EQ(im::support::notUtf8("f.yaml", "a: 1\n# gr\xC3\xBC\xC3\x9F\n"), "");
  EXPECT_EQ(im::support::notUtf8("f.yaml", "a: 1\n# M\xFC" "nchen\n"),
            "f.yaml:2:4: not UTF-8 (byte 0xFC)");
  EXPECT_EQ(im::support::notUtf8("f.json", "\x80"), "f.json:1:1: not UTF-8 (byte 0x80)");
}

TEST(JsonNesting, BracketsOpeningLevelsBeyondTheLimitAreFound) {
  const std::string Deep = std::string(257, '[') + std::string(257, ']');
  EXPECT_EQ(im::support::tooDeeplyNested(Deep), 256u);
  EXPECT_EQ(im::support::nestingError("f.json", "{\"a\":\n " + Deep + "}"),
            "f.json:2:257: nested deeper than 256 levels");
  // 256 levels pass; brackets in strings (escaped quotes included) are text.
  EXPECT_EQ(im::support::tooDeeplyNested(std::string(256, '[') + std::string(256, ']')), std::nullopt);
  EXPECT_EQ(im::support::tooDeeplyNested("[\"" + std::string(300, '[') + "\\\"" +
                                         std::string(300, '{') + "\"]"),
            std::nullopt);
  EXPECT_EQ(im::support::nestingError("f.json", "{}"), "");
}
