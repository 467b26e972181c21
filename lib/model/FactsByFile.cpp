#include "model/FactsByFile.h"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace im::model {

namespace {
template <typename T, typename = void> struct HasLoc : std::false_type {};
template <typename T>
struct HasLoc<T, std::void_t<decltype(std::declval<const T &>().Loc.File)>> : std::true_type {};

/// Calls `Visit(&TUFacts::List)` for every list of located facts. SecretValues
/// is not one: it is emptied before facts leave the extractor (model::redactFacts).
/// A list added to TUFacts is added here, or the facts cache loses it.
template <typename Fn> void forEachList(Fn &&Visit) {
  Visit(&TUFacts::CallSites);
  Visit(&TUFacts::Settings);
  Visit(&TUFacts::ObjectSettings);
  Visit(&TUFacts::Flows);
  Visit(&TUFacts::Calls);
  Visit(&TUFacts::Functions);
  Visit(&TUFacts::Loops);
  Visit(&TUFacts::Classes);
  Visit(&TUFacts::ScopeGuards);
  Visit(&TUFacts::ArgValues);
  Visit(&TUFacts::Forwarders);
  Visit(&TUFacts::Overrides);
  Visit(&TUFacts::Inactive);
  Visit(&TUFacts::EnvReads);
  Visit(&TUFacts::FieldInits);
  Visit(&TUFacts::Constructions);
  Visit(&TUFacts::CallableCalls);
  Visit(&TUFacts::CallableBinds);
  Visit(&TUFacts::Security);
}

const std::string NoFile;
} // namespace

template <typename T> const std::string &fileOf(const T &Fact) {
  if constexpr (HasLoc<T>::value)
    return Fact.Loc.File;
  else
    return NoFile;
}

void orderByFile(TUFacts &F) {
  forEachList([&](auto List) {
    auto &V = F.*List;
    std::stable_sort(V.begin(), V.end(),
                     [](const auto &A, const auto &B) { return fileOf(A) < fileOf(B); });
  });
}

std::map<std::string, TUFacts> splitByFile(TUFacts &F) {
  std::map<std::string, TUFacts> Parts;
  forEachList([&](auto List) {
    auto &V = F.*List;
    for (auto &Fact : V) {
      const std::string File = fileOf(Fact);
      (Parts[File].*List).push_back(std::move(Fact));
    }
    V.clear();
  });
  return Parts;
}

void appendFacts(TUFacts &Into, std::vector<TUFacts> &&Parts) {
  forEachList([&](auto List) {
    auto &To = Into.*List;
    size_t Size = To.size();
    for (const auto &P : Parts)
      Size += (P.*List).size();
    To.reserve(Size);
    for (auto &P : Parts) {
      auto &V = P.*List;
      To.insert(To.end(), std::make_move_iterator(V.begin()), std::make_move_iterator(V.end()));
      V.clear();
    }
  });
}

bool noFacts(const TUFacts &F) {
  bool Empty = true;
  forEachList([&](auto List) { Empty = Empty && (F.*List).empty(); });
  return Empty;
}

} // namespace im::model
