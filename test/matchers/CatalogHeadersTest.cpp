// The catalog checked against the headers it describes: every operation,
// setter and option name of every entry must name a declaration (or, for
// options, a macro) that the entry's own headers declare. A misspelt name, a
// class renamed by a library release or a method moved to a base would
// otherwise match nothing, silently: the call would not be a call site and
// the timeout would not be evidence.
//
// Debian-packaged libraries are parsed from their real headers (scripts/packages.txt
// installs them); the three entries Debian does not package (cpr, aws-sdk-cpp,
// redis-plus-plus) are parsed from the hand-written mirror headers in
// test/inputs/mirror, which say so in their first lines.
#include "Snippet.h"
#include "matchers/AstHelpers.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Lex/Preprocessor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace im::test {
namespace {

/// Include directories of libraries whose headers include their siblings by a
/// path relative to a non-standard directory (pkg-config's --cflags of each).
const std::vector<std::string> PackageIncludeDirs = {
    "-I/usr/include/postgresql",           "-I/usr/include/libmongoc-1.0",
    "-I/usr/include/libbson-1.0",          "-I/usr/include/x86_64-linux-gnu/qt5",
    "-I/usr/include/x86_64-linux-gnu/qt5/QtCore", "-I/usr/include/x86_64-linux-gnu/qt5/QtNetwork",
    "-fPIC", "-DQT_CORE_LIB", "-DQT_NETWORK_LIB", // Qt refuses to compile without -fPIC
    // Declarations a library offers only when built with TLS, as projects that
    // use TLS compile it (httplib's SSLClient and certificate verification).
    "-DCPPHTTPLIB_OPENSSL_SUPPORT"};

/// Every declared name of a translation unit, as the extractor spells it
/// (matchers::plainQualifiedName), and every macro name.
struct Declared : clang::RecursiveASTVisitor<Declared> {
  std::set<std::string> Qualified; // "boost::beast::basic_stream::connect"
  std::set<std::string> Unqualified; // enumerators, variables and macros by name
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool VisitNamedDecl(clang::NamedDecl *D) {
    if (D->getDeclName().isEmpty())
      return true;
    Qualified.insert(matchers::plainQualifiedName(D));
    // A class template's constructor prints with its template parameters
    // (`transaction<ISOLATIONLEVEL, READWRITE>`); the catalog names it
    // `::pqxx::transaction::transaction`, as the extractor does.
    if (const auto *Ctor = llvm::dyn_cast<clang::CXXConstructorDecl>(D))
      Qualified.insert(matchers::plainQualifiedName(Ctor->getParent()) + "::" +
                       Ctor->getParent()->getNameAsString());
    if (llvm::isa<clang::EnumConstantDecl, clang::VarDecl, clang::FieldDecl>(D))
      Unqualified.insert(D->getNameAsString());
    return true;
  }
};

struct Parsed {
  bool Ok = false;
  std::string Error;
  Declared Names;
};

/// Parses `#include <H>` for every header of `L`.
Parsed parseHeaders(const catalog::Library &L) {
  Parsed P;
  std::string Code;
  for (const auto &H : L.Headers)
    Code += "#include <" + H + ">\n";
  std::vector<std::string> Args = {"-std=c++17", "-resource-dir=" IM_CLANG_RESOURCE_DIR,
                                   "-I" IM_TEST_INPUTS "/mirror", "-Wno-everything"};
  Args.insert(Args.end(), PackageIncludeDirs.begin(), PackageIncludeDirs.end());
  auto AST = clang::tooling::buildASTFromCodeWithArgs(Code, Args, L.Id + "-headers.cpp");
  if (!AST) {
    P.Error = "could not parse";
    return P;
  }
  if (AST->getDiagnostics().hasErrorOccurred()) {
    P.Error = "the headers do not compile (diagnostics above); is " +
              (L.Package.empty() ? std::string("the mirror header") : L.Package) + " installed?";
    return P;
  }
  P.Names.TraverseDecl(AST->getASTContext().getTranslationUnitDecl());
  for (const auto &M : AST->getPreprocessor().macros())
    P.Names.Unqualified.insert(M.first->getName().str());
  P.Ok = true;
  return P;
}

/// A catalog name ("::ns::Class::method") without its leading "::".
std::string plain(const std::string &N) { return N.rfind("::", 0) == 0 ? N.substr(2) : N; }

/// Option names that name a C++ entity: an enumerator or macro spelling
/// (CURLOPT_TIMEOUT_MS, Poco::Net::Context::VERIFY_NONE). Key strings
/// ("socket.timeout.ms", "statement_timeout") are what the program passes at
/// run time and are checked by the libraries' own documentation links.
bool namesAnEntity(const std::string &Option) {
  static const std::regex Entity(R"(^([A-Za-z_][A-Za-z0-9_]*::)*[A-Z][A-Z0-9_]*[A-Z0-9]$)");
  return std::regex_match(Option, Entity) && Option.find('_') != std::string::npos;
}

/// Names the catalog lists for a newer release than the one Debian ships
/// here: absent from these headers on purpose, so that code written against
/// the newer release is still read. The test also checks they are absent, so
/// the list cannot outlive a Debian upgrade.
struct NewerRelease {
  const char *Library;
  const char *Name;
  const char *Since;
};
const NewerRelease Newer[] = {
    {"hiredis", "::redisConnectWithOptions", "hiredis 1.0 (Debian ships 0.14)"},
    {"libpqxx", "::pqxx::transaction_base::query_value", "libpqxx 7.0 (Debian ships 6.4)"},
};

bool newerRelease(const std::string &Library, const std::string &Name) {
  for (const auto &N : Newer)
    if (Library == N.Library && Name == N.Name)
      return true;
  return false;
}

std::vector<std::string> unresolvedNames(const catalog::Library &L, const Declared &D) {
  std::vector<std::string> Missing;
  auto Known = [&](const std::string &Name) { return D.Qualified.count(plain(Name)) > 0; };
  for (const auto &Op : L.Operations)
    if (!Known(Op.Name) && !newerRelease(L.Id, Op.Name))
      Missing.push_back("operation " + Op.Name);
  for (const auto &St : L.Setters) {
    // "::*::NewStub": a member of that name in classes the user generates.
    if (St.Name.rfind("::*::", 0) != 0 && !Known(St.Name) && !newerRelease(L.Id, St.Name))
      Missing.push_back("setter " + St.Name);
    // `options["OPT_CONNECT_TIMEOUT"] = ...`: the keys are strings.
    if (St.SubscriptAssignment)
      continue;
    for (const auto &O : St.Options) {
      if (!namesAnEntity(O.Name))
        continue;
      std::string Last = O.Name.substr(O.Name.rfind(':') == std::string::npos ? 0 : O.Name.rfind(':') + 1);
      if (!D.Unqualified.count(Last) && !Known(O.Name))
        Missing.push_back("option " + O.Name + " of " + St.Name);
    }
  }
  return Missing;
}

TEST(CatalogHeaders, EveryListedNameIsDeclaredByItsLibrarysHeaders) {
  const auto &Cat = builtinCatalog();
  ASSERT_GE(Cat.libraries().size(), 20u);
  size_t Checked = 0;
  for (const auto &L : Cat.libraries()) {
    if (L.Headers.empty()) {
      ADD_FAILURE() << L.Id << ": no headers listed; nothing can check its names";
      continue;
    }
    Parsed P = parseHeaders(L);
    if (!P.Ok) {
      ADD_FAILURE() << L.Id << ": " << P.Error;
      continue;
    }
    for (const auto &M : unresolvedNames(L, P.Names))
      ADD_FAILURE() << L.Id << ": " << M << " is declared by none of its headers";
    for (const auto &N : Newer)
      if (L.Id == N.Library && P.Names.Qualified.count(plain(N.Name)))
        ADD_FAILURE() << L.Id << ": " << N.Name << " is declared here: it is no longer only in "
                      << N.Since << "; take it off the newer-release list";
    ++Checked;
  }
  EXPECT_EQ(Checked, Cat.libraries().size());
}

// The check itself: a name that the headers do declare passes, the same name
// misspelt, or in a class that does not declare it, fails.
TEST(CatalogHeaders, AMisspeltNameIsReportedAndTheRealOneIsNot) {
  catalog::Catalog Cat;
  auto Err = Cat.addJson("probe.json", R"json({"id": "probe", "kind": "http", "headers": ["curl/curl.h"],
    "operations": [{"name": "::curl_easy_perform", "handle": "arg0"},
                   {"name": "::curl_easy_preform", "handle": "arg0"}],
    "setters": [{"name": "::curl_easy_setopt", "handle": "arg0", "option_arg": 1, "value_arg": 2,
                 "options": [{"option": "CURLOPT_TIMEOUT_MS", "concern": "timeout", "unit": "ms"},
                             {"option": "CURLOPT_TIMEOUT_MSEC", "concern": "timeout", "unit": "ms"},
                             {"option": "socket.timeout.ms", "concern": "timeout", "unit": "ms"}]}]})json");
  ASSERT_FALSE(Err) << llvm::toString(std::move(Err));
  const catalog::Library *L = Cat.library("probe");
  ASSERT_TRUE(L);
  Parsed P = parseHeaders(*L);
  ASSERT_TRUE(P.Ok) << P.Error;
  EXPECT_THAT(unresolvedNames(*L, P.Names),
              testing::ElementsAre("operation ::curl_easy_preform",
                                   "option CURLOPT_TIMEOUT_MSEC of ::curl_easy_setopt"));
}

} // namespace
} // namespace im::test
