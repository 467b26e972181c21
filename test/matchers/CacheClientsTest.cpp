// libmemcached on the real <libmemcached/memcached.h> (libmemcached-dev).
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;

namespace {

const char *Code = R"cpp(
#include <libmemcached/memcached.h>

void withPoll() {
  memcached_st *m = memcached_create(nullptr);
  memcached_server_add(m, "sessions.cache.internal", 11211);
  memcached_behavior_set(m, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, 250); /*@poll*/
  size_t n; uint32_t f; memcached_return_t rc;
  memcached_get(m, "k", 1, &n, &f, &rc);
}
void defaults() {
  memcached_st *m = memcached_create(nullptr);
  memcached_set(m, "k", 1, "v", 1, 0, 0);
}
void waitForever() {
  memcached_st *m = memcached_create(nullptr);
  memcached_behavior_set(m, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, -1); /*@forever*/
  memcached_delete(m, "k", 1, 0);
}
namespace other { int memcached_get(void *) { return 0; } }
void lookAlike() { other::memcached_get(nullptr); }
)cpp";

class Libmemcached : public testing::Test {
protected:
  static void SetUpTestSuite() {
    S = new test::Snippets(std::vector<test::SnippetFile>{{"memcached.cpp", Code}});
  }
  static void TearDownTestSuite() { delete S; }
  static test::Snippets *S;
};
test::Snippets *Libmemcached::S = nullptr;

TEST_F(Libmemcached, PollTimeoutOnTheSameHandle) {
  const auto &C = S->callIn("withPoll");
  EXPECT_EQ(C.Library, "libmemcached");
  EXPECT_EQ(C.Kind, "cache");
  EXPECT_EQ(C.Operation, "memcached_get");
  EXPECT_EQ(C.Endpoint, "sessions.cache.internal");
  ASSERT_TRUE(C.Timeout.Present) << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 0.25);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("poll")));
}

TEST_F(Libmemcached, UnsetTimeoutIsTheFiniteLibraryDefault) {
  const auto &C = S->callIn("defaults");
  EXPECT_TRUE(C.Timeout.Present);
  EXPECT_EQ(C.Timeout.Status, "default");
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("MEMCACHED_BEHAVIOR_POLL_TIMEOUT (default 5000 ms)"));
}

TEST_F(Libmemcached, NegativePollTimeoutWaitsForever) {
  const auto &C = S->callIn("waitForever");
  EXPECT_FALSE(C.Timeout.Present) << S->dump();
  EXPECT_EQ(C.Timeout.Status, "absent");
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("forever")));
}

TEST_F(Libmemcached, SameNameInAnotherNamespaceDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike");
}

} // namespace

// ODBC on the real <sql.h>/<sqlext.h> (unixodbc-dev).
namespace {
const char *OdbcCode = R"cpp(
#include <sql.h>
#include <sqlext.h>

void connectWithLogin(SQLHDBC dbc) {
  SQLSetConnectAttr(dbc, SQL_ATTR_LOGIN_TIMEOUT, (SQLPOINTER)5, 0); /*@login*/
  SQLDriverConnect(dbc, nullptr, (SQLCHAR *)"DSN=orders;UID=app", SQL_NTS, nullptr, 0, nullptr,
                   SQL_DRIVER_NOPROMPT);
}
void queryWithTimeout(SQLHDBC dbc) {
  SQLHSTMT stmt;
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
  SQLSetStmtAttr(stmt, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)30, 0); /*@query*/
  SQLExecDirect(stmt, (SQLCHAR *)"SELECT 1", SQL_NTS);
}
void queryForever(SQLHDBC dbc) {
  SQLSetConnectAttr(dbc, SQL_ATTR_LOGIN_TIMEOUT, (SQLPOINTER)5, 0);
  SQLHSTMT stmt;
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
  SQLExecDirect(stmt, (SQLCHAR *)"UPDATE t SET x = 1", SQL_NTS);
}
)cpp";

TEST(Odbc, TimeoutsPerPhaseAndHandle) {
  test::Snippets S(std::vector<test::SnippetFile>{{"odbc.cpp", OdbcCode}});
  const auto &Connect = S.callIn("connectWithLogin");
  EXPECT_EQ(Connect.Library, "odbc");
  EXPECT_EQ(Connect.Kind, "db");
  EXPECT_EQ(Connect.Endpoint, "DSN=orders;UID=app");
  ASSERT_TRUE(Connect.Timeout.Present) << S.dump();
  EXPECT_DOUBLE_EQ(*Connect.Timeout.Seconds, 5);
  EXPECT_TRUE(S.hasEvidenceAt(Connect.Timeout, S.line("login")));
  const auto &Query = S.callIn("queryWithTimeout");
  ASSERT_TRUE(Query.Timeout.Present) << S.dump();
  EXPECT_DOUBLE_EQ(*Query.Timeout.Seconds, 30);
  EXPECT_TRUE(S.hasEvidenceAt(Query.Timeout, S.line("query")));
  const auto &Forever = S.callIn("queryForever");
  EXPECT_FALSE(Forever.Timeout.Present) << "a login timeout does not bound a statement";
  EXPECT_THAT(Forever.Timeout.Reason, HasSubstr("ODBC waits forever by default"));
}
} // namespace
