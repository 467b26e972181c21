// How the facts cache keeps a unit's facts: by file (model/FactsByFile.h), each
// file's share stored once and appended back, nothing lost or reordered; read
// from text with simdjson (model/FactsText.h) exactly as from nlohmann's JSON.
#include "model/FactsByFile.h"
#include "model/FactsText.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace {

using namespace im::model;

Location at(const std::string &File, unsigned Line) { return Location{File, Line, 1}; }

/// One fact in every list of TUFacts, alternately in a header and the main
/// file, the header's listed first in some lists and last in others.
TUFacts everyList() {
  TUFacts F;
  F.Unit.File = "/p/main.cpp";
  const std::string H = "/p/net.h", M = "/p/main.cpp";
  auto Pick = [&](int I) { return I % 2 ? H : M; };
  int I = 0;
  F.CallSites.push_back({}), F.CallSites.back().Loc = at(Pick(++I), 1);
  F.CallSites.push_back({}), F.CallSites.back().Loc = at(Pick(++I), 2);
  F.Settings.push_back({}), F.Settings.back().Loc = at(Pick(++I), 3);
  F.ObjectSettings.push_back({}), F.ObjectSettings.back().Loc = at(Pick(++I), 4);
  F.Flows.push_back({}), F.Flows.back().Loc = at(Pick(++I), 5);
  F.Calls.push_back({}), F.Calls.back().Loc = at(Pick(++I), 6);
  F.Calls.push_back({}), F.Calls.back().Loc = at(Pick(++I), 7);
  F.Functions.push_back({}), F.Functions.back().Loc = at(Pick(++I), 8);
  F.Loops.push_back({}), F.Loops.back().Loc = at(Pick(++I), 9);
  F.Classes.push_back({}), F.Classes.back().Loc = at(Pick(++I), 10);
  F.ScopeGuards.push_back({}), F.ScopeGuards.back().Loc = at(Pick(++I), 11);
  F.ArgValues.push_back({}), F.ArgValues.back().Loc = at(Pick(++I), 12);
  F.Forwarders.push_back({}), F.Forwarders.back().Loc = at(Pick(++I), 13);
  F.Overrides.push_back({}), F.Overrides.back().MethodKey = "m";
  F.Inactive.push_back({}), F.Inactive.back().Loc = at(Pick(++I), 14);
  F.EnvReads.push_back({}), F.EnvReads.back().Loc = at(Pick(++I), 15);
  F.FieldInits.push_back({}), F.FieldInits.back().Loc = at(Pick(++I), 16);
  F.Constructions.push_back({}), F.Constructions.back().Loc = at(Pick(++I), 17);
  F.CallableCalls.push_back({}), F.CallableCalls.back().Loc = at(Pick(++I), 18);
  F.CallableBinds.push_back({}), F.CallableBinds.back().Loc = at(Pick(++I), 19);
  F.Security.push_back({}), F.Security.back().Loc = at(Pick(++I), 20);
  return F;
}

TEST(FactsByFile, TheTestCoversEveryListOfTheFacts) {
  // A list added to TUFacts (and its JSON) but not to this test fails here:
  // add it to everyList() and to FactsByFile.cpp's forEachList.
  nlohmann::json J = toJson(everyList());
  for (const auto &[Key, Value] : J.items())
    if (Value.is_array())
      EXPECT_FALSE(Value.empty()) << Key << " has no fact in everyList()";
}

TEST(FactsByFile, SplitTakesEveryFactAndAppendingThePartsInFileOrderRestoresTheUnit) {
  TUFacts F = everyList();
  orderByFile(F);
  nlohmann::json Ordered = toJson(F);
  // Within a list the main file's facts (sorted first) precede the header's,
  // each file keeping its own order.
  ASSERT_EQ(F.Calls.size(), 2u);
  EXPECT_EQ(F.Calls[0].Loc.File, "/p/main.cpp");
  EXPECT_EQ(F.Calls[1].Loc.File, "/p/net.h");
  ASSERT_EQ(F.CallSites.size(), 2u);
  EXPECT_EQ(F.CallSites[0].Loc.Line, 2u);

  auto Parts = splitByFile(F);
  EXPECT_TRUE(noFacts(F));
  TUFacts Empty;
  Empty.Unit = F.Unit;
  EXPECT_EQ(toJson(F), toJson(Empty)) << "a list splitByFile does not take";
  ASSERT_EQ(Parts.size(), 3u); // "" (the override), main.cpp, net.h
  EXPECT_EQ(Parts[""].Overrides.size(), 1u);
  EXPECT_TRUE(Parts["/p/net.h"].CallSites.size() == 1 && Parts["/p/net.h"].Overrides.empty());
  for (const auto &[File, Part] : Parts)
    for (const auto &C : Part.Calls)
      EXPECT_EQ(C.Loc.File, File);

  std::vector<TUFacts> InOrder;
  for (auto &[File, Part] : Parts)
    InOrder.push_back(std::move(Part));
  appendFacts(F, std::move(InOrder));
  EXPECT_EQ(toJson(F), Ordered);
  // Appending copies gives the same, and twice the facts when done twice.
  TUFacts Copy;
  Copy.Unit = F.Unit;
  appendFacts(Copy, std::vector<TUFacts>{F});
  EXPECT_EQ(toJson(Copy), Ordered);
  appendFacts(Copy, std::vector<TUFacts>{F});
  EXPECT_EQ(Copy.Calls.size(), 4u);
}

TEST(FactsByFile, OrderingKeepsTheOrderWithinAFile) {
  TUFacts F;
  for (unsigned L : {9u, 3u, 5u})
    F.Flows.push_back({}), F.Flows.back().Loc = at("/p/b.h", L);
  F.Flows.push_back({}), F.Flows.back().Loc = at("/p/a.cpp", 1);
  orderByFile(F);
  std::vector<std::pair<std::string, unsigned>> Got;
  for (const auto &X : F.Flows)
    Got.emplace_back(X.Loc.File, X.Loc.Line);
  EXPECT_EQ(Got, (std::vector<std::pair<std::string, unsigned>>{
                     {"/p/a.cpp", 1}, {"/p/b.h", 9}, {"/p/b.h", 3}, {"/p/b.h", 5}}));
}

// ------------------------------------------------------------------ from text

std::string slurp(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

TEST(FactsText, ReadsWhatTheJsonReaderReadsOnRealFacts) {
  // The bundled example's facts, as shards write them (one unit each).
  size_t Units = 0;
  for (const char *Name : {"example-1-of-3.json", "example-2-of-3.json", "example-3-of-3.json"}) {
    std::string Text = slurp(std::string(IM_SOURCE_DIR) + "/test/fuzz/facts/" + Name);
    ASSERT_FALSE(Text.empty()) << Name;
    nlohmann::json File = nlohmann::json::parse(Text);
    for (const auto &U : File["units"]) {
      TUFacts FromJson = tuFactsFromJson(U);
      TUFacts FromText = tuFactsFromText(U.dump());
      EXPECT_EQ(toJson(FromText), toJson(FromJson)) << Name;
      EXPECT_FALSE(noFacts(FromText));
      ++Units;
    }
  }
  EXPECT_EQ(Units, 6u);
  // Every kind of fact of everyList(), with its locations, written and read back.
  TUFacts All = everyList();
  All.CallSites[0].Timeout.Seconds = 2.5;
  All.CallSites[0].Guards.push_back({"k", "m", at("/p/main.cpp", 3), true});
  All.Functions[0].GetenvParams = {0, 2};
  All.Calls[0].StrArgs = {{{"literal", "https://x", {}}, {"call", "f", {{{"param", "p", {}}}}}}};
  EXPECT_EQ(toJson(tuFactsFromText(toJson(All).dump())), toJson(All));
}

TEST(FactsText, RefusesWhatTheJsonReaderRefuses) {
  auto Refusal = [](const std::string &Text) -> std::string {
    try {
      tuFactsFromText(Text);
      return "";
    } catch (const std::exception &E) {
      return E.what();
    }
  };
  std::string Good = toJson(everyList()).dump();
  EXPECT_EQ(Refusal(Good), "");
  EXPECT_NE(Refusal(Good.substr(0, Good.size() / 2)), "");
  EXPECT_NE(Refusal("[1, 2]"), "");
  EXPECT_NE(Refusal(R"({"calls": []})"), ""); // no unit
  // An integer field holds an integer of its type's range, as for tuFactsFromJson.
  for (const char *Line : {"6.7e34", "-1", "4294967296", "1.5"}) {
    std::string Text = R"({"unit": {"file": "a.cpp"}, "env_reads": [{"name": "X", "loc": {"file": "a.cpp", "line": )" +
                       std::string(Line) + "}}]}";
    EXPECT_EQ(Refusal(Text), "expected an integer in range") << Line;
    EXPECT_THROW(tuFactsFromJson(nlohmann::json::parse(Text)), std::out_of_range) << Line;
  }
  EXPECT_NE(Refusal(R"({"unit": {"file": 3}})"), "");
}

} // namespace

