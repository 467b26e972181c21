// AST helpers shared by the extractor: names, handle identity, constant values,
// and the shape of loops around a call. Included only by matcher code.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"
#include "matchers/StmtWalk.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace im::matchers {

/// How the code refers to a handle: a stable key shared by every mention of the
/// same variable, field or parameter, and the name a person reads.
struct HandleRef {
  std::string Key;
  std::string Display;
  bool Named = false; // a variable, field, parameter or lambda (not an arbitrary expression)
  std::string Type;   // pointer | smart_pointer | object | "" (see CallSite::HandleType)
};

/// Whether a class, or one of its bases, owns a pointer it hands out: it has
/// `operator->`, or a `get()` without arguments returning a pointer
/// (`std::shared_ptr<void>` has no `operator->`; libstdc++ declares both in a base).
inline bool isSmartPointerClass(const clang::CXXRecordDecl *RD, int Depth = 0) {
  using namespace clang;
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  for (const auto *M : RD->methods())
    if (M->getOverloadedOperator() == OO_Arrow ||
        (M->getNumParams() == 0 && M->getIdentifier() && M->getName() == "get" &&
         M->getReturnType()->isPointerType()))
      return true;
  for (const auto &B : RD->bases())
    if (isSmartPointerClass(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}

/// How a declaration of type `T` holds a handle: a raw pointer, a smart pointer
/// (unique_ptr, shared_ptr, a library's own), another class, or "" when the type
/// is dependent or neither.
inline std::string handleTypeOf(clang::QualType T) {
  using namespace clang;
  if (T.isNull() || T->isDependentType())
    return "";
  T = T.getNonReferenceType();
  if (T->isPointerType())
    return "pointer";
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return "";
  return isSmartPointerClass(RD) ? "smart_pointer" : "object";
}

/// "ns::Class::method" without template arguments or inline namespaces, so it
/// matches the catalog's spelling for every specialization.
inline std::string plainQualifiedName(const clang::NamedDecl *D) {
  using namespace clang;
  std::vector<std::string> Parts;
  Parts.push_back(D->getNameAsString());
  for (const DeclContext *C = D->getDeclContext(); C; C = C->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(C)) {
      if (NS->isInline())
        continue;
      Parts.push_back(NS->isAnonymousNamespace() ? "(anonymous)" : NS->getNameAsString());
    } else if (const auto *RD = dyn_cast<RecordDecl>(C)) {
      Parts.push_back(RD->getNameAsString());
    } else if (const auto *FD = dyn_cast<FunctionDecl>(C)) {
      Parts.push_back(FD->getNameAsString());
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    Out += (Out.empty() ? "" : "::") + *It;
  return Out;
}

class AstHelpers {
public:
  void setContext(clang::ASTContext &C) {
    if (Ctx != &C) {
      Ctx = &C;
      FileNames.clear();
      PieceCache.clear();
    }
  }

  const clang::SourceManager &sm() const { return Ctx->getSourceManager(); }
  clang::ASTContext &context() const { return *Ctx; }

  model::Location loc(clang::SourceLocation L) {
    const auto &SM = sm();
    clang::SourceLocation E = SM.getExpansionLoc(L);
    if (E.isInvalid())
      return {};
    clang::FileID FID = SM.getFileID(E);
    auto It = FileNames.find(FID);
    if (It == FileNames.end()) {
      std::string Name;
      if (auto FE = SM.getFileEntryRefForID(FID))
        Name = SM.getFileManager().getCanonicalName(*FE).str();
      It = FileNames.insert({FID, Name}).first;
    }
    return {It->second, SM.getExpansionLineNumber(E), SM.getExpansionColumnNumber(E)};
  }

  std::string locKey(clang::SourceLocation L) {
    model::Location X = loc(L);
    return X.File + ":" + std::to_string(X.Line) + ":" + std::to_string(X.Column);
  }

  std::string text(const clang::Expr *E, size_t Max = 120) {
    if (!E)
      return "";
    const auto &SM = sm();
    // Macro arguments are shown as the user spelled them, not as the whole expansion.
    clang::SourceLocation B = SM.getFileLoc(E->getBeginLoc());
    clang::SourceLocation End = SM.getFileLoc(E->getEndLoc());
    std::string T;
    if (B.isValid() && End.isValid() && SM.getFileID(B) == SM.getFileID(End) &&
        !SM.isBeforeInTranslationUnit(End, B))
      T = clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(B, End), SM,
                                      Ctx->getLangOpts())
              .str();
    else
      T = clang::Lexer::getSourceText(SM.getExpansionRange(E->getSourceRange()), SM,
                                      Ctx->getLangOpts())
              .str();
    std::string Out;
    bool Space = false;
    for (char C : T) {
      if (C == '\n' || C == '\t' || C == ' ') {
        Space = !Out.empty();
        continue;
      }
      if (Space)
        Out += ' ';
      Space = false;
      Out += C;
    }
    if (Out.size() > Max)
      Out = Out.substr(0, Max) + "...";
    return Out;
  }

  static const clang::FunctionDecl *pattern(const clang::FunctionDecl *FD) {
    if (!FD)
      return nullptr;
    if (const auto *P = FD->getTemplateInstantiationPattern())
      FD = P;
    return FD;
  }

  static const clang::CXXRecordDecl *lambdaClass(const clang::FunctionDecl *FD) {
    if (const auto *MD = llvm::dyn_cast_or_null<clang::CXXMethodDecl>(FD))
      if (MD->getParent()->isLambda())
        return MD->getParent();
    return nullptr;
  }

  std::string functionKey(const clang::FunctionDecl *FD) {
    if (!FD)
      return "<global>";
    FD = pattern(FD);
    if (const auto *L = lambdaClass(FD))
      return "lambda@" + locKey(L->getLocation());
    std::string Key = plainQualifiedName(FD) + "(";
    clang::PrintingPolicy PP(Ctx->getLangOpts());
    PP.SuppressTagKeyword = true;
    for (unsigned I = 0; I < FD->getNumParams(); ++I)
      Key += (I ? "," : "") + FD->getParamDecl(I)->getType().getCanonicalType().getAsString(PP);
    Key += ")";
    if (const auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(FD); MD && MD->isConst())
      Key += " const";
    return Key;
  }

  std::string functionName(const clang::FunctionDecl *FD) {
    if (!FD)
      return "<global>";
    FD = pattern(FD);
    if (const auto *L = lambdaClass(FD)) {
      const clang::DeclContext *DC = L->getDeclContext();
      while (DC && !llvm::isa<clang::FunctionDecl>(DC))
        DC = DC->getParent();
      return functionName(llvm::dyn_cast_or_null<clang::FunctionDecl>(DC)) + "::<lambda>";
    }
    return plainQualifiedName(FD);
  }

  HandleRef declHandle(const clang::ValueDecl *D) {
    using namespace clang;
    if (const auto *PV = dyn_cast<ParmVarDecl>(D)) {
      const auto *Fn = dyn_cast_or_null<FunctionDecl>(PV->getDeclContext());
      return {"param:" + functionKey(Fn) + "#" + std::to_string(PV->getFunctionScopeIndex()),
              PV->getNameAsString(), true, handleTypeOf(PV->getType())};
    }
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
      if (VD->hasGlobalStorage() && !VD->isStaticLocal())
        return {"global:" + plainQualifiedName(VD), VD->getNameAsString(), true,
                handleTypeOf(VD->getType())};
      return {"var:" + VD->getNameAsString() + "@" + locKey(VD->getLocation()),
              VD->getNameAsString(), true, handleTypeOf(VD->getType())};
    }
    if (const auto *FD = dyn_cast<FieldDecl>(D))
      return {"field:" + plainQualifiedName(FD), FD->getNameAsString(), true,
              handleTypeOf(FD->getType())};
    return {};
  }

  /// The field a trivial getter returns (`T *get() { return field_; }`), if any.
  static const clang::FieldDecl *getterField(const clang::CXXMethodDecl *M) {
    using namespace clang;
    if (!M || M->getNumParams() != 0)
      return nullptr;
    const FunctionDecl *Def = nullptr;
    if (!M->hasBody(Def) || !Def)
      return nullptr;
    // Every return returns the same member (`if (!h_) throw ...; return h_;`).
    const FieldDecl *Field = nullptr;
    bool Other = false;
    walkStmts(Def->getBody(), [&](const Stmt *S) {
      if (isa<LambdaExpr>(S))
        return Walk::Skip;
      const auto *Ret = dyn_cast<ReturnStmt>(S);
      if (!Ret)
        return Walk::Into;
      const auto *ME = Ret->getRetValue()
                           ? dyn_cast<MemberExpr>(Ret->getRetValue()->IgnoreParenImpCasts())
                           : nullptr;
      const auto *F = ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
                          ? dyn_cast<FieldDecl>(ME->getMemberDecl())
                          : nullptr;
      if (!F || (Field && F != Field)) {
        Other = true;
        return Walk::Stop;
      }
      Field = F;
      return Walk::Skip;
    });
    return Other ? nullptr : Field;
  }

  /// The handle an expression denotes: follows smart-pointer access, address-of
  /// and dereference to the variable, field or parameter underneath.
  HandleRef handleOf(const clang::Expr *E) {
    using namespace clang;
    if (!E)
      return {};
    for (int Depth = 0; Depth < 8; ++Depth) {
      E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
      if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(E)) {
        E = DA->getExpr();
        continue;
      }
      if (const auto *L = dyn_cast<LambdaExpr>(E))
        return {"lambda:" + functionKey(L->getCallOperator()), "<lambda>", true};
      if (const auto *CC = dyn_cast<CXXConstructExpr>(E); CC && CC->getNumArgs() == 1) {
        E = CC->getArg(0);
        continue;
      }
      if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
        E = FC->getSubExpr();
        continue;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)) {
        E = UO->getSubExpr();
        continue;
      }
      if (const auto *PC = dyn_cast<CallExpr>(E); PC && !isa<CXXMemberCallExpr>(PC) &&
                                                    !Passthrough.empty() && PC->getNumArgs() >= 1)
        if (const auto *FD = PC->getDirectCallee(); FD && Passthrough.count(plainQualifiedName(FD))) {
          E = PC->getArg(0); // catalog "handle_passthrough"
          continue;
        }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
        // unique_ptr::get(), shared_ptr::get(): the handle is the owning pointer.
        // `stream.lowest_layer()`: a catalog "handle_passthrough" method without arguments.
        if (const auto *M = MC->getMethodDecl();
            M && M->getNumParams() == 0 && Passthrough.count(plainQualifiedName(M))) {
          E = MC->getImplicitObjectArgument();
          continue;
        }
        if (const auto *M = MC->getMethodDecl();
            M && M->getNumParams() == 0 && (M->getName() == "get" || M->getName() == "native_handle")) {
          E = MC->getImplicitObjectArgument();
          continue;
        }
        // A getter (`getCurlHandle()` returning `this->curlHandle`): the field it returns.
        if (const FieldDecl *F = getterField(MC->getMethodDecl()))
          return declHandle(F);
        break;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
          OC && (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
          OC->getNumArgs() >= 1) {
        E = OC->getArg(0);
        continue;
      }
      break;
    }
    if (const auto *DR = dyn_cast<DeclRefExpr>(E))
      if (HandleRef R = declHandle(DR->getDecl()); R.Named)
        return R;
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      if (HandleRef R = declHandle(ME->getMemberDecl()); R.Named)
        return R;
    if (const auto *TE = dyn_cast<CXXThisExpr>(E)) {
      auto *RD = TE->getType()->getPointeeCXXRecordDecl();
      return {"this:" + (RD ? plainQualifiedName(RD) : std::string("?")), "this", true, "pointer"};
    }
    return {"expr@" + locKey(E->getBeginLoc()), text(E, 60), false};
  }

  /// The variable, field or assignee that receives the value of a call or
  /// construction (`CURL *h = curl_easy_init()`, `conn_(opts)`, `c = redisConnect()`).
  HandleRef resultHandle(const clang::Expr *E, const clang::FunctionDecl *Enclosing = nullptr) {
    using namespace clang;
    // A member initialized in a constructor's initializer list: `conn_("host=...")`.
    if (const auto *Ctor = llvm::dyn_cast_or_null<CXXConstructorDecl>(Enclosing))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() && Init->getInit() &&
            (Init->getInit() == E || Init->getInit()->IgnoreImplicit() == E ||
             Init->getInit()->IgnoreUnlessSpelledInSource() == E))
          return declHandle(Init->getMember());
    DynTypedNode N = DynTypedNode::create(*E);
    for (int Depth = 0; Depth < 10; ++Depth) {
      auto Parents = Ctx->getParents(N);
      if (Parents.empty())
        break;
      const DynTypedNode &P = Parents[0];
      if (const auto *VD = P.get<VarDecl>())
        return declHandle(VD);
      if (const auto *Init = P.get<CXXCtorInitializer>()) {
        if (Init->getMember())
          return declHandle(Init->getMember());
        break;
      }
      if (const auto *BO = P.get<BinaryOperator>()) {
        if (BO->isAssignmentOp())
          return handleOf(BO->getLHS());
        break;
      }
      if (const auto *OC = P.get<CXXOperatorCallExpr>()) {
        if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
          return handleOf(OC->getArg(0));
        break;
      }
      if (const auto *PE = P.get<Expr>()) {
        if (isa<ImplicitCastExpr, ExprWithCleanups, MaterializeTemporaryExpr,
                CXXBindTemporaryExpr, ParenExpr, CXXFunctionalCastExpr, CStyleCastExpr,
                CXXNewExpr, CXXConstructExpr, CXXStaticCastExpr, InitListExpr>(PE)) {
          N = P;
          continue;
        }
      }
      break;
    }
    return {"expr@" + locKey(E->getBeginLoc()), text(E, 60), false};
  }

  /// The option an argument names: an enumerator (CURLOPT_TIMEOUT), or any macro
  /// it was spelled through (ZMQ_RCVTIMEO). Candidates are tried in order.
  std::vector<std::string> optionNames(const clang::Expr *E) {
    using namespace clang;
    std::vector<std::string> Out;
    const auto &SM = sm();
    for (SourceLocation L = E->getBeginLoc(); L.isMacroID();) {
      if (SM.isMacroArgExpansion(L)) {
        L = SM.getImmediateSpellingLoc(L);
        continue;
      }
      llvm::StringRef Name = Lexer::getImmediateMacroName(L, SM, Ctx->getLangOpts());
      if (!Name.empty())
        Out.push_back(Name.str());
      L = SM.getImmediateMacroCallerLoc(L);
    }
    const Expr *X = E->IgnoreParenImpCasts();
    for (int Depth = 0; Depth < 3; ++Depth) {
      const auto *DR = dyn_cast<DeclRefExpr>(X);
      if (!DR)
        break;
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DR->getDecl())) {
        Out.insert(Out.begin(), EC->getNameAsString());
        break;
      }
      // C's curl typecheck macro copies the option into a local first.
      const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
      if (!VD || !VD->getInit())
        break;
      X = VD->getInit()->IgnoreParenImpCasts();
    }
    return Out;
  }

  static model::Value keepText(model::Value V, const std::string &Text) {
    V.Text = Text;
    return V;
  }

  /// Where the bytes of a string literal were written (model::Value::Pieces):
  /// one piece per run of bytes that follow each other in the source, so a
  /// concatenation over several lines or an escape sequence starts a new one.
  /// A literal spelled in a macro's body is one piece at the macro's use; one
  /// written as a macro's argument (curl_easy_setopt is a macro in curl's
  /// headers) is placed where it is written.
  std::vector<model::Value::Piece> literalPieces(const clang::StringLiteral *SL) {
    std::vector<model::Value::Piece> Out;
    auto Cached = PieceCache.find(SL);
    if (Cached != PieceCache.end())
      return Cached->second;
    const auto &SM = sm();
    llvm::StringRef Bytes = SL->getString();
    bool Simple = SL->getNumConcatenated() == 1 &&
                  llvm::all_of(Bytes, [](char C) { return C >= 0x20 && C != '"' && C != '\\' && C < 0x7f; });
    bool InMacroBody = false;
    for (unsigned T = 0; T < SL->getNumConcatenated() && !InMacroBody; ++T)
      for (clang::SourceLocation L = SL->getStrTokenLoc(T); L.isMacroID();
           L = SM.getImmediateSpellingLoc(L))
        if (!SM.isMacroArgExpansion(L)) {
          InMacroBody = true;
          break;
        }
    if (InMacroBody || Bytes.size() > 4096 || Bytes.empty()) {
      Out.push_back({0, loc(SL->getBeginLoc())});
    } else {
      clang::SourceLocation Prev;
      unsigned Step = Simple ? static_cast<unsigned>(Bytes.size()) : 1;
      for (unsigned B = 0; B < Bytes.size(); B += Step) {
        clang::SourceLocation L = SM.getFileLoc(
            SL->getLocationOfByte(B, SM, Ctx->getLangOpts(), Ctx->getTargetInfo()));
        if (Prev.isInvalid() || L != Prev.getLocWithOffset(1))
          Out.push_back({B, loc(L)});
        Prev = L;
      }
    }
    PieceCache[SL] = Out;
    return Out;
  }

  /// What the compiler can tell of a value. `Unit` "timeval" folds a struct
  /// timeval initializer into seconds.
  model::Value evaluate(const clang::Expr *E, llvm::StringRef Unit, int Depth = 0) {
    using namespace clang;
    model::Value V;
    V.Text = text(E);
    V.K = model::Value::Kind::Unknown;
    if (!E || Depth > 4)
      return V;
    E = E->IgnoreParenImpCasts();
    if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(E)) {
      model::Value Inner = evaluate(DA->getExpr(), Unit, Depth + 1);
      Inner.Text = V.Text.empty() ? Inner.Text : V.Text;
      return Inner;
    }
    E = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (Unit == "timeval")
      if (const auto *IL = dyn_cast<InitListExpr>(E)) {
        if (IL->getNumInits() >= 1) {
          model::Value S = evaluate(IL->getInit(0), "", Depth + 1);
          model::Value U = IL->getNumInits() > 1 ? evaluate(IL->getInit(1), "", Depth + 1)
                                                 : model::Value{model::Value::Kind::Int};
          if (S.K == model::Value::Kind::Int && U.K == model::Value::Kind::Int) {
            V.K = model::Value::Kind::Float;
            V.Float = static_cast<double>(S.Int) + static_cast<double>(U.Int) / 1e6;
            V.Proven = true;
          }
        }
        return V;
      }
    if (const auto *SL = dyn_cast<StringLiteral>(E)) {
      if (SL->getCharByteWidth() == 1) {
        V.K = model::Value::Kind::String;
        V.Str = SL->getString().str();
        V.Proven = true;
        V.Pieces = literalPieces(SL);
      }
      return V;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      if (const auto *M = MC->getMethodDecl();
          M && (M->getName() == "c_str" || M->getName() == "data"))
        return keepText(evaluate(MC->getImplicitObjectArgument(), Unit, Depth + 1), V.Text);
    }
    // "https://api.stripe.com/v1/refunds?charge=" + id: the constant prefix names
    // the endpoint even though the whole string is only known at run time. A
    // constant suffix ("mongodb://" + hosts + kOptions) keeps its text too: the
    // options it carries are as fixed as the prefix.
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && OC->getOperator() == OO_Plus && OC->getNumArgs() == 2) {
      model::Value L = evaluate(OC->getArg(0), "", Depth + 1);
      if (L.K == model::Value::Kind::String) {
        model::Value R = evaluate(OC->getArg(1), "", Depth + 1);
        V.K = model::Value::Kind::String;
        V.Pieces = L.Pieces;
        // A constant right-hand side is kept with the positions of its literals
        // ("mongodb://" + hosts + "/?tls=true"): options written there are read.
        bool Constant = R.K == model::Value::Kind::String && R.Proven;
        std::string Tail = Constant ? R.Str : "{...}";
        for (auto P : Constant ? R.Pieces : std::vector<model::Value::Piece>{}) {
          P.Offset += static_cast<unsigned>(L.Str.size());
          V.Pieces.push_back(P);
        }
        V.Str = L.Str + Tail;
        V.Proven = false;
        V.DependsOn = "string built at run time";
        return V;
      }
    }
    if (const auto *CC = dyn_cast<CXXConstructExpr>(E); CC && CC->getNumArgs() >= 1 &&
                                                         Unit != "timeval")
      return keepText(evaluate(CC->getArg(0), Unit, Depth + 1), V.Text);
    if (!E->isValueDependent() && !E->isTypeDependent()) {
      Expr::EvalResult R;
      if (E->EvaluateAsInt(R, *Ctx)) {
        V.K = model::Value::Kind::Int;
        V.Int = R.Val.getInt().getExtValue();
        V.Proven = true;
        return V;
      }
      llvm::APFloat F(0.0);
      if (E->getType()->isRealFloatingType() && E->EvaluateAsFloat(F, *Ctx)) {
        V.K = model::Value::Kind::Float;
        V.Float = F.convertToDouble();
        V.Proven = true;
        return V;
      }
    }
    // `(SQLPOINTER)5`, `reinterpret_cast<void *>(5)`: C APIs pass integers through pointers.
    // `(SQLCHAR *)"DSN=..."`: a literal seen through a pointer cast.
    if (const auto *EC = dyn_cast<ExplicitCastExpr>(E); EC && E->getType()->isPointerType() &&
                                                       (EC->getSubExpr()->getType()->isIntegerType() ||
                                                        isa<StringLiteral>(EC->getSubExpr()->IgnoreParenImpCasts())))
      return keepText(evaluate(EC->getSubExpr(), Unit, Depth + 1), V.Text);
    if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl())) {
        V.DependsOn = "parameter `" + PV->getNameAsString() + "`";
        V.ParamKey = declHandle(PV).Key;
        if (PV->hasDefaultArg() && !PV->hasUninstantiatedDefaultArg() &&
            !PV->hasUnparsedDefaultArg()) {
          model::Value D = evaluate(PV->getDefaultArg(), Unit, Depth + 1);
          if (D.K == model::Value::Kind::Int || D.K == model::Value::Kind::Float ||
              D.K == model::Value::Kind::String) {
            D.Text = V.Text;
            D.Proven = false;
            D.DependsOn = V.DependsOn + " (default argument " + D.Text + ")";
            D.Origin = loc(PV->getLocation());
            D.ParamKey = V.ParamKey;
            return D;
          }
        }
        return V;
      }
      if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl())) {
        if (const Expr *Init = VD->getAnyInitializer()) {
          model::Value I = evaluate(Init, Unit, Depth + 1);
          I.Text = V.Text;
          I.Origin = loc(VD->getLocation());
          if (I.DependsOn.empty())
            I.DependsOn = "variable `" + VD->getNameAsString() + "`";
          return I;
        }
        V.DependsOn = "variable `" + VD->getNameAsString() + "`";
        return V;
      }
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
        std::string Field = plainQualifiedName(FD);
        // `opts.timeout_ms`: the object is named, so what it holds at a call can
        // be followed to where the object was made and written.
        HandleRef Object;
        if (!isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
          Object = handleOf(ME->getBase());
        if (const Expr *Init = FD->getInClassInitializer()) {
          model::Value I = evaluate(Init, Unit, Depth + 1);
          I.Text = V.Text;
          I.Proven = false; // the default member initializer may be overridden at run time
          I.DependsOn = "`" + Field + "` (default member initializer " + text(Init) + ")";
          I.Origin = loc(FD->getLocation());
          if (Object.Named) {
            I.MemberOf = Object.Key;
            I.Member = Field;
          }
          return I;
        }
        V.DependsOn = "`" + Field + "`";
        if (Object.Named) {
          V.MemberOf = Object.Key;
          V.Member = Field;
        }
        return V;
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      if (const auto *FD = CE->getDirectCallee()) {
        llvm::StringRef N = FD->getName();
        if ((N == "getenv" || N == "secure_getenv") && CE->getNumArgs() == 1) {
          model::Value A = evaluate(CE->getArg(0), "", Depth + 1);
          V.DependsOn = A.K == model::Value::Kind::String ? "env:" + A.Str : "env";
          return V;
        }
        // atoi(getenv("X")), std::stol(...): the dependency is the inner value's.
        if (CE->getNumArgs() >= 1 &&
            (N == "atoi" || N == "atol" || N == "stoi" || N == "stol" || N == "stoul" ||
             N == "strtol" || N == "stoll" || N == "atof" || N == "stod")) {
          model::Value A = evaluate(CE->getArg(0), "", Depth + 1);
          V.DependsOn = A.DependsOn;
          return V;
        }
        bool System = sm().isInSystemHeader(sm().getExpansionLoc(FD->getLocation()));
        V.DependsOn = System || FD->isOverloadedOperator()
                          ? "a value computed at run time"
                          : "result of `" + plainQualifiedName(FD) + "()`";
      }
    }
    return V;
  }

  // -------------------------------------------- catalog value extensions
  // Generic, data-independent readings of argument shapes that client libraries
  // use for options: std::chrono durations and deadlines, pointers to the value
  // (mysql_options(m, OPT, &t)), string-keyed options ("socket.timeout.ms") and
  // option objects (zmq::sockopt::rcvtimeo).

  /// Seconds per tick of a std::chrono::duration type (std::ratio<N, D>).
  static std::optional<double> durationTick(clang::QualType T) {
    using namespace clang;
    if (T.isNull())
      return std::nullopt;
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl());
    if (!Spec || plainQualifiedName(Spec) != "std::chrono::duration" ||
        Spec->getTemplateArgs().size() < 2 ||
        Spec->getTemplateArgs()[1].getKind() != TemplateArgument::Type)
      return std::nullopt;
    const auto *Ratio = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        Spec->getTemplateArgs()[1].getAsType().getCanonicalType()->getAsCXXRecordDecl());
    if (!Ratio || Ratio->getTemplateArgs().size() < 2 ||
        Ratio->getTemplateArgs()[0].getKind() != TemplateArgument::Integral ||
        Ratio->getTemplateArgs()[1].getKind() != TemplateArgument::Integral)
      return std::nullopt;
    double Num = static_cast<double>(Ratio->getTemplateArgs()[0].getAsIntegral().getSExtValue());
    double Den = static_cast<double>(Ratio->getTemplateArgs()[1].getAsIntegral().getSExtValue());
    return Den == 0 ? std::nullopt : std::optional<double>(Num / Den);
  }

  static bool isTimePoint(clang::QualType T) {
    if (T.isNull())
      return false;
    const auto *RD = T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
    return RD && plainQualifiedName(RD) == "std::chrono::time_point";
  }

  /// A std::chrono duration (`std::chrono::seconds(5)`, `500ms`, a local holding
  /// one) or a deadline `clock::now() + duration`, folded into seconds (Float).
  /// std::nullopt when `E` is neither; Kind Unknown when it is one whose count
  /// the compiler cannot tell.
  std::optional<model::Value> durationValue(const clang::Expr *E, int Depth = 0) {
    using namespace clang;
    if (!E || Depth > 4)
      return std::nullopt;
    const Expr *X = E->IgnoreImplicit()->IgnoreParens()->IgnoreImplicit();
    model::Value V;
    V.Text = text(E);
    V.K = model::Value::Kind::Unknown;
    if (isTimePoint(X->getType())) {
      // A deadline: only `now() + d` is read; the duration is the timeout.
      const Expr *Y = X->IgnoreUnlessSpelledInSource()->IgnoreParens();
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Y);
          OC && OC->getOperator() == OO_Plus && OC->getNumArgs() == 2)
        for (const Expr *Side : {OC->getArg(1), OC->getArg(0)})
          if (durationTick(Side->getType()))
            if (auto D = durationValue(Side, Depth + 1)) {
              D->Text = V.Text;
              return D;
            }
      if (const auto *DR = dyn_cast<DeclRefExpr>(Y))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()); VD && VD->getAnyInitializer())
          if (auto D = durationValue(VD->getAnyInitializer(), Depth + 1)) {
            D->Text = V.Text;
            D->Origin = loc(VD->getLocation());
            return D;
          }
      V.DependsOn = "deadline `" + V.Text + "`";
      return V;
    }
    std::optional<double> Tick = durationTick(X->getType());
    if (!Tick)
      return std::nullopt;
    if (!X->isValueDependent() && !X->isTypeDependent()) {
      Expr::EvalResult R;
      if (X->EvaluateAsRValue(R, *Ctx) && R.Val.isStruct() && R.Val.getStructNumFields() >= 1) {
        const APValue &F = R.Val.getStructField(0);
        if (F.isInt() || F.isFloat()) {
          double Count = F.isInt() ? static_cast<double>(F.getInt().getSExtValue())
                                   : F.getFloat().convertToDouble();
          V.K = model::Value::Kind::Float;
          V.Float = Count * *Tick;
          V.Proven = true;
          return V;
        }
      }
    }
    const Expr *Y = X->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (const auto *DR = dyn_cast<DeclRefExpr>(Y)) {
      if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()); VD && VD->getAnyInitializer())
        if (auto D = durationValue(VD->getAnyInitializer(), Depth + 1)) {
          D->Text = V.Text;
          D->Origin = loc(VD->getLocation());
          if (D->DependsOn.empty() && !isa<ParmVarDecl>(VD))
            D->DependsOn = "variable `" + VD->getNameAsString() + "`";
          return D;
        }
      model::Value P = evaluate(Y, "");
      V.DependsOn = P.DependsOn;
      return V;
    }
    // `std::chrono::seconds(t)`: the count comes from an arithmetic value.
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Y))
      Y = FC->getSubExpr()->IgnoreImplicit();
    if (const auto *CC = dyn_cast<CXXConstructExpr>(Y); CC && CC->getNumArgs() == 1) {
      const Expr *A = CC->getArg(0);
      if (durationTick(A->getType()))
        if (auto D = durationValue(A, Depth + 1)) {
          D->Text = V.Text;
          return D;
        }
      model::Value C = evaluate(A, "");
      if (C.K == model::Value::Kind::Int || C.K == model::Value::Kind::Float) {
        V.K = model::Value::Kind::Float;
        V.Float = (C.K == model::Value::Kind::Int ? static_cast<double>(C.Int) : C.Float) * *Tick;
        V.Proven = C.Proven;
        V.DependsOn = C.DependsOn;
        V.Origin = C.Origin;
        return V;
      }
      V.DependsOn = C.DependsOn;
    }
    return V;
  }

  /// An option value passed by address (`&timeout`): the pointee's expression.
  static const clang::Expr *pointeeArg(const clang::Expr *E) {
    using namespace clang;
    if (!E)
      return E;
    const Expr *X = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(X); UO && UO->getOpcode() == UO_AddrOf)
      return UO->getSubExpr();
    return E;
  }

  /// Option names an argument spells besides macros and enumerators: a string
  /// literal key ("socket.timeout.ms", also through a local) and the qualified
  /// name of an option object (`zmq::sockopt::rcvtimeo`).
  std::vector<std::string> keyedOptionNames(const clang::Expr *E) {
    using namespace clang;
    std::vector<std::string> Out;
    if (!E)
      return Out;
    model::Value V = evaluate(E, "");
    if (V.K == model::Value::Kind::String)
      Out.push_back(V.Str);
    const Expr *X = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (const auto *DR = dyn_cast<DeclRefExpr>(X))
      if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()); VD && VD->hasGlobalStorage())
        Out.push_back(plainQualifiedName(VD));
    return Out;
  }

  /// Functions that return (a layer of) their argument, so the handle is the
  /// argument's: `beast::get_lowest_layer(stream).expires_after(...)`. Filled
  /// from the catalog's "handle_passthrough" names.
  std::set<std::string> Passthrough;

  /// Library time classes read from their constructors, by qualified name without
  /// leading "::". Filled from the catalog's "value_types".
  std::map<std::string, const catalog::ValueType *> ValueTypes;

  /// A constructor argument that names a catalog "value_types" constant, alone or
  /// multiplied by a constant (`5 * Poco::Timespan::SECONDS`).
  std::optional<double> withConstants(const clang::Expr *E, const catalog::ValueType &VT,
                                      int Depth = 0) {
    using namespace clang;
    if (!E || Depth > 4 || VT.Constants.empty())
      return std::nullopt;
    E = E->IgnoreParenImpCasts();
    if (const auto *DR = dyn_cast<DeclRefExpr>(E))
      if (auto It = VT.Constants.find(plainQualifiedName(DR->getDecl())); It != VT.Constants.end())
        return It->second;
    if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getOpcode() == BO_Mul) {
      auto Side = [&](const Expr *X) -> std::optional<double> {
        model::Value V = evaluate(X, "", Depth + 1);
        if (V.K == model::Value::Kind::Int && V.Proven)
          return static_cast<double>(V.Int);
        if (V.K == model::Value::Kind::Float && V.Proven)
          return V.Float;
        return withConstants(X, VT, Depth + 1);
      };
      auto L = Side(BO->getLHS()), R = Side(BO->getRHS());
      if (L && R)
        return *L * *R;
    }
    return std::nullopt;
  }

  /// A value of a catalog "value_types" class (`Poco::Timespan(5, 0)`,
  /// `Timespan(250000)`, an integer converted implicitly, a local holding one),
  /// folded into seconds (Float) with the weights of the constructor of that
  /// arity. std::nullopt when `E` is not of such a class; Kind Unknown when it is
  /// one whose value the compiler cannot tell.
  std::optional<model::Value> classTimeValue(const clang::Expr *E, int Depth = 0) {
    using namespace clang;
    if (!E || Depth > 4 || ValueTypes.empty())
      return std::nullopt;
    auto TypeOf = [&](const Expr *X) -> const catalog::ValueType * {
      const auto *RD = X->getType().getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
      auto It = RD ? ValueTypes.find(plainQualifiedName(RD)) : ValueTypes.end();
      return It == ValueTypes.end() ? nullptr : It->second;
    };
    const catalog::ValueType *VT = TypeOf(E);
    if (!VT)
      return std::nullopt;
    model::Value V;
    V.Text = text(E);
    V.K = model::Value::Kind::Unknown;
    const Expr *X = E;
    for (int I = 0; I < 12; ++I) {
      X = X->IgnoreParens();
      if (const auto *FE = dyn_cast<FullExpr>(X))
        X = FE->getSubExpr();
      else if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(X))
        X = MT->getSubExpr();
      else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(X))
        X = BT->getSubExpr();
      else if (const auto *IC = dyn_cast<ImplicitCastExpr>(X))
        X = IC->getSubExpr();
      else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(X))
        X = FC->getSubExpr();
      else
        break;
    }
    if (const auto *CC = dyn_cast<CXXConstructExpr>(X)) {
      unsigned N = CC->getNumArgs();
      if (N == 1 && TypeOf(CC->getArg(0)) == VT) // copy or move
        if (auto Inner = classTimeValue(CC->getArg(0), Depth + 1)) {
          Inner->Text = V.Text;
          return Inner;
        }
      for (const auto &Ctor : VT->Constructors) {
        if (Ctor.Args != N)
          continue;
        double Sum = 0;
        bool Proven = true;
        for (unsigned I = 0; I < N; ++I) {
          model::Value A = evaluate(CC->getArg(I), "", Depth + 1);
          if (A.K != model::Value::Kind::Int && A.K != model::Value::Kind::Float)
            if (auto K = withConstants(CC->getArg(I), *VT)) {
              A.K = model::Value::Kind::Float;
              A.Float = *K;
              A.Proven = true;
            }
          if (A.K != model::Value::Kind::Int && A.K != model::Value::Kind::Float) {
            V.DependsOn = A.DependsOn.empty() ? "`" + A.Text + "`" : A.DependsOn;
            return V;
          }
          Sum += (A.K == model::Value::Kind::Int ? static_cast<double>(A.Int) : A.Float) *
                 Ctor.SecondsPerArg[I];
          Proven &= A.Proven;
          if (!A.Proven && V.DependsOn.empty())
            V.DependsOn = A.DependsOn;
          if (A.Origin.valid() && !V.Origin.valid())
            V.Origin = A.Origin;
        }
        V.K = model::Value::Kind::Float;
        V.Float = Sum;
        V.Proven = Proven;
        return V;
      }
      V.DependsOn = "a " + VT->Type.substr(2) + " constructor the catalog does not describe";
      return V;
    }
    if (const auto *DR = dyn_cast<DeclRefExpr>(X)) {
      if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
          VD && !isa<ParmVarDecl>(VD) && VD->getAnyInitializer())
        if (auto D = classTimeValue(VD->getAnyInitializer(), Depth + 1)) {
          D->Text = V.Text;
          D->Origin = loc(VD->getLocation());
          if (D->DependsOn.empty())
            D->DependsOn = "variable `" + VD->getNameAsString() + "`";
          return D;
        }
      V.DependsOn = evaluate(DR, "", Depth + 1).DependsOn;
      return V;
    }
    V.DependsOn = "a value computed at run time";
    return V;
  }

  // ------------------------------------------------------------------ loops

  /// Describes every loop around `Call` (up to its function) and returns their ids.
  std::vector<std::string> enclosingLoops(const clang::Expr *Call,
                                          std::vector<model::LoopFact> &Out,
                                          int CallableParam = -1) {
    using namespace clang;
    std::vector<std::string> Ids;
    const VarDecl *ResultVar = resultVar(Call);
    DynTypedNode N = DynTypedNode::create(*Call);
    const Stmt *Child = Call;
    const CXXTryStmt *TryAround = nullptr;
    const Stmt *TryChild = nullptr;
    for (int Depth = 0; Depth < 40; ++Depth) {
      auto Parents = Ctx->getParents(N);
      if (Parents.empty())
        break;
      N = Parents[0];
      if (N.get<FunctionDecl>() || N.get<LambdaExpr>() || N.get<BlockDecl>())
        break;
      const Stmt *S = N.get<Stmt>();
      if (!S)
        continue;
      if (const auto *T = dyn_cast<CXXTryStmt>(S); T && !TryAround && Child == T->getTryBlock()) {
        TryAround = T;
        TryChild = nullptr;
      }
      if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S)) {
        model::LoopFact L = describeLoop(S, Call, ResultVar, TryAround);
        // A loop is judged relative to one call in it (does *this* call's success end it?).
        L.Id += "@" + locKey(Call->getBeginLoc());
        L.CallableParam = CallableParam;
        Ids.push_back(L.Id);
        Out.push_back(std::move(L));
      }
      Child = S;
      (void)TryChild;
    }
    return Ids;
  }

  /// For a function that invokes one of its callable parameters (a template
  /// `F f` or a `std::function`) inside a loop: a loop fact naming that parameter.
  void analyzeCallableParams(const clang::FunctionDecl *FD, std::vector<model::LoopFact> &Out,
                             std::vector<model::HandleFlow> *Flows = nullptr) {
    using namespace clang;
    if (!FD->hasBody())
      return;
    std::string FnKey = functionKey(FD);
    walkStmts(FD->getBody(), [&](const Stmt *S) {
      if (isa<LambdaExpr>(S))
        return Walk::Skip;
      if (const auto *CE = dyn_cast<CallExpr>(S)) {
        // `presetup_(h)` on a callable member: what it holds is set elsewhere
        // (a constructor argument, a setter), so the handle goes where the
        // analysis cannot follow.
        if (const FieldDecl *Held = invokedField(CE); Held && Flows)
          for (unsigned I = 1; I < CE->getNumArgs(); ++I)
            if (HandleRef R = handleOf(CE->getArg(I)); R.Named)
              Flows->push_back({R.Key, "opaque:" + plainQualifiedName(Held), I - 1,
                                loc(CE->getBeginLoc()), FnKey});
        int Param = invokedParam(CE);
        if (Param >= 0)
          enclosingLoops(CE, Out, Param);
        // `configure(h)` on a std::function / template parameter: the handle flows
        // into whatever callable the caller passes there.
        if (Param >= 0 && Flows) {
          unsigned First = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
          for (unsigned I = First; I < CE->getNumArgs(); ++I) {
            HandleRef R = handleOf(CE->getArg(I));
            if (R.Named)
              Flows->push_back({R.Key, "callable:" + FnKey + "#" + std::to_string(Param),
                                I - First, loc(CE->getBeginLoc()), FnKey});
          }
        }
      }
      return Walk::Into;
    });
  }

  /// The local that receives the call's result (`CURLcode rc = perform(h)`,
  /// `rc = ...`, `r = client.get()` through a class's operator=).
  const clang::VarDecl *resultVar(const clang::Expr *Call) {
    using namespace clang;
    DynTypedNode N = DynTypedNode::create(*Call);
    for (int Depth = 0; Depth < 6; ++Depth) {
      auto Parents = Ctx->getParents(N);
      if (Parents.empty())
        return nullptr;
      N = Parents[0];
      if (const auto *VD = N.get<VarDecl>())
        return VD;
      if (const auto *BO = N.get<BinaryOperator>()) {
        if (BO->getOpcode() == BO_Assign)
          if (const auto *DR = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
            return dyn_cast<VarDecl>(DR->getDecl());
        return nullptr;
      }
      if (const auto *OC = N.get<CXXOperatorCallExpr>()) {
        if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
          if (const auto *DR = dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
            return dyn_cast<VarDecl>(DR->getDecl());
        return nullptr;
      }
      if (!N.get<ImplicitCastExpr>() && !N.get<ExprWithCleanups>() &&
          !N.get<MaterializeTemporaryExpr>() && !N.get<CXXBindTemporaryExpr>() &&
          !N.get<ParenExpr>() && !N.get<CXXConstructExpr>() && !N.get<CStyleCastExpr>() &&
          !N.get<CXXStaticCastExpr>() && !N.get<CXXFunctionalCastExpr>())
        return nullptr;
    }
    return nullptr;
  }

  /// Does `S` name the variable `V` or contain the expression `Call`?
  static bool mentions(const clang::Stmt *S, const clang::VarDecl *V, const clang::Expr *Call) {
    using namespace clang;
    return walkStmts(S, [&](const Stmt *X) {
      if (Call && X == Call)
        return Walk::Stop;
      if (V)
        if (const auto *DR = dyn_cast<DeclRefExpr>(X); DR && DR->getDecl() == V)
          return Walk::Stop;
      return Walk::Into;
    });
  }

private:
  /// The member a call invokes as a callable (`this->presetup_(h)`: a
  /// std::function or function object held in a field), or null.
  static const clang::FieldDecl *invokedField(const clang::CallExpr *CE) {
    using namespace clang;
    const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
    if (!OC || OC->getOperator() != OO_Call || OC->getNumArgs() < 1)
      return nullptr;
    const auto *ME = dyn_cast<MemberExpr>(OC->getArg(0)->IgnoreParenImpCasts());
    return ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  }

  int invokedParam(const clang::CallExpr *CE) {
    using namespace clang;
    const Expr *Callee = CE->getCallee();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
        OC && OC->getOperator() == OO_Call && OC->getNumArgs() >= 1)
      Callee = OC->getArg(0);
    else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      Callee = MC->getImplicitObjectArgument();
    else if (const auto *FD = CE->getDirectCallee();
             FD && FD->getName() == "invoke" && CE->getNumArgs() >= 1)
      Callee = CE->getArg(0);
    if (!Callee)
      return -1;
    Callee = Callee->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (const auto *DR = dyn_cast<DeclRefExpr>(Callee))
      if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl()))
        return static_cast<int>(PV->getFunctionScopeIndex());
    if (const auto *UL = dyn_cast<UnresolvedLookupExpr>(Callee))
      (void)UL;
    return -1;
  }

  static bool containsExit(const clang::Stmt *S, bool InNestedLoop = false) {
    using namespace clang;
    return walkStmtsWith(S, InNestedLoop, [](const Stmt *X, bool &Nested) {
      if (isa<ReturnStmt, GotoStmt, CXXThrowExpr>(X))
        return Walk::Stop;
      if (isa<BreakStmt>(X) && !Nested)
        return Walk::Stop;
      if (isa<LambdaExpr>(X))
        return Walk::Skip;
      Nested = Nested || isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(X);
      return Walk::Into;
    });
  }

  struct BodyScan {
    std::vector<model::Evidence> Sleeps;
    std::vector<const clang::Expr *> SleepArgs;
    std::set<const clang::VarDecl *> Grown; // vars multiplied or shifted in the loop
    std::vector<model::Evidence> GrowthEvidence;
    std::vector<model::Evidence> JitterEvidence;
    std::vector<model::Evidence> SuccessExits;
    std::vector<model::Evidence> LimitChecks;
    std::optional<int> LimitValue;
  };

  static bool isSleepName(llvm::StringRef N) {
    return N == "sleep" || N == "usleep" || N == "nanosleep" || N == "sleep_for" ||
           N == "sleep_until" || N == "Sleep" || N == "msleep" || N == "SleepFor";
  }
  static bool isRandomName(llvm::StringRef N) {
    return N == "rand" || N == "random" || N == "rand_r" || N == "drand48" || N == "lrand48" ||
           N == "arc4random" || N == "arc4random_uniform" || N.contains("uniform_int_distribution") ||
           N.contains("uniform_real_distribution") || N == "jitter";
  }

  static bool growsExpr(const clang::Expr *E) {
    using namespace clang;
    return walkStmts(E, [](const Stmt *S) {
      const auto *X = dyn_cast<Expr>(S);
      if (!X)
        return Walk::Skip;
      X = X->IgnoreParenImpCasts();
      if (const auto *BO = dyn_cast<BinaryOperator>(X))
        if (BO->getOpcode() == BO_Mul || BO->getOpcode() == BO_Shl)
          return Walk::Stop;
      if (const auto *CE = dyn_cast<CallExpr>(X))
        if (const auto *FD = CE->getDirectCallee())
          if (FD->getName() == "pow" || FD->getName() == "exp2" || FD->getName() == "ldexp")
            return Walk::Stop;
      return Walk::Into;
    });
  }

  /// Sleeps, growing delays, jitter, success exits and limit checks in `S` and
  /// below it (lambdas left out).
  void scanBody(const clang::Stmt *S, const clang::VarDecl *ResultVar, const clang::Expr *Call,
                BodyScan &B) {
    walkStmts(S, [&](const clang::Stmt *X) {
      if (llvm::isa<clang::LambdaExpr>(X))
        return Walk::Skip;
      scanNode(X, ResultVar, Call, B);
      return Walk::Into;
    });
  }

  void scanNode(const clang::Stmt *S, const clang::VarDecl *ResultVar, const clang::Expr *Call,
                BodyScan &B) {
    using namespace clang;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (const auto *FD = CE->getDirectCallee()) {
        std::string N = FD->getNameAsString();
        if (isSleepName(N)) {
          model::Location L = loc(CE->getBeginLoc());
          B.Sleeps.push_back({L.File, L.Line, "sleeps: " + text(CE, 80)});
          if (CE->getNumArgs() >= 1)
            B.SleepArgs.push_back(CE->getArg(0));
        }
        std::string Q = plainQualifiedName(FD);
        if (isRandomName(N) || isRandomName(Q)) {
          model::Location L = loc(CE->getBeginLoc());
          B.JitterEvidence.push_back({L.File, L.Line, "randomizes: " + text(CE, 60)});
        }
      }
    }
    if (const auto *CC = dyn_cast<CXXConstructExpr>(S))
      if (const auto *RD = CC->getConstructor()->getParent(); RD && isRandomName(RD->getName())) {
        model::Location L = loc(CC->getBeginLoc());
        B.JitterEvidence.push_back({L.File, L.Line, "randomizes: " + text(CC, 60)});
      }
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      const auto *DR = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
      const VarDecl *V = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
      bool Grows = false;
      if (BO->getOpcode() == BO_MulAssign || BO->getOpcode() == BO_ShlAssign)
        Grows = true;
      if (BO->getOpcode() == BO_Assign && growsExpr(BO->getRHS()))
        Grows = true;
      if (V && Grows) {
        B.Grown.insert(V);
        model::Location L = loc(BO->getBeginLoc());
        B.GrowthEvidence.push_back({L.File, L.Line, "grows delay: " + text(BO, 60)});
      }
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
      // chrono durations: `delay *= 2`
      if ((OC->getOperator() == OO_StarEqual || OC->getOperator() == OO_LessLessEqual) &&
          OC->getNumArgs() == 2)
        if (const auto *DR = dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
          if (const auto *V = dyn_cast<VarDecl>(DR->getDecl())) {
            B.Grown.insert(V);
            model::Location L = loc(OC->getBeginLoc());
            B.GrowthEvidence.push_back({L.File, L.Line, "grows delay: " + text(OC, 60)});
          }
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 && growsExpr(OC->getArg(1)))
        if (const auto *DR = dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
          if (const auto *V = dyn_cast<VarDecl>(DR->getDecl())) {
            B.Grown.insert(V);
            model::Location L = loc(OC->getBeginLoc());
            B.GrowthEvidence.push_back({L.File, L.Line, "grows delay: " + text(OC, 60)});
          }
    }
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      const Expr *Cond = If->getCond();
      bool OnResult = mentions(Cond, ResultVar, Call);
      if (OnResult && (containsExit(If->getThen()) || containsExit(If->getElse()))) {
        model::Location L = loc(If->getBeginLoc());
        B.SuccessExits.push_back({L.File, L.Line, "stops when the call succeeds: " + text(Cond, 60)});
      }
      if (!OnResult && (containsExit(If->getThen())) && relational(Cond)) {
        model::Location L = loc(If->getBeginLoc());
        B.LimitChecks.push_back({L.File, L.Line, "gives up after a limit: " + text(Cond, 60)});
        if (auto N = constantSide(Cond))
          B.LimitValue = *N;
      }
    }
  }

  static const clang::BinaryOperator *relational(const clang::Expr *E) {
    using namespace clang;
    if (!E)
      return nullptr;
    E = E->IgnoreParenImpCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->isRelationalOp() || BO->getOpcode() == BO_NE)
        return BO;
      if (BO->isLogicalOp()) {
        if (auto *L = relational(BO->getLHS()))
          return L;
        return relational(BO->getRHS());
      }
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
      (void)OC;
    return nullptr;
  }

  /// A comparison in the loop condition that bounds the loop: not the test of
  /// the call's own result (`while (perform(h) != OK)` repeats forever).
  static const clang::BinaryOperator *boundingRelational(const clang::Expr *E,
                                                         const clang::VarDecl *ResultVar,
                                                         const clang::Expr *Call) {
    using namespace clang;
    if (!E)
      return nullptr;
    E = E->IgnoreParenImpCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->isLogicalOp()) {
        if (auto *L = boundingRelational(BO->getLHS(), ResultVar, Call))
          return L;
        return boundingRelational(BO->getRHS(), ResultVar, Call);
      }
      if ((BO->isRelationalOp() || BO->getOpcode() == BO_NE) && !mentions(BO, ResultVar, Call))
        return BO;
    }
    return nullptr;
  }

  std::optional<int> constantSide(const clang::Expr *Cond) {
    using namespace clang;
    const BinaryOperator *BO = relational(Cond);
    if (!BO)
      return std::nullopt;
    for (const Expr *Side : {BO->getRHS(), BO->getLHS()}) {
      model::Value V = evaluate(Side, "");
      if (V.K == model::Value::Kind::Int && V.Int > 0 && V.Int < 1000) {
        int N = static_cast<int>(V.Int);
        if (BO->getOpcode() == BO_LE || BO->getOpcode() == BO_GE)
          ++N;
        return N;
      }
    }
    return std::nullopt;
  }

  static bool mentionsCollection(const clang::Expr *Cond) {
    using namespace clang;
    return Cond && walkStmts(Cond, [](const Stmt *S) {
      if (!isa<Expr>(S))
        return Walk::Skip;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
        if (const auto *M = MC->getMethodDecl()) {
          llvm::StringRef N = M->getName();
          if (N == "size" || N == "end" || N == "empty" || N == "cend" || N == "length")
            return Walk::Stop;
        }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
        for (const Expr *A : OC->arguments())
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(A->IgnoreImplicit()))
            if (const auto *M = MC->getMethodDecl();
                M && (M->getName() == "end" || M->getName() == "cend"))
              return Walk::Stop;
      return Walk::Into;
    });
  }

  model::LoopFact describeLoop(const clang::Stmt *Loop, const clang::Expr *Call,
                               const clang::VarDecl *ResultVar, const clang::CXXTryStmt *Try) {
    using namespace clang;
    model::LoopFact L;
    L.Loc = loc(Loop->getBeginLoc());
    L.Id = L.Loc.File + ":" + std::to_string(L.Loc.Line) + ":" + std::to_string(L.Loc.Column);
    const Stmt *Body = nullptr;
    const Expr *Cond = nullptr;
    if (const auto *F = dyn_cast<ForStmt>(Loop)) {
      Body = F->getBody();
      Cond = F->getCond();
    } else if (const auto *W = dyn_cast<WhileStmt>(Loop)) {
      Body = W->getBody();
      Cond = W->getCond();
    } else if (const auto *D = dyn_cast<DoStmt>(Loop)) {
      Body = D->getBody();
      Cond = D->getCond();
    } else if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop)) {
      Body = R->getBody();
      L.IteratesCollection = true;
      L.Evidence.push_back({L.Loc.File, L.Loc.Line, "iterates over a collection"});
    }
    // Enclosing function of the loop.
    DynTypedNode N = DynTypedNode::create(*Loop);
    for (int Depth = 0; Depth < 60; ++Depth) {
      auto Parents = Ctx->getParents(N);
      if (Parents.empty())
        break;
      N = Parents[0];
      if (const auto *FD = N.get<FunctionDecl>()) {
        L.FunctionKey = functionKey(FD);
        break;
      }
      if (const auto *LE = N.get<LambdaExpr>()) {
        L.FunctionKey = functionKey(LE->getCallOperator());
        break;
      }
    }
    if (Cond && mentionsCollection(Cond)) {
      L.IteratesCollection = true;
      L.Evidence.push_back({L.Loc.File, L.Loc.Line, "iterates over a collection: " + text(Cond, 60)});
    }
    BodyScan B;
    scanBody(Body, ResultVar, Call, B);
    // Bounded: a relational loop condition, a deadline, or a limit check that exits.
    if (const clang::BinaryOperator *Bound = boundingRelational(Cond, ResultVar, Call);
        Bound && !L.IteratesCollection) {
      L.Bounded = true;
      L.MaxAttempts = constantSide(Bound);
      L.Evidence.push_back({L.Loc.File, L.Loc.Line, "bounded: " + text(Cond, 60)});
    } else if (!B.LimitChecks.empty()) {
      L.Bounded = true;
      L.MaxAttempts = B.LimitValue;
      L.Evidence.push_back(B.LimitChecks.front());
    }
    // Success exit: a branch on the result that leaves the loop, a loop condition on
    // the result, or (with exceptions) an exit after the call inside the try block.
    if (!B.SuccessExits.empty()) {
      L.ExitsOnSuccess = true;
      L.Evidence.push_back(B.SuccessExits.front());
    } else if (Cond && mentions(Cond, ResultVar, Call) && !L.IteratesCollection) {
      L.ExitsOnSuccess = true;
      L.Evidence.push_back({L.Loc.File, L.Loc.Line, "repeats while the call fails: " + text(Cond, 60)});
    } else if (Try && containsExit(Try->getTryBlock()) && Try->getNumHandlers() > 0) {
      L.ExitsOnSuccess = true;
      model::Location TL = loc(Try->getBeginLoc());
      L.Evidence.push_back({TL.File, TL.Line, "leaves the loop when the call does not throw"});
    }
    if (!B.Sleeps.empty()) {
      L.Sleeps = true;
      L.Evidence.push_back(B.Sleeps.front());
      for (const Expr *A : B.SleepArgs) {
        bool Grows = growsExpr(A);
        if (!Grows)
          for (const VarDecl *V : B.Grown)
            if (mentions(A, V, nullptr))
              Grows = true;
        if (Grows) {
          L.Backoff = true;
          break;
        }
      }
      if (L.Backoff && !B.GrowthEvidence.empty())
        L.Evidence.push_back(B.GrowthEvidence.front());
    }
    if (!B.JitterEvidence.empty()) {
      L.Jitter = true;
      L.Evidence.push_back(B.JitterEvidence.front());
    }
    return L;
  }

  clang::ASTContext *Ctx = nullptr;
  llvm::DenseMap<clang::FileID, std::string> FileNames;
  llvm::DenseMap<const clang::StringLiteral *, std::vector<model::Value::Piece>> PieceCache;
};

} // namespace im::matchers
