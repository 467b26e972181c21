#include "support/Endpoint.h"
#include "support/Text.h"

#include <cctype>
#include <sstream>

namespace im::support {

namespace {

enum class Tls { Plain, Encrypted, Unsaid };

/// What the vocabulary knows of one scheme. `Prefix`: every scheme starting
/// with `Name` (postgresql, postgres, mysqlx, mongodb+srv).
struct SchemeInfo {
  const char *Name;
  bool Prefix;
  Tls T;
  const char *Kind;
  const char *Role;
};

const SchemeInfo Schemes[] = {
    {"http", false, Tls::Plain, "http", "HTTP API"},
    {"https", false, Tls::Encrypted, "http", "HTTP API"},
    {"ws", false, Tls::Plain, "", ""},
    {"wss", false, Tls::Encrypted, "", ""},
    {"ftp", false, Tls::Plain, "", ""},
    {"ftps", false, Tls::Encrypted, "", ""},
    {"sftp", false, Tls::Encrypted, "", ""},
    {"scp", false, Tls::Encrypted, "", ""},
    {"tftp", false, Tls::Plain, "", ""},
    {"telnet", false, Tls::Plain, "", ""},
    {"dict", false, Tls::Plain, "", ""},
    {"gopher", false, Tls::Plain, "", ""},
    {"ldap", false, Tls::Plain, "", ""},
    {"ldaps", false, Tls::Encrypted, "", ""},
    {"imap", false, Tls::Plain, "", ""},
    {"imaps", false, Tls::Encrypted, "", ""},
    {"pop3", false, Tls::Plain, "", ""},
    {"pop3s", false, Tls::Encrypted, "", ""},
    {"smtp", false, Tls::Plain, "email", "SMTP mail"},
    {"smtps", false, Tls::Encrypted, "email", "SMTP mail"},
    {"redis", false, Tls::Plain, "cache", "Redis"},
    {"rediss", false, Tls::Encrypted, "cache", "Redis"},
    {"memcached", false, Tls::Unsaid, "cache", "Memcached"},
    {"amqp", false, Tls::Plain, "queue", "AMQP broker"},
    {"amqps", false, Tls::Encrypted, "queue", "AMQP broker"},
    {"mqtt", false, Tls::Plain, "queue", "MQTT broker"},
    {"mqtts", false, Tls::Encrypted, "queue", "MQTT broker"},
    // A nats:// client speaks TLS only when the server asks for it in clear text.
    {"nats", false, Tls::Plain, "queue", ""},
    {"tls", false, Tls::Encrypted, "", ""},
    {"kafka", false, Tls::Unsaid, "queue", "Kafka"},
    {"grpc", false, Tls::Unsaid, "rpc", ""},
    {"grpcs", false, Tls::Encrypted, "rpc", ""},
    {"postgres", true, Tls::Unsaid, "db", "PostgreSQL"},
    {"mysql", true, Tls::Unsaid, "db", "MySQL"},
    {"mongodb", true, Tls::Unsaid, "db", "MongoDB"},
    {"sqlite", false, Tls::Unsaid, "db", ""},
};

const SchemeInfo *scheme(const std::string &Raw) {
  std::string S = lower(Raw);
  for (const SchemeInfo &I : Schemes)
    if (I.Prefix ? startsWith(S, I.Name) : S == I.Name)
      return &I;
  return nullptr;
}

} // namespace

std::map<std::string, std::string> parseConninfo(const std::string &S) {
  std::map<std::string, std::string> Out;
  auto Pos = S.find("://");
  if (Pos != std::string::npos) {
    std::string Rest = S.substr(Pos + 3);
    std::string Query;
    if (auto Q = Rest.find('?'); Q != std::string::npos) {
      Query = Rest.substr(Q + 1);
      Rest = Rest.substr(0, Q);
    }
    std::string HostPart = Rest;
    if (auto At = Rest.rfind('@'); At != std::string::npos)
      HostPart = Rest.substr(At + 1);
    std::string Db;
    if (auto Slash = HostPart.find('/'); Slash != std::string::npos) {
      Db = HostPart.substr(Slash + 1);
      HostPart = HostPart.substr(0, Slash);
    }
    if (auto Colon = HostPart.rfind(':'); Colon != std::string::npos) {
      Out["port"] = HostPart.substr(Colon + 1);
      HostPart = HostPart.substr(0, Colon);
    }
    if (!HostPart.empty())
      Out["host"] = HostPart;
    if (!Db.empty())
      Out["dbname"] = Db;
    std::stringstream QS(Query);
    std::string KV;
    while (std::getline(QS, KV, '&'))
      if (auto Eq = KV.find('='); Eq != std::string::npos)
        Out[KV.substr(0, Eq)] = KV.substr(Eq + 1);
    return Out;
  }
  size_t I = 0;
  while (I < S.size()) {
    while (I < S.size() && std::isspace(static_cast<unsigned char>(S[I])))
      ++I;
    size_t Eq = S.find('=', I);
    if (Eq == std::string::npos)
      break;
    std::string Key = S.substr(I, Eq - I);
    while (!Key.empty() && std::isspace(static_cast<unsigned char>(Key.back())))
      Key.pop_back();
    I = Eq + 1;
    while (I < S.size() && S[I] == ' ')
      ++I;
    std::string Val;
    if (I < S.size() && S[I] == '\'') {
      ++I;
      while (I < S.size() && S[I] != '\'') {
        if (S[I] == '\\' && I + 1 < S.size())
          ++I;
        Val += S[I++];
      }
      ++I;
    } else {
      while (I < S.size() && !std::isspace(static_cast<unsigned char>(S[I])))
        Val += S[I++];
    }
    Out[Key] = Val;
  }
  return Out;
}

ParsedEndpoint parseEndpoint(const std::string &E) {
  ParsedEndpoint P;
  if (E.empty())
    return P;
  if (E.find("://") == std::string::npos && E.find('=') != std::string::npos) {
    auto KV = parseConninfo(E);
    P.Host = KV.count("host") ? KV["host"] : "";
    P.Port = KV.count("port") ? KV["port"] : "";
    P.Database = KV.count("dbname") ? KV["dbname"] : "";
    return P;
  }
  std::string Rest = E;
  if (auto S = E.find("://"); S != std::string::npos) {
    P.Scheme = lower(E.substr(0, S));
    Rest = E.substr(S + 3);
  }
  auto End = Rest.find_first_of("/?#");
  std::string HostPort = Rest.substr(0, End);
  if (auto At = HostPort.rfind('@'); At != std::string::npos)
    HostPort = HostPort.substr(At + 1);
  if (!HostPort.empty() && HostPort[0] == '[') {
    auto Close = HostPort.find(']');
    P.Host = HostPort.substr(1, Close == std::string::npos ? std::string::npos : Close - 1);
    if (Close != std::string::npos && Close + 1 < HostPort.size() && HostPort[Close + 1] == ':')
      P.Port = HostPort.substr(Close + 2);
  } else if (auto Colon = HostPort.rfind(':'); Colon != std::string::npos) {
    P.Host = HostPort.substr(0, Colon);
    P.Port = HostPort.substr(Colon + 1);
  } else {
    P.Host = HostPort;
  }
  P.Host = lower(P.Host);
  if (End != std::string::npos && Rest[End] == '/' && P.Scheme.find("postgres") == 0) {
    P.Database = Rest.substr(End + 1);
    if (auto Q = P.Database.find('?'); Q != std::string::npos)
      P.Database = P.Database.substr(0, Q);
  }
  return P;
}

bool isLocalHost(const std::string &Host) {
  std::string H = lower(Host);
  if (H.size() >= 2 && H.front() == '[' && H.back() == ']')
    H = H.substr(1, H.size() - 2);
  if (H.empty())
    return false;
  if (H.front() == '/' || startsWith(H, "unix:") || H.front() == '@')
    return true; // unix socket (path, unix: URL, abstract socket)
  if (H == "localhost" || endsWith(H, ".localhost") || H == "host.docker.internal")
    return true;
  return startsWith(H, "127.") || H == "::1" || H == "0:0:0:0:0:0:0:1" || H == "0.0.0.0";
}

std::optional<bool> isPlaintextScheme(const std::string &Scheme) {
  const SchemeInfo *I = scheme(Scheme);
  if (!I || I->T == Tls::Unsaid)
    return std::nullopt;
  return I->T == Tls::Plain;
}

std::string schemeKind(const std::string &Scheme) {
  const SchemeInfo *I = scheme(Scheme);
  return I ? I->Kind : "";
}

std::string schemeRole(const std::string &Scheme) {
  const SchemeInfo *I = scheme(Scheme);
  return I ? I->Role : "";
}

bool urlSchemeHost(const std::string &Value, std::string &Scheme, std::string &Host) {
  size_t Sep = Value.find("://");
  if (Sep == std::string::npos || Sep == 0 || Value.find_first_of(" \t\n") != std::string::npos)
    return false;
  std::string S = lower(Value.substr(0, Sep));
  if (!std::isalpha(static_cast<unsigned char>(S[0])) ||
      S.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+.-") != std::string::npos)
    return false;
  Scheme = S;
  std::string Rest = Value.substr(Sep + 3);
  size_t End = Rest.find_first_of("/?#");
  std::string Authority = Rest.substr(0, End);
  if (End != std::string::npos && Rest.find('@', End) != std::string::npos)
    return true; // user:pa/ss@host: where the authority ends is ambiguous
  size_t At = Authority.rfind('@');
  std::string H = Authority.substr(At == std::string::npos ? 0 : At + 1);
  if (!H.empty() && H[0] == '[') {
    size_t Close = H.find(']');
    H = Close == std::string::npos ? "" : H.substr(1, Close - 1);
  } else if (size_t Colon = H.find(':'); Colon != std::string::npos) {
    H = H.substr(0, Colon);
  }
  H = lower(H);
  if (H.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-_:") == std::string::npos)
    Host = H;
  return true;
}

} // namespace im::support
