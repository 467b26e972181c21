#include "analysis/Nolint.h"

#include <cctype>
#include <map>
#include <utility>

namespace im::analysis {

namespace {

enum class Kind { Line, NextLine, Begin, End };

struct Directive {
  Kind K;
  bool All = true;          // no list: every rule
  std::string List;         // the list as written, for BEGIN/END pairing
  std::vector<std::string> Globs;
};

std::string trim(std::string_view S) {
  size_t B = S.find_first_not_of(" \t");
  if (B == std::string_view::npos)
    return "";
  size_t E = S.find_last_not_of(" \t");
  return std::string(S.substr(B, E - B + 1));
}

std::vector<Directive> directives(std::string_view Line) {
  std::vector<Directive> Out;
  for (size_t Pos = Line.find("NOLINT"); Pos != std::string_view::npos;
       Pos = Line.find("NOLINT", Pos + 1)) {
    std::string_view Rest = Line.substr(Pos + 6);
    Directive D{Kind::Line};
    for (auto [Word, K] : {std::pair<std::string_view, Kind>{"NEXTLINE", Kind::NextLine},
                           {"BEGIN", Kind::Begin},
                           {"END", Kind::End}})
      if (Rest.substr(0, Word.size()) == Word) {
        D.K = K;
        Rest.remove_prefix(Word.size());
        break;
      }
    if (!Rest.empty() && Rest[0] == '(') {
      size_t Close = Rest.find(')');
      if (Close == std::string_view::npos)
        continue; // malformed: clang-tidy ignores it too
      D.All = false;
      D.List = std::string(Rest.substr(1, Close - 1));
      std::string_view L = D.List;
      while (!L.empty()) {
        size_t Comma = L.find(',');
        std::string G = trim(L.substr(0, Comma));
        if (!G.empty())
          D.Globs.push_back(G);
        if (Comma == std::string_view::npos)
          break;
        L.remove_prefix(Comma + 1);
      }
      if (D.Globs.size() == 1 && D.Globs[0] == "*")
        D.All = true;
    } else if (!Rest.empty() && (std::isalnum(static_cast<unsigned char>(Rest[0])) || Rest[0] == '_')) {
      continue; // NOLINTFOO is not a directive
    }
    Out.push_back(std::move(D));
  }
  return Out;
}

bool globMatch(std::string_view Glob, std::string_view S) {
  if (Glob.empty())
    return S.empty();
  if (Glob[0] == '*') {
    for (size_t I = 0; I <= S.size(); ++I)
      if (globMatch(Glob.substr(1), S.substr(I)))
        return true;
    return false;
  }
  return !S.empty() && Glob[0] == S[0] && globMatch(Glob.substr(1), S.substr(1));
}

bool covers(const Directive &D, const std::string &Rule) {
  if (D.All)
    return true;
  for (const auto &G : D.Globs)
    if (globMatch(G, Rule))
      return true;
  return false;
}

/// The NOLINT comments of one source, by line: read once per file, so each
/// finding costs the directive lines before it, not the whole file.
using DirectiveLines = std::vector<std::pair<unsigned, std::vector<Directive>>>;

DirectiveLines directiveLines(std::string_view Source) {
  DirectiveLines Out;
  unsigned N = 1;
  for (size_t Start = 0; Start <= Source.size(); ++N) {
    size_t End = Source.find('\n', Start);
    std::string_view Text =
        Source.substr(Start, End == std::string_view::npos ? std::string_view::npos : End - Start);
    if (Text.find("NOLINT") != std::string_view::npos)
      if (auto Ds = directives(Text); !Ds.empty())
        Out.emplace_back(N, std::move(Ds));
    if (End == std::string_view::npos)
      break;
    Start = End + 1;
  }
  return Out;
}

bool suppressedBy(const DirectiveLines &Lines, unsigned Line, const std::string &Rule) {
  if (Line == 0)
    return false;
  std::vector<const Directive *> Open; // NOLINTBEGIN regions not yet closed
  for (const auto &[N, Ds] : Lines) {
    if (N > Line)
      break;
    for (const Directive &D : Ds) {
      if (N == Line && D.K == Kind::Line && covers(D, Rule))
        return true;
      if (N + 1 == Line && D.K == Kind::NextLine && covers(D, Rule))
        return true;
      if (D.K == Kind::Begin)
        Open.push_back(&D);
      if (D.K == Kind::End && N < Line)
        for (auto It = Open.rbegin(); It != Open.rend(); ++It)
          if ((*It)->List == D.List) {
            Open.erase(std::next(It).base());
            break;
          }
    }
  }
  for (const Directive *D : Open)
    if (covers(*D, Rule))
      return true;
  return false;
}

} // namespace

bool isSuppressed(std::string_view Source, unsigned Line, const std::string &Rule) {
  return suppressedBy(directiveLines(Source), Line, Rule);
}

std::vector<model::Finding> dropSuppressed(std::vector<model::Finding> Findings,
                                           const SourceReader &Read, size_t *Dropped) {
  std::map<std::string, std::optional<DirectiveLines>> Sources;
  std::vector<model::Finding> Out;
  size_t Count = 0;
  for (auto &F : Findings) {
    auto It = Sources.find(F.Loc.File);
    if (It == Sources.end()) {
      std::optional<DirectiveLines> Lines;
      if (std::optional<std::string> Text = Read(F.Loc.File))
        Lines = directiveLines(*Text);
      It = Sources.emplace(F.Loc.File, std::move(Lines)).first;
    }
    if (It->second && suppressedBy(*It->second, F.Loc.Line, F.Rule)) {
      ++Count;
      continue;
    }
    Out.push_back(std::move(F));
  }
  if (Dropped)
    *Dropped = Count;
  return Out;
}

} // namespace im::analysis
