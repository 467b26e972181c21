// The mitigation plan: C++ from the catalog written for the handle's real type,
// and priorities no more urgent than the integration's criticality allows.
#include "analysis/Integrations.h"
#include "analysis/Scoring.h"
#include "catalog/Catalog.h"
#include "catalog/MitigationSnippets.h"
#include "config/Config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace im;
using testing::HasSubstr;
using testing::Not;

namespace {

const catalog::Catalog &cat() {
  static auto C = catalog::Catalog::loadBuiltin();
  return *C;
}

model::CallSite unprotected(const std::string &Lib, const std::string &Kind, const std::string &Op,
                            const std::string &Handle, const std::string &HandleType) {
  model::CallSite C;
  C.Id = "/src/client.cpp:10:3";
  C.Loc = {"/src/client.cpp", 10, 3};
  C.Library = Lib;
  C.Kind = Kind;
  C.Operation = Op;
  C.Function = "Client::send";
  C.FunctionKey = "Client::send()";
  C.Handle = Handle;
  C.HandleKey = "field:Client::" + Handle;
  C.HandleType = HandleType;
  C.Endpoint = "https://api.example.com/v1";
  C.EndpointSource = "literal";
  C.Timeout.Status = "absent";
  C.Timeout.Unbounded = true;
  return C;
}

model::RiskDocument plan(std::vector<model::CallSite> Sites, const config::Config &Cfg = {}) {
  model::Report R;
  R.CallSites = std::move(Sites);
  R.Integrations = analysis::groupIntegrations(R.CallSites, cat());
  return analysis::assess(R, Cfg, nullptr, &cat());
}

std::string codeFor(const model::RiskDocument &D, const std::string &Pattern) {
  for (const auto &M : D.Plan)
    if (M.Pattern == Pattern)
      return M.Code;
  return "<no " + Pattern + " mitigation>";
}

TEST(SnippetExpansion, MemberAccessAndValueFollowTheHandleType) {
  const std::string T = "{handle}.set_deadline(d);\n{handle}->wait();\nf({handle});";
  EXPECT_EQ(catalog::expandSnippet(T, "ctx", "object"), "ctx.set_deadline(d);\nctx.wait();\nf(ctx);");
  EXPECT_EQ(catalog::expandSnippet(T, "ctx", "pointer"), "ctx->set_deadline(d);\nctx->wait();\nf(ctx);");
  EXPECT_EQ(catalog::expandSnippet(T, "ctx", "smart_pointer"),
            "ctx->set_deadline(d);\nctx->wait();\nf(ctx.get());");
  // Unknown type: the snippet keeps the access it was written with.
  EXPECT_EQ(catalog::expandSnippet(T, "ctx", ""), "ctx.set_deadline(d);\nctx->wait();\nf(ctx);");
}

TEST(MitigationPlan, TimeoutCodeIsTheCatalogsWithTheCallsHandle) {
  auto Poco = unprotected("poco-net", "http", "Poco::Net::HTTPClientSession::sendRequest", "session_",
                          "object");
  EXPECT_EQ(codeFor(plan({Poco}), "timeout"),
            "session_.setTimeout(Poco::Timespan(5, 0)); // connect, send and receive: 5 s each");
  // Held by a smart pointer, the same setter is reached through `->`.
  Poco.HandleType = "smart_pointer";
  EXPECT_EQ(codeFor(plan({Poco}), "timeout"),
            "session_->setTimeout(Poco::Timespan(5, 0)); // connect, send and receive: 5 s each");
  // Without the catalog the plan still says what to do, in words.
  model::Report R;
  R.CallSites = {Poco};
  R.Integrations = analysis::groupIntegrations(R.CallSites, cat());
  auto D = analysis::assess(R, {}, nullptr);
  EXPECT_EQ(codeFor(D, "timeout"), "// set the library's timeout option on `session_` before the call (5 s)");
}

TEST(MitigationPlan, GrpcDeadlineOnAContextHeldByUniquePtrUsesArrow) {
  auto Rpc = unprotected("grpc", "rpc", "grpc::internal::BlockingUnaryCall", "ctx", "smart_pointer");
  EXPECT_EQ(codeFor(plan({Rpc}), "timeout"),
            "ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));");
  Rpc.HandleType = "object";
  EXPECT_EQ(codeFor(plan({Rpc}), "timeout"),
            "ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));");
}

TEST(MitigationPlan, LibcurlSnippetsPassASmartPointersRawHandle) {
  auto Curl = unprotected("libcurl", "http", "curl_easy_perform", "h", "smart_pointer");
  auto D = plan({Curl});
  EXPECT_EQ(codeFor(D, "timeout"),
            "curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, 2000L);\n"
            "curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, 5000L); // 0 would mean: wait forever");
  EXPECT_THAT(codeFor(D, "retry"), HasSubstr("rc = curl_easy_perform(h.get());"));
  EXPECT_THAT(codeFor(D, "circuit_breaker"), HasSubstr("bool ok = curl_easy_perform(h.get()) == CURLE_OK;"));
  Curl.HandleType = "pointer";
  EXPECT_THAT(codeFor(plan({Curl}), "timeout"), HasSubstr("curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);"));
}

TEST(MitigationPlan, AMultiHandleIsNeverGivenEasyHandleOptions) {
  auto Multi = unprotected("libcurl", "http", "curl_multi_perform", "multi", "pointer");
  auto D = plan({Multi});
  std::string Code = codeFor(D, "timeout");
  EXPECT_THAT(Code, Not(HasSubstr("curl_easy_setopt(multi")));
  EXPECT_THAT(Code, HasSubstr("curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 5000L);"));
  EXPECT_THAT(Code, HasSubstr("curl_multi_add_handle(multi, easy);"));
  EXPECT_THAT(codeFor(D, "circuit_breaker"), HasSubstr("bool ok = curl_multi_perform(multi, &running) == CURLM_OK;"));
  // The easy call of the same library keeps the library's snippets.
  auto Easy = unprotected("libcurl", "http", "curl_easy_perform", "multi", "pointer");
  EXPECT_THAT(codeFor(plan({Easy}), "timeout"), HasSubstr("curl_easy_setopt(multi, CURLOPT_TIMEOUT_MS"));
}

TEST(MitigationPlan, ThroughAWrapperTheCodeGoesOnTheWrappersLibraryHandle) {
  auto Call = unprotected("libcurl", "http", "curl_easy_perform", "api_", "");
  Call.ImplHandleKey = "field:HttpClient::curl_";
  Call.ImplHandle = "curl_";
  Call.ImplHandleType = "pointer";
  Call.ImplLoc = {"/src/http_client.cpp", 42, 5};
  EXPECT_EQ(codeFor(plan({Call}), "timeout"),
            "// in the wrapper, at its library call (/src/http_client.cpp:42):\n"
            "curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 2000L);\n"
            "curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 5000L); // 0 would mean: wait forever");
}

TEST(MitigationPlan, ADatabaseFallbackNamesNoOtherLibrary) {
  auto Lite = unprotected("sqlite", "db", "sqlite3_exec", "db", "pointer");
  Lite.Endpoint = "/var/lib/app.db";
  EXPECT_THAT(codeFor(plan({Lite}), "fallback"), Not(HasSubstr("pqxx")));
  auto Pqxx = unprotected("libpqxx", "db", "pqxx::transaction_base::exec", "tx", "object");
  Pqxx.Endpoint = "host=db.internal dbname=app";
  EXPECT_THAT(codeFor(plan({Pqxx}), "fallback"), HasSubstr("catch (const pqxx::broken_connection &)"));
}

TEST(MitigationPlan, PriorityNeverExceedsWhatCriticalityAllows) {
  auto Site = unprotected("libcurl", "http", "curl_easy_perform", "h", "pointer");
  Site.Timeout = {};
  Site.Timeout.Present = true;
  Site.Timeout.Status = "present";
  Site.Timeout.Seconds = 5;
  Site.Timeout.Evidence = {{"/src/client.cpp", 8, "CURLOPT_TIMEOUT_MS 5000"}};
  Site.Retry.Present = true;
  Site.Retry.Status = "present";
  Site.Retry.Bounded = false; // retried without a limit
  auto PriorityOf = [](const model::RiskDocument &D, const std::string &Pattern) {
    for (const auto &M : D.Plan)
      if (M.Pattern == Pattern)
        return M.Priority;
    return std::string("<none>");
  };
  auto WithCriticality = [&](int C) {
    config::Config Cfg;
    config::IntegrationOverride O;
    O.Match = plan({Site}).Integrations.at(0).Id;
    O.Criticality = C;
    Cfg.Integrations.push_back(O);
    return plan({Site}, Cfg);
  };
  EXPECT_EQ(PriorityOf(WithCriticality(8), "retry"), "HIGH") << "an unbounded retry is urgent";
  EXPECT_EQ(PriorityOf(WithCriticality(2), "retry"), "MEDIUM")
      << "but not more urgent than a missing timeout of a criticality-2 integration";
}

} // namespace
