// Reading compile_commands.json without Clang: our own loader so that every
// problem names the file, relative directories resolve against the database's
// own folder (the bundled example works from any checkout), files listed twice
// are analyzed once, and missing files are reported instead of aborting the run.
#pragma once

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace im::compdb {

struct Command {
  std::string Directory; // absolute
  std::string File;      // absolute, normalized
  std::vector<std::string> Arguments; // argv, argv[0] is the compiler
  bool Exists = true;
};

struct Database {
  std::string Path; // the compile_commands.json that was read
  std::vector<Command> Commands;
  std::vector<std::string> Duplicates; // files listed more than once (first entry kept)
  std::vector<std::string> Skipped;    // entries that name no file ("entry N: why")
};

/// `PathOrDir` is compile_commands.json or a directory holding one.
llvm::Expected<Database> load(const std::string &PathOrDir);
/// Parses the text of a compilation database; `Path` is used in messages and to
/// resolve relative directories.
llvm::Expected<Database> parse(const std::string &Path, const std::string &Text);
/// Splits a "command" string the way a POSIX shell would (quotes, backslashes).
std::vector<std::string> splitCommandLine(const std::string &Command);
/// Absolute, `.`/`..`-free form of `P` relative to `Base`.
std::string absolutePath(const std::string &P, const std::string &Base);

} // namespace im::compdb
