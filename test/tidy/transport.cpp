// Transport security in the editor: each check points at the token to change
// (inside a multi-line literal, at its line and column), with the safe
// counterpart beside it reporting nothing; the password appears in no output.
// RUN: %clang_tidy --checks='-*,integration-plaintext-transport,integration-tls-verification-disabled,integration-tls-downgrade-possible,integration-hardcoded-secret' %s -- -std=c++17 -I/usr/include/postgresql 2>&1 | FileCheck %s --implicit-check-not='{{^[^ ].*}}warning:' --implicit-check-not=Qm4vT9zK2wRx7
#include <curl/curl.h>
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>

constexpr const char kAudit[] =
    "host=audit.db.example.com dbname=compliance sslmode=disable "
// CHECK-DAG: transport.cpp:[[@LINE-1]]:50: warning: PostgreSQL connection to audit.db.example.com: sslmode=disable: no TLS at all, queries and credentials travel in clear text (require TLS: sslmode=verify-full) [integration-plaintext-transport]
    "user=auditor password=Qm4vT9zK2wRx7";
// CHECK-DAG: transport.cpp:[[@LINE-1]]:28: warning: hard-coded password in a connection string in a string literal: anyone with the source or the binary has it; load it from a secret store or the environment [integration-hardcoded-secret]
constexpr const char kOrders[] = "host=orders.db.example.com dbname=orders sslmode=prefer";
// CHECK-DAG: transport.cpp:[[@LINE-1]]:76: warning: PostgreSQL connection to orders.db.example.com: sslmode=prefer: checks no certificate and falls back to plaintext when the server offers no TLS (require TLS: sslmode=verify-full) [integration-tls-downgrade-possible]
constexpr const char kVerified[] = "host=orders.db.example.com dbname=orders sslmode=verify-full";
constexpr const char kLocal[] = "host=127.0.0.1 dbname=orders sslmode=disable";

void audit() { PQexec(PQconnectdb(kAudit), "INSERT INTO events VALUES (1)"); }
void orders() { PQexec(PQconnectdb(kOrders), "SELECT 1"); }
void verified() { PQexec(PQconnectdb(kVerified), "SELECT 1"); }
void local() { PQexec(PQconnectdb(kLocal), "SELECT 1"); }

void mail(bool strict) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "smtp://mail.example.com:587");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
// CHECK-DAG: transport.cpp:[[@LINE-1]]:3: warning: CURLOPT_USE_SSL asks for TLS only if mail.example.com offers it: an attacker who strips the STARTTLS offer gets smtp in clear text (require TLS: CURLUSESSL_ALL) [integration-tls-downgrade-possible]
  curl_easy_perform(h);
  CURL *s = curl_easy_init();
  curl_easy_setopt(s, CURLOPT_URL, "smtp://mail.example.com:587");
  curl_easy_setopt(s, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(s, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  curl_easy_perform(s);
}

void events(const char *brokers, void *p, size_t n) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof err);
  rd_kafka_conf_set(conf, "security.protocol", "sasl_ssl", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.ssl.certificate.verification", "false", err, sizeof err);
// CHECK-DAG: transport.cpp:[[@LINE-1]]:67: warning: enable.ssl.certificate.verification = "false" turns off certificate verification: anyone on the network path can impersonate the server [integration-tls-verification-disabled]
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE(p, n), RD_KAFKA_V_END);
}
