#include "compdb/CompileDb.h"
#include "support/JsonError.h"
#include "support/Utf8.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace im::compdb {

static llvm::Error fail(const std::string &Path, const std::string &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s", Path.c_str(),
                                 What.c_str());
}

/// The CMake target an entry's object belongs to: the `<target>` of
/// `CMakeFiles/<target>.dir/` in its `-o` argument or its "output" field.
static std::string cmakeTarget(const std::vector<std::string> &Args, const nlohmann::json &Entry) {
  std::string Out;
  if (Entry.contains("output") && Entry["output"].is_string())
    Out = Entry["output"].get<std::string>();
  for (size_t I = 0; Out.empty() && I + 1 < Args.size(); ++I)
    if (Args[I] == "-o")
      Out = Args[I + 1];
  static const std::string Marker = "CMakeFiles/";
  size_t At = Out.rfind(Marker);
  if (At == std::string::npos)
    return "";
  size_t Start = At + Marker.size();
  size_t Dir = Out.find(".dir/", Start);
  return Dir == std::string::npos ? "" : Out.substr(Start, Dir - Start);
}

std::string absolutePath(const std::string &P, const std::string &Base) {
  llvm::SmallString<256> Out(P);
  if (!llvm::sys::path::is_absolute(Out)) {
    llvm::SmallString<256> B(Base);
    llvm::sys::path::append(B, P);
    Out = B;
  }
  llvm::sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return std::string(Out);
}

std::vector<std::string> splitCommandLine(const std::string &C) {
  std::vector<std::string> Out;
  std::string Cur;
  bool Have = false;
  for (size_t I = 0; I < C.size(); ++I) {
    char Ch = C[I];
    if (Ch == '\\' && I + 1 < C.size()) {
      Cur += C[++I];
      Have = true;
    } else if (Ch == '\'') {
      Have = true;
      while (++I < C.size() && C[I] != '\'')
        Cur += C[I];
    } else if (Ch == '"') {
      Have = true;
      while (++I < C.size() && C[I] != '"') {
        if (C[I] == '\\' && I + 1 < C.size() &&
            (C[I + 1] == '"' || C[I + 1] == '\\' || C[I + 1] == '$'))
          ++I;
        Cur += C[I];
      }
    } else if (Ch == ' ' || Ch == '\t' || Ch == '\n') {
      if (Have)
        Out.push_back(Cur);
      Cur.clear();
      Have = false;
    } else {
      Cur += Ch;
      Have = true;
    }
  }
  if (Have)
    Out.push_back(Cur);
  return Out;
}

llvm::Expected<Database> parse(const std::string &Path, const std::string &Text) {
  // JSON is UTF-8: a path written in another encoding is named at its first byte.
  if (std::string Bad = support::notUtf8(Path, Text); !Bad.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Bad.c_str());
  if (std::string Deep = support::nestingError(Path, Text); !Deep.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Deep.c_str());
  nlohmann::json Doc;
  try {
    Doc = nlohmann::json::parse(Text);
  } catch (const nlohmann::json::parse_error &E) {
    size_t Line = 1, Col = 1;
    for (size_t I = 0; I < E.byte && I < Text.size(); ++I) {
      if (Text[I] == '\n') {
        ++Line;
        Col = 1;
      } else {
        ++Col;
      }
    }
    return fail(Path, "not a JSON compilation database: invalid JSON at line " +
                          std::to_string(Line) + ", column " + std::to_string(Col > 1 ? Col - 1 : 1));
  } catch (const nlohmann::json::exception &E) {
    // A number that does not fit a double (1e400) and the like.
    return fail(Path, "not a JSON compilation database: " + support::jsonErrorLine(E, Text));
  }
  if (!Doc.is_array())
    return fail(Path, "not a JSON compilation database: expected an array of commands");
  Database DB;
  DB.Path = Path;
  llvm::SmallString<256> DbDir(Path);
  llvm::sys::path::remove_filename(DbDir);
  std::string Base = absolutePath(DbDir.empty() ? "." : std::string(DbDir),
                                  [] {
                                    llvm::SmallString<256> Cwd;
                                    llvm::sys::fs::current_path(Cwd);
                                    return std::string(Cwd);
                                  }());
  std::set<std::string> Seen;
  for (size_t I = 0; I < Doc.size(); ++I) {
    const auto &E = Doc[I];
    std::string Where = "entry " + std::to_string(I + 1);
    if (!E.is_object())
      return fail(Path, Where + ": expected an object");
    if (!E.contains("directory") || !E["directory"].is_string())
      return fail(Path, Where + ": missing \"directory\" string");
    if (!E.contains("file") || !E["file"].is_string())
      return fail(Path, Where + ": missing \"file\" string");
    if (E["file"].get<std::string>().empty()) {
      DB.Skipped.push_back(Where + ": empty \"file\"");
      continue;
    }
    Command C;
    C.Directory = absolutePath(E["directory"].get<std::string>(), Base);
    C.File = absolutePath(E["file"].get<std::string>(), C.Directory);
    if (E.contains("arguments")) {
      if (!E["arguments"].is_array() || E["arguments"].empty())
        return fail(Path, Where + ": \"arguments\" must be a non-empty array of strings");
      for (const auto &A : E["arguments"]) {
        if (!A.is_string())
          return fail(Path, Where + ": \"arguments\" must be a non-empty array of strings");
        C.Arguments.push_back(A.get<std::string>());
      }
    } else if (E.contains("command") && E["command"].is_string()) {
      C.Arguments = splitCommandLine(E["command"].get<std::string>());
      if (C.Arguments.empty())
        return fail(Path, Where + ": empty \"command\"");
    } else {
      return fail(Path, Where + ": needs \"arguments\" or \"command\"");
    }
    if (std::string T = cmakeTarget(C.Arguments, E); !T.empty())
      DB.TargetsOf[C.File].insert(T);
    if (!Seen.insert(C.File).second) {
      DB.Duplicates.push_back(C.File);
      continue;
    }
    C.Exists = llvm::sys::fs::exists(C.File);
    DB.Commands.push_back(std::move(C));
  }
  return DB;
}

llvm::Expected<Database> load(const std::string &PathOrDir) {
  std::string Path = PathOrDir;
  if (llvm::sys::fs::is_directory(Path)) {
    llvm::SmallString<256> P(Path);
    llvm::sys::path::append(P, "compile_commands.json");
    Path = std::string(P);
    if (!llvm::sys::fs::exists(Path))
      return fail(PathOrDir, "no compile_commands.json in this directory (configure with "
                             "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or use bear)");
  }
  if (!llvm::sys::fs::exists(Path))
    return fail(Path, "no such file");
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return fail(Path, "cannot read: " + Buf.getError().message());
  return parse(Path, (*Buf)->getBuffer().str());
}

std::set<std::string> ctestExecutables(const std::string &BuildDir) {
  std::set<std::string> Out;
  std::vector<std::string> Work{BuildDir};
  std::set<std::string> Seen;
  // Quoted or bracketed arguments of a CMake command line: "a b", [=[a]=], bare.
  auto Arguments = [](llvm::StringRef Line) {
    std::vector<std::string> Args;
    size_t I = Line.find('(');
    if (I == llvm::StringRef::npos)
      return Args;
    for (++I; I < Line.size();) {
      char C = Line[I];
      if (C == ' ' || C == '\t') {
        ++I;
      } else if (C == ')') {
        break;
      } else if (C == '"') {
        size_t End = Line.find('"', I + 1);
        if (End == llvm::StringRef::npos)
          break;
        Args.push_back(Line.substr(I + 1, End - I - 1).str());
        I = End + 1;
      } else if (Line.substr(I).starts_with("[=[")) {
        size_t End = Line.find("]=]", I + 3);
        if (End == llvm::StringRef::npos)
          break;
        Args.push_back(Line.substr(I + 3, End - I - 3).str());
        I = End + 3;
      } else {
        size_t End = Line.find_first_of(" \t)", I);
        if (End == llvm::StringRef::npos)
          End = Line.size();
        Args.push_back(Line.substr(I, End - I).str());
        I = End;
      }
    }
    return Args;
  };
  while (!Work.empty() && Seen.size() < 10000) {
    std::string Dir = Work.back();
    Work.pop_back();
    if (!Seen.insert(Dir).second)
      continue;
    llvm::SmallString<256> File(Dir);
    llvm::sys::path::append(File, "CTestTestfile.cmake");
    auto Buf = llvm::MemoryBuffer::getFile(File);
    if (!Buf)
      continue;
    llvm::SmallVector<llvm::StringRef, 64> Lines;
    (*Buf)->getBuffer().split(Lines, '\n');
    for (llvm::StringRef Line : Lines) {
      Line = Line.trim();
      std::vector<std::string> Args = Arguments(Line);
      if (Line.starts_with("add_test(") && Args.size() >= 2) {
        // add_test(<name> <program> ...); a NAME/COMMAND form names the program after COMMAND.
        std::string Program = Args[1];
        for (size_t I = 0; I + 1 < Args.size(); ++I)
          if (Args[I] == "COMMAND")
            Program = Args[I + 1];
        Out.insert(std::string(llvm::sys::path::filename(Program)));
      } else if (Line.starts_with("include(") && !Args.empty()) {
        llvm::StringRef Name = llvm::sys::path::filename(Args[0]);
        for (llvm::StringRef Suffix : {"[1]_include.cmake", "_include.cmake"})
          if (Name.ends_with(Suffix)) {
            Out.insert(Name.drop_back(Suffix.size()).str());
            break;
          }
      } else if (Line.starts_with("subdirs(")) {
        for (const auto &Sub : Args)
          Work.push_back(absolutePath(Sub, Dir));
      }
    }
  }
  return Out;
}

std::map<std::string, std::string> testOnlyFiles(const Database &DB) {
  std::map<std::string, std::string> Out;
  if (DB.TargetsOf.empty())
    return Out;
  llvm::SmallString<256> BuildDir(DB.Path);
  llvm::sys::path::remove_filename(BuildDir);
  std::set<std::string> Tests = ctestExecutables(std::string(BuildDir));
  if (Tests.empty())
    return Out;
  for (const auto &[File, Targets] : DB.TargetsOf)
    if (!Targets.empty() &&
        std::all_of(Targets.begin(), Targets.end(), [&](const std::string &T) { return Tests.count(T); }))
      Out[File] = *Targets.begin();
  return Out;
}

} // namespace im::compdb
