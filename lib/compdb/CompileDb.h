// Reading compile_commands.json without Clang: our own loader so that every
// problem names the file, relative directories resolve against the database's
// own folder (the bundled example works from any checkout), files listed twice
// are analyzed once, and missing files are reported instead of aborting the run.
#pragma once

#include "llvm/Support/Error.h"

#include <map>
#include <set>
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
  /// The build targets each file is compiled for, from CMake's object paths
  /// (`-o .../CMakeFiles/<target>.dir/...`), over every entry, duplicates
  /// included; a file of another generator has none.
  std::map<std::string, std::set<std::string>> TargetsOf;
};

/// The executables CTest runs, by file name, read from the `CTestTestfile.cmake`
/// files of the build tree at `BuildDir` (following `subdirs(...)`): the
/// `add_test` commands' programs and the targets `gtest_discover_tests` includes
/// the tests of (`<target>[1]_include.cmake`). Empty without CTest files.
std::set<std::string> ctestExecutables(const std::string &BuildDir);

/// The files of `DB` compiled only for targets CTest runs: test code, whatever
/// their folder (`file` → the target). Empty when the database carries no
/// CMake object paths or the build tree no CTest files.
std::map<std::string, std::string> testOnlyFiles(const Database &DB);

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
