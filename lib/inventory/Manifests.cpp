// Build manifests: CMakeLists.txt, vcpkg.json, conanfile.txt/.py and meson.build,
// and the catalog's manifest names that tie them to client libraries.
#include "inventory/Inventory.h"
#include "inventory/ParseUtil.h"

#include "support/JsonError.h"
#include "support/Text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace im::inventory {

namespace fs = std::filesystem;
using detail::lineAt;
using detail::problem;
using detail::trim;

namespace {

using support::endsWith;
using support::lower;
using support::startsWith;

// Names the mapping cannot see: variables, generator expressions, keywords.
bool isCMakeNoise(const std::string &A) {
  static const std::set<std::string> Keywords = {
      "public", "private", "interface", "required", "quiet", "components", "optional_components",
      "config", "module", "no_module", "exact", "imported_target", "global", "debug",
      "optimized", "general", "link_public", "link_private", "link_interface_libraries"};
  return A.empty() || A.find("${") != std::string::npos || A.find("$<") != std::string::npos ||
         Keywords.count(lower(A));
}

// ---------------------------------------------------------------- CMake tokenizer
struct Arg {
  std::string Text;
  unsigned Line;
};
struct Command {
  std::string Name; // lower-cased
  unsigned Line;
  std::vector<Arg> Args;
};

/// Commands of a CMakeLists.txt. Stops at the first syntax error (reported).
std::vector<Command> cmakeCommands(const std::string &Path, const std::string &T,
                                   std::vector<model::InventoryProblem> &Problems) {
  std::vector<Command> Out;
  size_t I = 0, N = T.size();
  unsigned Line = 1;
  auto Advance = [&](size_t To) {
    for (; I < To && I < N; ++I)
      Line += T[I] == '\n';
  };
  auto BracketClose = [&](size_t At) -> std::pair<size_t, size_t> {
    // At points at '[' of [[ or [=[ ; returns (content start, close end) or npos.
    size_t J = At + 1, Eq = 0;
    while (J < N && T[J] == '=')
      ++J, ++Eq;
    if (J >= N || T[J] != '[')
      return {std::string::npos, 0};
    std::string Close = "]" + std::string(Eq, '=') + "]";
    size_t C = T.find(Close, J + 1);
    return {J + 1, C == std::string::npos ? std::string::npos : C + Close.size()};
  };
  while (I < N) {
    char C = T[I];
    if (C == '#') {
      if (I + 1 < N && T[I + 1] == '[') {
        auto [S, E] = BracketClose(I + 1);
        if (S != std::string::npos) {
          if (E == std::string::npos) {
            Problems.push_back(problem(Path, Line, "unterminated bracket comment"));
            return Out;
          }
          Advance(E);
          continue;
        }
      }
      size_t E = T.find('\n', I);
      Advance(E == std::string::npos ? N : E);
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(C))) {
      Advance(I + 1);
      continue;
    }
    if (!(std::isalpha(static_cast<unsigned char>(C)) || C == '_')) {
      Problems.push_back(problem(Path, Line, std::string("unexpected '") + C +
                                                 "' where a command name was expected"));
      return Out;
    }
    Command Cmd;
    Cmd.Line = Line;
    size_t S = I;
    while (I < N && (std::isalnum(static_cast<unsigned char>(T[I])) || T[I] == '_'))
      ++I;
    Cmd.Name = lower(T.substr(S, I - S));
    while (I < N && (T[I] == ' ' || T[I] == '\t'))
      ++I;
    if (I >= N || T[I] != '(') {
      Problems.push_back(problem(Path, Line, "command '" + Cmd.Name + "' without '('"));
      return Out;
    }
    ++I;
    int Depth = 1;
    std::string Cur;
    unsigned CurLine = Line;
    auto Flush = [&] {
      if (!Cur.empty())
        Cmd.Args.push_back({Cur, CurLine});
      Cur.clear();
    };
    while (I < N && Depth > 0) {
      char D = T[I];
      if (D == '"') {
        Flush();
        CurLine = Line;
        size_t J = I + 1;
        std::string Q;
        while (J < N && T[J] != '"') {
          if (T[J] == '\\' && J + 1 < N)
            Q += T[++J];
          else
            Q += T[J];
          ++J;
        }
        if (J >= N) {
          Problems.push_back(problem(Path, CurLine, "unterminated quoted argument in '" +
                                                        Cmd.Name + "'"));
          return Out;
        }
        Advance(J + 1);
        Cmd.Args.push_back({Q, CurLine});
        continue;
      }
      if (D == '[') {
        auto [BS, BE] = BracketClose(I);
        if (BS != std::string::npos) {
          if (BE == std::string::npos) {
            Problems.push_back(problem(Path, Line, "unterminated bracket argument in '" +
                                                       Cmd.Name + "'"));
            return Out;
          }
          Flush();
          size_t Eqs = BS - I - 2; // the '=' between the opening brackets
          Cmd.Args.push_back({T.substr(BS, BE - BS - (Eqs + 2)), Line});
          Advance(BE);
          continue;
        }
      }
      if (D == '#') {
        Flush();
        size_t E = T.find('\n', I);
        Advance(E == std::string::npos ? N : E);
        continue;
      }
      if (D == '(') {
        ++Depth;
        Flush();
      } else if (D == ')') {
        --Depth;
        Flush();
      } else if (std::isspace(static_cast<unsigned char>(D))) {
        Flush();
      } else {
        if (Cur.empty())
          CurLine = Line;
        Cur += D;
      }
      Advance(I + 1);
    }
    if (Depth > 0) {
      Problems.push_back(
          problem(Path, Cmd.Line, "command '" + Cmd.Name + "' has no closing parenthesis"));
      return Out;
    }
    Out.push_back(std::move(Cmd));
  }
  return Out;
}

void addLibrary(ManifestParse &P, const catalog::Catalog &Cat, const std::string &Path,
                const std::string &Kind, const std::string &Name, unsigned Line) {
  std::string Lib = libraryForManifestName(Cat, Name);
  if (Lib.empty())
    return;
  P.Libraries.push_back({Lib, Name, Kind, {Path, Line, 1}});
}

/// nlohmann's parse error without its prefix and without the text it last read
/// (which may be a piece of the file).
std::string jsonError(const std::string &What) {
  std::string M = What;
  if (auto P = M.find(": "); P != std::string::npos && M.rfind("[json.exception", 0) == 0)
    M = M.substr(P + 2);
  if (auto P = M.find("; last read"); P != std::string::npos)
    M = M.substr(0, P);
  return M;
}

} // namespace

// ---------------------------------------------------------------- names
std::string libraryForManifestName(const catalog::Catalog &Cat, const std::string &Raw) {
  std::string N = lower(trim(Raw));
  // Version constraints (pkg-config `libcurl>=7.0`, conan `libcurl/8.4.0`, vcpkg features).
  if (auto P = N.find_first_of("<>=/[ "); P != std::string::npos)
    N = N.substr(0, P);
  for (const char *Suffix : {"_static", "_shared", "-static", "-shared"})
    if (endsWith(N, Suffix))
      N = N.substr(0, N.size() - std::string(Suffix).size());
  const catalog::Library *L = N.empty() ? nullptr : Cat.libraryForManifestName(N);
  return L ? L->Id : "";
}

std::string manifestKind(const std::string &F) {
  if (F == "CMakeLists.txt")
    return "cmake";
  if (F == "vcpkg.json")
    return "vcpkg";
  if (F == "conanfile.txt" || F == "conanfile.py")
    return "conan";
  if (F == "meson.build")
    return "meson";
  return "";
}
// ---------------------------------------------------------------- manifests
ManifestParse parseCMake(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat) {
  ManifestParse P;
  for (const auto &C : cmakeCommands(Path, Text, P.Problems)) {
    if (C.Args.empty())
      continue;
    if (C.Name == "find_package") {
      // A package's components are its imported targets (`find_package(Poco
      // COMPONENTS Net)` gives Poco::Net): a component the catalog names is the
      // client; the package's own name is looked up as well.
      for (size_t I = 1; I < C.Args.size(); ++I)
        if (!isCMakeNoise(C.Args[I].Text))
          addLibrary(P, Cat, Path, "cmake", C.Args[0].Text + "::" + C.Args[I].Text, C.Args[I].Line);
      addLibrary(P, Cat, Path, "cmake", C.Args[0].Text, C.Args[0].Line);
    } else if (C.Name == "pkg_check_modules" || C.Name == "pkg_search_module") {
      for (size_t I = 1; I < C.Args.size(); ++I)
        if (!isCMakeNoise(C.Args[I].Text))
          addLibrary(P, Cat, Path, "cmake", C.Args[I].Text, C.Args[I].Line);
    } else if (C.Name == "target_link_libraries" || C.Name == "link_libraries") {
      for (size_t I = C.Name == "link_libraries" ? 0 : 1; I < C.Args.size(); ++I) {
        const std::string &A = C.Args[I].Text;
        if (isCMakeNoise(A))
          continue;
        std::string Name = A;
        if (startsWith(Name, "-l"))
          Name = Name.substr(2);
        addLibrary(P, Cat, Path, "cmake", Name, C.Args[I].Line);
      }
    }
  }
  return P;
}

ManifestParse parseVcpkg(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat) {
  ManifestParse P;
  if (auto Deep = support::tooDeeplyNested(Text)) {
    P.Problems.push_back(problem(Path, lineAt(Text, *Deep),
                                 "nested deeper than " + std::to_string(support::MaxNesting) +
                                     " levels"));
    return P;
  }
  nlohmann::json J;
  try {
    J = nlohmann::json::parse(Text);
  } catch (const nlohmann::json::parse_error &E) {
    P.Problems.push_back(problem(Path, lineAt(Text, E.byte == 0 ? 0 : E.byte - 1),
                                 "malformed JSON: " + jsonError(E.what())));
    return P;
  } catch (const nlohmann::json::exception &E) {
    // A number that does not fit a double (1e400) and the like.
    support::JsonProblem Why = support::describeJsonError(E, Text);
    P.Problems.push_back(problem(Path, Why.Line ? unsigned(Why.Line) : 1u, "malformed JSON: " + Why.Message));
    return P;
  }
  if (!J.is_object())
    return P;
  size_t DepsAt = Text.find("\"dependencies\"");
  auto It = J.find("dependencies");
  if (It == J.end())
    return P;
  if (!It->is_array()) {
    P.Problems.push_back(problem(Path, lineAt(Text, DepsAt), "\"dependencies\" is not an array"));
    return P;
  }
  size_t From = DepsAt == std::string::npos ? 0 : DepsAt;
  for (const auto &D : *It) {
    std::string Name;
    if (D.is_string())
      Name = D.get<std::string>();
    else if (D.is_object() && D.contains("name") && D["name"].is_string())
      Name = D["name"].get<std::string>();
    else {
      P.Problems.push_back(problem(Path, lineAt(Text, From), "dependency without a name"));
      continue;
    }
    size_t At = Text.find("\"" + Name + "\"", From);
    if (At != std::string::npos)
      From = At + 1;
    addLibrary(P, Cat, Path, "vcpkg", Name, lineAt(Text, At == std::string::npos ? DepsAt : At));
  }
  return P;
}

ManifestParse parseConanTxt(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat) {
  ManifestParse P;
  std::string Section;
  size_t S = 0;
  unsigned LineNo = 0;
  while (S <= Text.size()) {
    size_t E = Text.find('\n', S);
    std::string L = trim(Text.substr(S, E == std::string::npos ? std::string::npos : E - S));
    ++LineNo;
    S = E == std::string::npos ? Text.size() + 1 : E + 1;
    if (L.empty() || L[0] == '#')
      continue;
    if (L[0] == '[') {
      if (L.back() != ']') {
        P.Problems.push_back(problem(Path, LineNo, "malformed section header"));
        Section.clear();
        continue;
      }
      Section = L.substr(1, L.size() - 2);
      continue;
    }
    if (Section == "requires" || Section == "tool_requires" || Section == "build_requires") {
      if (L.find('/') == std::string::npos) {
        P.Problems.push_back(problem(Path, LineNo, "expected name/version in [" + Section + "]"));
        continue;
      }
      addLibrary(P, Cat, Path, "conan", L, LineNo);
    }
  }
  return P;
}

ManifestParse parseConanPy(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat) {
  ManifestParse P;
  // Every string literal "name/version[@user/channel]" in a requires context:
  // `requires = (...)`, `self.requires("...")`, `requirements`.
  size_t I = 0;
  while (I < Text.size()) {
    char Q = Text[I];
    if (Q == '#') {
      size_t E = Text.find('\n', I);
      I = E == std::string::npos ? Text.size() : E;
      continue;
    }
    if (Q != '"' && Q != '\'') {
      ++I;
      continue;
    }
    size_t E = Text.find_first_of(std::string(1, Q) + "\n", I + 1);
    if (E == std::string::npos || Text[E] == '\n') {
      // Triple-quoted strings: skip to their end.
      if (Text.compare(I, 3, std::string(3, Q)) == 0) {
        size_t End = Text.find(std::string(3, Q), I + 3);
        if (End == std::string::npos) {
          P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated string"));
          return P;
        }
        I = End + 3;
        continue;
      }
      P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated string"));
      I = E == std::string::npos ? Text.size() : E;
      continue;
    }
    std::string Lit = Text.substr(I + 1, E - I - 1);
    if (Lit.empty() && Text.compare(I, 3, std::string(3, Q)) == 0) {
      size_t End = Text.find(std::string(3, Q), I + 3);
      I = End == std::string::npos ? Text.size() : End + 3;
      continue;
    }
    auto Slash = Lit.find('/');
    if (Slash != std::string::npos && Slash > 0 && Slash + 1 < Lit.size() &&
        Lit.find(' ') == std::string::npos) {
      size_t From = I > 400 ? I - 400 : 0;
      if (Text.substr(From, I - From).find("requires") != std::string::npos)
        addLibrary(P, Cat, Path, "conan", Lit, lineAt(Text, I));
    }
    I = E + 1;
  }
  return P;
}

ManifestParse parseMeson(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat) {
  ManifestParse P;
  int Depth = 0;
  size_t OpenAt = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '#') {
      size_t E = Text.find('\n', I);
      I = E == std::string::npos ? Text.size() : E;
      continue;
    }
    if (C == '\'') {
      if (Text.compare(I, 3, "'''") == 0) {
        size_t E = Text.find("'''", I + 3);
        if (E == std::string::npos) {
          P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated multi-line string"));
          return P;
        }
        I = E + 2;
        continue;
      }
      size_t E = Text.find_first_of("'\n", I + 1);
      if (E == std::string::npos || Text[E] == '\n') {
        P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated string"));
        return P;
      }
      I = E;
      continue;
    }
    if (C == '(') {
      if (Depth++ == 0)
        OpenAt = I;
    } else if (C == ')') {
      if (--Depth < 0) {
        P.Problems.push_back(problem(Path, lineAt(Text, I), "unbalanced ')'"));
        return P;
      }
    }
    for (const char *Fn : {"dependency(", "find_library("}) {
      size_t L = std::string(Fn).size();
      if (Text.compare(I, L, Fn) == 0 &&
          (I == 0 || !(std::isalnum(static_cast<unsigned char>(Text[I - 1])) || Text[I - 1] == '_'))) {
        size_t J = I + L;
        while (J < Text.size() && std::isspace(static_cast<unsigned char>(Text[J])))
          ++J;
        if (J < Text.size() && Text[J] == '\'') {
          size_t E = Text.find('\'', J + 1);
          if (E != std::string::npos)
            addLibrary(P, Cat, Path, "meson", Text.substr(J + 1, E - J - 1), lineAt(Text, J));
        }
      }
    }
  }
  if (Depth > 0)
    P.Problems.push_back(problem(Path, lineAt(Text, OpenAt), "unbalanced '(': no closing parenthesis"));
  return P;
}

ManifestParse parseManifest(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat) {
  std::string Name = fs::path(Path).filename().string();
  if (Name == "CMakeLists.txt")
    return parseCMake(Path, Text, Cat);
  if (Name == "vcpkg.json")
    return parseVcpkg(Path, Text, Cat);
  if (Name == "conanfile.txt")
    return parseConanTxt(Path, Text, Cat);
  if (Name == "conanfile.py")
    return parseConanPy(Path, Text, Cat);
  if (Name == "meson.build")
    return parseMeson(Path, Text, Cat);
  return {};
}

} // namespace im::inventory
