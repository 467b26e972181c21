// The handle graph's rules: which settings reach a handle as seen from a call.
#include "analysis/HandleGraph.h"

#include <gtest/gtest.h>

using namespace im::analysis;
using im::model::Location;

namespace {
Location at(unsigned Line, const std::string &File = "/src/a.cpp") { return {File, Line, 1}; }

im::model::Setting setting(const std::string &Key, const std::string &Option, Location Loc,
                           const std::string &Concern = "timeout") {
  im::model::Setting S;
  S.HandleKey = Key;
  S.Option = Option;
  S.Concern = Concern;
  S.Loc = Loc;
  return S;
}

im::model::HandleFlow flow(const std::string &Key, const std::string &Callee, unsigned Arg, Location Loc) {
  return {Key, Callee, Arg, Loc, ""};
}

std::vector<std::string> options(const std::vector<Applied> &All) {
  std::vector<std::string> Out;
  for (const auto &A : All)
    Out.push_back(A.S->Option);
  return Out;
}
} // namespace

TEST(HandleGraph, LocalsCountOnlySettingsBeforeTheCall) {
  Merged M;
  M.Settings = {setting("var:h@a.cpp:3", "CURLOPT_TIMEOUT", at(4)),
                setting("var:h@a.cpp:3", "CURLOPT_CONNECTTIMEOUT", at(9))};
  HandleGraph G(M);
  EXPECT_EQ(options(G.settingsReaching("var:h@a.cpp:3", at(6))), std::vector<std::string>{"CURLOPT_TIMEOUT"});
  // The same settings without ordering (a handle the call returns) all count.
  EXPECT_EQ(options(G.settingsReaching("var:h@a.cpp:3", Location{})).size(), 2u);
}

TEST(HandleGraph, MembersAreConfiguredAnywhere) {
  Merged M;
  M.Settings = {setting("field:Client::h_", "CURLOPT_TIMEOUT", at(40, "/src/client.cpp"))};
  HandleGraph G(M);
  // Set in a constructor defined after the call's line, in another file: still counts.
  EXPECT_EQ(options(G.settingsReaching("field:Client::h_", at(6))), std::vector<std::string>{"CURLOPT_TIMEOUT"});
}

TEST(HandleGraph, HelperBeforeTheCallConfiguresTheHandle) {
  Merged M;
  M.Settings = {setting("param:configure(CURL *)#0", "CURLOPT_TIMEOUT", at(20))};
  M.Flows = {flow("var:h@a.cpp:3", "configure(CURL *)", 0, at(4))};
  HandleGraph G(M);
  auto All = G.settingsReaching("var:h@a.cpp:3", at(6));
  ASSERT_EQ(options(All), std::vector<std::string>{"CURLOPT_TIMEOUT"});
  ASSERT_EQ(All[0].Path.size(), 1u);
  EXPECT_EQ(All[0].Path[0].Line, 4u);
  EXPECT_EQ(All[0].Path[0].Note, "passes the handle to configure()");
  // Passed to the helper only after the call: the helper cannot have configured it.
  EXPECT_TRUE(G.settingsReaching("var:h@a.cpp:3", at(3)).empty());
}

TEST(HandleGraph, ParameterTakesWhatCallersConfiguredBeforePassingIt) {
  Merged M;
  M.Settings = {setting("var:h@a.cpp:3", "CURLOPT_TIMEOUT", at(4)),
                setting("var:h@a.cpp:3", "CURLOPT_LOW_SPEED_TIME", at(9))};
  M.Flows = {flow("var:h@a.cpp:3", "fetch(CURL *)", 0, at(5))};
  M.Flows[0].FunctionKey = "checkout(int)";
  HandleGraph G(M);
  auto All = G.settingsReaching("param:fetch(CURL *)#0", at(30));
  ASSERT_EQ(options(All), std::vector<std::string>{"CURLOPT_TIMEOUT"});
  // The evidence names the caller and the handle it passes.
  EXPECT_EQ(All[0].Path[0].Line, 5u);
  EXPECT_EQ(All[0].Path[0].Note, "checkout() passes its handle `h` in");
}

TEST(HandleGraph, AHelperReachedByPassingAHandleDownDoesNotTakeOtherCallersHandles) {
  Merged M;
  // `configured` gets a timeout and is passed to fetch() by one caller; `bare` is
  // passed to the same fetch() by another and is never configured.
  M.Settings = {setting("var:configured@a.cpp:3", "CURLOPT_TIMEOUT", at(4))};
  M.Flows = {flow("var:configured@a.cpp:3", "fetch(CURL *)", 0, at(5)),
             flow("var:bare@b.cpp:3", "fetch(CURL *)", 0, at(5, "/src/b.cpp"))};
  HandleGraph G(M);
  EXPECT_TRUE(G.settingsReaching("var:bare@b.cpp:3", at(9, "/src/b.cpp")).empty());
  // The configured handle still has its own setting.
  EXPECT_EQ(options(G.settingsReaching("var:configured@a.cpp:3", at(9))),
            std::vector<std::string>{"CURLOPT_TIMEOUT"});
  // And fetch()'s parameter, asked directly, takes what either caller configured.
  EXPECT_EQ(options(G.settingsReaching("param:fetch(CURL *)#0", at(30))),
            std::vector<std::string>{"CURLOPT_TIMEOUT"});
}

TEST(HandleGraph, HandleNamesAreWhatTheCodeCallsThem) {
  EXPECT_EQ(HandleGraph::handleName("var:h@a.cpp:3"), "h");
  EXPECT_EQ(HandleGraph::handleName("field:shop::Client::h_"), "h_");
  EXPECT_EQ(HandleGraph::handleName("param:fetch(CURL *)#0"), "parameter 0 of fetch()");
}

TEST(HandleGraph, DerivedHandleTakesTheSettingsOfItsSource) {
  Merged M;
  M.Settings = {setting("var:conn@a.cpp:2", "connect_timeout", at(2)),
                setting("var:tx@a.cpp:5", "work", at(5), "derive")};
  M.Settings[1].Val.DependsOn = "var:conn@a.cpp:2";
  HandleGraph G(M);
  auto Opts = options(G.settingsReaching("var:tx@a.cpp:5", at(6)));
  EXPECT_EQ(Opts, (std::vector<std::string>{"work", "connect_timeout"}));
  // A derive setting without a source derives nothing.
  M.Settings[1].Val.DependsOn.clear();
  HandleGraph G2(M);
  EXPECT_EQ(options(G2.settingsReaching("var:tx@a.cpp:5", at(6))), std::vector<std::string>{"work"});
}

TEST(HandleGraph, CallbackParameterReachesTheLambdaCallersSupply) {
  Merged M;
  // run(std::function<void(CURL *)>) calls its callable with the handle; the
  // caller passes a lambda that configures it.
  M.Flows = {flow("var:h@a.cpp:3", "callable:run(F)#0", 0, at(4)),
             flow("lambda:main()::<lambda>", "run(F)", 0, at(10))};
  M.Settings = {setting("param:main()::<lambda>#0", "CURLOPT_TIMEOUT", at(11))};
  HandleGraph G(M);
  auto All = G.settingsReaching("var:h@a.cpp:3", at(6));
  ASSERT_EQ(options(All), std::vector<std::string>{"CURLOPT_TIMEOUT"});
  ASSERT_EQ(All[0].Path.size(), 2u);
  EXPECT_EQ(All[0].Path[0].Note, "passes the handle to a callback");
  EXPECT_EQ(All[0].Path[1].Note, "callback supplied here");
}

TEST(HandleGraph, RootsShareOneVisit) {
  Merged M;
  M.Settings = {setting("field:C::ch_", "SetMaxRetries", at(3))};
  M.Flows = {flow("field:C::ch_", "init(Channel)", 0, at(2))};
  M.Settings.push_back(setting("param:init(Channel)#0", "SetTimeout", at(20)));
  HandleGraph G(M);
  // The stub and its channel (catalog extra_handles): the channel's settings once.
  auto All = G.settingsReaching({{"field:C::ch_", at(9)}, {"field:C::ch_", at(9)}});
  EXPECT_EQ(options(All), (std::vector<std::string>{"SetMaxRetries", "SetTimeout"}));
}

TEST(HandleGraph, CallersAreWalkedUpWithTheirPath) {
  Merged M;
  M.Calls = {{"handler()", "fetch()", at(10), {}, {}, {}}, {"main()", "handler()", at(30), {}, {}, {}}};
  HandleGraph G(M);
  std::vector<std::string> Seen;
  std::vector<size_t> Depths;
  G.walkCallers("fetch()", [&](const im::model::CallEdge &E, const std::vector<im::model::Evidence> &P) {
    Seen.push_back(E.CallerKey);
    Depths.push_back(P.size());
    return false;
  });
  EXPECT_EQ(Seen, (std::vector<std::string>{"handler()", "main()"}));
  EXPECT_EQ(Depths, (std::vector<size_t>{1, 2}));
  // Stopping at the first caller does not climb above it.
  Seen.clear();
  G.walkCallers("fetch()", [&](const im::model::CallEdge &E, const std::vector<im::model::Evidence> &) {
    Seen.push_back(E.CallerKey);
    return true;
  });
  EXPECT_EQ(Seen, std::vector<std::string>{"handler()"});
}
