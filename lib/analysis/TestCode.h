// Test code is not the system: call sites in tests, mocks, fakes, examples and
// benchmarks are kept out of the inventory, the scores and the findings unless
// asked for (--include-tests).
#pragma once

#include "model/Facts.h"

#include <map>
#include <string>
#include <vector>

namespace im::analysis {

struct TestCodeRules {
  /// Path prefixes (relative to the source root) that are test code, from the
  /// config's `test_code:`; and prefixes that are not, from `not_test_code:`.
  std::vector<std::string> Extra;
  std::vector<std::string> NotTest;
  /// Files (absolute) built only into executables CTest runs, with the target
  /// (compdb::testOnlyFiles): test code wherever they are.
  std::map<std::string, std::string> TestOnly;
};

/// Why a source file (path relative to the source root) is test code, or "".
std::string testCodeReason(const std::string &RelPath, const TestCodeRules &Rules = {});
/// Why a function is test code (a gtest/Catch2 body, a mock class), or "".
std::string testFunctionReason(const std::string &QualifiedName);

/// Decides which files and functions of one analysis are test code. Folder and
/// file names are read below the deepest folder holding every analysed unit
/// (`Units`): when everything analysed is under `examples/app/`, that folder is
/// the project, not an example of it. With neither a root nor units, only file
/// and function names are read.
class TestCodeClassifier {
public:
  TestCodeClassifier(std::string Root, TestCodeRules Rules, const std::vector<std::string> &Units = {});
  /// Why code at `File` (absolute, or relative to the root) in the function
  /// `QualifiedName` is test code, or "".
  std::string reason(const std::string &File, const std::string &QualifiedName = "") const;

private:
  std::string Root, Base;
  TestCodeRules Rules;
};

/// Moves the call sites in test code from `Sites` to the returned list.
std::vector<model::CallSite> separateTestCode(std::vector<model::CallSite> &Sites,
                                              const TestCodeClassifier &Classify);

} // namespace im::analysis
