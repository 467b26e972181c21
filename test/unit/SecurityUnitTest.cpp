// lib-only parts of the security analysis: fact round trip, redaction,
// and the assessment over hand-written facts (a catalog option's value semantics).
#include "analysis/Security.h"
#include "model/Facts.h"
#include "model/Redact.h"
#include "support/Secrets.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace im;

TEST(SecurityFacts, JsonRoundTrip) {
  model::TUFacts F;
  F.Unit.File = "a.cpp";
  model::SecurityFact S;
  S.Type = "verify_callback";
  S.Kind = "accepts_all";
  S.Callee = "SSL_CTX_set_verify";
  S.Detail = "`acceptAll`";
  S.HandleKey = "param:f(SSL_CTX *)#0";
  S.Loc = {"a.cpp", 12, 3};
  S.Related = {"a.cpp", 4, 12};
  S.FunctionKey = "f(SSL_CTX *)";
  F.Security.push_back(S);
  model::TUFacts G = model::tuFactsFromJson(model::toJson(F));
  ASSERT_EQ(G.Security.size(), 1u);
  const auto &T = G.Security[0];
  EXPECT_EQ(T.Type, S.Type);
  EXPECT_EQ(T.Kind, S.Kind);
  EXPECT_EQ(T.Callee, S.Callee);
  EXPECT_EQ(T.Detail, S.Detail);
  EXPECT_EQ(T.HandleKey, S.HandleKey);
  EXPECT_EQ(T.Loc, S.Loc);
  EXPECT_EQ(T.Related, S.Related);
  EXPECT_EQ(T.FunctionKey, S.FunctionKey);
}

TEST(SecurityFacts, RedactionKeepsWhatTheVerdictsNeed) {
  EXPECT_EQ(support::redactSecrets("host=db password=hunter2 connect_timeout=5 sslmode=disable"),
            "host=db password=*** connect_timeout=5 sslmode=disable");
  EXPECT_EQ(support::redactSecrets("https://api:hunter2@api.example.com/v1"),
            "https://api:***@api.example.com/v1");
  EXPECT_EQ(support::redactSecrets("key sk_live_4eC39HqLyjWDarjtT1zdp7dc end"), "key *** end");
  EXPECT_EQ(support::redactSecrets("GET session:%s"), "GET session:%s");
  model::TUFacts F;
  model::Setting S;
  S.Val.K = model::Value::Kind::String;
  S.Val.Str = "host=db password=hunter2";
  S.Val.Text = "\"host=db password=hunter2\"";
  F.Settings.push_back(S);
  F.Unit.Error = "#error sk_live_4eC39HqLyjWDarjtT1zdp7dc";
  model::redactFacts(F);
  EXPECT_EQ(F.Settings[0].Val.Str, "host=db password=***");
  EXPECT_EQ(F.Unit.Error, "#error ***");
  EXPECT_EQ(model::toJson(F).dump().find("hunter2"), std::string::npos);
}

TEST(SecurityAssessment, CatalogSemanticsDecideTlsVerification) {
  // A catalog entry added by someone else: a `true_enables` setter on an object handle.
  catalog::Catalog Cat;
  auto E = Cat.addJson("x.json", R"({"id": "xhttp", "name": "xhttp", "kind": "http",
    "headers": ["x.h"], "debian_package": "x",
    "default_timeout": {"seconds": null, "text": "t", "source": "s"},
    "operations": [{"name": "::x::Client::Get", "handle": "object", "label": "GET"}],
    "setters": [{"name": "::x::Client::enable_server_certificate_verification", "handle": "object",
                 "value_arg": 0, "options": [{"concern": "tls_verify", "value_semantics": "true_enables"}]}]})");
  ASSERT_FALSE(E) << llvm::toString(std::move(E));
  analysis::Merged M;
  model::CallSite C;
  C.Id = "a.cpp:9:3";
  C.Loc = {"/src/a.cpp", 9, 3};
  C.Library = "xhttp";
  C.Operation = "x::Client::Get";
  C.HandleKey = "var:cli@/src/a.cpp:5:3";
  C.Function = "f";
  M.CallSites.push_back(C);
  model::Setting S;
  S.HandleKey = C.HandleKey;
  S.Library = "xhttp";
  S.Concern = "tls_verify";
  S.Option = "x::Client::enable_server_certificate_verification";
  S.Val.K = model::Value::Kind::Int;
  S.Val.Int = 0;
  S.Val.Text = "false";
  S.Val.Proven = true;
  S.Loc = {"/src/a.cpp", 7, 3};
  M.Settings.push_back(S);
  std::vector<model::Finding> Findings;
  analysis::assessSecurity(M, M.CallSites, Cat, "/src", Findings);
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Rule, "integration-tls-verification-disabled");
  EXPECT_EQ(Findings[0].Loc.Line, 7u);
  EXPECT_EQ(Findings[0].CallSiteId, "a.cpp:9:3");
  EXPECT_EQ(Findings[0].Message,
            "x::Client::enable_server_certificate_verification = false turns off certificate "
            "verification: anyone on the network path can impersonate the server");
  EXPECT_EQ(M.CallSites[0].Security.TlsVerification, "disabled");
}
