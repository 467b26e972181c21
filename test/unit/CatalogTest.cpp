#include "catalog/Catalog.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>
#include <gtest/gtest.h>

using namespace im::catalog;
using testing::HasSubstr;

TEST(Catalog, BuiltinLoadsAndIndexesOperations) {
  auto C = Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
  auto [Lib, Op] = C->lookupOperation("::curl_easy_perform");
  ASSERT_NE(Lib, nullptr);
  EXPECT_EQ(Lib->Id, "libcurl");
  EXPECT_EQ(Op->Handle.str(), "arg0");
  EXPECT_EQ(C->lookupOperation("curl_easy_perform").first, Lib) << "leading :: is optional";
  EXPECT_EQ(C->lookupOperation("other::curl_easy_perform").first, nullptr);
  auto Setters = C->lookupSetters("curl_easy_setopt");
  ASSERT_EQ(Setters.size(), 1u);
  const Option *O = Setters[0].second->find("CURLOPT_TIMEOUT_MS");
  ASSERT_NE(O, nullptr);
  EXPECT_EQ(O->Unit, "ms");
  EXPECT_EQ(O->Semantics, "zero_is_infinite");
}

TEST(Catalog, ValidationNamesFileEntryAndField) {
  Catalog C;
  llvm::Error E = C.addJson("user.json", R"({"id": "acme", "kind": "http",
    "default_timout": {"seconds": 5},
    "operations": [{"name": "acme::send it", "handle": "arg0", "lable": "send"}, {"name": "::acme::Client::get", "handle": "self"}],
    "setters": [{"name": "::acme::setTimeout", "handle": "arg0", "value_arg": 1,
                 "options": [{"concern": "timeout", "unit": "minutes"}]}]})");
  ASSERT_TRUE(static_cast<bool>(E));
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_THAT(Msg, HasSubstr("user.json: entry 'acme': operations[0].name: expected a qualified "
                             "name like '::redisCommand'"));
  EXPECT_THAT(Msg, HasSubstr("user.json: entry 'acme': default_timout: unknown field"));
  EXPECT_THAT(Msg, HasSubstr("user.json: entry 'acme': operations[0].lable: unknown field"));
  EXPECT_THAT(Msg, HasSubstr("user.json: entry 'acme': operations[1].handle: expected none, "
                             "object, result, call or argN, got 'self'"));
  EXPECT_THAT(Msg, HasSubstr("user.json: entry 'acme': setters[0].options[0].unit: expected s, ms, "
                             "us or timeval, got 'minutes'"));
}

TEST(Catalog, SyntaxErrorKeepsLineAndColumn) {
  Catalog C;
  llvm::Error E = C.addJson("broken.json", "{\n  \"id\": \"x\",\n  \"kind\": http\n}");
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_THAT(llvm::toString(std::move(E)), HasSubstr("broken.json:3:"));
}

TEST(Catalog, DuplicateIdIsRejected) {
  auto C = Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(C));
  llvm::Error E = C->addJson("mine.json", R"({"id": "libcurl", "kind": "http",
     "operations": [{"name": "::x", "handle": "none"}]})");
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_THAT(llvm::toString(std::move(E)),
              HasSubstr("mine.json: entry 'libcurl': id: duplicate library id (already defined "
                        "in matchers/catalog/libcurl.json)"));
}

TEST(CatalogExtensions, HandlePassthroughAndOperationPatternsAreParsed) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"({"id": "rpc", "kind": "rpc",
    "handle_passthrough": ["::acme::lowest"],
    "operation_patterns": [{"class_names": ["Stub"], "param_type": "::acme::Context", "label": "RPC"}]})");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  const Library *L = C.library("rpc");
  ASSERT_NE(L, nullptr);
  EXPECT_EQ(L->HandlePassthrough, std::vector<std::string>{"::acme::lowest"});
  ASSERT_EQ(L->OperationPatterns.size(), 1u);
  EXPECT_EQ(L->OperationPatterns[0].ParamType, "::acme::Context");
  EXPECT_EQ(L->OperationPatterns[0].ClassNames, std::vector<std::string>{"Stub"});
}

TEST(CatalogExtensions, BadExtensionsNameTheField) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"({"id": "rpc", "kind": "rpc",
    "handle_passthrough": ["lowest"],
    "operation_patterns": [{"class_names": [], "param_type": "Context"}]})");
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'rpc': handle_passthrough[0]: expected a qualified name"));
  EXPECT_THAT(Msg, HasSubstr("operation_patterns[0].param_type"));
  EXPECT_THAT(Msg, HasSubstr("operation_patterns[0].class_names"));
}

TEST(CatalogExtensions, FieldAssignmentSetterTakesTheOwningObjectAndTheAssignedValue) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"({"id": "cfg", "kind": "cache",
    "operations": [{"name": "::acme::Client::get", "handle": "object"}],
    "setters": [{"name": "::acme::Options::timeout_ms", "field_assignment": true,
                 "options": [{"concern": "timeout", "unit": "ms"}]}]})");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  auto Setters = C.lookupSetters("::acme::Options::timeout_ms");
  ASSERT_EQ(Setters.size(), 1u);
  EXPECT_TRUE(Setters[0].second->FieldAssignment);
  EXPECT_EQ(Setters[0].second->Handle.str(), "object");
  EXPECT_EQ(Setters[0].second->ValueArg, 0);
}

TEST(CatalogExtensions, OperationDefaultAndObjectValueArePerEntryFields) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"({"id": "mq", "kind": "queue",
    "default_timeout": {"seconds": null, "source": "doc"},
    "default_retry": {"attempts": 3, "backoff": true, "source": "doc"},
    "operations": [{"name": "::mq::Client::connect", "handle": "result",
                    "default_timeout": {"seconds": 30, "text": "30 s", "source": "doc"}},
                   {"name": "::mq::Client::publish", "handle": "result"}],
    "setters": [{"name": "::mq::Client::publish", "handle": "result", "value_arg": "object",
                 "options": [{"concern": "derive"}]}]})");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  const Library *L = C.library("mq");
  ASSERT_NE(L, nullptr);
  EXPECT_FALSE(L->Default.Seconds);
  ASSERT_TRUE(L->DefaultRetry);
  EXPECT_EQ(L->DefaultRetry->Attempts, 3);
  auto [Lib, Connect] = C.lookupOperation("::mq::Client::connect");
  ASSERT_NE(Connect, nullptr);
  ASSERT_TRUE(Connect->Default);
  ASSERT_TRUE(Connect->Default->Seconds);
  EXPECT_EQ(*Connect->Default->Seconds, 30);
  EXPECT_FALSE(C.lookupOperation("::mq::Client::publish").second->Default);
  auto Setters = C.lookupSetters("::mq::Client::publish");
  ASSERT_EQ(Setters.size(), 1u);
  EXPECT_TRUE(Setters[0].second->ValueIsObject);
  EXPECT_EQ(Setters[0].second->ValueArg, -1);
}

TEST(CatalogExtensions, BadOperationDefaultValueArgAndRetryNameTheField) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"({"id": "mq", "kind": "queue",
    "default_retry": {"attempts": 0, "source": "doc"},
    "operations": [{"name": "::mq::Client::connect", "handle": "object",
                    "default_timeout": {"seconds": "30"}}],
    "setters": [{"name": "::mq::Client::publish", "handle": "result", "value_arg": "self",
                 "options": [{"concern": "derive"}]},
                {"name": "::mq::Options::timeout", "field_assignment": true, "value_arg": "object",
                 "options": [{"concern": "timeout", "unit": "ms"}]}]})");
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': operations[0].default_timeout: expected "
                             "{\"seconds\": N|null, \"source\": \"<doc>\"}"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': setters[0].value_arg: expected a non-negative "
                             "integer or \"object\""));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': setters[1].value_arg: a field_assignment "
                             "setter's value is the right-hand side"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': default_retry.attempts: expected the number "
                             "of attempts, at least 1"));
}

TEST(CatalogExtensions, ArgCountExtraHandlesAndValueTypesAreParsed) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"json({"id": "net", "kind": "http",
    "value_types": [{"type": "::acme::Span", "constants": {"::acme::Span::SECONDS": 1000},
                     "constructors": [{"seconds_per_arg": [1, 0.001]}]}],
    "operations": [{"name": "::acme::Manager::get", "handle": "object", "extra_handles": ["arg0"]}],
    "setters": [{"name": "::acme::Session::setTimeout", "arg_count": 3, "handle": "object", "value_arg": 2,
                 "options": [{"option": "setTimeout(receive)", "concern": "timeout", "scope": "read", "unit": "us"}]}]})json");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  const Library *L = C.library("net");
  ASSERT_NE(L, nullptr);
  ASSERT_EQ(L->ValueTypes.size(), 1u);
  EXPECT_EQ(L->ValueTypes[0].Type, "::acme::Span");
  ASSERT_EQ(L->ValueTypes[0].Constructors.size(), 1u);
  EXPECT_EQ(L->ValueTypes[0].Constructors[0].Args, 2u);
  EXPECT_EQ(L->ValueTypes[0].Constructors[0].SecondsPerArg, (std::vector<double>{1, 0.001}));
  EXPECT_EQ(L->ValueTypes[0].Constants, (std::map<std::string, double>{{"acme::Span::SECONDS", 1000}}));
  ASSERT_EQ(L->Operations[0].ExtraHandles.size(), 1u);
  EXPECT_EQ(L->Operations[0].ExtraHandles[0].str(), "arg0");
  EXPECT_EQ(L->Setters[0].ArgCount, 3);
  EXPECT_EQ(L->Setters[0].Options[0].Name, "setTimeout(receive)");
}

TEST(CatalogExtensions, BadArgCountExtraHandlesAndValueTypesNameTheField) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"json({"id": "net", "kind": "http",
    "value_types": [{"type": "Span", "constants": {"SECONDS": 1000000},
                     "constructors": [{"seconds_per_arg": []}, {"seconds_per_arg": ["s"]}]},
                    {"type": "::acme::Other"}],
    "operations": [{"name": "::acme::Manager::get", "handle": "object", "extra_handles": ["call", "arg"]},
                   {"name": "::acme::Manager::put", "handle": "object", "extra_handles": "arg0"}],
    "setters": [{"name": "::acme::Session::setTimeout", "arg_count": -1, "handle": "object", "value_arg": 0,
                 "options": [{"concern": "timeout", "unit": "us"}]},
                {"name": "::acme::Session::setTimeout", "arg_count": 1, "handle": "object", "value_arg": 1,
                 "options": [{"concern": "timeout", "unit": "us"}]}]})json");
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'net': value_types[0].type: expected a qualified class name"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'net': value_types[0].constructors[0].seconds_per_arg: "
                             "expected a non-empty array of numbers"));
  EXPECT_THAT(Msg, HasSubstr("value_types[0].constructors[1].seconds_per_arg: expected numbers"));
  EXPECT_THAT(Msg, HasSubstr("value_types[1].constructors: expected a non-empty array"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'net': value_types[0].constants.SECONDS: expected a "
                             "qualified name like '::Poco::Timespan::SECONDS' with a number"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'net': operations[0].extra_handles[0]: expected argN or object"));
  EXPECT_THAT(Msg, HasSubstr("operations[0].extra_handles[1]: expected argN or object"));
  EXPECT_THAT(Msg, HasSubstr("operations[1].extra_handles: expected an array"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'net': setters[0].arg_count: expected a non-negative integer"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'net': setters[1].value_arg: value_arg is beyond arg_count"));
}

TEST(CatalogKnowledge, RolesManifestNamesAndTransportAreData) {
  auto C = Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
  const Library *Mongo = C->library("mongoc");
  ASSERT_NE(Mongo, nullptr);
  EXPECT_EQ(Mongo->Role, "MongoDB");
  EXPECT_EQ(C->libraryForManifestName("mongo-c-driver"), Mongo);
  EXPECT_EQ(C->libraryForManifestName("mongo::mongoc_shared"), Mongo) << "a manifest_prefixes entry";
  EXPECT_EQ(C->library("sqlite")->Role, "SQLite");
  EXPECT_EQ(C->libraryForManifestName("sqlite3")->Id, "sqlite");
  EXPECT_EQ(C->libraryForManifestName("fmt"), nullptr);
  EXPECT_EQ(C->library("hiredis")->Transport.DefaultScheme, "redis");
  EXPECT_EQ(C->library("hiredis")->Transport.DefaultPort, 6379);
  EXPECT_TRUE(C->library("libcurl")->Transport.VerifiesByDefault);
  EXPECT_EQ(C->library("libcurl")->Transport.SchemeByHostPrefix.at("ftp."), "ftp");
  // Every built_on id names a library of the catalog.
  for (const auto &L : C->libraries())
    for (const auto &B : L.BuiltOn)
      EXPECT_NE(C->library(B), nullptr) << L.Id << " built_on " << B;
  EXPECT_EQ(C->library("libpqxx")->BuiltOn, std::vector<std::string>{"libpq"});
}

TEST(CatalogKnowledge, BadKnowledgeFieldsNameTheField) {
  auto C = Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(C));
  llvm::Error E = C->addJson("valkey.json", R"({"id": "valkey", "kind": "cache", "role": "",
    "headers": ["v.h"], "manifest_names": ["Valkey", "hiredis"], "built_on": ["valkey"],
    "transport": {"default_port": 70000, "tls_by_default": "no", "default_sheme": "redis"},
    "default_timeout": {"seconds": null, "source": "s"},
    "operations": [{"name": "::valkey::Client::get", "handle": "object"}]})");
  ASSERT_TRUE(static_cast<bool>(E));
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_THAT(Msg, HasSubstr("valkey.json: entry 'valkey': role: expected"));
  EXPECT_THAT(Msg, HasSubstr("entry 'valkey': manifest_names[0]: expected lower-case"));
  EXPECT_THAT(Msg, HasSubstr("manifest_names: 'hiredis' already names library 'hiredis'"));
  EXPECT_THAT(Msg, HasSubstr("built_on: a library is not built on itself"));
  EXPECT_THAT(Msg, HasSubstr("transport.default_port: expected a port number"));
  EXPECT_THAT(Msg, HasSubstr("transport.tls_by_default: expected true or false"));
  EXPECT_THAT(Msg, HasSubstr("transport.default_sheme: unknown field"));
  // The same entry with its fields right loads.
  llvm::Error Ok = C->addJson("valkey.json", R"({"id": "valkey", "kind": "cache", "role": "Redis",
    "headers": ["v.h"], "manifest_names": ["valkey-cpp"], "built_on": ["hiredis"],
    "transport": {"default_scheme": "redis", "default_port": 6379, "tls_by_default": false},
    "default_timeout": {"seconds": null, "source": "s"},
    "operations": [{"name": "::valkey::Client::get", "handle": "object"}]})");
  ASSERT_FALSE(static_cast<bool>(Ok)) << llvm::toString(std::move(Ok));
  EXPECT_EQ(C->libraryForManifestName("valkey-cpp")->Id, "valkey");
}

TEST(CatalogKnowledge, TlsParameterSaysWhatEachValueSelects) {
  auto C = Catalog::loadBuiltin();
  ASSERT_TRUE(static_cast<bool>(C));
  const auto &Pq = C->library("libpq")->Transport;
  EXPECT_EQ(Pq.TlsParameter.Key, "sslmode");
  EXPECT_EQ(Pq.TlsParameter.select("DISABLE"), "off");
  EXPECT_EQ(Pq.TlsParameter.select(Pq.TlsParameter.Absent), "try"); // libpq's default prefer
  EXPECT_EQ(Pq.TlsParameter.select("verify-full"), "verified");
  EXPECT_EQ(Pq.TlsParameter.select("sometimes"), "");
  EXPECT_EQ(C->library("libcurl")->Transport.RequireTls, "CURLUSESSL_ALL");
  // A default that is none of the listed values, an unknown selection and a
  // missing key are named.
  llvm::Error E = C->addJson("pg2.json", R"({"id": "pg2", "kind": "db",
    "headers": ["pg2.h"], "default_timeout": {"seconds": null, "source": "s"},
    "transport": {"require_tls": "", "tls_parameter": {"absent": "maybe", "off": ["disable"],
                                                       "sometimes": ["x"]}},
    "operations": [{"name": "::pg2::exec", "handle": "arg0"}]})");
  ASSERT_TRUE(static_cast<bool>(E));
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_THAT(Msg, HasSubstr("transport.require_tls: expected what to write to require TLS"));
  EXPECT_THAT(Msg, HasSubstr("transport.tls_parameter.sometimes: unknown field"));
  EXPECT_THAT(Msg, HasSubstr("transport.tls_parameter.key: expected the connection-string key"));
  EXPECT_THAT(Msg, HasSubstr("transport.tls_parameter.absent: expected one of the listed values"));
}

TEST(CatalogMitigations, LibraryAndOperationSnippetsAndFixIt) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"json({"id": "mq", "kind": "queue",
    "mitigations": {"timeout": "{handle}.setTimeout(5);", "success": "{handle}.ok()"},
    "operations": [
      {"name": "::mq::Client::send", "handle": "object",
       "fix_it": "{handle}.setTimeout({timeout_ms});"},
      {"name": "::mq::Pool::drive", "handle": "object",
       "mitigations": {"timeout": "// bound each client before adding it to {handle}"}}]})json");
  ASSERT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
  EXPECT_EQ(C.mitigationsFor("mq", "mq::Client::send").Timeout, "{handle}.setTimeout(5);");
  // An operation's own snippet replaces the library's; the rest stays the library's.
  EXPECT_EQ(C.mitigationsFor("mq", "::mq::Pool::drive").Timeout,
            "// bound each client before adding it to {handle}");
  EXPECT_EQ(C.mitigationsFor("mq", "::mq::Pool::drive").Success, "{handle}.ok()");
  EXPECT_EQ(C.mitigationsFor("other", "::mq::Pool::drive").Timeout, "");
  EXPECT_EQ(C.lookupOperation("::mq::Client::send").second->FixIt, "{handle}.setTimeout({timeout_ms});");
  EXPECT_EQ(C.lookupOperation("::mq::Pool::drive").second->FixIt, "");
  // The short form still reads.
  Catalog Short;
  ASSERT_FALSE(static_cast<bool>(Short.addJson("s.json", R"json({"id": "s", "kind": "db",
    "timeout_fix": "busy({handle}, 2000);", "operations": [{"name": "::s_exec", "handle": "arg0"}]})json")));
  EXPECT_EQ(Short.mitigationsFor("s", "s_exec").Timeout, "busy({handle}, 2000);");
}

TEST(CatalogMitigations, BadSnippetsAndFixItNameTheField) {
  Catalog C;
  llvm::Error E = C.addJson("ext.json", R"json({"id": "mq", "kind": "queue",
    "mitigations": {"timout": "x", "retry": 3},
    "timeout_fix": "y", "operations": [
      {"name": "::mq::Client::send", "handle": "object", "fix_it": "{handle}.setTimeout(5000);",
       "mitigations": "none"}]})json");
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': mitigations.timout: unknown field (expected "
                             "success, timeout, retry, health or fallback)"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': mitigations.retry: expected C++ text, with "
                             "{handle} for the call's handle"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': operations[0].fix_it: expected one statement "
                             "with {handle} and {timeout_ms}"));
  EXPECT_THAT(Msg, HasSubstr("ext.json: entry 'mq': operations[0].mitigations: expected an object"));
  Catalog Both;
  std::string Twice = llvm::toString(Both.addJson("b.json", R"json({"id": "b", "kind": "db",
    "mitigations": {"timeout": "a({handle});"}, "timeout_fix": "b({handle});",
    "operations": [{"name": "::b_exec", "handle": "arg0"}]})json"));
  EXPECT_THAT(Twice, HasSubstr("b.json: entry 'b': timeout_fix: mitigations.timeout is also set: keep one"));
}

namespace {
/// A user's entry with every boolean field a catalog entry has, each false.
nlohmann::json entryWithBooleans() {
  return nlohmann::json::parse(R"({"id": "acme-db", "kind": "db", "headers": ["acme/db.h"],
    "mirror_header": false,
    "transport": {"tls_by_default": false, "verifies_by_default": false},
    "default_retry": {"attempts": 2, "backoff": false, "source": "acme docs"},
    "operations": [{"name": "::acme::Db::query", "handle": "object",
                    "only_if_connected": false, "completes_previous": false,
                    "not_to_peer": false}],
    "setters": [{"name": "::acme::Db::set", "handle": "object", "option_arg": 0, "value_arg": 1,
                 "sql_set": false, "field_assignment": false, "subscript_assignment": false,
                 "options": [{"option": "statement_timeout", "concern": "timeout", "unit": "ms"}]}]})");
}
} // namespace

TEST(CatalogTypes, ABooleanFieldOfAnotherTypeIsOneLineNamingTheField) {
  const std::pair<const char *, nlohmann::json> Bad[] = {
      {"/mirror_header", nullptr},
      {"/transport/tls_by_default", "no"},
      {"/transport/verifies_by_default", "x"},
      {"/default_retry/backoff", "yes"},
      {"/operations/0/only_if_connected", 1},
      {"/operations/0/completes_previous", "true"},
      {"/operations/0/not_to_peer", "no"},
      {"/setters/0/sql_set", "yes"},
      {"/setters/0/field_assignment", 0},
      {"/setters/0/subscript_assignment", nlohmann::json::array()}};
  for (const auto &[Pointer, Value] : Bad) {
    nlohmann::json E = entryWithBooleans();
    E[nlohmann::json::json_pointer(Pointer)] = Value;
    // "/setters/0/sql_set" is written "setters[0].sql_set".
    std::string Field = std::string(Pointer).substr(1);
    for (size_t At; (At = Field.find("/0/")) != std::string::npos;)
      Field.replace(At, 3, "[0].");
    for (size_t At; (At = Field.find('/')) != std::string::npos;)
      Field[At] = '.';
    Catalog C;
    EXPECT_EQ(llvm::toString(C.addJson("acme.json", E.dump())),
              "acme.json: entry 'acme-db': " + Field + ": expected true or false")
        << Pointer;
    EXPECT_EQ(C.library("acme-db"), nullptr);
  }
  // The same entry with booleans loads, and true is read as true.
  Catalog C;
  nlohmann::json E = entryWithBooleans();
  E["operations"][0]["only_if_connected"] = true;
  E["setters"][0]["sql_set"] = true;
  E["transport"]["verifies_by_default"] = true;
  ASSERT_FALSE(static_cast<bool>(C.addJson("acme.json", E.dump())));
  ASSERT_NE(C.library("acme-db"), nullptr);
  EXPECT_TRUE(C.library("acme-db")->Operations[0].OnlyIfConnected);
  EXPECT_FALSE(C.library("acme-db")->Operations[0].CompletesPrevious);
  EXPECT_TRUE(C.library("acme-db")->Setters[0].SqlSet);
  EXPECT_TRUE(C.library("acme-db")->Transport.VerifiesByDefault);
  EXPECT_FALSE(C.library("acme-db")->MirrorHeader);
}

TEST(CatalogTypes, AFileThatIsNotUtf8IsNamedAtItsFirstBadByte) {
  Catalog C;
  EXPECT_EQ(llvm::toString(C.addJson("acme.json", "{\"id\": \"acme-db\",\n \"name\": \"M\xFC"
                                                  "nchen DB\", \"kind\": \"db\"}")),
            "acme.json:2:12: not UTF-8 (byte 0xFC)");
}

namespace {
/// A user's entry with every text, number and list field a catalog entry has.
nlohmann::json entryWithEveryField() {
  return nlohmann::json::parse(R"({"id": "acme-db", "name": "Acme DB", "kind": "db",
    "debian_package": "libacme-dev", "headers": ["acme/db.h"], "kind_by_scheme": {"acmes": "db"},
    "default_timeout": {"seconds": 30, "connect_seconds": 5, "text": "30 s", "source": "acme docs"},
    "default_retry": {"attempts": 2, "backoff": false, "source": "acme retry docs"},
    "operations": [{"name": "::acme::Db::query", "handle": "object", "label": "run query",
                    "timeout_scopes": ["total"]}],
    "setters": [{"name": "::acme::Db::set", "handle": "object", "option_arg": 0, "value_arg": 1,
                 "options": [{"option": "statement_timeout", "concern": "timeout", "scope": "total",
                              "unit": "ms", "value_semantics": "zero_is_infinite"}]}],
    "operation_patterns": [{"class_names": ["Stub"], "param_type": "::acme::Context",
                            "label": "acme rpc"}]})");
}
} // namespace

TEST(CatalogTypes, ATextNumberOrListFieldOfAnotherTypeIsOneLineNamingTheField) {
  struct Case {
    const char *Pointer;
    nlohmann::json Value;
    const char *Line;
  };
  const Case Bad[] = {
      {"/id", 5, "acme.json: libraries[0].id: expected a string"},
      {"/name", 5, "acme.json: entry 'acme-db': name: expected a string"},
      {"/debian_package", nlohmann::json::array({"libacme-dev"}),
       "acme.json: entry 'acme-db': debian_package: expected a string"},
      {"/headers", "acme/db.h", "acme.json: entry 'acme-db': headers: expected an array of header paths"},
      {"/headers/0", 5, "acme.json: entry 'acme-db': headers[0]: expected a header path"},
      {"/kind_by_scheme", "db", "acme.json: entry 'acme-db': kind_by_scheme: expected an object of URL "
                                "schemes and kinds"},
      {"/kind_by_scheme/acmes", 5, "acme.json: entry 'acme-db': kind_by_scheme.acmes: expected one of "
                                   "http, db, cache, queue, email, rpc, cloud, local, tcp"},
      {"/default_timeout/text", 30, "acme.json: entry 'acme-db': default_timeout.text: expected a string"},
      {"/default_timeout/connect_seconds", "5",
       "acme.json: entry 'acme-db': default_timeout.connect_seconds: expected a number of seconds"},
      {"/default_retry/source", nlohmann::json::object(),
       "acme.json: entry 'acme-db': default_retry.source: expected a string"},
      {"/operations/0/label", 5, "acme.json: entry 'acme-db': operations[0].label: expected a string"},
      {"/operations/0/handle", 0, "acme.json: entry 'acme-db': operations[0].handle: expected a string"},
      {"/operations/0/timeout_scopes", "total",
       "acme.json: entry 'acme-db': operations[0].timeout_scopes: expected an array of total, connect, "
       "read, write or async"},
      {"/setters/0/options/0/option", 7,
       "acme.json: entry 'acme-db': setters[0].options[0].option: expected a string"},
      {"/setters/0/options/0/scope", nlohmann::json::array({"total"}),
       "acme.json: entry 'acme-db': setters[0].options[0].scope: expected a string"},
      {"/setters/0/options/0/unit", nullptr,
       "acme.json: entry 'acme-db': setters[0].options[0].unit: expected a string"},
      {"/setters/0/options/0/value_semantics", nlohmann::json::object(),
       "acme.json: entry 'acme-db': setters[0].options[0].value_semantics: expected a string"},
      {"/operation_patterns/0/label", false,
       "acme.json: entry 'acme-db': operation_patterns[0].label: expected a string"}};
  for (const auto &[Pointer, Value, Line] : Bad) {
    nlohmann::json E = entryWithEveryField();
    E[nlohmann::json::json_pointer(Pointer)] = Value;
    Catalog C;
    EXPECT_EQ(llvm::toString(C.addJson("acme.json", E.dump())), Line) << Pointer;
    EXPECT_EQ(C.library("acme-db"), nullptr) << Pointer;
  }
  // The same entry with every field of its type loads, each value read.
  Catalog C;
  ASSERT_FALSE(static_cast<bool>(C.addJson("acme.json", entryWithEveryField().dump())));
  const Library *L = C.library("acme-db");
  ASSERT_NE(L, nullptr);
  EXPECT_EQ(L->Name, "Acme DB");
  EXPECT_EQ(L->Package, "libacme-dev");
  EXPECT_EQ(L->Headers, std::vector<std::string>{"acme/db.h"});
  EXPECT_EQ(L->KindByScheme.at("acmes"), "db");
  EXPECT_EQ(L->Default.Text, "30 s");
  EXPECT_EQ(L->Default.ConnectSeconds, 5);
  ASSERT_TRUE(L->DefaultRetry.has_value());
  EXPECT_EQ(L->DefaultRetry->Source, "acme retry docs");
  EXPECT_EQ(L->Operations[0].Label, "run query");
  EXPECT_EQ(L->Operations[0].Handle.str(), "object");
  EXPECT_EQ(L->Operations[0].TimeoutScopes, std::vector<std::string>{"total"});
  const Option &O = L->Setters[0].Options[0];
  EXPECT_EQ(O.Name, "statement_timeout");
  EXPECT_EQ(O.Scope, "total");
  EXPECT_EQ(O.Unit, "ms");
  EXPECT_EQ(O.Semantics, "zero_is_infinite");
  EXPECT_EQ(L->OperationPatterns[0].Label, "acme rpc");
}
