// What a nlohmann::json exception says about a document, as one line a user can
// act on: where (line and column when known) and the problem, without the
// library's "[json.exception...]" prefix and without the text it last read
// (which may be a piece of a secret).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

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

/// `J` as the integer type T when it is an integer that T can hold; nullopt for
/// a fraction, a number out of T's range or another type. nlohmann's get<T>()
/// casts instead, and casting a float out of range (1e30 to unsigned) is
/// undefined behaviour.
template <typename T> std::optional<T> integerAs(const nlohmann::json &J) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  if (J.is_number_unsigned()) {
    auto V = J.get<std::uint64_t>();
    if (V <= static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
      return static_cast<T>(V);
  } else if (J.is_number_integer()) {
    auto V = J.get<std::int64_t>();
    if (V >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
        (V < 0 || static_cast<std::uint64_t>(V) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())))
      return static_cast<T>(V);
  }
  return std::nullopt;
}

/// Documents nested deeper than this are refused before they are parsed:
/// nlohmann::json copies, compares and writes a document recursively, one stack
/// frame per level (so do LLVM's YAML parser and the facts reader), and some
/// ten thousand levels end the process. No file the tool reads needs more than
/// a few dozen.
constexpr size_t MaxNesting = 256;

/// The byte offset of the '[' or '{' that opens level `Max` + 1 of the JSON
/// `Text` (brackets inside strings do not count), or nullopt.
inline std::optional<size_t> tooDeeplyNested(std::string_view Text, size_t Max = MaxNesting) {
  size_t Depth = 0;
  bool InString = false;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"')
        InString = false;
    } else if (C == '"') {
      InString = true;
    } else if (C == '[' || C == '{') {
      if (++Depth > Max)
        return I;
    } else if ((C == ']' || C == '}') && Depth) {
      --Depth;
    }
  }
  return std::nullopt;
}

/// "<File>:<line>:<col>: nested deeper than 256 levels" at the bracket of
/// tooDeeplyNested(), or "" when `Text` is not.
inline std::string nestingError(const std::string &File, const std::string &Text) {
  auto At = tooDeeplyNested(Text);
  if (!At)
    return "";
  size_t Line, Column;
  lineAndColumn(Text, *At, Line, Column);
  return File + ":" + std::to_string(Line) + ":" + std::to_string(Column) + ": nested deeper than " +
         std::to_string(MaxNesting) + " levels";
}

} // namespace im::support
