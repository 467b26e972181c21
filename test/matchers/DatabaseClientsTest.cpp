// Database client libraries on their real Debian headers: libpq, the MySQL C
// API (MariaDB Connector/C in Debian), SQLite. One snippet, parsed once, each.
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

template <const char *const *Code, const char *Name> class Fixture : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{{Name, *Code}});
  }
  static void TearDownTestSuite() {
    delete S;
    S = nullptr;
  }
  static test::Snippets *S;
};
template <const char *const *Code, const char *Name>
test::Snippets *Fixture<Code, Name>::S = nullptr;

bool settingAt(const test::Snippets &S, const std::string &Concern, unsigned Line) {
  for (const auto &St : S.M.Settings)
    if (St.Concern == Concern && St.Loc.Line == Line)
      return true;
  return false;
}

// ------------------------------------------------------------------ libpq
const char *const PqCode = R"cpp(
#include <postgresql/libpq-fe.h>
#include <cstdlib>

void connectWithTimeout() {
  PGconn *conn = PQconnectdb("host=db.internal dbname=orders connect_timeout=5"); /*@connect*/
}

void queryWithStatementTimeout() {
  PGconn *conn = PQconnectdb("host=db.internal dbname=orders connect_timeout=5 options='-c statement_timeout=3000'");
  PGresult *r = PQexec(conn, "SELECT 1"); /*@exec*/
  PQclear(r);
}

void queryWithStatementTimeoutInSeconds() {
  PGconn *conn = PQconnectdb("host=db.internal options='-c statement_timeout=2s'");
  PQclear(PQexec(conn, "SELECT 2")); /*@execSeconds*/
}

void queryWithoutTimeout() {
  PGconn *conn = PQconnectdb("postgresql://app@db.internal:5432/orders");
  const char *params[1] = {"42"};
  PQexecParams(conn, "SELECT * FROM t WHERE id = $1", 1, nullptr, params, nullptr, nullptr, 0); /*@params*/
}

void connectFromEnv() {
  PGconn *conn = PQconnectdb(std::getenv("DATABASE_URL"));
}

namespace other { int PQexec(void *, const char *) { return 0; } }
void lookAlike() { other::PQexec(nullptr, "SELECT 1"); }
)cpp";
constexpr char PqName[] = "libpq.cpp";
using Libpq = Fixture<&PqCode, PqName>;

TEST_F(Libpq, ConnectTimeoutInConninfo) {
  const auto &C = S->callIn("connectWithTimeout");
  EXPECT_EQ(C.Library, "libpq");
  EXPECT_EQ(C.Kind, "db");
  EXPECT_EQ(C.Operation, "PQconnectdb");
  EXPECT_EQ(C.Handle, "conn");
  EXPECT_EQ(C.Endpoint, "host=db.internal dbname=orders connect_timeout=5");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("connect")));
}

TEST_F(Libpq, StatementTimeoutBoundsQueries) {
  // The connect is its own call site; the query is the one at the marker.
  const auto *Q = S->callAt(S->line("exec"));
  ASSERT_NE(Q, nullptr) << S->dump();
  EXPECT_EQ(Q->Operation, "PQexec");
  EXPECT_EQ(Q->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(Q->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Q->Timeout.Seconds, 3);
}

// The server reads a unit after the number ("2s"); a bare number is milliseconds.
TEST_F(Libpq, StatementTimeoutWithAUnitIsReadAsTheServerReadsIt) {
  const auto *Q = S->callAt(S->line("execSeconds"));
  ASSERT_NE(Q, nullptr) << S->dump();
  EXPECT_EQ(Q->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(Q->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Q->Timeout.Seconds, 2);
}

TEST_F(Libpq, QueryWithoutTimeoutIsAbsent) {
  const auto *Q = S->callAt(S->line("params"));
  ASSERT_NE(Q, nullptr) << S->dump();
  EXPECT_EQ(Q->Operation, "PQexecParams");
  EXPECT_EQ(Q->Handle, "conn");
  EXPECT_EQ(Q->Endpoint, "postgresql://app@db.internal:5432/orders");
  EXPECT_EQ(Q->Timeout.Status, "absent");
  EXPECT_TRUE(Q->Timeout.Unbounded);
  EXPECT_THAT(Q->Timeout.Reason, HasSubstr("libpq waits forever"));
}

TEST_F(Libpq, EndpointFromEnvironment) {
  const auto &C = S->callIn("connectFromEnv");
  EXPECT_EQ(C.EndpointSource, "env:DATABASE_URL");
  EXPECT_EQ(C.Timeout.Status, "absent");
}

TEST_F(Libpq, FunctionOfTheSameNameInAnotherNamespaceDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// -------------------------------------------------------------- MySQL C API
const char *const MysqlCode = R"cpp(
#include <mysql/mysql.h>

void withTimeouts() {
  MYSQL *m = mysql_init(nullptr);
  unsigned int connectTimeout = 3; /*@value*/
  unsigned int readTimeout = 10;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout); /*@optConnect*/
  mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &readTimeout); /*@optRead*/
  mysql_real_connect(m, "mysql.internal", "app", nullptr, "shop", 3306, nullptr, 0); /*@connect*/
  mysql_query(m, "SELECT 1"); /*@query*/
}

void withoutTimeouts() {
  MYSQL conn;
  mysql_init(&conn);
  mysql_real_connect(&conn, "mysql.internal", "app", nullptr, "shop", 3306, nullptr, 0);
  mysql_query(&conn, "UPDATE t SET x = 1"); /*@bareQuery*/
}

void zeroRead() {
  MYSQL *m = mysql_init(nullptr);
  unsigned int none = 0;
  mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &none); /*@zero*/
  mysql_query(m, "SELECT 2"); /*@zeroQuery*/
}

namespace legacy { int mysql_query(void *, const char *) { return 0; } }
void lookAlike() { legacy::mysql_query(nullptr, "SELECT 1"); }
)cpp";
constexpr char MysqlName[] = "mysql.cpp";
using MysqlC = Fixture<&MysqlCode, MysqlName>;

TEST_F(MysqlC, ConnectTimeoutPassedByAddress) {
  const auto *C = S->callAt(S->line("connect"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Library, "mysql");
  EXPECT_EQ(C->Operation, "mysql_real_connect");
  EXPECT_EQ(C->Endpoint, "mysql.internal");
  EXPECT_EQ(C->Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C->Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C->Timeout.Seconds, 3);
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("optConnect")));
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("value")));
}

TEST_F(MysqlC, QueryBoundedByReadTimeout) {
  const auto *C = S->callAt(S->line("query"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Operation, "mysql_query");
  EXPECT_EQ(C->Handle, "m");
  EXPECT_EQ(C->Endpoint, "mysql.internal");
  EXPECT_EQ(C->Timeout.Status, "present") << S->dump();
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("optRead")));
}

TEST_F(MysqlC, QueryWithoutTimeoutIsAbsent) {
  const auto *C = S->callAt(S->line("bareQuery"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Handle, "conn");
  EXPECT_EQ(C->Timeout.Status, "absent");
  EXPECT_THAT(C->Timeout.Reason, HasSubstr("MYSQL_OPT_READ_TIMEOUT"));
}

TEST_F(MysqlC, ZeroReadTimeoutMeansNone) {
  const auto *C = S->callAt(S->line("zeroQuery"));
  ASSERT_NE(C, nullptr) << S->dump();
  EXPECT_EQ(C->Timeout.Status, "absent");
  EXPECT_TRUE(C->Timeout.Unbounded);
  EXPECT_THAT(C->Timeout.Reason, HasSubstr("treats as no timeout"));
  EXPECT_TRUE(S->hasEvidenceAt(C->Timeout, S->line("zero")));
}

TEST_F(MysqlC, FunctionOfTheSameNameInAnotherNamespaceDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// ------------------------------------------------------------------ SQLite
const char *const SqliteCode = R"cpp(
#include <sqlite3.h>

void withBusyTimeout() {
  sqlite3 *db = nullptr;
  sqlite3_open("/var/lib/app/cache.db", &db); /*@open*/
  sqlite3_busy_timeout(db, 2000); /*@busy*/
  sqlite3_exec(db, "DELETE FROM t", nullptr, nullptr, nullptr); /*@exec*/
}

void withoutBusyTimeout() {
  sqlite3 *db = nullptr;
  sqlite3_open("cache.db", &db);
  sqlite3_exec(db, "VACUUM", nullptr, nullptr, nullptr); /*@vacuum*/
}

namespace mock { int sqlite3_exec(void *, const char *) { return 0; } }
void lookAlike() { mock::sqlite3_exec(nullptr, "x"); }
)cpp";
constexpr char SqliteName[] = "sqlite.cpp";
using Sqlite = Fixture<&SqliteCode, SqliteName>;

TEST_F(Sqlite, BusyTimeoutIsLocalKind) {
  // Opening the database is a call site of its own, on the same handle.
  const model::CallSite *Open = S->callAt(S->line("open"));
  ASSERT_NE(Open, nullptr) << S->dump();
  EXPECT_EQ(Open->Operation, "sqlite3_open");
  const model::CallSite *Exec = S->callAt(S->line("exec"));
  ASSERT_NE(Exec, nullptr) << S->dump();
  const auto &C = *Exec;
  EXPECT_EQ(C.Library, "sqlite");
  EXPECT_EQ(C.Kind, "local");
  EXPECT_EQ(C.Endpoint, "/var/lib/app/cache.db");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 2);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("busy")));
}

TEST_F(Sqlite, NoBusyTimeoutFailsFastByDefault) {
  const model::CallSite *Exec = S->callAt(S->line("vacuum"));
  ASSERT_NE(Exec, nullptr) << S->dump();
  const auto &C = *Exec;
  EXPECT_EQ(C.Timeout.Status, "default");
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("SQLITE_BUSY"));
}

TEST_F(Sqlite, LookAlikeDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

} // namespace
