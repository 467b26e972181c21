// stdout and stderr of the CLI. What it prints carries text from the project
// (paths, function names, a compiler's message), which may hold bytes that are
// not UTF-8 (a Latin-1 file name); like the report files, the console gets
// U+FFFD in their place, so a terminal, a CI log or a tool reading the output
// as UTF-8 gets well-formed text.
#pragma once

#include "llvm/Support/raw_ostream.h"

namespace im::cli {

/// Every write to stdout goes through here.
llvm::raw_ostream &out();
/// Every write to stderr goes through here.
llvm::raw_ostream &err();

} // namespace im::cli
