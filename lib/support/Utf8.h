// UTF-8 at the edges of the process. What the tool reads from a project (source
// lines, paths, compile flags) may hold any bytes, a Latin-1 comment for example;
// what it writes (JSON, SARIF, Markdown, the glossary) is UTF-8, so a byte that is
// not part of a well-formed sequence is written as U+FFFD instead of stopping the
// output. The files the tool is configured by must be UTF-8 and are rejected
// otherwise, naming the first bad byte.
#pragma once

#include "support/JsonError.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace im::support {

/// The sequence starting at S[I]: its length and whether it is well-formed
/// UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
/// A malformed one is its longest prefix that could still have begun a
/// well-formed sequence (at least one byte), the unit Unicode replaces by one
/// U+FFFD, as nlohmann::json's error_handler_t::replace does.
struct Utf8Step {
  size_t Length;
  bool Valid;
};
inline Utf8Step utf8Step(std::string_view S, size_t I) {
  unsigned char B = static_cast<unsigned char>(S[I]);
  if (B < 0x80)
    return {1, true};
  size_t Need;
  unsigned char Lo = 0x80, Hi = 0xBF; // the range of the byte after the first
  if (B >= 0xC2 && B <= 0xDF) {
    Need = 1;
  } else if (B >= 0xE0 && B <= 0xEF) {
    Need = 2;
    if (B == 0xE0)
      Lo = 0xA0; // overlong
    if (B == 0xED)
      Hi = 0x9F; // surrogates
  } else if (B >= 0xF0 && B <= 0xF4) {
    Need = 3;
    if (B == 0xF0)
      Lo = 0x90; // overlong
    if (B == 0xF4)
      Hi = 0x8F; // above U+10FFFF
  } else {
    return {1, false}; // a continuation byte, C0, C1 or F5-FF
  }
  for (size_t N = 1; N <= Need; ++N) {
    if (I + N >= S.size())
      return {N, false};
    unsigned char C = static_cast<unsigned char>(S[I + N]);
    if (C < Lo || C > Hi)
      return {N, false};
    Lo = 0x80;
    Hi = 0xBF;
  }
  return {Need + 1, true};
}

/// The offset of the first byte of `S` that is not part of well-formed UTF-8.
inline std::optional<size_t> firstInvalidUtf8(std::string_view S) {
  for (size_t I = 0; I < S.size();) {
    Utf8Step St = utf8Step(S, I);
    if (!St.Valid)
      return I;
    I += St.Length;
  }
  return std::nullopt;
}

/// `S` with every malformed sequence replaced by U+FFFD.
inline std::string validUtf8(std::string_view S) {
  auto First = firstInvalidUtf8(S);
  if (!First)
    return std::string(S);
  std::string Out(S.substr(0, *First));
  Out.reserve(S.size() + 8);
  for (size_t I = *First; I < S.size();) {
    Utf8Step St = utf8Step(S, I);
    if (St.Valid)
      Out.append(S.substr(I, St.Length));
    else
      Out += "\xEF\xBF\xBD";
    I += St.Length;
  }
  return Out;
}

/// "<File>:<line>:<col>: not UTF-8 (byte 0xFC)" for the first malformed byte of
/// `Text` (columns count bytes), or "" when `Text` is UTF-8.
inline std::string notUtf8(const std::string &File, const std::string &Text) {
  auto At = firstInvalidUtf8(Text);
  if (!At)
    return "";
  size_t Line, Column;
  lineAndColumn(Text, *At, Line, Column);
  char Byte[8];
  std::snprintf(Byte, sizeof Byte, "0x%02X", static_cast<unsigned char>(Text[*At]));
  return File + ":" + std::to_string(Line) + ":" + std::to_string(Column) + ": not UTF-8 (byte " +
         Byte + ")";
}

/// `J` as text for a file that leaves the process: a string holding bytes that
/// are not UTF-8 is written with U+FFFD in their place (nlohmann's default
/// would throw type_error 316 and lose the whole output). `Indent` < 0 is compact.
template <typename Json> std::string dumpJson(const Json &J, int Indent = 2) {
  return J.dump(Indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace im::support
