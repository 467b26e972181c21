#include "analysis/TestCode.h"
#include "support/Text.h"

#include <algorithm>
#include <utility>

namespace im::analysis {

namespace {
bool underPrefix(const std::string &Path, const std::string &Prefix) {
  if (Prefix.empty())
    return false;
  std::string P = Prefix.back() == '/' ? Prefix.substr(0, Prefix.size() - 1) : Prefix;
  return Path == P || Path.rfind(P + "/", 0) == 0;
}
} // namespace

std::string testCodeReason(const std::string &RelPath, const TestCodeRules &Rules) {
  for (const auto &P : Rules.NotTest)
    if (underPrefix(RelPath, P))
      return "";
  for (const auto &P : Rules.Extra)
    if (underPrefix(RelPath, P))
      return "under `" + P + "` (config test_code)";
  std::string L = support::lower(RelPath);
  // A folder of tests, mocks, fakes, examples or benchmarks anywhere in the path.
  static const char *Dirs[] = {"test",  "tests",    "testing",  "unittest", "unittests", "mock",
                               "mocks", "fake",     "fakes",    "example",  "examples",  "sample",
                               "samples", "benchmark", "benchmarks", "bench", "testdata", "integration_tests"};
  size_t Start = 0;
  while (true) {
    size_t Slash = L.find('/', Start);
    if (Slash == std::string::npos)
      break;
    std::string Dir = L.substr(Start, Slash - Start);
    for (const char *D : Dirs)
      if (Dir == D)
        return "in a `" + RelPath.substr(Start, Slash - Start) + "/` folder";
    Start = Slash + 1;
  }
  // A test or mock file by its name: foo_test.cc, test_foo.cpp, FooTest.cpp, mock_foo.h.
  std::string File = RelPath.substr(Start);
  std::string Stem = File.substr(0, File.find('.'));
  std::string LS = support::lower(Stem);
  for (const char *Suffix : {"_test", "_tests", "_unittest", "_mock", "_fake", "_bench", "_benchmark"})
    if (LS.size() > std::string(Suffix).size() &&
        LS.compare(LS.size() - std::string(Suffix).size(), std::string::npos, Suffix) == 0)
      return "a test file by name (`" + File + "`)";
  for (const char *Prefix : {"test_", "mock_", "fake_"})
    if (LS.rfind(Prefix, 0) == 0)
      return "a test file by name (`" + File + "`)";
  if (Stem.size() > 4 && (Stem.compare(Stem.size() - 4, 4, "Test") == 0 ||
                          (Stem.size() > 5 && Stem.compare(Stem.size() - 5, 5, "Tests") == 0)))
    return "a test file by name (`" + File + "`)";
  return "";
}

std::string testFunctionReason(const std::string &Q) {
  // gtest's TEST/TEST_F bodies are `<Suite>_<Name>_Test::TestBody`.
  if (Q.size() > 10 && Q.compare(Q.size() - 10, 10, "::TestBody") == 0)
    return "a test body (gtest)";
  // Each framework names the function its test-case macro defines with a fixed
  // prefix and a counter: Catch2 1.x `____C_A_T_C_H____T_E_S_T____<n>`, 2.x
  // `C_A_T_C_H_T_E_S_T_<n>` (both also for TEST_CASE_METHOD's class), 3.x
  // `CATCH2_INTERNAL_TEST_<n>`, doctest `DOCTEST_ANON_FUNC_<n>`.
  static const std::pair<const char *, const char *> Generated[] = {
      {"____C_A_T_C_H____T_E_S_T____", "a test case (Catch2)"},
      {"C_A_T_C_H_T_E_S_T_", "a test case (Catch2)"},
      {"CATCH2_INTERNAL_TEST_", "a test case (Catch2)"},
      {"DOCTEST_ANON_FUNC_", "a test case (doctest)"},
  };
  for (const auto &[Prefix, Why] : Generated)
    for (size_t At = Q.find(Prefix); At != std::string::npos; At = Q.find(Prefix, At + 1))
      if (At == 0 || Q[At - 1] == ':')
        return Why;
  // Boost.Test's BOOST_AUTO_TEST_CASE(name) / BOOST_FIXTURE_TEST_CASE define
  // `struct name : fixture { void test_method(); }`.
  if (Q.size() > 13 && Q.compare(Q.size() - 13, 13, "::test_method") == 0)
    return "a test case (Boost.Test)";
  for (const char *Cls : {"Mock", "Fake"}) {
    auto P = Q.rfind("::");
    std::string Scope = P == std::string::npos ? "" : Q.substr(0, P);
    std::string Last = Scope.substr(Scope.rfind("::") == std::string::npos ? 0 : Scope.rfind("::") + 2);
    if (Last.rfind(Cls, 0) == 0)
      return std::string("a method of a ") + (Cls[0] == 'M' ? "mock" : "fake") + " class";
  }
  return "";
}

TestCodeClassifier::TestCodeClassifier(std::string R, TestCodeRules Rs, const std::vector<std::string> &Units)
    : Root(std::move(R)), Base(Root), Rules(std::move(Rs)) {
  // The deepest folder holding every unit, if it is below the root.
  if (Units.empty())
    return;
  std::string Common = Units.front().substr(0, Units.front().rfind('/') + 1);
  for (const auto &U : Units)
    while (!Common.empty() && U.rfind(Common, 0) != 0)
      Common = Common.substr(0, Common.rfind('/', Common.size() - 2) + 1);
  if (!Common.empty())
    Common.pop_back();
  if (Common.size() > Root.size() && Common.rfind(Root + "/", 0) == 0)
    Base = Common;
}

std::string TestCodeClassifier::reason(const std::string &File, const std::string &QualifiedName) const {
  std::string Rel = File, RootRel = File;
  if (!Root.empty() && RootRel.rfind(Root + "/", 0) == 0)
    RootRel = RootRel.substr(Root.size() + 1);
  if (!Base.empty() && Rel.rfind(Base + "/", 0) == 0)
    Rel = Rel.substr(Base.size() + 1);
  else if (Base.empty())
    // No root and no units (a single file from the editor): the folders above
    // it say nothing about the project, so only its name is read.
    Rel = Rel.substr(Rel.rfind('/') + 1);
  else
    Rel = RootRel;
  // Config prefixes are relative to the source root.
  auto Under = [&](const std::vector<std::string> &Prefixes) -> std::string {
    for (const auto &P : Prefixes)
      if (underPrefix(RootRel, P))
        return P;
    return "";
  };
  if (!Under(Rules.NotTest).empty())
    return "";
  if (std::string P = Under(Rules.Extra); !P.empty())
    return "under `" + P + "` (config test_code)";
  if (auto It = Rules.TestOnly.find(File); It != Rules.TestOnly.end())
    return "built only into the test executable `" + It->second + "`";
  std::string Why = testCodeReason(Rel);
  if (Why.empty() && !QualifiedName.empty())
    Why = testFunctionReason(QualifiedName);
  return Why;
}

std::vector<model::CallSite> separateTestCode(std::vector<model::CallSite> &Sites,
                                              const TestCodeClassifier &Classify) {
  std::vector<model::CallSite> Tests, Kept;
  for (auto &C : Sites)
    (Classify.reason(C.Loc.File, C.Function).empty() ? Kept : Tests).push_back(std::move(C));
  Sites = std::move(Kept);
  return Tests;
}

} // namespace im::analysis
