// What a nlohmann::json exception says about a document, as one line a user can
// act on: where (line and column when known) and the problem, without the
// library's "[json.exception...]" prefix and without the text it last read
// (which may be a piece of a secret).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace im::support {

struct JsonProblem {
  size_t Line = 0;   // 1-based; 0 when unknown
  size_t Column = 0; // 1-based; 0 when unknown
  std::string Message;
};

/// The line and column of byte offset `Offset` of `Text`.
inline void lineAndColumn(const std::string &Text, size_t Offset, size_t &Line, size_t &Column) {
  Line = 1;
  Column = 1;
  for (size_t I = 0; I < Offset && I < Text.size(); ++I) {
    if (Text[I] == '\n') {
      ++Line;
      Column = 1;
    } else {
      ++Column;
    }
  }
}

/// `E` was thrown while parsing or reading `Text`. A parse error carries its
/// byte offset; a number that does not fit ("number overflow parsing '1e400'")
/// is located by the first occurrence of its text.
inline JsonProblem describeJsonError(const nlohmann::json::exception &E, const std::string &Text) {
  JsonProblem P;
  std::string M = E.what();
  if (M.rfind("[json.exception", 0) == 0)
    if (auto Colon = M.find("] "); Colon != std::string::npos)
      M = M.substr(Colon + 2);
  if (auto Last = M.find("; last read"); Last != std::string::npos)
    M = M.substr(0, Last);
  if (const auto *PE = dynamic_cast<const nlohmann::json::parse_error *>(&E)) {
    lineAndColumn(Text, PE->byte ? PE->byte - 1 : 0, P.Line, P.Column);
    if (auto Colon = M.find(": "); M.rfind("parse error", 0) == 0 && Colon != std::string::npos)
      M = M.substr(Colon + 2);
  } else if (auto Q = M.find(" parsing '"); Q != std::string::npos) {
    size_t From = Q + 10, To = M.find('\'', From);
    std::string Token = To == std::string::npos ? "" : M.substr(From, To - From);
    if (auto At = Token.empty() ? std::string::npos : Text.find(Token); At != std::string::npos)
      lineAndColumn(Text, At, P.Line, P.Column);
  }
  P.Message = M;
  return P;
}

/// "line L, column C: <message>", or the message alone when the place is unknown.
inline std::string jsonErrorLine(const nlohmann::json::exception &E, const std::string &Text) {
  JsonProblem P = describeJsonError(E, Text);
  if (!P.Line)
    return P.Message;
  return "line " + std::to_string(P.Line) + ", column " + std::to_string(P.Column) + ": " +
         P.Message;
}

} // namespace im::support
