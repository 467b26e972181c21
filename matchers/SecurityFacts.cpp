#include "matchers/SecurityFacts.h"
#include "matchers/AstHelpers.h"

#include "model/Redact.h"
#include "support/Secrets.h"

#include "clang/ASTMatchers/ASTMatchers.h"

#include <algorithm>

using namespace clang;
using namespace clang::ast_matchers;

namespace im::matchers {
namespace {

// ------------------------------------------------------------------ tables
// Generic over libraries: a name here is recognised wherever it appears as a
// call argument, whichever client it configures.

/// Enumerators, constants and macros whose only purpose is to turn verification
/// (or TLS) off.
struct InsecureConstant {
  const char *Name; // qualified name of the enumerator/constant, or the macro
  const char *Effect;
  bool NoTls = false; // turns TLS off altogether (plaintext), not only verification
};
const InsecureConstant InsecureConstants[] = {
    {"boost::asio::ssl::verify_none", "the peer certificate is not verified"},
    {"SSL_VERIFY_NONE", "OpenSSL does not verify the peer certificate"},
    {"Poco::Net::Context::VERIFY_NONE", "the peer certificate is not verified"},
    {"QSslSocket::VerifyNone", "the peer certificate is not verified"},
    {"SSL_MODE_DISABLED", "MySQL connects without TLS", true},
    {"sql::SSL_MODE_DISABLED", "MySQL connects without TLS", true},
};

/// Functions that register a certificate-verify callback, and which argument it is.
struct VerifyRegistrar {
  const char *Name;
  unsigned CallbackArg;
};
const VerifyRegistrar VerifyRegistrars[] = {
    {"SSL_CTX_set_verify", 2},
    {"SSL_set_verify", 2},
    {"SSL_CTX_set_cert_verify_callback", 1},
    {"boost::asio::ssl::context::set_verify_callback", 0},
    {"boost::asio::ssl::stream::set_verify_callback", 0},
};

/// Authentication parameters outside the catalog's credential options.
struct AuthParam {
  const char *Name;
  int Arg;         // the secret's argument index
  const char *Kind; // what it is, for people
  char Handle;     // 'r' result, 'o' object, '0' argument 0
};
const AuthParam AuthParams[] = {
    {"PQsetdbLogin", 6, "PostgreSQL password", 'r'},
    {"mysql_real_connect", 3, "MySQL password", '0'},
    {"httplib::ClientImpl::set_basic_auth", 1, "HTTP basic-auth password", 'o'},
    {"httplib::Client::set_basic_auth", 1, "HTTP basic-auth password", 'o'},
    {"httplib::ClientImpl::set_digest_auth", 1, "HTTP digest password", 'o'},
    {"httplib::Client::set_digest_auth", 1, "HTTP digest password", 'o'},
    {"httplib::ClientImpl::set_bearer_token_auth", 0, "bearer token", 'o'},
    {"httplib::Client::set_bearer_token_auth", 0, "bearer token", 'o'},
};

/// Request headers carrying a webhook's signature: code that reads one receives webhooks.
const char *WebhookHeaders[] = {"Stripe-Signature", "X-Hub-Signature-256", "X-Hub-Signature",
                                "X-Slack-Signature", "X-Twilio-Signature",
                                "X-Shopify-Hmac-Sha256"};

/// Functions that compute a message authentication code (a signature check).
const char *MacFunctions[] = {"HMAC",        "HMAC_Init_ex",       "HMAC_Update",
                              "EVP_MAC_init", "EVP_Q_mac",         "EVP_DigestSignInit",
                              "EVP_DigestSignInit_ex", "crypto_auth_hmacsha256"};

/// Calls that select an unencrypted transport.
const char *InsecureCalls[] = {"grpc::InsecureChannelCredentials"};

bool containsAny(llvm::StringRef Name, std::initializer_list<llvm::StringRef> Parts) {
  std::string L = Name.lower();
  for (auto P : Parts)
    if (llvm::StringRef(L).contains(P))
      return true;
  return false;
}

bool isSecretManagerCall(llvm::StringRef Q) {
  return containsAny(Q, {"getsecretvalue", "accesssecretversion", "getsecret", "fetchsecret",
                         "readsecret", "loadsecret", "secretsmanager", "secretmanager", "vault"});
}
bool isFileRead(llvm::StringRef N) {
  return N == "fread" || N == "read" || N == "getline" || N == "fgets" || N == "rdbuf" ||
         containsAny(N, {"readfile", "read_file", "slurp", "loadfile", "load_file"});
}

class SecurityCollector : public MatchFinder::MatchCallback {
public:
  SecurityCollector(const catalog::Catalog &Cat, model::TUFacts &Facts) : Cat(Cat), Facts(Facts) {
    for (const auto &Lib : Cat.libraries())
      for (const auto &St : Lib.Setters)
        for (const auto &O : St.Options)
          if (O.Concern == "credential")
            CredentialSetters.insert(catalog::normalizeName(St.Name));
  }

  void registerMatchers(MatchFinder &Finder) {
    auto Fn = optionally(forCallable(functionDecl().bind("fn")));
    Finder.addMatcher(stringLiteral(unless(isExpansionInSystemHeader()), Fn).bind("str"), this);
    Finder.addMatcher(callExpr(unless(isExpansionInSystemHeader()), Fn).bind("call"), this);
    Finder.addMatcher(cxxConstructExpr(unless(isExpansionInSystemHeader()), Fn).bind("ctor"), this);
    Finder.addMatcher(
        cxxConstructorDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind("ctordef"),
        this);
    Finder.addMatcher(binaryOperator(isAssignmentOperator(), unless(isExpansionInSystemHeader()),
                                     hasLHS(memberExpr()), Fn)
                          .bind("assign"),
                      this);
  }

  void run(const MatchFinder::MatchResult &R) override {
    H.setContext(*R.Context);
    Context = R.Context;
    const auto *Enclosing = R.Nodes.getNodeAs<FunctionDecl>("fn");
    // Template patterns cannot be evaluated; their instantiations are matched too.
    bool Dependent = Enclosing && Enclosing->isDependentContext();
    if (const auto *S = R.Nodes.getNodeAs<clang::StringLiteral>("str"))
      onLiteral(S, Enclosing);
    else if (Dependent)
      return;
    else if (const auto *CE = R.Nodes.getNodeAs<CallExpr>("call"))
      onCall(CE, Enclosing);
    else if (const auto *CC = R.Nodes.getNodeAs<CXXConstructExpr>("ctor"))
      onConstruct(CC, Enclosing);
    else if (const auto *CD = R.Nodes.getNodeAs<CXXConstructorDecl>("ctordef")) {
      if (!CD->isDependentContext())
        onConstructorDefinition(CD);
    } else if (const auto *BO = R.Nodes.getNodeAs<BinaryOperator>("assign"))
      onFieldStore(BO->getLHS(), BO->getRHS(), BO->getOperatorLoc(), Enclosing);
  }

private:
  /// Where the secret inside a literal starts: the line and column of its first
  /// character, also on the second line of a literal concatenated over several.
  model::Location secretPosition(const clang::StringLiteral *S, const std::string &Text) {
    std::string Redacted = support::redactSecrets(Text);
    size_t Off = 0;
    while (Off < Text.size() && Off < Redacted.size() && Text[Off] == Redacted[Off])
      ++Off;
    model::Value V;
    V.Pieces = H.literalPieces(S);
    return V.at(Off);
  }

  /// `At` is the fact's place; `Exact`, when valid, a more precise one inside it.
  void add(std::string Type, std::string Kind, std::string Callee, std::string Detail,
           std::string HandleKey, SourceLocation At, const FunctionDecl *Enclosing,
           model::Location Related = {}, model::Location Exact = {}) {
    model::SecurityFact F;
    F.Type = std::move(Type);
    F.Kind = std::move(Kind);
    F.Callee = std::move(Callee);
    F.Detail = std::move(Detail);
    F.HandleKey = std::move(HandleKey);
    F.Loc = Exact.valid() ? Exact : H.loc(At);
    F.Related = Related;
    F.FunctionKey = Enclosing ? H.functionKey(Enclosing) : "";
    if (F.Loc.valid())
      Facts.Security.push_back(std::move(F));
  }

  /// A value passed as a credential that the code writes as a literal (through
  /// local variables too): its text joins the values every fact of this unit is
  /// redacted of, and where each of its literals starts becomes a
  /// credential_literal fact, so source excerpts blank it. `After`: a prefix
  /// that is not the secret (`AUTH ` of a Redis command).
  void credentialLiteral(const Expr *E, llvm::StringRef After, const FunctionDecl *Enclosing) {
    model::Value V = H.evaluate(E, "");
    if (V.K != model::Value::Kind::String)
      return;
    llvm::StringRef Secret = llvm::StringRef(V.Str).ltrim();
    if (!After.empty() && Secret.starts_with_insensitive(After))
      Secret = Secret.drop_front(After.size()).trim();
    if (!Secret.empty())
      Facts.SecretValues.push_back(Secret.str());
    for (const auto &P : V.Pieces)
      if (P.Loc.valid())
        add("credential_literal", "", "", "", "", E->getBeginLoc(), Enclosing, {}, P.Loc);
  }

  // ---------------------------------------------------------------- literals
  /// The call a literal is (directly) an argument of, for messages.
  std::string calleeOfArgument(const Expr *E) {
    DynTypedNode N = DynTypedNode::create(*E);
    for (int Depth = 0; Depth < 6; ++Depth) {
      auto Parents = Ctx()->getParents(N);
      if (Parents.empty())
        return "";
      N = Parents[0];
      if (const auto *CE = N.get<CallExpr>())
        if (const auto *FD = CE->getDirectCallee())
          return plainQualifiedName(FD);
      if (const auto *CC = N.get<CXXConstructExpr>())
        if (!CC->getConstructor()->getParent()->getName().starts_with("basic_string"))
          return plainQualifiedName(CC->getConstructor()->getParent());
      if (!N.get<ImplicitCastExpr>() && !N.get<CXXConstructExpr>() &&
          !N.get<MaterializeTemporaryExpr>() && !N.get<CXXBindTemporaryExpr>() &&
          !N.get<ParenExpr>() && !N.get<ExprWithCleanups>())
        return "";
    }
    return "";
  }

  void onLiteral(const clang::StringLiteral *S, const FunctionDecl *Enclosing) {
    if (S->getCharByteWidth() != 1)
      return;
    std::string Text = S->getString().str();
    std::string Kind = support::secretKind(Text);
    if (!Kind.empty())
      add("secret_literal", Kind, calleeOfArgument(S), "", "", S->getBeginLoc(), Enclosing,
          {}, secretPosition(S, Text));
    llvm::StringRef T(Text);
    if (T.starts_with_insensitive("stripe-version"))
      add("api_version", "Stripe-Version", calleeOfArgument(S), "", "", S->getBeginLoc(),
          Enclosing);
    for (const char *Header : WebhookHeaders)
      if (T.equals_insensitive(Header))
        add("webhook_header", Header, "", "", "", S->getBeginLoc(), Enclosing);
  }

  // ---------------------------------------------------------------- origins
  /// Where a value comes from: literal | env:NAME | secret_manager:fn | file |
  /// field:Class::member | param:<fn key>#i, or "" when nothing is known.
  std::string originOf(const Expr *E) {
    if (!E)
      return "";
    if (E->isInstantiationDependent() || E->containsErrors())
      return "";
    model::Value V = H.evaluate(E, "");
    if (V.K == model::Value::Kind::String)
      return "literal";
    if (V.DependsOn.rfind("env:", 0) == 0)
      return V.DependsOn;
    return walkOrigin(E, 0);
  }

  std::string walkOrigin(const Stmt *S, int Depth) {
    if (!S || Depth > 12 || isa<LambdaExpr>(S))
      return "";
    if (const auto *E = dyn_cast<Expr>(S))
      S = E->IgnoreParenImpCasts();
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const auto *FD = CE->getDirectCallee()) {
        llvm::StringRef N = FD->getName();
        if ((N == "getenv" || N == "secure_getenv") && CE->getNumArgs() == 1) {
          model::Value A = H.evaluate(CE->getArg(0), "");
          return A.K == model::Value::Kind::String ? "env:" + A.Str : "env:?";
        }
        std::string Q = plainQualifiedName(FD);
        if (isSecretManagerCall(Q))
          return "secret_manager:" + Q;
        if (isFileRead(N))
          return "file";
      }
    if (const auto *CC = dyn_cast<CXXConstructExpr>(S))
      if (CC->getConstructor()->getParent()->getName().contains("ifstream"))
        return "file";
    if (const auto *ME = dyn_cast<MemberExpr>(S))
      if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        return "field:" + plainQualifiedName(FD);
    if (const auto *DR = dyn_cast<DeclRefExpr>(S)) {
      if (isa<ParmVarDecl>(DR->getDecl()))
        return H.declHandle(DR->getDecl()).Key;
      if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
        if (VD->hasLocalStorage() && VD->getInit())
          return walkOrigin(VD->getInit(), Depth + 1);
      return "";
    }
    for (const Stmt *C : S->children())
      if (auto O = walkOrigin(C, Depth + 1); !O.empty())
        return O;
    return "";
  }

  static bool informative(const std::string &O) {
    return O.rfind("env:", 0) == 0 || O.rfind("secret_manager", 0) == 0 || O == "file";
  }

  void onFieldStore(const Expr *LHS, const Expr *RHS, SourceLocation At,
                    const FunctionDecl *Enclosing) {
    const auto *ME = dyn_cast<MemberExpr>(LHS->IgnoreParenImpCasts());
    const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!FD)
      return;
    std::string O = originOf(RHS);
    if (!O.empty())
      add("value_origin", "", "", O, "field:" + plainQualifiedName(FD), At, Enclosing);
  }

  void onConstructorDefinition(const CXXConstructorDecl *CD) {
    for (const CXXCtorInitializer *Init : CD->inits())
      if (Init->isWritten() && Init->getMember() && Init->getInit()) {
        std::string O = originOf(Init->getInit());
        if (!O.empty())
          add("value_origin", "", "", O, "field:" + plainQualifiedName(Init->getMember()),
              Init->getSourceLocation(), CD);
      }
  }

  /// Arguments of project functions that carry a credential read from the
  /// environment, a file or a secret manager: the parameter inherits the origin.
  void projectArguments(const FunctionDecl *Callee, llvm::ArrayRef<const Expr *> Args,
                        const FunctionDecl *Enclosing) {
    if (!Callee || H.sm().isInSystemHeader(H.sm().getExpansionLoc(Callee->getLocation())))
      return;
    for (unsigned I = 0; I < Args.size() && I < Callee->getNumParams(); ++I) {
      std::string O = originOf(Args[I]);
      if (informative(O))
        add("value_origin", "", "", O,
            "param:" + H.functionKey(Callee) + "#" + std::to_string(I), Args[I]->getBeginLoc(),
            Enclosing);
    }
  }

  void onConstruct(const CXXConstructExpr *CC, const FunctionDecl *Enclosing) {
    llvm::SmallVector<const Expr *, 8> Args(CC->arguments().begin(), CC->arguments().end());
    insecureConstants(CC, CC->getConstructor(), Args, nullptr, Enclosing);
    projectArguments(CC->getConstructor(), Args, Enclosing);
  }

  // ---------------------------------------------------------------- calls
  void onCall(const CallExpr *CE, const FunctionDecl *Enclosing) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    llvm::SmallVector<const Expr *, 8> Args;
    const Expr *Object = nullptr;
    unsigned First = 0;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      Object = MC->getImplicitObjectArgument();
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
             OC && Callee && isa<CXXMethodDecl>(Callee) && OC->getNumArgs() > 0) {
      Object = OC->getArg(0);
      First = 1;
    }
    for (unsigned I = First; I < CE->getNumArgs(); ++I)
      Args.push_back(CE->getArg(I));
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      onFieldStore(OC->getArg(0), OC->getArg(1), OC->getOperatorLoc(), Enclosing);
    insecureConstants(CE, Callee, Args, Object, Enclosing);
    if (!Callee)
      return;
    std::string Name = plainQualifiedName(Callee);
    SourceLocation At = isa<CXXMemberCallExpr>(CE) ? CE->getExprLoc() : CE->getBeginLoc();
    for (const auto &V : VerifyRegistrars)
      if (Name == V.Name && V.CallbackArg < Args.size())
        verifyCallback(Name, Args[V.CallbackArg], Args.empty() ? nullptr : Args[0], Object, At,
                       Enclosing);
    for (const auto &A : AuthParams)
      if (Name == A.Name && static_cast<size_t>(A.Arg) < Args.size()) {
        std::string Handle = A.Handle == 'r'   ? H.resultHandle(CE, Enclosing).Key
                             : A.Handle == 'o' ? (Object ? H.handleOf(Object).Key : "")
                                               : (Args.empty() ? "" : H.handleOf(Args[0]).Key);
        std::string Origin = originOf(Args[A.Arg]);
        if (Origin == "literal")
          credentialLiteral(Args[A.Arg], "", Enclosing);
        add("auth_arg", A.Kind, Name, Origin, Handle, At, Enclosing);
      }
    if (Name == "redisCommand" && Args.size() >= 2)
      redisAuth(Args, At, Enclosing);
    if (CredentialSetters.count(Name))
      catalogCredential(Name, Args, Object, At, Enclosing);
    for (const char *Mac : MacFunctions)
      if (Name == Mac)
        add("mac", Name, Name, "", "", At, Enclosing);
    for (const char *I : InsecureCalls)
      if (Name == I)
        add("insecure_call", "", Name, channelTarget(CE), "", At, Enclosing);
    projectArguments(Callee, Args, Enclosing);
  }

  /// An enumerator argument naming a server role (Poco Context::SERVER_USE, Boost
  /// ssl::context::tls_server).
  static bool namesServer(const Expr *A) {
    if (const auto *DR = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts()))
      if (isa<EnumConstantDecl>(DR->getDecl()))
        return llvm::StringRef(DR->getDecl()->getName()).contains_insensitive("server");
    return false;
  }

  /// A server-side TLS context: not verifying the peer only means not asking for
  /// client certificates. Seen in the same call's arguments, or in the
  /// construction of the local object the call is made on.
  static bool serverSide(llvm::ArrayRef<const Expr *> Args, const Expr *Object) {
    for (const Expr *A : Args)
      if (namesServer(A))
        return true;
    if (!Object)
      return false;
    const auto *DR = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts());
    const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
    const Expr *Init = VD ? VD->getInit() : nullptr;
    if (const auto *CC = Init ? dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit()) : nullptr)
      for (const Expr *A : CC->arguments())
        if (namesServer(A))
          return true;
    return false;
  }

  void insecureConstants(const Expr *CE, const FunctionDecl *Callee,
                         llvm::ArrayRef<const Expr *> Args, const Expr *Object,
                         const FunctionDecl *Enclosing) {
    if (serverSide(Args, Object))
      return;
    for (const Expr *A : Args) {
      const Expr *X = A->IgnoreParenImpCasts();
      std::vector<std::string> Names;
      if (const auto *DR = dyn_cast<DeclRefExpr>(X)) {
        if (isa<EnumConstantDecl, VarDecl>(DR->getDecl()))
          Names.push_back(plainQualifiedName(DR->getDecl()));
      } else if (isa<IntegerLiteral>(X)) {
        Names = H.optionNames(A); // a macro spelled as the whole argument
      }
      for (const auto &N : Names)
        for (const auto &C : InsecureConstants)
          if (N == C.Name) {
            std::string CalleeName = Callee ? plainQualifiedName(Callee) : H.text(CE, 60);
            if (isa_and_nonnull<CXXConstructorDecl>(Callee))
              CalleeName = plainQualifiedName(cast<CXXConstructorDecl>(Callee)->getParent());
            std::string Handle = Object                      ? H.handleOf(Object).Key
                                 : isa<CXXConstructExpr>(CE) ? H.resultHandle(CE, Enclosing).Key
                                 : Args.empty()              ? ""
                                                             : H.handleOf(Args[0]).Key;
            add(C.NoTls ? "no_tls_constant" : "insecure_constant", C.Name, CalleeName, C.Effect,
                Handle, A->getBeginLoc(), Enclosing);
          }
    }
  }

  /// The function or lambda a callback argument denotes.
  const FunctionDecl *callbackFunction(const Expr *E) {
    for (int Depth = 0; E && Depth < 8; ++Depth) {
      E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
      if (const auto *L = dyn_cast<LambdaExpr>(E))
        return L->getCallOperator();
      if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
        if (const auto *FD = dyn_cast<FunctionDecl>(DR->getDecl()))
          return FD->getDefinition() ? FD->getDefinition() : FD;
        return nullptr;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf) {
        E = UO->getSubExpr();
        continue;
      }
      if (const auto *CC = dyn_cast<CXXConstructExpr>(E); CC && CC->getNumArgs() == 1) {
        E = CC->getArg(0);
        continue;
      }
      if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) {
        E = MT->getSubExpr();
        continue;
      }
      return nullptr;
    }
    return nullptr;
  }

  static void returns(const Stmt *S, std::vector<const ReturnStmt *> &Out) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      Out.push_back(R);
    for (const Stmt *C : S->children())
      returns(C, Out);
  }

  void verifyCallback(const std::string &Registrar, const Expr *Arg, const Expr *Handle,
                      const Expr *Object, SourceLocation At, const FunctionDecl *Enclosing) {
    const FunctionDecl *FD = callbackFunction(Arg);
    if (!FD || !FD->hasBody())
      return;
    std::vector<const ReturnStmt *> Rets;
    returns(FD->getBody(), Rets);
    bool AcceptsAll = !Rets.empty();
    for (const ReturnStmt *R : Rets) {
      const Expr *V = R->getRetValue();
      Expr::EvalResult Res;
      if (!V || V->isValueDependent() || !V->EvaluateAsInt(Res, *Ctx()) ||
          Res.Val.getInt().isZero()) {
        AcceptsAll = false;
        break;
      }
    }
    std::string Name = isa<CXXMethodDecl>(FD) && cast<CXXMethodDecl>(FD)->getParent()->isLambda()
                           ? "a lambda"
                           : "`" + FD->getNameAsString() + "`";
    std::string Key = Object ? H.handleOf(Object).Key : (Handle ? H.handleOf(Handle).Key : "");
    add("verify_callback", AcceptsAll ? "accepts_all" : "checks_result", Registrar, Name, Key, At,
        Enclosing, H.loc(FD->getLocation()));
  }

  void redisAuth(llvm::ArrayRef<const Expr *> Args, SourceLocation At,
                 const FunctionDecl *Enclosing) {
    model::Value Fmt = H.evaluate(Args[1], "");
    if (Fmt.K != model::Value::Kind::String)
      return;
    llvm::StringRef F(Fmt.Str);
    F = F.ltrim();
    if (!F.starts_with_insensitive("auth "))
      return;
    std::string Handle = H.handleOf(Args[0]).Key;
    if (!F.contains('%')) {
      credentialLiteral(Args[1], "auth ", Enclosing);
      add("auth_arg", "Redis AUTH password", "redisCommand", "literal", Handle, At, Enclosing);
      return;
    }
    if (Args.size() >= 3)
      add("auth_arg", "Redis AUTH password", "redisCommand", originOf(Args.back()), Handle, At,
          Enclosing);
  }

  void catalogCredential(const std::string &Name, llvm::ArrayRef<const Expr *> Args,
                         const Expr *Object, SourceLocation At, const FunctionDecl *Enclosing) {
    for (auto [Lib, St] : Cat.lookupSetters(Name)) {
      const catalog::Option *O = nullptr;
      if (St->OptionArg >= 0) {
        if (static_cast<size_t>(St->OptionArg) >= Args.size())
          continue;
        for (const auto &Candidate : H.optionNames(Args[St->OptionArg]))
          if ((O = St->find(Candidate)))
            break;
      } else {
        O = St->find("");
      }
      if (!O || O->Concern != "credential" || St->ValueArg < 0 ||
          static_cast<size_t>(St->ValueArg) >= Args.size())
        continue;
      std::string Handle;
      if (St->Handle.K == catalog::HandleSpec::Kind::Arg && St->Handle.Index < Args.size())
        Handle = H.handleOf(Args[St->Handle.Index]).Key;
      else if (St->Handle.K == catalog::HandleSpec::Kind::Object && Object)
        Handle = H.handleOf(Object).Key;
      std::string Option = O->Name.empty() ? Name : O->Name;
      std::string Origin = originOf(Args[St->ValueArg]);
      if (Origin == "literal")
        credentialLiteral(Args[St->ValueArg], "", Enclosing);
      add("auth_arg", "credential", Option, Origin, Handle, At, Enclosing);
    }
  }

  /// The host of the channel an insecure-credentials call is passed to
  /// (grpc::CreateChannel("host:port", grpc::InsecureChannelCredentials())).
  std::string channelTarget(const CallExpr *CE) {
    DynTypedNode N = DynTypedNode::create(*CE);
    for (int Depth = 0; Depth < 6; ++Depth) {
      auto Parents = Ctx()->getParents(N);
      if (Parents.empty())
        return "";
      N = Parents[0];
      if (const auto *Call = N.get<CallExpr>()) {
        if (Call->getNumArgs() < 1)
          return "";
        model::Value V = H.evaluate(Call->getArg(0), "");
        if (V.K != model::Value::Kind::String)
          return "";
        std::string T = V.Str;
        for (const char *P : {"dns:///", "dns:", "ipv4:", "ipv6:"})
          if (T.rfind(P, 0) == 0)
            T = T.substr(std::strlen(P));
        if (T.rfind("unix:", 0) == 0)
          return T;
        if (!T.empty() && T[0] == '[')
          return T.substr(1, T.find(']') - 1);
        return T.substr(0, T.rfind(':'));
      }
    }
    return "";
  }

  ASTContext *Ctx() { return Context; }

  const catalog::Catalog &Cat;
  model::TUFacts &Facts;
  AstHelpers H;
  ASTContext *Context = nullptr;
  std::set<std::string> CredentialSetters;
};

} // namespace

void finishSecurityFacts(model::TUFacts &Facts) {
  auto &S = Facts.Security;
  std::stable_sort(S.begin(), S.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Type, A.Kind, A.HandleKey) <
           std::tie(B.Loc, B.Type, B.Kind, B.HandleKey);
  });
  S.erase(std::unique(S.begin(), S.end(),
                      [](const auto &A, const auto &B) {
                        return A.Loc == B.Loc && A.Type == B.Type && A.Kind == B.Kind &&
                               A.HandleKey == B.HandleKey && A.Detail == B.Detail;
                      }),
          S.end());
  // Secrets never leave the translation unit, whatever fact they slipped into.
  model::redactFacts(Facts);
}

std::unique_ptr<MatchFinder::MatchCallback>
registerSecurityMatchers(MatchFinder &Finder, const catalog::Catalog &Cat, model::TUFacts &Facts) {
  auto C = std::make_unique<SecurityCollector>(Cat, Facts);
  C->registerMatchers(Finder);
  return C;
}

} // namespace im::matchers
