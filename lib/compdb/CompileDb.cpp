#include "compdb/CompileDb.h"
#include "support/JsonError.h"
#include "support/Utf8.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <set>

namespace im::compdb {

static llvm::Error fail(const std::string &Path, const std::string &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s", Path.c_str(),
                                 What.c_str());
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

} // namespace im::compdb
