#include "support/Secrets.h"
#include "support/Text.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

namespace im::support {
namespace {

bool wordChar(char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; }

enum class Charset { Alnum, Upper, Token };
bool inSet(char C, Charset Set) {
  unsigned char U = static_cast<unsigned char>(C);
  switch (Set) {
  case Charset::Alnum:
    return std::isalnum(U);
  case Charset::Upper:
    return std::isupper(U) || std::isdigit(U);
  case Charset::Token:
    return std::isalnum(U) || C == '_' || C == '-' || C == '.';
  }
  return false;
}

/// A value that stands for a secret rather than being one.
bool placeholder(const std::string &V) {
  if (V.empty())
    return true;
  if (V.find_first_of("%{}<>$*") != std::string::npos || V.find("...") != std::string::npos)
    return true;
  return std::all_of(V.begin(), V.end(), [&](char C) { return C == V[0]; });
}

struct Span {
  size_t Begin, End;
  std::string Kind;
};

struct Prefix {
  const char *Text;
  const char *Kind;
  size_t MinTail;
  size_t MaxTail; // 0: unbounded
  Charset Set;
};

// Token formats published by the vendors (prefix, then a run of key characters).
const Prefix Prefixes[] = {
    {"sk_live_", "Stripe live secret key", 16, 0, Charset::Alnum},
    {"rk_live_", "Stripe live restricted key", 16, 0, Charset::Alnum},
    {"sk_test_", "Stripe test secret key", 16, 0, Charset::Alnum},
    {"rk_test_", "Stripe test restricted key", 16, 0, Charset::Alnum},
    {"whsec_", "Stripe webhook signing secret", 16, 0, Charset::Alnum},
    {"AKIA", "AWS access key id", 16, 16, Charset::Upper},
    {"ASIA", "AWS temporary access key id", 16, 16, Charset::Upper},
    {"xoxb-", "Slack bot token", 10, 0, Charset::Token},
    {"xoxp-", "Slack user token", 10, 0, Charset::Token},
    {"xoxa-", "Slack app token", 10, 0, Charset::Token},
    {"xoxr-", "Slack refresh token", 10, 0, Charset::Token},
    {"xoxs-", "Slack session token", 10, 0, Charset::Token},
    {"SG.", "SendGrid API key", 40, 0, Charset::Token},
    {"ghp_", "GitHub personal access token", 30, 0, Charset::Alnum},
    {"gho_", "GitHub OAuth token", 30, 0, Charset::Alnum},
    {"ghu_", "GitHub user-to-server token", 30, 0, Charset::Alnum},
    {"ghs_", "GitHub server-to-server token", 30, 0, Charset::Alnum},
    {"ghr_", "GitHub refresh token", 30, 0, Charset::Alnum},
    {"github_pat_", "GitHub fine-grained personal access token", 30, 0, Charset::Token},
    {"glpat-", "GitLab personal access token", 20, 0, Charset::Token},
    {"AIza", "Google API key", 30, 0, Charset::Token},
};

size_t runOf(const std::string &S, size_t From, Charset Set) {
  size_t E = From;
  while (E < S.size() && inSet(S[E], Set))
    ++E;
  return E;
}

void prefixSecrets(const std::string &S, std::vector<Span> &Out) {
  for (const Prefix &P : Prefixes) {
    size_t Len = std::strlen(P.Text);
    for (size_t At = S.find(P.Text); At != std::string::npos; At = S.find(P.Text, At + 1)) {
      if (At > 0 && wordChar(S[At - 1]))
        continue;
      size_t End = runOf(S, At + Len, P.Set);
      size_t Tail = End - At - Len;
      if (Tail < P.MinTail || (P.MaxTail && Tail != P.MaxTail))
        continue;
      if (P.MaxTail && End < S.size() && wordChar(S[End]))
        continue;
      std::string Body = S.substr(At + Len, Tail);
      if (placeholder(Body))
        continue;
      if (std::string(P.Text) == "SG." && Body.find('.') == std::string::npos)
        continue; // SendGrid keys are SG.<id>.<secret>
      Out.push_back({At, End, P.Kind});
    }
  }
}

/// `password=...` (conninfo, ODBC, URL query) with a real value.
void passwordSecrets(const std::string &S, std::vector<Span> &Out) {
  std::string L = lower(S);
  for (const char *Key : {"password=", "passwd=", "pwd=", "sslpassword=", "pass="}) {
    size_t KLen = std::strlen(Key);
    for (size_t At = L.find(Key); At != std::string::npos; At = L.find(Key, At + 1)) {
      if (At > 0 && wordChar(L[At - 1]))
        continue;
      size_t V = At + KLen, End = V;
      if (End < S.size() && S[End] == '\'') {
        size_t Close = S.find('\'', End + 1);
        End = Close == std::string::npos ? S.size() : Close + 1;
      } else {
        while (End < S.size() && !std::isspace(static_cast<unsigned char>(S[End])) &&
               S[End] != '&' && S[End] != ';' && S[End] != '"')
          ++End;
      }
      std::string Val = S.substr(V, End - V);
      if (Val.size() >= 2 && Val.front() == '\'')
        Val = Val.substr(1, Val.size() - 2);
      if (placeholder(Val))
        continue;
      Out.push_back({V, End, "password in a connection string"});
    }
  }
}

/// scheme://user:password@host
void urlPasswordSecrets(const std::string &S, std::vector<Span> &Out) {
  for (size_t At = S.find("://"); At != std::string::npos; At = S.find("://", At + 3)) {
    size_t HostEnd = S.find_first_of("/?# \"", At + 3);
    size_t Amp = S.rfind('@', HostEnd == std::string::npos ? std::string::npos : HostEnd);
    if (Amp == std::string::npos || Amp < At + 3)
      continue;
    size_t Colon = S.find(':', At + 3);
    if (Colon == std::string::npos || Colon > Amp)
      continue;
    std::string Pw = S.substr(Colon + 1, Amp - Colon - 1);
    if (placeholder(Pw))
      continue;
    Out.push_back({Colon + 1, Amp, "password in a URL"});
  }
}

void otherSecrets(const std::string &S, std::vector<Span> &Out) {
  // "Authorization: Bearer <token>" with the token written out.
  for (size_t At = S.find("Bearer "); At != std::string::npos; At = S.find("Bearer ", At + 1)) {
    size_t V = At + 7, End = V;
    while (End < S.size() && (inSet(S[End], Charset::Token) || S[End] == '+' ||
                              S[End] == '/' || S[End] == '=' || S[End] == '~'))
      ++End;
    if (End - V >= 20 && !placeholder(S.substr(V, End - V)))
      Out.push_back({V, End, "bearer token"});
  }
  if (auto B = S.find("-----BEGIN "); B != std::string::npos) {
    size_t K = S.find("PRIVATE KEY-----", B);
    if (K != std::string::npos && K - B < 40) {
      size_t End = S.find("-----END", K);
      Out.push_back({B, End == std::string::npos ? S.size() : End, "private key"});
    }
  }
}

std::vector<Span> findSecrets(const std::string &S) {
  std::vector<Span> Out;
  prefixSecrets(S, Out);
  passwordSecrets(S, Out);
  urlPasswordSecrets(S, Out);
  otherSecrets(S, Out);
  std::sort(Out.begin(), Out.end(), [](const Span &A, const Span &B) { return A.Begin < B.Begin; });
  return Out;
}

} // namespace

std::string secretKind(const std::string &S) {
  auto Spans = findSecrets(S);
  return Spans.empty() ? "" : Spans.front().Kind;
}

std::string redactSecrets(const std::string &S) {
  auto Spans = findSecrets(S);
  if (Spans.empty())
    return S;
  std::string Out;
  size_t Pos = 0;
  for (const Span &Sp : Spans) {
    if (Sp.Begin < Pos)
      continue; // overlapping shapes
    Out += S.substr(Pos, Sp.Begin - Pos);
    Out += "***";
    Pos = Sp.End;
  }
  Out += S.substr(Pos);
  return Out;
}

std::string redactSourceLine(const std::string &Line) {
  std::string Lower = lower(Line);
  static const char *Words[] = {"password", "passwd", "pwd",    "secret",        "token",
                                "api_key",  "apikey", "auth",   "bearer",        "sk_live",
                                "sk_test",  "credential", "private_key", "x-api-key"};
  bool Sensitive = false;
  for (const char *W : Words)
    Sensitive |= Lower.find(W) != std::string::npos;
  // A URL with user info (`https://user:secret@host`) carries a password.
  if (auto Scheme = Lower.find("://"); Scheme != std::string::npos &&
                                      Lower.find('@', Scheme) != std::string::npos)
    Sensitive = true;
  if (!Sensitive)
    return redactSecrets(Line); // vendor key shapes (sk_live_, AKIA, ...) anywhere
  // Blank the contents of every string literal on the line: the excerpt shows
  // the code's shape, never a credential.
  std::string Out;
  bool InString = false;
  for (size_t I = 0; I < Line.size(); ++I) {
    char C = Line[I];
    if (!InString) {
      Out += C;
      if (C == '"' && (I == 0 || Line[I - 1] != '\\'))
        InString = true, Out += "***";
    } else if (C == '\\' && I + 1 < Line.size()) {
      ++I;
    } else if (C == '"') {
      Out += C;
      InString = false;
    }
  }
  return redactSecrets(Out);
}

} // namespace im::support
