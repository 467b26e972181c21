#include "inventory/Inventory.h"

#include "analysis/Integrations.h"
#include "support/Files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace im::inventory {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string S) {
  std::transform(S.begin(), S.end(), S.begin(),
                 [](unsigned char C) { return static_cast<char>(std::tolower(C)); });
  return S;
}
std::string upper(std::string S) {
  std::transform(S.begin(), S.end(), S.begin(),
                 [](unsigned char C) { return static_cast<char>(std::toupper(C)); });
  return S;
}
bool startsWith(const std::string &S, const std::string &P) { return S.rfind(P, 0) == 0; }
bool endsWith(const std::string &S, const std::string &Suf) {
  return S.size() >= Suf.size() && S.compare(S.size() - Suf.size(), Suf.size(), Suf) == 0;
}
std::string trim(const std::string &S) {
  size_t B = S.find_first_not_of(" \t\r\n");
  if (B == std::string::npos)
    return "";
  size_t E = S.find_last_not_of(" \t\r\n");
  return S.substr(B, E - B + 1);
}
unsigned lineAt(const std::string &Text, size_t Offset) {
  return 1 + static_cast<unsigned>(
                 std::count(Text.begin(), Text.begin() + std::min(Offset, Text.size()), '\n'));
}
model::InventoryProblem problem(const std::string &Path, unsigned Line, std::string Message) {
  return {{Path, Line, Line ? 1u : 0u}, std::move(Message)};
}

// ---------------------------------------------------------------- the mapping table
// Manifest spellings (CMake package and target names, pkg-config modules, vcpkg
// and conan package names, meson dependencies), lower-cased, to catalog library
// ids. One table for every manifest kind.
struct NameToLibrary {
  const char *Name;
  const char *Library;
};
const NameToLibrary ManifestNames[] = {
    // HTTP / RPC
    {"curl", "libcurl"}, {"libcurl", "libcurl"}, {"curl::libcurl", "libcurl"},
    {"cpp-httplib", "cpp-httplib"}, {"httplib", "cpp-httplib"}, {"httplib::httplib", "cpp-httplib"},
    {"poco::net", "poco-net"}, {"poco::netssl", "poco-net"}, {"poconet", "poco-net"},
    {"poconetssl", "poco-net"},
    {"qt5::network", "qt-network"}, {"qt6::network", "qt-network"}, {"qt::network", "qt-network"},
    {"qt5network", "qt-network"}, {"qt6network", "qt-network"},
    {"cpprestsdk", "cpprestsdk"}, {"cpprest", "cpprestsdk"}, {"cpprestsdk::cpprest", "cpprestsdk"},
    {"grpc", "grpc"}, {"grpc++", "grpc"}, {"grpc::grpc++", "grpc"}, {"grpc::grpc", "grpc"},
    {"grpc++_unsecure", "grpc"}, {"grpc::grpc++_unsecure", "grpc"},
    {"cpr", "cpr"}, {"cpr::cpr", "cpr"},
    {"boost-beast", "boost-beast"}, // vcpkg; CMake's Boost has no beast component
    {"aws-sdk-cpp", "aws-sdk-cpp"}, {"awssdk", "aws-sdk-cpp"},
    // databases
    {"postgresql", "libpq"}, {"pq", "libpq"}, {"libpq", "libpq"},
    {"postgresql::postgresql", "libpq"}, {"postgresql::pq", "libpq"},
    {"pqxx", "libpqxx"}, {"libpqxx", "libpqxx"}, {"libpqxx::pqxx", "libpqxx"},
    {"mysql", "mysql"}, {"mysqlclient", "mysql"}, {"libmysqlclient", "mysql"},
    {"libmysql", "mysql"}, {"unofficial::libmysql::libmysql", "mysql"},
    {"mariadb", "mysql"}, {"libmariadb", "mysql"},
    {"mysqlcppconn", "mysql-connector-cpp"}, {"mysqlcppconn8", "mysql-connector-cpp"},
    {"mysql-connector-cpp", "mysql-connector-cpp"}, {"mysql-concpp", "mysql-connector-cpp"},
    {"sqlite3", "sqlite"}, {"sqlite", "sqlite"}, {"sqlite::sqlite3", "sqlite"},
    {"unofficial::sqlite3::sqlite3", "sqlite"},
    {"odbc", "odbc"}, {"unixodbc", "odbc"}, {"odbc::odbc", "odbc"},
    {"mongoc", "libmongoc"}, {"mongoc-1.0", "libmongoc"}, {"libmongoc", "libmongoc"},
    {"libmongoc-1.0", "libmongoc"}, {"mongo-c-driver", "libmongoc"}, {"mongo::mongoc", "libmongoc"},
    {"soci", "soci"}, {"soci_core", "soci"}, {"soci::soci_core", "soci"},
    // caches
    {"hiredis", "hiredis"}, {"libhiredis", "hiredis"}, {"hiredis::hiredis", "hiredis"},
    {"redis++", "redis-plus-plus"}, {"redis-plus-plus", "redis-plus-plus"},
    {"redis++::redis++", "redis-plus-plus"}, {"libredis++", "redis-plus-plus"},
    {"memcached", "libmemcached"}, {"libmemcached", "libmemcached"},
    // messaging
    {"rdkafka", "librdkafka"}, {"rdkafka++", "librdkafka"}, {"librdkafka", "librdkafka"},
    {"rdkafka::rdkafka", "librdkafka"}, {"rdkafka::rdkafka++", "librdkafka"},
    {"zmq", "zeromq"}, {"libzmq", "zeromq"}, {"zeromq", "zeromq"}, {"cppzmq", "zeromq"},
    {"cppzmq::cppzmq", "zeromq"}, {"zeromq::libzmq", "zeromq"},
    {"pahomqttcpp", "paho-mqtt"}, {"paho-mqttpp3", "paho-mqtt"}, {"paho-mqtt-cpp", "paho-mqtt"},
    {"pahomqttcpp::paho-mqttpp3", "paho-mqtt"},
};

// A library built on another: calling the first uses the second.
const std::pair<const char *, const char *> BuiltOn[] = {
    {"libpqxx", "libpq"}, {"redis-plus-plus", "hiredis"}, {"cpr", "libcurl"},
};

// Names the mapping cannot see: variables, generator expressions, keywords.
bool isCMakeNoise(const std::string &A) {
  static const std::set<std::string> Keywords = {
      "public", "private", "interface", "required", "quiet", "components", "optional_components",
      "config", "module", "no_module", "exact", "imported_target", "global", "debug",
      "optimized", "general", "link_public", "link_private", "link_interface_libraries"};
  return A.empty() || A.find("${") != std::string::npos || A.find("$<") != std::string::npos ||
         Keywords.count(lower(A));
}

// ---------------------------------------------------------------- CMake tokenizer
struct Arg {
  std::string Text;
  unsigned Line;
};
struct Command {
  std::string Name; // lower-cased
  unsigned Line;
  std::vector<Arg> Args;
};

/// Commands of a CMakeLists.txt. Stops at the first syntax error (reported).
std::vector<Command> cmakeCommands(const std::string &Path, const std::string &T,
                                   std::vector<model::InventoryProblem> &Problems) {
  std::vector<Command> Out;
  size_t I = 0, N = T.size();
  unsigned Line = 1;
  auto Advance = [&](size_t To) {
    for (; I < To && I < N; ++I)
      Line += T[I] == '\n';
  };
  auto BracketClose = [&](size_t At) -> std::pair<size_t, size_t> {
    // At points at '[' of [[ or [=[ ; returns (content start, close end) or npos.
    size_t J = At + 1, Eq = 0;
    while (J < N && T[J] == '=')
      ++J, ++Eq;
    if (J >= N || T[J] != '[')
      return {std::string::npos, 0};
    std::string Close = "]" + std::string(Eq, '=') + "]";
    size_t C = T.find(Close, J + 1);
    return {J + 1, C == std::string::npos ? std::string::npos : C + Close.size()};
  };
  while (I < N) {
    char C = T[I];
    if (C == '#') {
      if (I + 1 < N && T[I + 1] == '[') {
        auto [S, E] = BracketClose(I + 1);
        if (S != std::string::npos) {
          if (E == std::string::npos) {
            Problems.push_back(problem(Path, Line, "unterminated bracket comment"));
            return Out;
          }
          Advance(E);
          continue;
        }
      }
      size_t E = T.find('\n', I);
      Advance(E == std::string::npos ? N : E);
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(C))) {
      Advance(I + 1);
      continue;
    }
    if (!(std::isalpha(static_cast<unsigned char>(C)) || C == '_')) {
      Problems.push_back(problem(Path, Line, std::string("unexpected '") + C +
                                                 "' where a command name was expected"));
      return Out;
    }
    Command Cmd;
    Cmd.Line = Line;
    size_t S = I;
    while (I < N && (std::isalnum(static_cast<unsigned char>(T[I])) || T[I] == '_'))
      ++I;
    Cmd.Name = lower(T.substr(S, I - S));
    while (I < N && (T[I] == ' ' || T[I] == '\t'))
      ++I;
    if (I >= N || T[I] != '(') {
      Problems.push_back(problem(Path, Line, "command '" + Cmd.Name + "' without '('"));
      return Out;
    }
    ++I;
    int Depth = 1;
    std::string Cur;
    unsigned CurLine = Line;
    auto Flush = [&] {
      if (!Cur.empty())
        Cmd.Args.push_back({Cur, CurLine});
      Cur.clear();
    };
    while (I < N && Depth > 0) {
      char D = T[I];
      if (D == '"') {
        Flush();
        CurLine = Line;
        size_t J = I + 1;
        std::string Q;
        while (J < N && T[J] != '"') {
          if (T[J] == '\\' && J + 1 < N)
            Q += T[++J];
          else
            Q += T[J];
          ++J;
        }
        if (J >= N) {
          Problems.push_back(problem(Path, CurLine, "unterminated quoted argument in '" +
                                                        Cmd.Name + "'"));
          return Out;
        }
        Advance(J + 1);
        Cmd.Args.push_back({Q, CurLine});
        continue;
      }
      if (D == '[') {
        auto [BS, BE] = BracketClose(I);
        if (BS != std::string::npos) {
          if (BE == std::string::npos) {
            Problems.push_back(problem(Path, Line, "unterminated bracket argument in '" +
                                                       Cmd.Name + "'"));
            return Out;
          }
          Flush();
          size_t Eqs = BS - I - 2; // the '=' between the opening brackets
          Cmd.Args.push_back({T.substr(BS, BE - BS - (Eqs + 2)), Line});
          Advance(BE);
          continue;
        }
      }
      if (D == '#') {
        Flush();
        size_t E = T.find('\n', I);
        Advance(E == std::string::npos ? N : E);
        continue;
      }
      if (D == '(') {
        ++Depth;
        Flush();
      } else if (D == ')') {
        --Depth;
        Flush();
      } else if (std::isspace(static_cast<unsigned char>(D))) {
        Flush();
      } else {
        if (Cur.empty())
          CurLine = Line;
        Cur += D;
      }
      Advance(I + 1);
    }
    if (Depth > 0) {
      Problems.push_back(
          problem(Path, Cmd.Line, "command '" + Cmd.Name + "' has no closing parenthesis"));
      return Out;
    }
    Out.push_back(std::move(Cmd));
  }
  return Out;
}

void addLibrary(ManifestParse &P, const std::string &Path, const std::string &Kind,
                const std::string &Name, unsigned Line) {
  std::string Lib = libraryForManifestName(Name);
  if (Lib.empty())
    return;
  P.Libraries.push_back({Lib, Name, Kind, {Path, Line, 1}});
}

/// nlohmann's parse error without its prefix and without the text it last read
/// (which may be a piece of the file).
std::string jsonError(const std::string &What) {
  std::string M = What;
  if (auto P = M.find(": "); P != std::string::npos && M.rfind("[json.exception", 0) == 0)
    M = M.substr(P + 2);
  if (auto P = M.find("; last read"); P != std::string::npos)
    M = M.substr(0, P);
  return M;
}

bool isLocalHost(const std::string &H) {
  return H == "localhost" || startsWith(H, "127.") || H == "::1" || H == "0.0.0.0" ||
         endsWith(H, ".localhost") || H == "host.docker.internal";
}
bool isPlaintextScheme(const std::string &S) {
  static const std::set<std::string> Plain = {"http", "ws", "ftp", "redis", "amqp", "mqtt",
                                              "tcp", "smtp", "ldap", "nats", "telnet"};
  return Plain.count(S) != 0;
}

/// Scheme and host of a URL value, and nothing else of it. The host is left
/// empty whenever it cannot be told apart from the credentials with certainty
/// (an unencoded '/' or '@' in a password), so no part of a secret is returned.
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
  std::string H = Authority.substr(Authority.rfind('@') == std::string::npos ? 0 : Authority.rfind('@') + 1);
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

} // namespace

// ---------------------------------------------------------------- names
std::string libraryForManifestName(const std::string &Raw) {
  std::string N = lower(trim(Raw));
  // Version constraints (pkg-config `libcurl>=7.0`, conan `libcurl/8.4.0`, vcpkg features).
  if (auto P = N.find_first_of("<>=/[ "); P != std::string::npos)
    N = N.substr(0, P);
  for (const char *Suffix : {"_static", "_shared", "-static", "-shared"})
    if (endsWith(N, Suffix))
      N = N.substr(0, N.size() - std::string(Suffix).size());
  for (const auto &E : ManifestNames)
    if (N == E.Name)
      return E.Library;
  // aws-cpp-sdk-s3, AWS::aws-sdk-cpp-core, aws-sdk-cpp[s3]
  if (startsWith(N, "aws-cpp-sdk-") || startsWith(N, "aws::") || startsWith(N, "aws-sdk-cpp"))
    return "aws-sdk-cpp";
  if (startsWith(N, "mongo::mongoc"))
    return "libmongoc";
  return "";
}

bool isEnvFileName(const std::string &F) { return F == ".env" || startsWith(F, ".env."); }

std::string manifestKind(const std::string &F) {
  if (F == "CMakeLists.txt")
    return "cmake";
  if (F == "vcpkg.json")
    return "vcpkg";
  if (F == "conanfile.txt" || F == "conanfile.py")
    return "conan";
  if (F == "meson.build")
    return "meson";
  return "";
}

// ---------------------------------------------------------------- discovery
Discovered discover(const std::string &Root, const WalkOptions &Opts) {
  Discovered D;
  unsigned Visited = 0;
  static const std::set<std::string> SkipNames = {"node_modules", "third_party", "3rdparty",
                                                  "vendor", "external", "_deps"};
  std::set<std::string> Skip;
  for (const auto &S : Opts.Skip)
    Skip.insert(fs::path(S).lexically_normal().string());
  std::function<void(const fs::path &, unsigned)> Walk = [&](const fs::path &Dir, unsigned Depth) {
    std::error_code EC;
    std::vector<fs::directory_entry> Entries;
    for (fs::directory_iterator It(Dir, EC), End; !EC && It != End; It.increment(EC)) {
      if (++Visited > Opts.MaxEntries) {
        D.Truncated = true;
        return;
      }
      Entries.push_back(*It);
    }
    std::sort(Entries.begin(), Entries.end(),
              [](const auto &A, const auto &B) { return A.path() < B.path(); });
    for (const auto &E : Entries) {
      std::string Name = E.path().filename().string();
      std::error_code SE;
      if (E.is_directory(SE) && !E.is_symlink(SE)) {
        if (Name.empty() || Name[0] == '.' || SkipNames.count(Name) || startsWith(Name, "build") ||
            startsWith(Name, "cmake-build-") || Skip.count(E.path().lexically_normal().string()) ||
            fs::exists(E.path() / "CMakeCache.txt", SE) ||
            fs::exists(E.path() / ".integration-mapper-ignore", SE))
          continue;
        if (Depth >= Opts.MaxDepth) {
          D.Truncated = true;
          continue;
        }
        Walk(E.path(), Depth + 1);
        if (Visited > Opts.MaxEntries)
          return;
      } else if (E.is_regular_file(SE)) {
        if (isEnvFileName(Name))
          D.EnvFiles.push_back(E.path().string());
        else if (!manifestKind(Name).empty())
          D.Manifests.push_back(E.path().string());
      }
    }
  };
  Walk(fs::path(Root), 0);
  std::sort(D.EnvFiles.begin(), D.EnvFiles.end());
  std::sort(D.Manifests.begin(), D.Manifests.end());
  return D;
}

// ---------------------------------------------------------------- env files
std::string classifyEnvName(const std::string &Raw) {
  std::string N = upper(Raw);
  static const char *Credential[] = {"_API_KEY", "_APIKEY", "_SECRET_KEY", "_ACCESS_KEY",
                                     "_PRIVATE_KEY", "_SECRET", "_TOKEN", "_PASSWORD", "_PASSWD",
                                     "_PASS", "_PWD", "_CREDENTIALS", "_AUTH_KEY", "_CLIENT_SECRET"};
  static const char *CredentialExact[] = {"API_KEY", "SECRET_KEY", "PASSWORD", "TOKEN", "SECRET",
                                          "ACCESS_KEY", "AUTH_TOKEN", "PRIVATE_KEY"};
  static const char *Endpoint[] = {"_URL", "_URI", "_ENDPOINT", "_HOST", "_HOSTNAME", "_DSN",
                                   "_ADDR", "_ADDRESS", "_BROKERS", "_SERVER", "_SERVERS",
                                   "_BASE_URL"};
  static const char *EndpointExact[] = {"DATABASE_URL", "REDIS_URL", "DSN", "HOST", "URL"};
  for (const char *E : CredentialExact)
    if (N == E)
      return "credential";
  for (const char *E : EndpointExact)
    if (N == E)
      return "endpoint";
  for (const char *S : Credential)
    if (endsWith(N, S))
      return "credential";
  for (const char *S : Endpoint)
    if (endsWith(N, S))
      return "endpoint";
  return "";
}

EnvParse parseEnvFile(const std::string &Path, const std::string &Text) {
  EnvParse P;
  std::vector<std::string> Lines;
  {
    size_t S = Text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; // UTF-8 byte order mark
    while (S <= Text.size()) {
      size_t E = Text.find('\n', S);
      if (E == std::string::npos) {
        if (S < Text.size())
          Lines.push_back(Text.substr(S));
        break;
      }
      Lines.push_back(Text.substr(S, E - S));
      S = E + 1;
    }
  }
  for (size_t I = 0; I < Lines.size(); ++I) {
    unsigned LineNo = static_cast<unsigned>(I + 1);
    std::string L = trim(Lines[I]);
    if (L.empty() || L[0] == '#')
      continue;
    if (startsWith(L, "export ") || startsWith(L, "export\t"))
      L = trim(L.substr(7));
    size_t K = 0;
    if (!L.empty() && (std::isalpha(static_cast<unsigned char>(L[0])) || L[0] == '_'))
      while (K < L.size() && (std::isalnum(static_cast<unsigned char>(L[K])) || L[K] == '_' ||
                              L[K] == '.'))
        ++K;
    std::string Name = L.substr(0, K);
    size_t Eq = K;
    while (Eq < L.size() && (L[Eq] == ' ' || L[Eq] == '\t'))
      ++Eq;
    if (Name.empty() || Eq >= L.size() || L[Eq] != '=') {
      P.Problems.push_back(problem(Path, LineNo, "expected NAME=value"));
      continue;
    }
    std::string Rest = trim(L.substr(Eq + 1));
    std::string Value; // stays in this function
    if (!Rest.empty() && (Rest[0] == '"' || Rest[0] == '\'' || Rest[0] == '`')) {
      char Q = Rest[0];
      std::string Body = Rest.substr(1);
      size_t Close = std::string::npos;
      size_t J = I;
      for (;;) {
        for (size_t C = 0; C < Body.size(); ++C) {
          if (Q == '"' && Body[C] == '\\') {
            ++C;
            continue;
          }
          if (Body[C] == Q) {
            Close = C;
            break;
          }
        }
        if (Close != std::string::npos || Q == '`' || J + 1 >= Lines.size())
          break;
        Body += "\n" + Lines[++J]; // quoted values may span lines
      }
      if (Close == std::string::npos) {
        P.Problems.push_back(problem(Path, LineNo, "unterminated quoted value of " + Name));
        if (Q != '`')
          break; // everything after an unterminated quote is part of it
        continue;
      }
      std::string After = trim(Body.substr(Close + 1));
      I = J;
      if (!After.empty() && After[0] != '#') {
        P.Problems.push_back(problem(Path, LineNo, "unexpected text after the quoted value of " + Name));
        continue;
      }
      Value = Body.substr(0, Close);
    } else {
      size_t Hash = Rest.find(" #");
      if (Hash == std::string::npos)
        Hash = Rest.find("\t#");
      Value = trim(Rest.substr(0, Hash));
    }
    model::EnvVariable V;
    V.Name = Name;
    V.Loc = {Path, LineNo, 1};
    V.Class = classifyEnvName(Name);
    V.Empty = Value.empty();
    if (urlSchemeHost(Value, V.Scheme, V.Host)) {
      V.Plaintext = isPlaintextScheme(V.Scheme) && !V.Host.empty() && !isLocalHost(V.Host);
      if (V.Class.empty())
        V.Class = "endpoint"; // a URL under any name is an endpoint
    }
    P.Variables.push_back(std::move(V));
  }
  return P;
}

// ---------------------------------------------------------------- manifests
ManifestParse parseCMake(const std::string &Path, const std::string &Text) {
  ManifestParse P;
  for (const auto &C : cmakeCommands(Path, Text, P.Problems)) {
    if (C.Args.empty())
      continue;
    if (C.Name == "find_package") {
      std::string Pkg = lower(C.Args[0].Text);
      if (Pkg == "poco" || Pkg == "qt5" || Pkg == "qt6" || Pkg == "qt") {
        // Only their network components are clients.
        for (size_t I = 1; I < C.Args.size(); ++I) {
          std::string A = lower(C.Args[I].Text);
          if (A == "net" || A == "netssl" || A == "network")
            addLibrary(P, Path, "cmake", C.Args[0].Text + "::" + C.Args[I].Text, C.Args[I].Line);
        }
        continue;
      }
      addLibrary(P, Path, "cmake", C.Args[0].Text, C.Args[0].Line);
    } else if (C.Name == "pkg_check_modules" || C.Name == "pkg_search_module") {
      for (size_t I = 1; I < C.Args.size(); ++I)
        if (!isCMakeNoise(C.Args[I].Text))
          addLibrary(P, Path, "cmake", C.Args[I].Text, C.Args[I].Line);
    } else if (C.Name == "target_link_libraries" || C.Name == "link_libraries") {
      for (size_t I = C.Name == "link_libraries" ? 0 : 1; I < C.Args.size(); ++I) {
        const std::string &A = C.Args[I].Text;
        if (isCMakeNoise(A))
          continue;
        std::string Name = A;
        if (startsWith(Name, "-l"))
          Name = Name.substr(2);
        addLibrary(P, Path, "cmake", Name, C.Args[I].Line);
      }
    }
  }
  return P;
}

ManifestParse parseVcpkg(const std::string &Path, const std::string &Text) {
  ManifestParse P;
  nlohmann::json J;
  try {
    J = nlohmann::json::parse(Text);
  } catch (const nlohmann::json::parse_error &E) {
    P.Problems.push_back(problem(Path, lineAt(Text, E.byte == 0 ? 0 : E.byte - 1),
                                 "malformed JSON: " + jsonError(E.what())));
    return P;
  }
  if (!J.is_object())
    return P;
  size_t DepsAt = Text.find("\"dependencies\"");
  auto It = J.find("dependencies");
  if (It == J.end())
    return P;
  if (!It->is_array()) {
    P.Problems.push_back(problem(Path, lineAt(Text, DepsAt), "\"dependencies\" is not an array"));
    return P;
  }
  size_t From = DepsAt == std::string::npos ? 0 : DepsAt;
  for (const auto &D : *It) {
    std::string Name;
    if (D.is_string())
      Name = D.get<std::string>();
    else if (D.is_object() && D.contains("name") && D["name"].is_string())
      Name = D["name"].get<std::string>();
    else {
      P.Problems.push_back(problem(Path, lineAt(Text, From), "dependency without a name"));
      continue;
    }
    size_t At = Text.find("\"" + Name + "\"", From);
    if (At != std::string::npos)
      From = At + 1;
    addLibrary(P, Path, "vcpkg", Name, lineAt(Text, At == std::string::npos ? DepsAt : At));
  }
  return P;
}

ManifestParse parseConanTxt(const std::string &Path, const std::string &Text) {
  ManifestParse P;
  std::string Section;
  size_t S = 0;
  unsigned LineNo = 0;
  while (S <= Text.size()) {
    size_t E = Text.find('\n', S);
    std::string L = trim(Text.substr(S, E == std::string::npos ? std::string::npos : E - S));
    ++LineNo;
    S = E == std::string::npos ? Text.size() + 1 : E + 1;
    if (L.empty() || L[0] == '#')
      continue;
    if (L[0] == '[') {
      if (L.back() != ']') {
        P.Problems.push_back(problem(Path, LineNo, "malformed section header"));
        Section.clear();
        continue;
      }
      Section = L.substr(1, L.size() - 2);
      continue;
    }
    if (Section == "requires" || Section == "tool_requires" || Section == "build_requires") {
      if (L.find('/') == std::string::npos) {
        P.Problems.push_back(problem(Path, LineNo, "expected name/version in [" + Section + "]"));
        continue;
      }
      addLibrary(P, Path, "conan", L, LineNo);
    }
  }
  return P;
}

ManifestParse parseConanPy(const std::string &Path, const std::string &Text) {
  ManifestParse P;
  // Every string literal "name/version[@user/channel]" in a requires context:
  // `requires = (...)`, `self.requires("...")`, `requirements`.
  size_t I = 0;
  while (I < Text.size()) {
    char Q = Text[I];
    if (Q == '#') {
      size_t E = Text.find('\n', I);
      I = E == std::string::npos ? Text.size() : E;
      continue;
    }
    if (Q != '"' && Q != '\'') {
      ++I;
      continue;
    }
    size_t E = Text.find_first_of(std::string(1, Q) + "\n", I + 1);
    if (E == std::string::npos || Text[E] == '\n') {
      // Triple-quoted strings: skip to their end.
      if (Text.compare(I, 3, std::string(3, Q)) == 0) {
        size_t End = Text.find(std::string(3, Q), I + 3);
        if (End == std::string::npos) {
          P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated string"));
          return P;
        }
        I = End + 3;
        continue;
      }
      P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated string"));
      I = E == std::string::npos ? Text.size() : E;
      continue;
    }
    std::string Lit = Text.substr(I + 1, E - I - 1);
    if (Lit.empty() && Text.compare(I, 3, std::string(3, Q)) == 0) {
      size_t End = Text.find(std::string(3, Q), I + 3);
      I = End == std::string::npos ? Text.size() : End + 3;
      continue;
    }
    auto Slash = Lit.find('/');
    if (Slash != std::string::npos && Slash > 0 && Slash + 1 < Lit.size() &&
        Lit.find(' ') == std::string::npos) {
      size_t From = I > 400 ? I - 400 : 0;
      if (Text.substr(From, I - From).find("requires") != std::string::npos)
        addLibrary(P, Path, "conan", Lit, lineAt(Text, I));
    }
    I = E + 1;
  }
  return P;
}

ManifestParse parseMeson(const std::string &Path, const std::string &Text) {
  ManifestParse P;
  int Depth = 0;
  size_t OpenAt = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '#') {
      size_t E = Text.find('\n', I);
      I = E == std::string::npos ? Text.size() : E;
      continue;
    }
    if (C == '\'') {
      if (Text.compare(I, 3, "'''") == 0) {
        size_t E = Text.find("'''", I + 3);
        if (E == std::string::npos) {
          P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated multi-line string"));
          return P;
        }
        I = E + 2;
        continue;
      }
      size_t E = Text.find_first_of("'\n", I + 1);
      if (E == std::string::npos || Text[E] == '\n') {
        P.Problems.push_back(problem(Path, lineAt(Text, I), "unterminated string"));
        return P;
      }
      I = E;
      continue;
    }
    if (C == '(') {
      if (Depth++ == 0)
        OpenAt = I;
    } else if (C == ')') {
      if (--Depth < 0) {
        P.Problems.push_back(problem(Path, lineAt(Text, I), "unbalanced ')'"));
        return P;
      }
    }
    for (const char *Fn : {"dependency(", "find_library("}) {
      size_t L = std::string(Fn).size();
      if (Text.compare(I, L, Fn) == 0 &&
          (I == 0 || !(std::isalnum(static_cast<unsigned char>(Text[I - 1])) || Text[I - 1] == '_'))) {
        size_t J = I + L;
        while (J < Text.size() && std::isspace(static_cast<unsigned char>(Text[J])))
          ++J;
        if (J < Text.size() && Text[J] == '\'') {
          size_t E = Text.find('\'', J + 1);
          if (E != std::string::npos)
            addLibrary(P, Path, "meson", Text.substr(J + 1, E - J - 1), lineAt(Text, J));
        }
      }
    }
  }
  if (Depth > 0)
    P.Problems.push_back(problem(Path, lineAt(Text, OpenAt), "unbalanced '(': no closing parenthesis"));
  return P;
}

ManifestParse parseManifest(const std::string &Path, const std::string &Text) {
  std::string Name = fs::path(Path).filename().string();
  if (Name == "CMakeLists.txt")
    return parseCMake(Path, Text);
  if (Name == "vcpkg.json")
    return parseVcpkg(Path, Text);
  if (Name == "conanfile.txt")
    return parseConanTxt(Path, Text);
  if (Name == "conanfile.py")
    return parseConanPy(Path, Text);
  if (Name == "meson.build")
    return parseMeson(Path, Text);
  return {};
}

// ---------------------------------------------------------------- the run
model::Inventory collect(const std::string &Root, const WalkOptions &Opts) {
  model::Inventory Inv;
  Inv.Enabled = true;
  if (fs::path(Root).lexically_normal() == fs::path("/")) {
    // Sources with no common directory: the whole file system is no project.
    Inv.Problems.push_back(problem("/", 0, "the source root is the file-system root: env files "
                                           "and manifests not searched (pass --source-root)"));
    return Inv;
  }
  Discovered D = discover(Root, Opts);
  Inv.EnvFiles = D.EnvFiles;
  Inv.Manifests = D.Manifests;
  Inv.Truncated = D.Truncated;
  constexpr size_t MaxFileSize = 4 << 20;
  auto Read = [&](const std::string &Path, std::string &Out) {
    std::error_code EC;
    auto Size = fs::file_size(Path, EC);
    if (!EC && Size > MaxFileSize) {
      Inv.Problems.push_back(problem(Path, 0, "larger than 4 MiB; skipped"));
      return false;
    }
    auto T = support::readFile(Path);
    if (!T) {
      Inv.Problems.push_back(problem(Path, 0, "cannot read: " + llvm::toString(T.takeError())));
      return false;
    }
    Out = std::move(*T);
    return true;
  };
  for (const auto &F : D.EnvFiles) {
    std::string Text;
    if (!Read(F, Text))
      continue;
    EnvParse P = parseEnvFile(F, Text);
    for (auto &V : P.Variables)
      Inv.Variables.push_back(std::move(V));
    for (auto &Pr : P.Problems)
      Inv.Problems.push_back(std::move(Pr));
  }
  for (const auto &F : D.Manifests) {
    std::string Text;
    if (!Read(F, Text))
      continue;
    ManifestParse P = parseManifest(F, Text);
    for (auto &L : P.Libraries)
      Inv.Libraries.push_back(std::move(L));
    for (auto &Pr : P.Problems)
      Inv.Problems.push_back(std::move(Pr));
  }
  return Inv;
}

std::vector<model::EnvRead> collectEnvReads(const std::vector<model::TUFacts> &Units) {
  std::vector<model::EnvRead> Out;
  for (const auto &U : Units)
    Out.insert(Out.end(), U.EnvReads.begin(), U.EnvReads.end());
  // The project's own env readers (a function passing its parameter to getenv,
  // security fact "env_helper"), in whichever unit they are defined: a call
  // with a literal name reads that variable.
  std::map<std::string, unsigned> NameParam;
  for (const auto &U : Units)
    for (const auto &F : U.Security)
      if (F.Type == "env_helper" && !F.FunctionKey.empty())
        NameParam[F.FunctionKey] = static_cast<unsigned>(std::stoul(F.Kind));
  for (const auto &U : Units)
    for (const auto &A : U.ArgValues)
      if (auto It = NameParam.find(A.CalleeKey);
          It != NameParam.end() && It->second == A.Index && !A.FromDefault &&
          A.Val.K == model::Value::Kind::String && !A.Val.Str.empty())
        Out.push_back({A.Val.Str, A.Loc});
  std::sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Name) < std::tie(B.Loc, B.Name);
  });
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const auto &A, const auto &B) { return A.Loc == B.Loc && A.Name == B.Name; }),
            Out.end());
  return Out;
}

namespace {
/// STRIPE from STRIPE_API_KEY, REDIS from REDIS_URL: the name without its
/// classification suffix.
std::string envStem(const std::string &Name) {
  std::string N = upper(Name);
  for (const char *S : {"_API_KEY", "_APIKEY", "_SECRET_KEY", "_ACCESS_KEY", "_PRIVATE_KEY",
                        "_CLIENT_SECRET", "_SECRET", "_TOKEN", "_PASSWORD", "_PASSWD", "_PASS",
                        "_PWD", "_CREDENTIALS", "_AUTH_KEY", "_BASE_URL", "_URL", "_URI",
                        "_ENDPOINT", "_HOSTNAME", "_HOST", "_DSN", "_ADDRESS", "_ADDR", "_BROKERS",
                        "_SERVERS", "_SERVER", "_PORT", "_USER", "_USERNAME", "_DB", "_DATABASE"})
    if (endsWith(N, S) && N.size() > std::string(S).size())
      return N.substr(0, N.size() - std::string(S).size());
  return "";
}

std::string kindForScheme(const std::string &S) {
  if (S == "http" || S == "https")
    return "http";
  if (startsWith(S, "postgres") || startsWith(S, "mysql") || startsWith(S, "mongodb") ||
      S == "sqlite")
    return "db";
  if (S == "redis" || S == "rediss" || S == "memcached")
    return "cache";
  if (S == "amqp" || S == "amqps" || S == "kafka" || S == "nats" || S == "mqtt" || S == "mqtts")
    return "queue";
  if (S == "smtp" || S == "smtps")
    return "email";
  if (S == "grpc" || S == "grpcs")
    return "rpc";
  return "";
}
std::string roleForScheme(const std::string &S) {
  if (startsWith(S, "postgres"))
    return "PostgreSQL";
  if (startsWith(S, "mysql"))
    return "MySQL";
  if (startsWith(S, "mongodb"))
    return "MongoDB";
  if (S == "redis" || S == "rediss")
    return "Redis";
  if (S == "memcached")
    return "Memcached";
  if (S == "kafka")
    return "Kafka";
  if (S == "amqp" || S == "amqps")
    return "AMQP broker";
  if (S == "mqtt" || S == "mqtts")
    return "MQTT broker";
  if (S == "smtp" || S == "smtps")
    return "SMTP mail";
  if (S == "http" || S == "https")
    return "HTTP API";
  return "";
}
} // namespace

void crossReference(model::Report &R) {
  model::Inventory &Inv = R.Inventory;
  std::set<std::string> Read;
  for (const auto &E : Inv.EnvReads)
    Read.insert(E.Name);
  for (auto &V : Inv.Variables)
    V.ReadByCode = Read.count(V.Name) != 0;

  std::set<std::string> Called;
  for (const auto &C : R.CallSites)
    Called.insert(C.Library);
  for (const auto &[Upper, Lower] : BuiltOn)
    if (Called.count(Upper))
      Called.insert(Lower);
  for (auto &L : Inv.Libraries)
    L.Called = Called.count(L.Library) != 0;

  std::map<std::string, size_t> ById;
  for (size_t I = 0; I < R.Integrations.size(); ++I)
    ById[R.Integrations[I].Id] = I;
  auto Integration = [&](const std::string &Id) -> model::Integration & {
    return R.Integrations[ById.at(Id)];
  };

  // Which integration does a variable name? First what the code says (a call
  // site whose endpoint comes from it), then vendor and host names, then a
  // sibling variable with the same stem (REDIS_PASSWORD beside REDIS_URL).
  std::map<std::string, std::string> ByEnvSource, ByStem;
  for (const auto &C : R.CallSites)
    if (startsWith(C.EndpointSource, "env:") && !C.Integration.empty())
      ByEnvSource.emplace(C.EndpointSource.substr(4), C.Integration);
  auto FindByName = [&](const std::string &Name) -> std::string {
    for (const auto &I : R.Integrations)
      if (I.Name == Name)
        return I.Id;
    return "";
  };
  auto FindByHost = [&](const std::string &Host) -> std::string {
    for (const auto &I : R.Integrations)
      if (!I.Endpoint.empty() && analysis::parseEndpoint(I.Endpoint).Host == Host)
        return I.Id;
    return "";
  };
  auto Resolve = [&](const model::EnvVariable &V, bool Create) -> std::string {
    if (auto It = ByEnvSource.find(V.Name); It != ByEnvSource.end())
      return It->second;
    const analysis::Vendor *Vd = analysis::vendorForEnv(V.Name);
    if (!Vd && !V.Host.empty())
      Vd = analysis::vendorForHost(V.Host);
    if (Vd)
      if (std::string Id = FindByName(Vd->Name); !Id.empty())
        return Id;
    if (!V.Host.empty())
      if (std::string Id = FindByHost(V.Host); !Id.empty())
        return Id;
    std::string Stem = envStem(V.Name);
    if (!Stem.empty())
      if (auto It = ByStem.find(Stem); It != ByStem.end())
        return It->second;
    // A database, cache or broker URL and the one code integration of that role whose
    // endpoint the code does not know (Redis (hiredis) and REDIS_URL). Not for HTTP:
    // a service talks to many HTTP APIs.
    if (std::string Role = roleForScheme(V.Scheme);
        !Role.empty() && kindForScheme(V.Scheme) != "http") {
      std::string Match;
      int Count = 0;
      for (const auto &I : R.Integrations)
        if (startsWith(I.Name, Role + " (") && I.Endpoint.empty() && !I.CallSites.empty())
          Match = I.Id, ++Count;
      if (Count == 1)
        return Match;
    }
    if (!Create)
      return "";
    // Named only by the environment: a vendor, or a remote endpoint with a known scheme.
    model::Integration I;
    if (Vd) {
      I.Name = Vd->Name;
      I.Kind = Vd->Category;
    } else if (!V.Host.empty() && !roleForScheme(V.Scheme).empty()) {
      I.Name = roleForScheme(V.Scheme) + " (" + V.Host + ")";
      I.Kind = kindForScheme(V.Scheme);
    } else {
      return "";
    }
    if (!V.Host.empty())
      I.Endpoint = V.Scheme + "://" + V.Host; // all an env value may show
    I.Id = analysis::slug(I.Name);
    if (!ById.count(I.Id)) {
      ById[I.Id] = R.Integrations.size();
      R.Integrations.push_back(I);
    }
    return I.Id;
  };
  // Two passes: endpoints first (they name hosts), then credentials join them by stem.
  for (int Pass = 0; Pass < 2; ++Pass)
    for (auto &V : Inv.Variables) {
      if (V.Class.empty() || (Pass == 0) != (V.Class == "endpoint") || !V.Integration.empty())
        continue;
      V.Integration = Resolve(V, true);
      if (V.Integration.empty())
        continue;
      if (std::string Stem = envStem(V.Name); !Stem.empty())
        ByStem.emplace(Stem, V.Integration);
      std::string Note = "env " + V.Name + " (" + V.Class;
      if (!V.Scheme.empty())
        Note += ", " + V.Scheme + "://" + V.Host;
      Note += ")";
      Integration(V.Integration).Sources.push_back({V.Loc.File, V.Loc.Line, Note});
    }
  for (const auto &L : Inv.Libraries)
    for (auto &I : R.Integrations) {
      std::string Libs = ", " + I.Library + ",";
      if (!I.Library.empty() && Libs.find(", " + L.Library + ",") != std::string::npos)
        I.Sources.push_back({L.Loc.File, L.Loc.Line, L.Manifest + " links " + L.Library + " (" + L.Name + ")"});
    }
  for (auto &I : R.Integrations) {
    std::sort(I.Sources.begin(), I.Sources.end());
    I.Sources.erase(std::unique(I.Sources.begin(), I.Sources.end()), I.Sources.end());
  }
  std::sort(R.Integrations.begin(), R.Integrations.end(),
            [](const auto &A, const auto &B) { return A.Id < B.Id; });
}

} // namespace im::inventory
