// Whether a setting, macro or variable name names a credential.
#include "support/Secrets.h"
#include "support/Text.h"

#include <cctype>
#include <vector>

namespace im::support {
namespace {

/// `DB_PASSWORD` -> db, password; `apiKey` -> api, key; `x-api-key` -> x, api, key.
std::vector<std::string> nameParts(const std::string &Name) {
  std::vector<std::string> Parts;
  std::string Cur;
  for (size_t I = 0; I < Name.size(); ++I) {
    unsigned char C = static_cast<unsigned char>(Name[I]);
    if (!std::isalnum(C)) {
      if (!Cur.empty())
        Parts.push_back(lower(Cur));
      Cur.clear();
      continue;
    }
    if (std::isupper(C) && I > 0 && std::islower(static_cast<unsigned char>(Name[I - 1])) &&
        !Cur.empty()) {
      Parts.push_back(lower(Cur));
      Cur.clear();
    }
    Cur += static_cast<char>(C);
  }
  if (!Cur.empty())
    Parts.push_back(lower(Cur));
  return Parts;
}

bool contains(const std::string &S, const char *W) { return S.find(W) != std::string::npos; }

} // namespace

bool credentialName(const std::string &Name) {
  std::vector<std::string> Parts = nameParts(Name);
  if (Parts.empty())
    return false;
  // A name about the credential, not the credential: where it is kept, how long
  // it must be, which header carries it.
  static const char *About[] = {
      "file",   "path",    "dir",    "url",     "uri",    "host",      "port",    "endpoint",
      "id",     "name",    "user",   "username", "length", "len",      "size",    "ttl",
      "timeout", "bits",   "count",  "min",     "max",    "type",      "mode",    "env",
      "var",    "header",  "prefix", "format",  "version", "hint",     "policy",  "enabled",
      "required", "expiry", "expires", "algorithm", "algo", "scheme",  "source",  "mechanism",
      "method", "field",   "param",  "location", "store",  "provider", "rotation"};
  for (const char *A : About)
    if (Parts.back() == A)
      return false;
  // `auth`, `BASIC_AUTH`, `oauth`: the last part; `authSource` is a setting.
  if (endsWith(Parts.back(), "auth"))
    return true;
  for (const std::string &P : Parts) {
    for (const char *W : {"password", "passwd", "passphrase", "secret", "token", "credential"})
      if (contains(P, W))
        return true;
    for (const char *W : {"pwd", "pass", "sig", "signature", "authorization"})
      if (P == W)
        return true;
    if (P == "key" || (P.size() > 3 && endsWith(P, "key") && P != "monkey" && P != "turkey" &&
                       P != "hockey" && P != "jockey" && P != "hotkey"))
      return true;
  }
  return false;
}

std::string secretMacroValue(const std::string &Definition) {
  size_t Eq = Definition.find('=');
  if (Eq == std::string::npos || !credentialName(Definition.substr(0, Eq)))
    return "";
  std::string V = Definition.substr(Eq + 1);
  auto Quoted = [&](const std::string &Q) {
    return V.size() >= 2 * Q.size() && startsWith(V, Q) && endsWith(V, Q);
  };
  while (Quoted("\\\"") || Quoted("\"") || Quoted("'"))
    V = startsWith(V, "\\") ? V.substr(2, V.size() - 4) : V.substr(1, V.size() - 2);
  return V;
}

} // namespace im::support
