#pragma once
#include "llvm/Support/Error.h"
#include <string>

namespace im::support {
/// Writes `Content` to a temporary file beside `Path`, then renames it over
/// `Path`: readers see the old file or the whole new one, never a half.
llvm::Error writeFileAtomic(const std::string &Path, const std::string &Content);
/// Reads a whole file; the error names the file.
llvm::Expected<std::string> readFile(const std::string &Path);
/// `Path` relative to `Root` when inside it, else unchanged.
std::string relativeTo(const std::string &Path, const std::string &Root);
/// 64-bit FNV-1a as 16 hex digits.
std::string fnv1a(const std::string &S);
} // namespace im::support
