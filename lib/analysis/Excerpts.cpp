// Source excerpts of the current failure handling, redacted before they are printed.
#include "analysis/DocumentParts.h"
#include "analysis/Resolve.h"
#include "analysis/Security.h"
#include "support/Secrets.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace im::analysis {
using model::CallSite;

namespace {
/// Columns of credential literals by file and line.
using SecretColumns = std::map<std::pair<std::string, unsigned>, std::vector<unsigned>>;

/// The lines of each source file, read and split once however many excerpts
/// come from it.
class SourceLines {
public:
  explicit SourceLines(const SourceReader &Read) : Read(Read) {}
  const std::optional<std::vector<std::string>> &of(const std::string &File) {
    auto It = Files.find(File);
    if (It != Files.end())
      return It->second;
    std::optional<std::vector<std::string>> Lines;
    if (std::optional<std::string> Text = Read ? Read(File) : std::nullopt) {
      Lines.emplace();
      std::istringstream In(*Text);
      for (std::string L; std::getline(In, L);)
        Lines->push_back(L);
    }
    return Files.emplace(File, std::move(Lines)).first->second;
  }

private:
  const SourceReader &Read;
  std::map<std::string, std::optional<std::vector<std::string>>> Files;
};

model::Excerpt excerptOf(const CallSite &C, SourceLines &Sources, const std::string &Verdict,
                         bool Ok, const SecretColumns &Secrets) {
  model::Excerpt E;
  E.File = C.Loc.File;
  E.CallLine = C.Loc.Line;
  E.Verdict = Verdict;
  E.Ok = Ok;
  const auto &Text = Sources.of(C.Loc.File);
  if (!Text)
    return E;
  const std::vector<std::string> &Lines = *Text;
  unsigned First = C.Loc.Line > 4 ? C.Loc.Line - 4 : 1;
  unsigned Last = std::min<unsigned>(Lines.size(), C.Loc.Line + 3);
  E.FirstLine = First;
  static const std::vector<unsigned> None;
  for (unsigned L = First; L <= Last; ++L) {
    auto It = Secrets.find({C.Loc.File, L});
    E.Text += support::redactSourceLine(Lines[L - 1], It == Secrets.end() ? None : It->second) + "\n";
  }
  return E;
}

} // namespace

std::string verdictOf(const CallSite &C, bool &Ok) {
  std::vector<std::string> Bad, Good;
  if (timeoutMissing(C))
    Bad.push_back("no timeout");
  else if (C.Timeout.Status == "conditional")
    Bad.push_back("timeout only from run-time configuration");
  else
    Good.push_back(formatSeconds(*C.Timeout.Seconds) + " timeout");
  if (!C.Retry.Present)
    Bad.push_back("no retry");
  else if (!retryGood(C))
    Bad.push_back("retry without backoff or limit");
  else
    Good.push_back((C.Retry.MaxAttempts ? std::to_string(*C.Retry.MaxAttempts) + " attempts" : "bounded retry") +
                   std::string(" with backoff"));
  if (!C.CircuitBreaker.Present)
    Bad.push_back("no circuit breaker");
  if (!C.Fallback.Present)
    Bad.push_back("no fallback");
  Ok = timeoutBounded(C) && retryGood(C);
  if (Ok)
    return "✅ GOOD: " + join(Good) + (Bad.empty() ? "" : "; still " + join(Bad));
  return "⚠️ PROBLEM: " + join(Bad) + (Good.empty() ? "" : " (has " + join(Good) + ")");
}

namespace {
/// Orders calls from the worst protected to the best.
int badness(const CallSite &C) {
  return timeoutMissing(C) * 4 + (C.Timeout.Status == "conditional") * 2 + !C.Retry.Present * 2 +
         (C.Retry.Present && !retryGood(C));
}

} // namespace

void addExcerpts(model::RiskDocument &D, const std::vector<SiteView> &Views, const SourceReader &Read,
                 const std::vector<model::Location> &Secrets) {
  SecretColumns Columns;
  SourceLines Sources(Read);
  for (const auto &L : Secrets)
    Columns[{L.File, L.Line}].push_back(L.Column);
  for (size_t K = 0; K < Views.size(); ++K) {
    auto Sites = Views[K].Sites;
    if (Sites.empty())
      continue;
    std::stable_sort(Sites.begin(), Sites.end(),
                     [](const CallSite *A, const CallSite *B) { return badness(*A) > badness(*B); });
    bool Ok;
    std::string V = verdictOf(*Sites.front(), Ok);
    D.Integrations[K].Excerpts.push_back(excerptOf(*Sites.front(), Sources, V, Ok, Columns));
    if (badness(*Sites.back()) < badness(*Sites.front())) {
      V = verdictOf(*Sites.back(), Ok);
      D.Integrations[K].Excerpts.push_back(excerptOf(*Sites.back(), Sources, V, Ok, Columns));
    }
  }
}

} // namespace im::analysis
