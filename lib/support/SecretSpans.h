// The secret shapes found in a string, shared by redactSecrets (Secrets.cpp)
// and source-line redaction (SourceRedaction.cpp). Internal to lib/support.
#pragma once

#include <string>
#include <vector>

namespace im::support::detail {

struct Span {
  size_t Begin, End;
  std::string Kind;
  bool Reported; // counts for secretKind (a hard-coded secret), not only redacted
};

enum class Text {
  Value, // a string's contents: every shape, credential-named settings included
  Code,  // source code outside literals: `password = x` is an assignment there
};

/// Every secret shape in `S`, ordered by where it begins (spans may overlap).
std::vector<Span> findSecrets(const std::string &S, Text Mode);

/// `S` with the given spans replaced by `***`.
std::string replaceSpans(const std::string &S, const std::vector<Span> &Spans);

} // namespace im::support::detail
