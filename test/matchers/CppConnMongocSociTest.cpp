// Database client libraries on their real Debian headers: MySQL Connector/C++
// (JDBC-style API), the MongoDB C driver (libmongoc 1.23) and SOCI 4.0. One
// snippet per library, parsed once; plus the catalog validation of the fields
// these entries use (subscript_assignment, value_arg "object", min_args,
// uri_options).
#include "Snippet.h"

#include <gmock/gmock.h>

using namespace im;
using testing::HasSubstr;
using testing::Not;

namespace {

template <const char *const *Code, const char *Name, const char *const *const *Flags>
class Fixture : public testing::Test {
protected:
  static void SetUpTestSuite() {
    std::vector<std::string> Args;
    for (const char *const *F = *Flags; F && *F; ++F)
      Args.push_back(*F);
    S = new test::Snippets(std::vector<test::SnippetFile>{{Name, *Code, Args}});
  }
  static void TearDownTestSuite() {
    delete S;
    S = nullptr;
  }
  static test::Snippets *S;
};
template <const char *const *Code, const char *Name, const char *const *const *Flags>
test::Snippets *Fixture<Code, Name, Flags>::S = nullptr;

const model::Setting *settingAt(const test::Snippets &S, const std::string &Concern,
                                const std::string &Option, unsigned Line) {
  for (const auto &St : S.M.Settings)
    if (St.Concern == Concern && St.Option == Option && St.Loc.Line == Line)
      return &St;
  return nullptr;
}

const model::CallSite &at(const test::Snippets &S, const std::string &Marker) {
  const auto *C = S.callAt(S.line(Marker));
  if (!C) {
    ADD_FAILURE() << "no call site at /*@" << Marker << "*/\n" << S.dump();
    static model::CallSite Empty;
    return Empty;
  }
  return *C;
}

const char *const NoFlagsList[] = {nullptr};
const char *const *const NoFlags = NoFlagsList;

// ------------------------------------------------------ MySQL Connector/C++
const char *const CppConnCode = R"cpp(
#include <mysql_driver.h>
#include <cppconn/driver.h>
#include <cppconn/connection.h>
#include <cppconn/statement.h>
#include <cppconn/prepared_statement.h>
#include <map>
#include <memory>
#include <string>

void withOptions() {
  sql::mysql::MySQL_Driver *driver = sql::mysql::get_mysql_driver_instance();
  sql::ConnectOptionsMap opts;
  opts["hostName"] = "tcp://mysql.internal:3306"; /*@host*/
  opts["userName"] = "app";
  opts["password"] = "hunter2"; /*@password*/
  opts["OPT_CONNECT_TIMEOUT"] = 3; /*@connectTimeout*/
  opts["OPT_READ_TIMEOUT"] = 10; /*@readTimeout*/
  std::unique_ptr<sql::Connection> con(driver->connect(opts)); /*@connect*/
  std::unique_ptr<sql::Statement> stmt(con->createStatement());
  stmt->executeQuery("SELECT 1"); /*@query*/
}

void withoutTimeout(sql::Driver *driver) {
  sql::Connection *con = driver->connect("tcp://mysql.internal:3306", "app", "hunter2"); /*@plainConnect*/
  sql::PreparedStatement *ps = con->prepareStatement("UPDATE t SET x = ? WHERE id = ?");
  ps->executeUpdate(); /*@update*/
}

void zeroReadTimeout(sql::Driver *driver) {
  sql::ConnectOptionsMap opts;
  opts["hostName"] = "tcp://mysql.internal:3306";
  opts["OPT_READ_TIMEOUT"] = 0; /*@zero*/
  sql::Connection *con = driver->connect(opts);
  sql::Statement *st = con->createStatement();
  st->execute("DELETE FROM sessions"); /*@zeroQuery*/
}

void queryTimeout(sql::Connection *con) {
  std::unique_ptr<sql::Statement> st(con->createStatement());
  st->setQueryTimeout(7); /*@setQueryTimeout*/
  st->executeQuery("SELECT * FROM big"); /*@slow*/
}

namespace fake { struct Statement { bool execute(const char *) { return true; } }; }
void lookAlike() {
  fake::Statement s;
  s.execute("SELECT 1");
  std::map<std::string, int> m;
  m["OPT_READ_TIMEOUT"] = 5; /*@fakeMap*/
}
)cpp";
constexpr char CppConnName[] = "cppconn.cpp";
using CppConn = Fixture<&CppConnCode, CppConnName, &NoFlags>;

TEST_F(CppConn, ReadTimeoutInTheOptionsMapBoundsStatementsOfTheConnection) {
  const auto &C = at(*S, "query");
  EXPECT_EQ(C.Library, "mysql-connector-cpp");
  EXPECT_EQ(C.Kind, "db");
  EXPECT_EQ(C.Operation, "sql::Statement::executeQuery");
  EXPECT_EQ(C.Handle, "stmt");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 10);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("readTimeout"))) << S->dump();
  EXPECT_FALSE(S->hasEvidenceAt(C.Timeout, S->line("connectTimeout")));
  EXPECT_EQ(C.Endpoint, "tcp://mysql.internal:3306");
}

TEST_F(CppConn, ConnectTimeoutBoundsTheConnect) {
  const auto &C = at(*S, "connect");
  EXPECT_EQ(C.Operation, "sql::mysql::MySQL_Driver::connect");
  EXPECT_EQ(C.Handle, "con");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 3);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("connectTimeout")));
  EXPECT_EQ(C.Endpoint, "tcp://mysql.internal:3306");
}

TEST_F(CppConn, PasswordKeyIsACredentialWhoseValueIsNeverKept) {
  const auto *P = settingAt(*S, "credential", "password", S->line("password"));
  ASSERT_NE(P, nullptr);
  EXPECT_EQ(P->Val.Str, "");
  EXPECT_EQ(P->Val.DependsOn, "literal");
  EXPECT_THAT(P->Val.Text, Not(HasSubstr("hunter2")));
  const auto *Q = settingAt(*S, "credential", "password", S->line("plainConnect"));
  ASSERT_NE(Q, nullptr) << "the password argument of connect(host, user, password)";
  EXPECT_EQ(Q->Val.Str, "");
  for (const auto &C : S->M.CallSites)
    EXPECT_THAT(C.Endpoint, Not(HasSubstr("hunter2")));
}

TEST_F(CppConn, PreparedStatementWithoutTimeoutIsAbsent) {
  const auto &C = at(*S, "update");
  EXPECT_EQ(C.Operation, "sql::PreparedStatement::executeUpdate");
  EXPECT_EQ(C.Handle, "ps");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("no client-side read or write timeout"));
  EXPECT_EQ(C.Endpoint, "tcp://mysql.internal:3306"); // the host argument of connect()
  const auto &Connect = at(*S, "plainConnect");
  EXPECT_EQ(Connect.Endpoint, "tcp://mysql.internal:3306");
  EXPECT_EQ(Connect.Timeout.Status, "absent");
}

TEST_F(CppConn, ExplicitZeroReadTimeoutIsNoTimeout) {
  const auto &C = at(*S, "zeroQuery");
  EXPECT_EQ(C.Operation, "sql::Statement::execute");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("OPT_READ_TIMEOUT is set to 0"));
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("zero")));
}

TEST_F(CppConn, SetQueryTimeoutBoundsItsStatement) {
  const auto &C = at(*S, "slow");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 7);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("setQueryTimeout")));
}

TEST_F(CppConn, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
  for (const auto &St : S->M.Settings)
    EXPECT_NE(St.Loc.Line, S->line("fakeMap")) << "std::map<std::string,int> is not ConnectOptionsMap";
}

// ------------------------------------------------------------ MongoDB C driver
const char *const MongocCode = R"cpp(
#include <mongoc/mongoc.h>
#include <string>

void withSocketTimeout() {
  mongoc_client_t *client = mongoc_client_new("mongodb://app:s3cret@mongo.internal:27017/?socketTimeoutMS=5000"); /*@uri*/
  mongoc_collection_t *coll = mongoc_client_get_collection(client, "shop", "orders");
  bson_t *doc = bson_new();
  mongoc_collection_insert_one(coll, doc, nullptr, nullptr, nullptr); /*@insert*/
}

void withUriSetter() {
  mongoc_uri_t *uri = mongoc_uri_new("mongodb://mongo.internal:27017");
  mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SOCKETTIMEOUTMS, 1500); /*@setSocket*/
  mongoc_client_t *client = mongoc_client_new_from_uri(uri);
  mongoc_collection_t *coll = mongoc_client_get_collection(client, "shop", "orders");
  mongoc_collection_count_documents(coll, nullptr, nullptr, nullptr, nullptr, nullptr); /*@count*/
}

void withDefaults() {
  mongoc_client_t *client = mongoc_client_new("mongodb://mongo.internal:27017/shop");
  bson_t cmd, reply;
  bson_error_t err;
  mongoc_client_command_simple(client, "admin", &cmd, nullptr, &reply, &err); /*@ping*/
}

void zeroSocketTimeout() {
  mongoc_client_t *client = mongoc_client_new("mongodb://mongo.internal/?socketTimeoutMS=0"); /*@zeroUri*/
  mongoc_collection_t *coll = mongoc_client_get_collection(client, "shop", "orders");
  mongoc_collection_delete_one(coll, nullptr, nullptr, nullptr, nullptr); /*@zeroDelete*/
}

void zeroThroughSetter() {
  mongoc_uri_t *uri = mongoc_uri_new("mongodb://mongo.internal");
  mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SOCKETTIMEOUTMS, 0); /*@zeroSetter*/
  mongoc_client_t *client = mongoc_client_new_from_uri(uri);
  mongoc_collection_t *coll = mongoc_client_get_collection(client, "shop", "orders");
  mongoc_collection_update_one(coll, nullptr, nullptr, nullptr, nullptr, nullptr); /*@zeroUpdate*/
}

void insecureTls() {
  mongoc_client_t *client = mongoc_client_new("mongodb://mongo.prod.example.com/?tls=true&tlsAllowInvalidCertificates=true"); /*@insecure*/
  mongoc_collection_t *coll = mongoc_client_get_collection(client, "shop", "orders");
  mongoc_collection_find_with_opts(coll, nullptr, nullptr, nullptr); /*@find*/
}

// Retryable writes from options kept in a constant and appended to the hosts.
constexpr const char kRetryOptions[] = "/?replicaSet=rs0&retryWrites=true";
struct Pings {
  mongoc_collection_t *coll;
  explicit Pings(const std::string &hosts) {
    const std::string uri = "mongodb://" + hosts + kRetryOptions; /*@retryUri*/
    mongoc_client_t *client = mongoc_client_new(uri.c_str());
    coll = mongoc_client_get_collection(client, "fleet", "pings");
  }
  void add(const bson_t *doc) {
    mongoc_collection_insert_one(coll, doc, nullptr, nullptr, nullptr); /*@retriedInsert*/
  }
  void purge(const bson_t *sel) {
    mongoc_collection_delete_many(coll, sel, nullptr, nullptr, nullptr); /*@multiDelete*/
  }
};

namespace fake { int mongoc_collection_insert_one(void *, const char *) { return 0; } }
void lookAlike() { fake::mongoc_collection_insert_one(nullptr, "{}"); }
)cpp";
constexpr char MongocName[] = "mongoc.cpp";
const char *const MongocFlagList[] = {"-I/usr/include/libmongoc-1.0", "-I/usr/include/libbson-1.0",
                                      nullptr};
const char *const *const MongocFlags = MongocFlagList; // pkg-config --cflags libmongoc-1.0
using Mongoc = Fixture<&MongocCode, MongocName, &MongocFlags>;

TEST_F(Mongoc, SocketTimeoutInTheUriBoundsCollectionOperations) {
  const auto &C = at(*S, "insert");
  EXPECT_EQ(C.Library, "mongoc");
  EXPECT_EQ(C.Kind, "db");
  EXPECT_EQ(C.Operation, "mongoc_collection_insert_one");
  EXPECT_EQ(C.Handle, "coll");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("uri")));
}

// retryWrites=true: the driver retries a single-document write once; multi-document
// writes are not retryable (https://mongoc.org/libmongoc/1.23.1/mongoc_uri_t.html).
TEST_F(Mongoc, RetryWritesInAConstantSuffixOfTheUriRetriesSingleDocumentWrites) {
  const auto &Insert = at(*S, "retriedInsert");
  EXPECT_EQ(Insert.Endpoint, "mongodb://{...}/?replicaSet=rs0&retryWrites=true");
  EXPECT_TRUE(Insert.Retry.Present) << S->dump();
  const auto &Purge = at(*S, "multiDelete");
  EXPECT_FALSE(Purge.Retry.Present) << "delete_many is not a retryable write";
  // The URI without retryWrites: no retry.
  EXPECT_FALSE(at(*S, "insert").Retry.Present);
}

TEST_F(Mongoc, EndpointIsTheUriWithThePasswordRedacted) {
  const auto &C = at(*S, "insert");
  EXPECT_EQ(C.Endpoint, "mongodb://app:***@mongo.internal:27017/?socketTimeoutMS=5000");
  for (const auto &X : S->M.CallSites)
    EXPECT_THAT(X.Endpoint, Not(HasSubstr("s3cret")));
}

TEST_F(Mongoc, UriOptionSetterBoundsTheClientBuiltFromTheUri) {
  const auto &C = at(*S, "count");
  EXPECT_EQ(C.Operation, "mongoc_collection_count_documents");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 1.5);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("setSocket")));
  EXPECT_EQ(C.Endpoint, "mongodb://mongo.internal:27017");
}

TEST_F(Mongoc, UnsetTimeoutIsTheFiniteDefault) {
  const auto &C = at(*S, "ping");
  EXPECT_EQ(C.Operation, "mongoc_client_command_simple");
  EXPECT_EQ(C.Handle, "client");
  EXPECT_EQ(C.Timeout.Status, "default") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 300);
  EXPECT_FALSE(C.Timeout.Unbounded);
  EXPECT_EQ(C.Endpoint, "mongodb://mongo.internal:27017/shop");
}

TEST_F(Mongoc, ExplicitZeroMeansTheDefaultInLibmongoc) {
  // libmongoc reads 0 for any *timeoutMS option as "use the default" (mongoc_uri_t docs;
  // mongoc_uri_get_option_as_int32 returns the fallback for 0), not as "no timeout".
  for (const char *M : {"zeroDelete", "zeroUpdate"}) {
    const auto &C = at(*S, M);
    EXPECT_EQ(C.Timeout.Status, "default") << M << "\n" << S->dump();
    ASSERT_TRUE(C.Timeout.Seconds);
    EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 300);
  }
  EXPECT_EQ(settingAt(*S, "timeout", "socketTimeoutMS", S->line("zeroUri")), nullptr);
  EXPECT_EQ(settingAt(*S, "timeout", "MONGOC_URI_SOCKETTIMEOUTMS", S->line("zeroSetter")), nullptr);
}

TEST_F(Mongoc, TlsOptionsInTheUriAreRecorded) {
  unsigned L = S->line("insecure");
  const auto *Tls = settingAt(*S, "tls", "tls", L);
  ASSERT_NE(Tls, nullptr);
  EXPECT_EQ(Tls->Val.Int, 1);
  const auto *Verify = settingAt(*S, "tls_verify", "tlsAllowInvalidCertificates", L);
  ASSERT_NE(Verify, nullptr);
  EXPECT_EQ(Verify->Val.K, model::Value::Kind::Int);
  EXPECT_EQ(Verify->Val.Int, 1);
  const auto &C = at(*S, "find");
  EXPECT_EQ(C.Timeout.Status, "default");
}

TEST_F(Mongoc, SameNamedFunctionInAnotherNamespaceDoesNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// -------------------------------------------------------------------- SOCI
const char *const SociCode = R"cpp(
#include <soci/soci.h>

void connectWithTimeout() {
  soci::session sql("postgresql", "host=pg.internal dbname=orders user=app password=hunter2 connect_timeout=4"); /*@sociConnect*/
}

void queryWithoutTimeout() {
  soci::session sql("postgresql", "host=pg.internal dbname=orders");
  int n = 0;
  sql << "select count(*) from orders", soci::into(n); /*@sociQuery*/
}

void mysqlReadTimeout() {
  soci::session sql;
  sql.open("mysql", "db=shop host=mysql.internal read_timeout=6 pass=hunter2"); /*@open*/
  sql << "delete from carts where stale = 1"; /*@mysqlQuery*/
}

void zeroConnectTimeout() {
  soci::session sql("postgresql", "host=pg.internal dbname=orders connect_timeout=0"); /*@zeroConnect*/
}

void statementExecute() {
  soci::session sql("mysql", "db=shop host=mysql.internal write_timeout=2 read_timeout=3");
  soci::statement st(sql);
  st.alloc();
  st.prepare("update t set x = 1");
  st.execute(true); /*@stExecute*/
}

namespace fake {
struct session {
  session &operator<<(const char *) { return *this; }
  void open(const char *, const char *) {}
};
}
void lookAlike() {
  fake::session s;
  s.open("postgresql", "host=x connect_timeout=1");
  s << "select 1";
}
)cpp";
constexpr char SociName[] = "soci.cpp";
using Soci = Fixture<&SociCode, SociName, &NoFlags>;

TEST_F(Soci, ConnectTimeoutInTheConnectString) {
  const auto &C = S->callIn("connectWithTimeout");
  EXPECT_EQ(C.Library, "soci");
  EXPECT_EQ(C.Operation, "soci::session::session");
  EXPECT_EQ(C.Handle, "sql");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 4);
  EXPECT_TRUE(S->hasEvidenceAt(C.Timeout, S->line("sociConnect")));
  EXPECT_EQ(C.Endpoint, "host=pg.internal dbname=orders user=app password=*** connect_timeout=4");
}

TEST_F(Soci, QueryThroughOperatorShiftWithoutTimeoutIsAbsent) {
  const auto &C = at(*S, "sociQuery");
  EXPECT_EQ(C.Operation, "soci::session::operator<<");
  EXPECT_EQ(C.Handle, "sql");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_EQ(C.Endpoint, "host=pg.internal dbname=orders");
}

TEST_F(Soci, DefaultConstructedSessionDoesNotConnectButOpenDoes) {
  const auto &Open = at(*S, "open");
  EXPECT_EQ(Open.Operation, "soci::session::open");
  const auto &Q = at(*S, "mysqlQuery");
  EXPECT_EQ(Q.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(Q.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*Q.Timeout.Seconds, 6);
  EXPECT_TRUE(S->hasEvidenceAt(Q.Timeout, S->line("open")));
  EXPECT_EQ(Q.Endpoint, "db=shop host=mysql.internal read_timeout=6 pass=***");
  size_t Sites = 0;
  for (const auto &C : S->M.CallSites)
    Sites += C.Function == "mysqlReadTimeout";
  EXPECT_EQ(Sites, 2u) << "`soci::session sql;` is not a connect\n" << S->dump();
}

TEST_F(Soci, ExplicitZeroConnectTimeoutIsNoTimeout) {
  const auto &C = S->callIn("zeroConnectTimeout");
  EXPECT_EQ(C.Timeout.Status, "absent") << S->dump();
  EXPECT_TRUE(C.Timeout.Unbounded);
  EXPECT_THAT(C.Timeout.Reason, HasSubstr("connect_timeout is set to"));
}

TEST_F(Soci, StatementDerivesFromItsSession) {
  const auto &C = at(*S, "stExecute");
  EXPECT_EQ(C.Operation, "soci::statement::execute");
  EXPECT_EQ(C.Handle, "st");
  EXPECT_EQ(C.Timeout.Status, "present") << S->dump();
  ASSERT_TRUE(C.Timeout.Seconds);
  EXPECT_DOUBLE_EQ(*C.Timeout.Seconds, 3); // the larger of read 3 s and write 2 s
}

TEST_F(Soci, LookAlikesDoNotMatch) {
  for (const auto &C : S->M.CallSites)
    EXPECT_NE(C.Function, "lookAlike") << S->dump();
}

// ------------------------------------------------ catalog validation of the new fields
std::string errorOf(const std::string &Json) {
  catalog::Catalog C;
  llvm::Error E = C.addJson("new.json", Json);
  return E ? llvm::toString(std::move(E)) : "";
}

TEST(CatalogDbFields, NewFieldsAreParsed) {
  catalog::Catalog C;
  llvm::Error E = C.addJson("ok.json", R"({"id": "x", "kind": "db",
    "operations": [{"name": "::ns::session::operator<<", "handle": "object", "min_args": 1}],
    "uri_options": [{"option": "connectTimeoutMS", "concern": "timeout", "scope": "connect", "unit": "ms",
                     "value_semantics": "zero_is_default"}],
    "setters": [{"name": "::ns::Options", "subscript_assignment": true,
                 "options": [{"option": "KEY", "concern": "endpoint"}]},
                {"name": "::ns::conn::stmt", "handle": "result", "value_arg": "object", "options": [{"concern": "derive"}]},
                {"name": "::ns::open", "handle": "result", "value_arg": 0,
                 "options": [{"concern": "endpoint", "value_semantics": "uri_options"}]}]})");
  ASSERT_FALSE(E) << llvm::toString(std::move(E));
  const auto *L = C.library("x");
  ASSERT_NE(L, nullptr);
  EXPECT_EQ(L->Operations[0].MinArgs, 1u);
  ASSERT_NE(L->uriOption("CONNECTTIMEOUTMS"), nullptr) << "keys compare case-insensitively";
  EXPECT_EQ(L->uriOption("connecttimeoutms")->Unit, "ms");
  EXPECT_TRUE(L->Setters[0].SubscriptAssignment);
  EXPECT_EQ(L->Setters[0].OptionArg, 0);
  EXPECT_EQ(L->Setters[0].ValueArg, 1);
  EXPECT_EQ(L->Setters[0].Handle.K, catalog::HandleSpec::Kind::Object);
  EXPECT_TRUE(L->Setters[1].ValueIsObject);
}

TEST(CatalogDbFields, ProblemsNameFileEntryAndField) {
  EXPECT_THAT(errorOf(R"({"id": "x", "kind": "db", "operations": [{"name": "::f"}],
    "uri_options": [{"concern": "timeout", "unit": "ms"}]})"),
              HasSubstr("new.json: entry 'x': uri_options[0].option:"));
  EXPECT_THAT(errorOf(R"({"id": "x", "kind": "db", "operations": [{"name": "::f"}],
    "uri_options": [{"option": "k", "concern": "timeout", "unit": "ms", "value_semantics": "zero_is_nothing"}]})"),
              HasSubstr("new.json: entry 'x': uri_options[0].value_semantics: unknown value semantics"));
  EXPECT_THAT(errorOf(R"({"id": "x", "kind": "db", "operations": [{"name": "::f"}],
    "setters": [{"name": "::g", "value_arg": 0, "options": [{"concern": "endpoint", "value_semantics": "uri_options"}]}]})"),
              HasSubstr("new.json: entry 'x': setters[0].options[0].value_semantics:"));
  EXPECT_THAT(errorOf(R"({"id": "x", "kind": "db", "operations": [{"name": "::f"}],
    "setters": [{"name": "::M", "subscript_assignment": "yes", "options": [{"option": "K", "concern": "endpoint"}]}]})"),
              HasSubstr("new.json: entry 'x': setters[0].subscript_assignment: expected true or false"));
  EXPECT_THAT(errorOf(R"({"id": "x", "kind": "db", "operations": [{"name": "::f"}],
    "setters": [{"name": "::g", "value_arg": "objekt", "options": [{"concern": "derive"}]}]})"),
              HasSubstr("new.json: entry 'x': setters[0].value_arg: expected a non-negative integer or \"object\""));
  EXPECT_THAT(errorOf(R"({"id": "x", "kind": "db", "operations": [{"name": "::f", "min_args": -1}]})"),
              HasSubstr("new.json: entry 'x': operations[0].min_args: expected a non-negative integer"));
  EXPECT_THAT(errorOf(R"({"id": "x", "kind": "db", "operations": [{"name": "::ns::operator<<x"}]})"),
              HasSubstr("new.json: entry 'x': operations[0].name:"));
}

} // namespace

// SOCI's MySQL backend spells the password `pass=`: it is redacted like `password=`.
#include "support/Secrets.h"
namespace {
TEST(CatalogDbFields, PassKeyOfSociMysqlConnectStringsIsRedacted) {
  EXPECT_EQ(support::redactSecrets("db=shop host=h pass=hunter2 read_timeout=4"),
            "db=shop host=h pass=*** read_timeout=4");
  EXPECT_THAT(support::redactSecrets("db=shop host=h pass=hunter2"), Not(HasSubstr("hunter2")));
  EXPECT_EQ(support::secretKind("db=shop host=h pass=hunter2"), "password in a connection string");
  EXPECT_EQ(support::secretKind("mode=bypass=1"), "") << "secret detection wants a word boundary";
}
} // namespace
