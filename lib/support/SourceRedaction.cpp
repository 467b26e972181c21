// Source lines safe to print: literals, comments and code redacted each by its own rule.
#include "support/SecretSpans.h"
#include "support/Secrets.h"
#include "support/Text.h"

#include <algorithm>

namespace im::support {
namespace {

/// A piece of a source line as a C++ lexer sees it (one line, no state carried
/// over: a literal or comment continued from the line before reads as code).
struct Piece {
  enum Kind { Code, String, Comment } K;
  size_t Begin, End; // the piece's bytes; for a String, its contents between the quotes
};

size_t stringEnd(const std::string &L, size_t From, char Quote) {
  for (size_t I = From; I < L.size(); ++I)
    if (L[I] == '\\')
      ++I;
    else if (L[I] == Quote)
      return I;
  return L.size();
}

std::vector<Piece> lexLine(const std::string &L) {
  std::vector<Piece> Out;
  size_t CodeFrom = 0;
  auto FlushCode = [&](size_t To) {
    if (To > CodeFrom)
      Out.push_back({Piece::Code, CodeFrom, To});
  };
  for (size_t I = 0; I < L.size();) {
    if (L.compare(I, 2, "//") == 0) {
      FlushCode(I);
      Out.push_back({Piece::Comment, I, L.size()});
      return Out;
    }
    if (L.compare(I, 2, "/*") == 0) {
      FlushCode(I);
      size_t E = L.find("*/", I + 2);
      E = E == std::string::npos ? L.size() : E + 2;
      Out.push_back({Piece::Comment, I, E});
      I = CodeFrom = E;
      continue;
    }
    if (L[I] == '\'') { // a character literal stays code; a digit separator (1'000) too
      I = std::min(L.size(), stringEnd(L, I + 1, '\'') + 1);
      continue;
    }
    if (L[I] == '"') {
      FlushCode(I + 1);
      size_t E = stringEnd(L, I + 1, '"');
      Out.push_back({Piece::String, I + 1, E});
      CodeFrom = E; // the closing quote is code
      I = E + 1;
      continue;
    }
    ++I;
  }
  FlushCode(L.size());
  return Out;
}

bool mentionsCredential(const std::string &Line) {
  std::string Lower = lower(Line);
  static const char *Words[] = {"password", "passwd",     "pwd",         "secret",   "token",
                                "api_key",  "apikey",     "auth",        "bearer",   "sk_live",
                                "sk_test",  "credential", "private_key", "x-api-key"};
  for (const char *W : Words)
    if (Lower.find(W) != std::string::npos)
      return true;
  // A URL with user info (`https://user:secret@host`) carries a password.
  auto Scheme = Lower.find("://");
  return Scheme != std::string::npos && Lower.find('@', Scheme) != std::string::npos;
}

} // namespace

std::string redactSourceLine(const std::string &Line, const std::vector<unsigned> &SecretColumns) {
  bool Sensitive = mentionsCredential(Line);
  std::string Out;
  for (const Piece &P : lexLine(Line)) {
    std::string Text = Line.substr(P.Begin, P.End - P.Begin);
    switch (P.K) {
    case Piece::Code:
      Out += detail::replaceSpans(Text, detail::findSecrets(Text, detail::Text::Code));
      break;
    case Piece::Comment:
      Out += redactSecrets(Text);
      break;
    case Piece::String: {
      // 1-based columns from the opening quote (P.Begin) to the closing one (P.End + 1).
      bool Read = std::any_of(SecretColumns.begin(), SecretColumns.end(),
                              [&](unsigned C) { return C >= P.Begin && C <= P.End + 1; });
      Out += (Sensitive || Read) && !Text.empty() ? "***" : redactSecrets(Text);
      break;
    }
    }
  }
  return Out;
}

} // namespace im::support
