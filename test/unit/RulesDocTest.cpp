// docs/rules.md against the rule registry: every registered rule has a
// `### \`id\` (severity, security-severity)` heading with the registry's values,
// and the page documents no rule the registry does not have.
#include "analysis/Rules.h"
#include "support/Files.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <regex>
#include <set>

using namespace im;

namespace {

struct Documented {
  std::string Severity;
  std::string SecuritySeverity;
  int Count = 0;
};

std::map<std::string, Documented> documentedRules(const std::string &Text) {
  std::map<std::string, Documented> Out;
  std::regex Heading(R"(^### `(integration-[a-z0-9-]+)` \(([a-z]+), ([0-9.]+)\)\s*$)");
  size_t Pos = 0;
  while (Pos < Text.size()) {
    size_t End = Text.find('\n', Pos);
    if (End == std::string::npos)
      End = Text.size();
    std::string Line = Text.substr(Pos, End - Pos);
    std::smatch M;
    if (std::regex_match(Line, M, Heading)) {
      auto &D = Out[M[1]];
      D.Severity = M[2];
      D.SecuritySeverity = M[3];
      ++D.Count;
    }
    Pos = End + 1;
  }
  return Out;
}

std::string rulesDoc() {
  auto Text = support::readFile(std::string(IM_SOURCE_DIR) + "/docs/rules.md");
  if (!Text) {
    ADD_FAILURE() << llvm::toString(Text.takeError());
    return "";
  }
  return *Text;
}

} // namespace

TEST(RulesDoc, EveryRegisteredRuleIsDocumentedWithItsSeverity) {
  auto Docs = documentedRules(rulesDoc());
  ASSERT_FALSE(analysis::rules().empty());
  for (const auto &R : analysis::rules()) {
    auto It = Docs.find(R.Id);
    ASSERT_NE(It, Docs.end()) << R.Id << " has no `### `" << R.Id << "` (severity, x.y)` heading";
    EXPECT_EQ(It->second.Count, 1) << R.Id << " is documented more than once";
    EXPECT_EQ(It->second.Severity, R.Severity) << R.Id;
    EXPECT_EQ(It->second.SecuritySeverity, fmt::format("{:.1f}", R.SecuritySeverity)) << R.Id;
  }
}

TEST(RulesDoc, NothingDocumentedThatIsNotRegistered) {
  auto Docs = documentedRules(rulesDoc());
  // The parser itself finds the headings (a broken pattern would pass vacuously).
  ASSERT_TRUE(Docs.count(analysis::ruleid::MissingTimeout));
  for (const auto &[Id, D] : Docs)
    EXPECT_NE(analysis::rule(Id), nullptr) << "docs/rules.md documents unknown rule " << Id;
}

TEST(RulesRegistry, IdsAreUniqueAndFindingsUseTheRowSeverity) {
  std::set<std::string> Ids;
  for (const auto &R : analysis::rules()) {
    EXPECT_TRUE(Ids.insert(R.Id).second) << R.Id;
    EXPECT_GT(analysis::severityRank(R.Severity), 0) << R.Id;
    // Whole-program rules are exactly the inventory cross-checks.
    EXPECT_EQ(R.SingleTu, R.Cat != analysis::Category::Inventory) << R.Id;
  }
  analysis::FindingBuilder B("/src");
  B.add(analysis::ruleid::HardcodedSecret, {"/src/a.cpp", 3, 1}, "m", "f|x");
  B.add(analysis::ruleid::HardcodedSecret, {"/src/a.cpp", 9, 1}, "m", "f|x");
  auto Out = B.take(/*Ordinals=*/true);
  ASSERT_EQ(Out.size(), 2u);
  EXPECT_EQ(Out[0].Severity, "critical");
  // Same identity, told apart by order; independent of the checkout location.
  EXPECT_EQ(Out[0].Fingerprint, support::fnv1a("a.cpp|integration-hardcoded-secret|f|x|0"));
  EXPECT_EQ(Out[1].Fingerprint, support::fnv1a("a.cpp|integration-hardcoded-secret|f|x|1"));
}
