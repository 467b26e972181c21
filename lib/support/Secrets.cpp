#include "support/Secrets.h"
#include "support/SecretSpans.h"
#include "support/Text.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

namespace im::support {
using detail::Span;
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
      Out.push_back({At, End, P.Kind, true});
    }
  }
}

bool blank(char C) { return C == ' ' || C == '\t' || C == '\n' || C == '\r'; }
bool keyChar(char C) { return wordChar(C) || C == '-' || C == '.'; }

/// An ODBC connection string: `;` separates `key=value` pairs.
bool odbcShaped(const std::string &S) {
  for (size_t At = S.find(';'); At != std::string::npos; At = S.find(';', At + 1)) {
    size_t K = At + 1;
    while (K < S.size() && blank(S[K]))
      ++K;
    size_t E = K;
    while (E < S.size() && (wordChar(S[E]) || S[E] == ' '))
      ++E;
    if (E > K && E < S.size() && S[E] == '=')
      return true;
  }
  return false;
}

/// A value that names where the secret goes rather than holding it: an SQL
/// parameter (`?`, `:name`, `@name`, `$1`) or one of the placeholder shapes.
bool parameterValue(const std::string &V) {
  return placeholder(V) || V[0] == '?' || V[0] == ':' || V[0] == '@' || V[0] == '$';
}

bool passwordName(const std::string &Key) {
  std::string L = lower(Key);
  return L.find("password") != std::string::npos || L.find("passwd") != std::string::npos ||
         L.find("passphrase") != std::string::npos || L == "pwd" || L == "pass" ||
         endsWith(L, "_pwd") || endsWith(L, "_pass");
}

/// The name written before the `=` at `Eq` (spaces allowed between), or "" when
/// none: `password`, `DB_PASSWORD` from `-DDB_PASSWORD`, `db-password` from
/// `--db-password`. `Begin` is where the written name starts.
std::string nameBefore(const std::string &S, size_t Eq, size_t &Begin) {
  size_t KEnd = Eq;
  while (KEnd > 0 && (S[KEnd - 1] == ' ' || S[KEnd - 1] == '\t'))
    --KEnd;
  Begin = KEnd;
  while (Begin > 0 && keyChar(S[Begin - 1]))
    --Begin;
  std::string Key = S.substr(Begin, KEnd - Begin);
  if (Key.size() > 2 && Key[0] == '-' && Key[1] == 'D')
    Key = Key.substr(2); // -DNAME=value
  size_t Dash = Key.find_first_not_of('-');
  return Dash == std::string::npos ? "" : Key.substr(Dash);
}

/// Where the value starting at `V` ends: at its closing quote when quoted, else
/// at the next space (`;` in an ODBC string, `&` or `#` in a URL query).
size_t valueEnd(const std::string &S, size_t V, bool Query, bool Odbc) {
  char Q = S[V];
  if (Q == '\'' || Q == '"') {
    for (size_t E = V + 1; E < S.size(); ++E)
      if (S[E] == '\\')
        ++E;
      else if (S[E] == Q)
        return E + 1;
    return S.size();
  }
  if (Odbc && Q == '{') {
    size_t Close = S.find('}', V);
    return Close == std::string::npos ? S.size() : Close + 1;
  }
  size_t E = V;
  while (E < S.size() && !blank(S[E]) && S[E] != '"' && !(Query && (S[E] == '&' || S[E] == '#')) &&
         !(Odbc && S[E] == ';'))
    ++E;
  return E;
}

/// `NAME=value` and `NAME = value` where NAME names a credential (credentialName):
/// conninfo, ini, ODBC and query strings, `-DNAME=value`, `--name=value`.
void settingSecrets(const std::string &S, std::vector<Span> &Out) {
  bool Odbc = odbcShaped(S);
  for (size_t Eq = S.find('='); Eq != std::string::npos; Eq = S.find('=', Eq + 1)) {
    if (Eq + 1 < S.size() && S[Eq + 1] == '=') {
      ++Eq; // ==
      continue;
    }
    if (Eq > 0 && std::strchr("!<>=+*/|^%~", S[Eq - 1]))
      continue; // !=, <=, +=, ...
    size_t Begin;
    std::string Key = nameBefore(S, Eq, Begin);
    if (Key.empty() || !credentialName(Key))
      continue;
    char Before = Begin > 0 ? S[Begin - 1] : '\0';
    bool Query = Before == '?' || Before == '&';
    size_t V = Eq + 1;
    while (!Query && V < S.size() && (S[V] == ' ' || S[V] == '\t'))
      ++V;
    if (V >= S.size())
      continue;
    size_t End = valueEnd(S, V, Query, Odbc);
    std::string Val = S.substr(V, End - V);
    if (Val.size() >= 2 && (Val.front() == '\'' || Val.front() == '"'))
      Val = Val.substr(1, Val.size() - 2);
    if (Val.empty() || parameterValue(Val))
      continue;
    bool Password = passwordName(Key);
    Out.push_back({V, End,
                   Password ? "password in a connection string"
                            : (Query ? "credential in a URL query" : "credential setting"),
                   Password});
  }
}

/// scheme://user:password@host. A password holding `/` is read too when the
/// text after the first `:` is not a port (`amqp://u:pa/ss@mq/`).
void urlPasswordSecrets(const std::string &S, std::vector<Span> &Out) {
  for (size_t At = S.find("://"); At != std::string::npos; At = S.find("://", At + 3)) {
    size_t UrlEnd = S.find_first_of(" \t\n\"'", At + 3);
    if (UrlEnd == std::string::npos)
      UrlEnd = S.size();
    size_t QueryAt = S.find_first_of("?#", At + 3);
    size_t Limit = std::min(UrlEnd, QueryAt == std::string::npos ? S.size() : QueryAt);
    size_t Slash = S.find('/', At + 3);
    size_t AuthorityEnd = std::min(Limit, Slash == std::string::npos ? S.size() : Slash);
    size_t Colon = S.find(':', At + 3);
    if (Colon == std::string::npos || Colon >= Limit)
      continue;
    size_t Amp = std::string::npos;
    if (size_t A = S.rfind('@', AuthorityEnd - 1); A != std::string::npos && A > Colon && A < AuthorityEnd)
      Amp = A;
    else if (Colon < AuthorityEnd && Slash != std::string::npos && Slash < Limit) {
      // The authority looked as if it ended at a `/`: a password holding one.
      std::string Mid = S.substr(Colon + 1, Slash - Colon - 1);
      bool Port = !Mid.empty() && Mid.find_first_not_of("0123456789") == std::string::npos;
      size_t A = S.rfind('@', Limit - 1);
      if (!Port && A != std::string::npos && A > Slash)
        Amp = A;
    }
    if (Amp == std::string::npos)
      continue;
    std::string Pw = S.substr(Colon + 1, Amp - Colon - 1);
    if (placeholder(Pw))
      continue;
    Out.push_back({Colon + 1, Amp, "password in a URL", true});
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
      Out.push_back({V, End, "bearer token", true});
  }
  if (auto B = S.find("-----BEGIN "); B != std::string::npos) {
    size_t K = S.find("PRIVATE KEY-----", B);
    if (K != std::string::npos && K - B < 40) {
      size_t End = S.find("-----END", K);
      Out.push_back({B, End == std::string::npos ? S.size() : End, "private key", true});
    }
  }
}

} // namespace

namespace detail {

std::vector<Span> findSecrets(const std::string &S, Text Mode) {
  std::vector<Span> Out;
  prefixSecrets(S, Out);
  if (Mode == Text::Value)
    settingSecrets(S, Out);
  urlPasswordSecrets(S, Out);
  otherSecrets(S, Out);
  std::stable_sort(Out.begin(), Out.end(),
                   [](const Span &A, const Span &B) { return A.Begin < B.Begin; });
  return Out;
}

std::string replaceSpans(const std::string &S, const std::vector<Span> &Spans) {
  if (Spans.empty())
    return S;
  std::string Out;
  size_t Pos = 0;
  for (const Span &Sp : Spans) {
    if (Sp.Begin < Pos) { // overlaps the span just replaced: widen it
      Pos = std::max(Pos, Sp.End);
      continue;
    }
    Out += S.substr(Pos, Sp.Begin - Pos);
    Out += "***";
    Pos = Sp.End;
  }
  Out += S.substr(Pos);
  return Out;
}

} // namespace detail

bool placeholder(const std::string &V) {
  if (V.empty())
    return true;
  if (V.find_first_of("%{}<>$*") != std::string::npos || V.find("...") != std::string::npos)
    return true;
  return std::all_of(V.begin(), V.end(), [&](char C) { return C == V[0]; });
}

std::string secretKind(const std::string &S) {
  for (const Span &Sp : detail::findSecrets(S, detail::Text::Value))
    if (Sp.Reported)
      return Sp.Kind;
  return "";
}

std::string redactSecrets(const std::string &S) {
  return detail::replaceSpans(S, detail::findSecrets(S, detail::Text::Value));
}

std::string redactKnown(const std::string &S, const std::vector<std::string> &Known) {
  std::string Out = redactSecrets(S);
  for (const std::string &K : Known) {
    if (K.empty() || placeholder(K))
      continue;
    if (K.size() < 4) {
      if (Out == K)
        Out = "***";
      continue;
    }
    for (size_t At = Out.find(K); At != std::string::npos; At = Out.find(K, At + 3))
      Out.replace(At, K.size(), "***");
  }
  return Out;
}

} // namespace im::support
